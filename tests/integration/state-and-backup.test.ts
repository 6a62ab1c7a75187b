import { DescribeBackupVaultCommand, GetBackupPlanCommand } from "@aws-sdk/client-backup";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { clientsFor } from "./clients";
import { StackOutputs, describeLive } from "./stack-outputs";

describeLive("deployed global table and backups", (outputs: StackOutputs) => {
  it("replicates the transaction table to the DR region, under the DR key", async () => {
    const tableName = outputs.text("transactionTableName");
    const primary = await clientsFor(outputs.text("primaryRegion")).dynamodb.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    expect(primary.Table?.TableStatus).toBe("ACTIVE");
    expect(primary.Table?.StreamSpecification?.StreamViewType).toBe("NEW_AND_OLD_IMAGES");
    expect(primary.Table?.SSEDescription?.Status).toBe("ENABLED");
    expect(primary.Table?.SSEDescription?.KMSMasterKeyArn).toBe(outputs.text("primaryKmsKeyArn"));
    const replica = (primary.Table?.Replicas ?? []).find(
      (r) => r.RegionName === outputs.text("drRegion"),
    );
    expect(replica?.ReplicaStatus).toBe("ACTIVE");

    // The replica's key: Replicas[].KMSMasterKeyId in the primary region is not always
    // filled in (terraform-provider-aws#37335), so read the replica table in its own region.
    const dr = await clientsFor(outputs.text("drRegion")).dynamodb.send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    expect(dr.Table?.TableStatus).toBe("ACTIVE");
    expect(dr.Table?.SSEDescription?.Status).toBe("ENABLED");
    expect(dr.Table?.SSEDescription?.KMSMasterKeyArn).toBe(outputs.text("drKmsKeyArn"));
    expect(outputs.list("transactionTableReplicaRegions")).toEqual([outputs.text("drRegion")]);
  });

  it("keeps a vault per region under that region's key", async () => {
    for (const side of ["primary", "dr"] as const) {
      const { backup } = clientsFor(outputs.text(`${side}Region`));
      const vault = await backup.send(
        new DescribeBackupVaultCommand({ BackupVaultName: outputs.text(`${side}BackupVaultName`) }),
      );
      expect(vault.EncryptionKeyArn).toBe(outputs.text(`${side}KmsKeyArn`));
    }
  });

  it("copies the daily recovery points to the DR vault", async () => {
    const { backup } = clientsFor(outputs.text("primaryRegion"));
    const { BackupPlan } = await backup.send(
      new GetBackupPlanCommand({ BackupPlanId: outputs.text("backupPlanId") }),
    );
    const daily = (BackupPlan?.Rules ?? []).find((rule) => rule.RuleName === "daily-with-dr-copy");
    const destination = daily?.CopyActions?.[0]?.DestinationBackupVaultArn ?? "";
    expect(destination.split(":")[3]).toBe(outputs.text("drRegion"));
    expect(destination.endsWith(`:${outputs.text("drBackupVaultName")}`)).toBe(true);
  });
});

import {
  BackupClient,
  DescribeBackupVaultCommand,
  GetBackupPlanCommand,
} from "@aws-sdk/client-backup";
import { DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { StackOutputs, describeLive } from "./stack-outputs";

describeLive("deployed global table and backups", (outputs: StackOutputs) => {
  it("replicates the transaction table to the DR region, under the DR key", async () => {
    const dynamodb = new DynamoDBClient({ region: outputs.text("primaryRegion") });
    const { Table } = await dynamodb.send(
      new DescribeTableCommand({ TableName: outputs.text("transactionTableName") }),
    );
    expect(Table?.TableStatus).toBe("ACTIVE");
    expect(Table?.StreamSpecification?.StreamViewType).toBe("NEW_AND_OLD_IMAGES");
    const replica = (Table?.Replicas ?? []).find((r) => r.RegionName === outputs.text("drRegion"));
    expect(replica?.ReplicaStatus).toBe("ACTIVE");
    expect(replica?.KMSMasterKeyId).toBe(outputs.text("drKmsKeyArn"));
    expect(outputs.list("transactionTableReplicaRegions")).toEqual([outputs.text("drRegion")]);
  });

  it("keeps a vault per region under that region's key", async () => {
    for (const side of ["primary", "dr"] as const) {
      const backup = new BackupClient({ region: outputs.text(`${side}Region`) });
      const vault = await backup.send(
        new DescribeBackupVaultCommand({ BackupVaultName: outputs.text(`${side}BackupVaultName`) }),
      );
      expect(vault.EncryptionKeyArn).toBe(outputs.text(`${side}KmsKeyArn`));
    }
  });

  it("copies the daily recovery points to the DR vault", async () => {
    const backup = new BackupClient({ region: outputs.text("primaryRegion") });
    const { BackupPlan } = await backup.send(
      new GetBackupPlanCommand({ BackupPlanId: outputs.text("backupPlanId") }),
    );
    const daily = (BackupPlan?.Rules ?? []).find((rule) => rule.RuleName === "daily-with-dr-copy");
    const destination = daily?.CopyActions?.[0]?.DestinationBackupVaultArn ?? "";
    expect(destination.split(":")[3]).toBe(outputs.text("drRegion"));
    expect(destination.endsWith(`:${outputs.text("drBackupVaultName")}`)).toBe(true);
  });
});

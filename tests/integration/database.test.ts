import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { StackOutputs, describeLive } from "./stack-outputs";

describeLive("deployed Aurora global database", (outputs: StackOutputs) => {
  const primaryRegion = (): string => outputs.text("primaryRegion");
  const drRegion = (): string => outputs.text("drRegion");

  it("has both regional clusters as members, exactly one of them the writer", async () => {
    const rds = new RDSClient({ region: primaryRegion() });
    const { GlobalClusters } = await rds.send(
      new DescribeGlobalClustersCommand({
        GlobalClusterIdentifier: outputs.text("globalClusterIdentifier"),
      }),
    );
    const [global] = GlobalClusters ?? [];
    expect(global.StorageEncrypted).toBe(true);
    const members = global.GlobalClusterMembers ?? [];
    expect(members.map((member) => member.DBClusterArn).sort()).toEqual(
      [outputs.text("primaryClusterArn"), outputs.text("drClusterArn")].sort(),
    );
    expect(members.filter((member) => member.IsWriter)).toHaveLength(1);
  });

  it.each([
    ["primary", "primaryRegion", "primaryClusterArn", "primaryKmsKeyArn"],
    ["dr", "drRegion", "drClusterArn", "drKmsKeyArn"],
  ] as const)(
    "encrypts the %s cluster with its own region's key, TLS-only parameters and IAM auth",
    async (_side, regionKey, clusterKey, keyKey) => {
      const rds = new RDSClient({ region: outputs.text(regionKey) });
      const { DBClusters } = await rds.send(
        new DescribeDBClustersCommand({ DBClusterIdentifier: outputs.text(clusterKey) }),
      );
      const [cluster] = DBClusters ?? [];
      expect(cluster.StorageEncrypted).toBe(true);
      expect(cluster.KmsKeyId).toBe(outputs.text(keyKey));
      expect(cluster.IAMDatabaseAuthenticationEnabled).toBe(true);
      expect(cluster.EnabledCloudwatchLogsExports).toContain("postgresql");
      expect(cluster.Port).toBe(5432);
    },
  );

  it("keeps the master secret in the primary region with an in-sync replica in the DR region", async () => {
    const secrets = new SecretsManagerClient({ region: primaryRegion() });
    const secret = await secrets.send(
      new DescribeSecretCommand({ SecretId: outputs.text("databaseSecretArn") }),
    );
    expect(secret.KmsKeyId).toBe(outputs.text("primaryKmsKeyArn"));
    const replica = (secret.ReplicationStatus ?? []).find((r) => r.Region === drRegion());
    expect(replica?.Status).toBe("InSync");
    expect(replica?.KmsKeyId).toBe(outputs.text("drKmsKeyArn"));
  });
});

import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  type Parameter,
} from "@aws-sdk/client-rds";
import { GetFunctionConfigurationCommand } from "@aws-sdk/client-lambda";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { clientsFor } from "./clients";
import { eventually } from "./polling";
import { StackOutputs, describeLive } from "./stack-outputs";

/** Secrets Manager's bounds on RotationRules.AutomaticallyAfterDays that this stack allows (1-90). */
const MIN_ROTATION_DAYS = 1;
const MAX_ROTATION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]. */
function lambdaArnParts(arn: string): { region: string; account: string; name: string } {
  const parts = arn.split(":");
  if (parts.length < 7 || parts[0] !== "arn" || parts[2] !== "lambda" || parts[5] !== "function") {
    throw new Error(`RotationLambdaARN ${arn} is not a Lambda function ARN`);
  }
  return { region: parts[3], account: parts[4], name: parts[6] };
}

describeLive("deployed Aurora global database", (outputs: StackOutputs) => {
  const primaryRegion = (): string => outputs.text("primaryRegion");
  const drRegion = (): string => outputs.text("drRegion");

  it("has both regional clusters as members, exactly one of them the writer", async () => {
    const { rds } = clientsFor(primaryRegion());
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
      const { rds } = clientsFor(outputs.text(regionKey));
      const { DBClusters } = await rds.send(
        new DescribeDBClustersCommand({ DBClusterIdentifier: outputs.text(clusterKey) }),
      );
      const [cluster] = DBClusters ?? [];
      expect(cluster.StorageEncrypted).toBe(true);
      expect(cluster.KmsKeyId).toBe(outputs.text(keyKey));
      expect(cluster.IAMDatabaseAuthenticationEnabled).toBe(true);
      expect(cluster.EnabledCloudwatchLogsExports).toContain("postgresql");
      expect(cluster.Port).toBe(5432);

      // TLS only: the cluster's own parameter group sets rds.force_ssl=1 as a user
      // parameter (RDS Parameter.Source "user"); an engine default is not what we deployed.
      const groupName = cluster.DBClusterParameterGroup;
      expect(groupName).toBeDefined();
      const userParameters: Parameter[] = [];
      let Marker: string | undefined;
      do {
        const page = await rds.send(
          new DescribeDBClusterParametersCommand({
            DBClusterParameterGroupName: groupName,
            Source: "user",
            Marker,
          }),
        );
        userParameters.push(...(page.Parameters ?? []));
        Marker = page.Marker;
      } while (Marker !== undefined);
      const forceSsl = userParameters.find((p) => p.ParameterName === "rds.force_ssl");
      expect(forceSsl?.ParameterValue).toBe("1");
    },
  );

  it("keeps the master secret in the primary region with an in-sync replica in the DR region", async () => {
    const { secrets } = clientsFor(primaryRegion());
    const secretId = outputs.text("databaseSecretArn");
    // Replication continues after `pulumi up` returns: wait (bounded) for InSync, and stop
    // at once on Failed with its message (SecretsManager ReplicationStatusType.Status).
    let failed: string | undefined;
    const secret = await eventually(
      `the secret replica in ${drRegion()} to be InSync`,
      async () => {
        const described = await secrets.send(new DescribeSecretCommand({ SecretId: secretId }));
        const replica = (described.ReplicationStatus ?? []).find((r) => r.Region === drRegion());
        if (replica?.Status === "Failed") {
          failed = replica.StatusMessage ?? "(no StatusMessage)";
          return described;
        }
        return replica?.Status === "InSync" ? described : undefined;
      },
      // Inside jest's 120 s test timeout, so a stuck replica fails with this message, not a timeout.
      { timeoutMs: 90_000, intervalMs: 3_000 },
    );
    if (failed !== undefined) {
      throw new Error(`the secret replica in ${drRegion()} failed: ${failed}`);
    }
    expect(secret.KmsKeyId).toBe(outputs.text("primaryKmsKeyArn"));
    const replica = (secret.ReplicationStatus ?? []).find((r) => r.Region === drRegion());
    expect(replica?.Status).toBe("InSync");
    expect(replica?.KmsKeyId).toBe(outputs.text("drKmsKeyArn"));
  });

  it("rotates the master secret on the configured schedule with this stack's function in the primary region", async () => {
    const { secrets, lambda } = clientsFor(primaryRegion());
    const secret = await secrets.send(
      new DescribeSecretCommand({ SecretId: outputs.text("databaseSecretArn") }),
    );
    expect(secret.RotationEnabled).toBe(true);
    const days = secret.RotationRules?.AutomaticallyAfterDays;
    expect(days).toBeGreaterThanOrEqual(MIN_ROTATION_DAYS);
    expect(days).toBeLessThanOrEqual(MAX_ROTATION_DAYS);
    expect(days).toBe(outputs.number("dbSecretRotationDays"));

    // The function Secrets Manager invokes: this stack's, in the primary region and account
    // (the secret lives there; the DR copy is a read-only replica that is never rotated itself).
    const rotationArn = secret.RotationLambdaARN;
    expect(rotationArn).toBeDefined();
    const target = lambdaArnParts(rotationArn ?? "");
    expect(target).toEqual({
      region: primaryRegion(),
      account: outputs.text("accountId"),
      name: outputs.text("secretRotationFunctionName"),
    });
    // ...and it exists there (a name alone could point at a deleted function).
    const fn = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: rotationArn }),
    );
    expect(fn.FunctionName).toBe(outputs.text("secretRotationFunctionName"));

    // The first rotation starts when the schedule is set; dates, where reported, are sane.
    const now = Date.now();
    if (secret.LastRotatedDate !== undefined) {
      expect(secret.LastRotatedDate.getTime()).toBeLessThanOrEqual(now + 5 * 60 * 1000);
    }
    if (secret.NextRotationDate !== undefined) {
      expect(secret.NextRotationDate.getTime()).toBeLessThanOrEqual(
        now + ((days ?? MAX_ROTATION_DAYS) + 1) * DAY_MS,
      );
    }
  });
});

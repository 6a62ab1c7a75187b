/**
 * Test-only: answers the SDK calls the live suites (tests/integration/) make, per region, from
 * the graph the real program registers under pulumi mocks, as a deployed stack would. Shapes and
 * casing follow the SDK output types named at each handler. Mutations (mutations.ts) change the
 * captured inputs or the service-side state to model broken stacks.
 */
import {
  DescribeSecretCommand,
  type DescribeSecretCommandInput,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, type SimulatedStack, awsError, record, records, regionOf, text } from "./cloud";
import { installEc2 } from "./services/ec2";
import { installKms } from "./services/kms";
import { installS3 } from "./services/s3";
import { installSqs } from "./services/sqs";
import { installRds } from "./services/rds";
import { installBackup } from "./services/backup";
import { installDynamoDb } from "./services/dynamodb";
import { installRoute53 } from "./services/route53";
import { installLambda } from "./services/lambda";
import { installCloudWatch } from "./services/cloudwatch";
import { installSns } from "./services/sns";
import { installSfn } from "./services/sfn";
import { installAutoScaling } from "./services/autoscaling";

export { type ServiceState, type SimulatedStack, correctStack } from "./cloud";

/**
 * Stubs every client the live suites use. `current()` is read on every call, so one
 * installation serves a sequence of (mutated) stacks. Returns the function that restores them.
 */
export function installSimulatedAws(current: () => SimulatedStack): () => void {
  const cloud = (): Cloud => new Cloud(current());
  const stubs = [
    installEc2(cloud),
    installKms(cloud),
    installS3(cloud),
    installSqs(cloud),
    installRds(cloud),
    installBackup(cloud),
    installDynamoDb(cloud),
    installRoute53(cloud),
    installLambda(cloud),
    installCloudWatch(cloud),
    installSns(cloud),
    installSfn(cloud),
    installAutoScaling(cloud),
  ];
  const secrets = mockClient(SecretsManagerClient);
  // DescribeSecretResponse; ReplicationStatus is ReplicationStatusType[]; RotationRules is
  // RotationRulesType. A secret without a SecretRotation reports RotationEnabled false.
  secrets
    .on(DescribeSecretCommand)
    .callsFake(async (input: DescribeSecretCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const secret = c
        .of("aws:secretsmanager/secret:Secret", region)
        .find((r) => c.arnOf(r) === input.SecretId || c.nameOf(r) === input.SecretId);
      if (!secret)
        throw awsError(
          "ResourceNotFoundException",
          "Secrets Manager can't find the specified secret.",
        );
      const sequence = c.stack.service.secretReplicaStatuses;
      const answer = sequence[Math.min(c.stack.service.secretDescribeCalls, sequence.length - 1)];
      c.stack.service.secretDescribeCalls += 1;
      // The secret's schedule, from the graph's SecretRotation (secretId: the secret's id or ARN).
      const rotation = c
        .of("aws:secretsmanager/secretRotation:SecretRotation")
        .find((r) => [c.idOf(secret), c.arnOf(secret)].includes(String(r.inputs.secretId)));
      const days = record(rotation?.inputs.rotationRules).automaticallyAfterDays;
      return {
        ARN: c.arnOf(secret),
        Name: c.nameOf(secret),
        KmsKeyId: text(secret.inputs.kmsKeyId),
        PrimaryRegion: region,
        RotationEnabled: rotation !== undefined,
        RotationLambdaARN: text(rotation?.inputs.rotationLambdaArn),
        RotationRules:
          rotation === undefined
            ? undefined
            : { AutomaticallyAfterDays: typeof days === "number" ? days : undefined },
        ReplicationStatus: records(secret.inputs.replicas).map((replica) => ({
          Region: text(replica.region),
          KmsKeyId: text(replica.kmsKeyId) ?? "alias/aws/secretsmanager",
          Status: answer.Status,
          StatusMessage:
            answer.StatusMessage ??
            (answer.Status === "InSync" ? "Replication succeeded" : undefined),
        })),
      };
    });
  return () => {
    secrets.restore();
    for (const restore of stubs) restore();
  };
}

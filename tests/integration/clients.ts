import { BackupClient } from "@aws-sdk/client-backup";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { SQSClient } from "@aws-sdk/client-sqs";

/** The SDK clients the live suites use, each bound to one region. */
export interface RegionClients {
  readonly backup: BackupClient;
  readonly cloudwatch: CloudWatchClient;
  readonly dynamodb: DynamoDBClient;
  readonly ec2: EC2Client;
  readonly kms: KMSClient;
  /** Invokes the failover orchestrator (status and dry runs only). */
  readonly lambda: LambdaClient;
  readonly rds: RDSClient;
  readonly route53: Route53Client;
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
  readonly sfn: SFNClient;
  readonly sns: SNSClient;
  readonly sqs: SQSClient;
}

const byRegion = new Map<string, RegionClients>();

/**
 * The clients for one region, created on first use and shared by every suite
 * in the test file. Credentials come from the default provider chain.
 */
export function clientsFor(region: string): RegionClients {
  const known = byRegion.get(region);
  if (known !== undefined) return known;
  const config = { region };
  const clients: RegionClients = {
    backup: new BackupClient(config),
    cloudwatch: new CloudWatchClient(config),
    dynamodb: new DynamoDBClient(config),
    ec2: new EC2Client(config),
    kms: new KMSClient(config),
    // One attempt: an Invoke repeated by the SDK after a timeout would run the request twice.
    lambda: new LambdaClient({ ...config, maxAttempts: 1 }),
    rds: new RDSClient(config),
    route53: new Route53Client(config),
    s3: new S3Client(config),
    secrets: new SecretsManagerClient(config),
    sfn: new SFNClient(config),
    sns: new SNSClient(config),
    sqs: new SQSClient(config),
  };
  byRegion.set(region, clients);
  return clients;
}

/** Route 53 is a global service; its control plane (and health-check status) lives in us-east-1. */
export const ROUTE53_CONTROL_REGION = "us-east-1";

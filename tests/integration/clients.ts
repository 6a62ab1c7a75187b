import { BackupClient } from "@aws-sdk/client-backup";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { EC2Client } from "@aws-sdk/client-ec2";
import { KMSClient } from "@aws-sdk/client-kms";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { S3Client } from "@aws-sdk/client-s3";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";

/** The SDK clients the live suites use, each bound to one region. */
export interface RegionClients {
  readonly backup: BackupClient;
  readonly dynamodb: DynamoDBClient;
  readonly ec2: EC2Client;
  readonly kms: KMSClient;
  readonly rds: RDSClient;
  readonly route53: Route53Client;
  readonly s3: S3Client;
  readonly secrets: SecretsManagerClient;
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
    dynamodb: new DynamoDBClient(config),
    ec2: new EC2Client(config),
    kms: new KMSClient(config),
    rds: new RDSClient(config),
    route53: new Route53Client(config),
    s3: new S3Client(config),
    secrets: new SecretsManagerClient(config),
    sqs: new SQSClient(config),
  };
  byRegion.set(region, clients);
  return clients;
}

/** Route 53 is a global service; its control plane (and health-check status) lives in us-east-1. */
export const ROUTE53_CONTROL_REGION = "us-east-1";

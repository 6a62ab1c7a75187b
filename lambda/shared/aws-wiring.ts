/**
 * Builds the real adapters for the Lambda entries from the environment (once per cold start).
 *
 * Environment contract (set by the Pulumi program):
 *   DB_HOST            this region's Aurora cluster endpoint (writes only where it is the writer)
 *   DB_READ_HOST       optional: the cluster's reader endpoint, for reads and the health probe
 *                      (a secondary's cluster endpoint is inactive until promotion)
 *   DB_PORT            5432
 *   DB_NAME            database name
 *   DB_SECRET_ID       name of this region's replica of the master secret (username/password used)
 *   DB_CA_FILE         optional PEM bundle to pin the database CA; without it the default roots
 *                      plus NODE_EXTRA_CA_CERTS apply (see db/database.ts)
 *   TABLE_NAME         DynamoDB global table
 *   QUEUE_URL          this region's transaction queue
 *   AWS_REGION         set by Lambda
 *   DB_POOL_MAX        optional pool size (default 2: a Lambda environment serves one request at a
 *                      time; a long-running server handling concurrent requests needs more)
 *
 * SDK clients: 3 attempts with the SDK's standard retry, and short socket timeouts so that a
 * regional impairment surfaces as a fast 503 instead of a Lambda timeout.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient } from "@aws-sdk/client-sqs";

import { SecretCredentials } from "./db/credentials";
import { Database } from "./db/database";
import { optionalEnv, optionalPositiveInt, requireEnv, requirePortEnv } from "./env";
import { DynamoDbStatusStore } from "./stores/dynamodb-status-store";
import { PgTransactionStore } from "./stores/pg-transaction-store";
import type { Queue, StatusStore, TransactionStore } from "./stores/ports";
import { SecretsManagerSecretSource } from "./stores/secrets-manager-secret-source";
import { SqsQueue } from "./stores/sqs-queue";
import { tracer } from "./tracing";

export interface AwsAdapters {
  readonly region: string;
  readonly transactions: TransactionStore;
  readonly statuses: StatusStore;
  readonly queue: Queue;
}

const sdkOptions = (region: string) =>
  ({
    region,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 3000 },
  }) as const;

export function buildAwsAdapters(env: NodeJS.ProcessEnv = process.env): AwsAdapters {
  const region = requireEnv("AWS_REGION", env);
  const caFile = optionalEnv("DB_CA_FILE", env);
  const secrets = new SecretsManagerSecretSource(
    tracer.captureAWSv3Client(new SecretsManagerClient(sdkOptions(region))),
  );
  const databaseAt = (host: string) =>
    new Database({
      host,
      port: requirePortEnv("DB_PORT", env),
      database: requireEnv("DB_NAME", env),
      credentials,
      tls: caFile !== undefined ? { caFile } : {},
      applicationName: env.POWERTOOLS_SERVICE_NAME ?? "tap-dr",
      poolMax: optionalPositiveInt("DB_POOL_MAX", env) ?? 2,
    });
  // One credentials cache for both endpoints: a rotated password is re-read once.
  const credentials = new SecretCredentials(secrets, requireEnv("DB_SECRET_ID", env));
  const readHost = optionalEnv("DB_READ_HOST", env);
  const database = databaseAt(requireEnv("DB_HOST", env));
  return {
    region,
    transactions: new PgTransactionStore(
      database,
      readHost === undefined ? undefined : databaseAt(readHost),
    ),
    statuses: new DynamoDbStatusStore(
      tracer.captureAWSv3Client(new DynamoDBClient(sdkOptions(region))),
      requireEnv("TABLE_NAME", env),
    ),
    queue: new SqsQueue(
      tracer.captureAWSv3Client(new SQSClient(sdkOptions(region))),
      requireEnv("QUEUE_URL", env),
    ),
  };
}

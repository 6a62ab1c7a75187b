/**
 * The status table for local DynamoDB endpoints (dynalite): `npm run api:local`
 * (start-local.ts), the lambda tests (tests/lambda/support/services.ts) and the benchmarks
 * (bench/support/dynalite.ts) all create it here.
 *
 * It mirrors the deployed key schema in lib/global/transaction-state-table.ts (`TABLE_KEYS`):
 * pk/sk, and the byCustomer GSI on (customerId, createdAt) projecting ALL, PAY_PER_REQUEST. The
 * Pulumi program and the handlers must not import each other, so the names are repeated here,
 * except the index name, which comes from the store that queries it. The deployed table's TTL on
 * `expiresAt`, streams, PITR and encryption do not matter to these local uses and are left out.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

import { BY_CUSTOMER_INDEX } from "../shared/stores/dynamodb-status-store";

/** The CreateTable request for a status table named `tableName`. */
function localStatusTableRequest(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: "pk", AttributeType: "S" },
      { AttributeName: "sk", AttributeType: "S" },
      { AttributeName: "customerId", AttributeType: "S" },
      { AttributeName: "createdAt", AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_CUSTOMER_INDEX,
        KeySchema: [
          { AttributeName: "customerId", KeyType: "HASH" },
          { AttributeName: "createdAt", KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

/**
 * Creates the status table through `client` (the caller owns and destroys the client). On
 * dynalite started with `createTableMs: 0` the table is ACTIVE when this resolves.
 */
export async function createLocalStatusTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<void> {
  await client.send(new CreateTableCommand(localStatusTableRequest(tableName)));
}

/** The same through a short-lived client for the dynalite at `endpoint` (dummy credentials). */
export async function createLocalStatusTableAt(endpoint: string, tableName: string): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    await createLocalStatusTable(client, tableName);
  } finally {
    client.destroy();
  }
}

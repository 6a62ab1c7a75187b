/**
 * Wires the real API and worker cores to real adapters on the local services: pg (verified TLS)
 * and DynamoDB (dynalite). SQS and Secrets Manager are the real SDK clients, intercepted by
 * aws-sdk-client-mock in the test file (`mockAws`).
 */
import { randomUUID } from "node:crypto";

import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
import type { ALBEvent, ALBResult } from "aws-lambda";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";

import { type CredentialsProvider, SecretCredentials } from "../../../lambda/shared/db/credentials";
import { Database } from "../../../lambda/shared/db/database";
import { migrate } from "../../../lambda/shared/db/migrations";
import { DynamoDbStatusStore } from "../../../lambda/shared/stores/dynamodb-status-store";
import { PgTransactionStore } from "../../../lambda/shared/stores/pg-transaction-store";
import { SecretsManagerSecretSource } from "../../../lambda/shared/stores/secrets-manager-secret-source";
import { SqsQueue } from "../../../lambda/shared/stores/sqs-queue";
import { type ApiHandler, makeApiHandler } from "../../../lambda/transaction-api/handler";
import { type WorkerHandler, makeWorkerHandler } from "../../../lambda/transaction-worker/handler";
import {
  type TestDatabase,
  type TestTable,
  caFile,
  createTestDatabase,
  createTestTable,
  dynamoClient,
  dynamoEndpoint,
  pgHost,
  pgPort,
} from "./services";

export const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/transactions";
export const SECRET_ID = "tap-dr/test/master";

export interface AwsMocks {
  readonly sqs: AwsClientStub<SQSClient>;
  readonly secrets: AwsClientStub<SecretsManagerClient>;
  /** Default behaviour: SendMessage succeeds; the secret holds the test role's credentials. */
  reset(db: TestDatabase): void;
}

export function mockAws(): AwsMocks {
  const sqs = mockClient(SQSClient);
  const secrets = mockClient(SecretsManagerClient);
  return {
    sqs,
    secrets,
    reset(db) {
      sqs.reset();
      secrets.reset();
      sqs.on(SendMessageCommand).callsFake(() => ({ MessageId: randomUUID() }));
      secrets.on(GetSecretValueCommand, { SecretId: SECRET_ID }).resolves({
        SecretString: secretFor(db.user, db.password),
      });
    },
  };
}

/** The master secret's shape; host/port/dbname are deliberately wrong: only user/password count. */
export function secretFor(username: string, password: string): string {
  return JSON.stringify({ username, password, host: "primary.invalid", port: 1, dbname: "x" });
}

export interface HarnessOptions {
  readonly db: TestDatabase;
  readonly tableName: string;
  readonly dbHost?: string;
  readonly dbPort?: number;
  /** e.g. "-c default_transaction_read_only=on": how an Aurora secondary looks to a client. */
  readonly sessionOptions?: string;
  readonly dynamoEndpoint?: string;
  readonly credentials?: CredentialsProvider;
  readonly healthTimeoutMs?: number;
  readonly poolMax?: number;
  /**
   * How long a query may wait for a pooled connection, queueing included. @default 1500, so
   * tests of an unreachable database stay quick.
   */
  readonly connectionTimeoutMillis?: number;
  /**
   * A separate reader endpoint (DB_READ_HOST): reads and the health probe go there. Its
   * sessions may be read-only, like an Aurora reader's. @default none: one endpoint
   */
  readonly reader?: { readonly sessionOptions?: string };
}

export interface Harness {
  readonly api: ApiHandler;
  readonly worker: WorkerHandler;
  readonly database: Database;
  readonly transactions: PgTransactionStore;
  readonly statuses: DynamoDbStatusStore;
  /** Applies the schema now (tests that inspect tables before the first write). */
  migrate(): Promise<number[]>;
  close(): Promise<void>;
}

export function makeHarness(o: HarnessOptions): Harness {
  const credentials =
    o.credentials ??
    new SecretCredentials(new SecretsManagerSecretSource(new SecretsManagerClient({})), SECRET_ID);
  const databaseAt = (host: string, port: number, sessionOptions: string | undefined) =>
    new Database({
      host,
      port,
      database: o.db.name,
      credentials,
      tls: { caFile: caFile() },
      poolMax: o.poolMax ?? 10,
      connectionTimeoutMillis: o.connectionTimeoutMillis ?? 1500,
      ...(sessionOptions !== undefined ? { sessionOptions } : {}),
    });
  const database = databaseAt(o.dbHost ?? pgHost(), o.dbPort ?? pgPort(), o.sessionOptions);
  const readDatabase =
    o.reader === undefined ? undefined : databaseAt(pgHost(), pgPort(), o.reader.sessionOptions);
  const dynamo = dynamoClient(o.dynamoEndpoint ?? dynamoEndpoint());
  const transactions = new PgTransactionStore(database, readDatabase);
  const statuses = new DynamoDbStatusStore(dynamo, o.tableName);
  const queue = new SqsQueue(new SQSClient({ region: "us-east-1" }), QUEUE_URL);
  return {
    api: makeApiHandler({
      transactions,
      statuses,
      queue,
      region: "us-east-1",
      ...(o.healthTimeoutMs !== undefined ? { healthTimeoutMs: o.healthTimeoutMs } : {}),
    }),
    worker: makeWorkerHandler({ transactions, statuses, queue, outboxGraceSeconds: 0 }),
    database,
    transactions,
    statuses,
    migrate: () => database.withClient((client) => migrate(client)),
    async close() {
      await database.end();
      await readDatabase?.end();
      dynamo.destroy();
    },
  };
}

export interface LambdaFixtureOptions {
  /** The file-level harness's pool size (makeHarness's default otherwise). */
  readonly poolMax?: number;
  /** The file-level harness's wait for a pooled connection (makeHarness's default otherwise). */
  readonly connectionTimeoutMillis?: number;
  /** Apply the schema in beforeAll (tests that inspect tables before the first write). */
  readonly migrate?: boolean;
  /** `false`: no file-level harness (the file builds its own); `h` then throws. Default true. */
  readonly harness?: boolean;
}

/**
 * One test file's resources. `db`, `table` and `h` exist from the file's beforeAll on; reading
 * them earlier (at module or describe level) throws.
 */
export interface LambdaFixture {
  readonly aws: AwsMocks;
  /** A database owned by its own login role (createTestDatabase). */
  readonly db: TestDatabase;
  /** A status table (createTestTable). */
  readonly table: TestTable;
  /** The real API and worker on `db` and `table` (makeHarness). */
  readonly h: Harness;
}

/**
 * Registers the file-level hooks: beforeAll creates the database and the table (both named after
 * `prefix`), points the AWS mocks at the database's role and builds the harness (and, with
 * `migrate`, applies the schema); afterAll closes and drops them; beforeEach resets the AWS mocks
 * to their default behaviour. Call it once, at the top level of a test file, before its own hooks.
 */
export function useLambdaFixture(
  prefix: string,
  options: LambdaFixtureOptions = {},
): LambdaFixture {
  const withHarness = options.harness ?? true;
  if (!withHarness && options.migrate === true) {
    throw new Error(`useLambdaFixture("${prefix}"): migrate needs the harness`);
  }
  const aws = mockAws();
  let db: TestDatabase | undefined;
  let table: TestTable | undefined;
  let h: Harness | undefined;
  const ready = <T>(value: T | undefined, name: keyof LambdaFixture): T => {
    if (value !== undefined) return value;
    const why =
      name === "h" && !withHarness
        ? "it was created with { harness: false }"
        : "it exists only from the file's beforeAll on (use it inside hooks and tests)";
    throw new Error(`useLambdaFixture("${prefix}").${name} is not available: ${why}`);
  };

  beforeAll(async () => {
    db = await createTestDatabase(prefix);
    table = await createTestTable(prefix);
    aws.reset(db);
    if (withHarness) {
      h = makeHarness({
        db,
        tableName: table.name,
        ...(options.poolMax !== undefined ? { poolMax: options.poolMax } : {}),
        ...(options.connectionTimeoutMillis !== undefined
          ? { connectionTimeoutMillis: options.connectionTimeoutMillis }
          : {}),
      });
      if (options.migrate === true) await h.migrate();
    }
  });

  afterAll(async () => {
    await h?.close();
    await db?.drop();
    await table?.drop();
  });

  beforeEach(() => aws.reset(ready(db, "db")));

  return {
    aws,
    get db() {
      return ready(db, "db");
    },
    get table() {
      return ready(table, "table");
    },
    get h() {
      return ready(h, "h");
    },
  };
}

export interface AlbRequest {
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly multiValue?: boolean;
}

export function albEvent(method: string, path: string, request: AlbRequest = {}): ALBEvent {
  const headers = { host: "api.example.com", ...request.headers };
  return {
    requestContext: {
      elb: { targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1" },
    },
    httpMethod: method,
    path,
    queryStringParameters: {},
    ...(request.multiValue === true
      ? {
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
          multiValueQueryStringParameters: {},
        }
      : { headers }),
    body: request.body ?? null,
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

export const VALID_BODY = {
  amount: 1250,
  currency: "EUR",
  sourceAccount: "DE89370400440532013000",
  destinationAccount: "FR1420041010050500013M02606",
  reference: "invoice 2024-118",
} as const;

/** POST /transactions with JSON headers and a fresh Idempotency-Key unless given. */
export function postEvent(body: unknown, headers: Record<string, string> = {}): ALBEvent {
  return albEvent("POST", "/transactions", {
    headers: {
      "content-type": "application/json",
      "idempotency-key": randomUUID(),
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly json: Record<string, unknown>;
}

export async function call(api: ApiHandler, event: ALBEvent): Promise<Answer> {
  const result: ALBResult = await api(event);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const body = result.body ?? "";
  return {
    status: result.statusCode,
    headers,
    body,
    json: body === "" ? {} : (JSON.parse(body) as Record<string, unknown>),
  };
}

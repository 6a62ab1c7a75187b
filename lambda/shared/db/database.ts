/**
 * One pg pool per process, over verified TLS, with the failure handling a global cluster needs:
 *
 * - TLS is always verified (`rejectUnauthorized: true`, host name checked). With `caFile` the
 *   pool trusts only that PEM bundle. Without it, Node's default roots plus NODE_EXTRA_CA_CERTS
 *   apply: on the Lambda Node.js 20+ runtimes the Amazon RDS CAs are trusted only when the
 *   function sets NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem ("CA certificate loading" in
 *   https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html). Node reads that variable
 *   once at process start, and ignores it when an explicit `ca` is passed
 *   (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 * - Credentials come from a CredentialsProvider; a 28P01 (password rotated) drops the cached
 *   secret and the pool, then connects once more with the re-read secret.
 * - On a connection failure, a 57P01 admin shutdown or a 25006 read-only error, the whole pool is
 *   dropped: after a failover the cluster endpoint's DNS name points elsewhere, and only new
 *   connections resolve it again. Connections also retire after `maxLifetimeSeconds`.
 * - Errors leave as ServiceUnavailableError ("database_unavailable" | "not_writer") when they
 *   mean "this region cannot serve this now"; anything else is rethrown unchanged.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Pool, type PoolClient } from "pg";

import { ServiceUnavailableError } from "../errors";
import { describeError, logger as defaultLogger } from "../observability";
import type { CredentialsProvider } from "./credentials";
import {
  describePgError as describe,
  isAuthFailure,
  isConnectionFailure,
  isReadOnlyError,
  isTlsFailure,
  sqlState,
  toServiceError,
} from "./pg-errors";

type Log = Pick<typeof defaultLogger, "info" | "warn" | "error">;

export interface DatabaseOptions {
  /** The cluster endpoint of this region (DB_HOST). */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly credentials: CredentialsProvider;
  /**
   * Verified TLS, optionally pinned to the CAs in `caFile` (PEM). `false` turns TLS off and is
   * meant for a developer's local PostgreSQL only; the Lambda entries never pass it.
   */
  readonly tls: { readonly caFile?: string } | false;
  /** @default 2 (a Lambda environment serves one request at a time; health adds one) */
  readonly poolMax?: number;
  /** @default 2000 */
  readonly connectionTimeoutMillis?: number;
  /** @default 5000 */
  readonly statementTimeoutMillis?: number;
  /** @default 300 */
  readonly maxLifetimeSeconds?: number;
  /** Extra libpq-style `-c name=value` settings for every session. @default none */
  readonly sessionOptions?: string;
  /** @default "tap-dr" */
  readonly applicationName?: string;
}

/** Minimum gap between two pool resets caused by read-only answers (a reader region's writes). */
const READ_ONLY_RESET_INTERVAL_MS = 1000;

export class Database {
  private current?: Pool;
  private creating?: Promise<Pool>;
  private lastReadOnlyReset = 0;
  private readonly ssl: ConnectionOptions | false;

  constructor(
    private readonly options: DatabaseOptions,
    private readonly log: Log = defaultLogger,
  ) {
    this.ssl =
      options.tls === false
        ? false
        : {
            rejectUnauthorized: true,
            minVersion: "TLSv1.2",
            ...(options.tls.caFile !== undefined ? { ca: readFileSync(options.tls.caFile) } : {}),
          };
  }

  /** Runs `work` on a pooled connection and maps failures as described above. */
  async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const { pool, client } = await this.connect();
    let broken = false;
    // pg-pool removes its own 'error' listener while a client is checked out, so a connection
    // that dies between two queries of `work` (57P01 when the instance restarts or fails over)
    // would be an unhandled 'error' event and end the process. The query in flight, or the
    // next one, fails on its own and is handled below; here the client is only marked broken.
    const onError = (error: Error): void => {
      broken = true;
      this.log.warn("Database connection failed while in use", { error: describeError(error) });
      this.dropPool(pool, describe(error));
    };
    client.on("error", onError);
    try {
      return await work(client);
    } catch (error) {
      if (this.shouldDropPool(error)) {
        broken = true;
        this.dropPool(pool, describe(error));
      }
      throw toServiceError(error);
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  }

  /** Closes the pool (local server shutdown, tests). */
  async end(): Promise<void> {
    const pool = this.current ?? (await this.creating?.catch(() => undefined));
    this.current = undefined;
    await pool?.end();
  }

  private async connect(): Promise<{ pool: Pool; client: PoolClient }> {
    for (let attempt = 1; ; attempt += 1) {
      const pool = await this.pool();
      try {
        return { pool, client: await pool.connect() };
      } catch (error) {
        if (isConnectionFailure(error) || isAuthFailure(error))
          this.dropPool(pool, describe(error));
        if (isAuthFailure(error) && attempt === 1) {
          this.log.warn("Database rejected the password; re-reading the secret", {
            sqlState: sqlState(error),
          });
          this.options.credentials.invalidate();
          continue;
        }
        if (isTlsFailure(error)) {
          this.log.error("Database TLS verification failed", { error: describeError(error) });
        }
        throw toServiceError(error, "cannot connect to the database");
      }
    }
  }

  private pool(): Promise<Pool> {
    if (this.current !== undefined) return Promise.resolve(this.current);
    this.creating ??= this.createPool().finally(() => {
      this.creating = undefined;
    });
    return this.creating;
  }

  private async createPool(): Promise<Pool> {
    let credentials;
    try {
      credentials = await this.options.credentials.get();
    } catch (error) {
      this.log.error("Could not read the database credentials", { error: describeError(error) });
      throw new ServiceUnavailableError(
        "database_unavailable",
        "database credentials unavailable",
        { cause: error },
      );
    }
    const o = this.options;
    const pool = new Pool({
      host: o.host,
      port: o.port,
      database: o.database,
      user: credentials.username,
      password: credentials.password,
      ssl: this.ssl,
      max: o.poolMax ?? 2,
      connectionTimeoutMillis: o.connectionTimeoutMillis ?? 2000,
      statement_timeout: o.statementTimeoutMillis ?? 5000,
      idle_in_transaction_session_timeout: 30_000,
      maxLifetimeSeconds: o.maxLifetimeSeconds ?? 300,
      idleTimeoutMillis: 60_000,
      keepAlive: true,
      application_name: o.applicationName ?? "tap-dr",
      ...(o.sessionOptions !== undefined ? { options: o.sessionOptions } : {}),
    });
    // An idle connection that dies (57P01 on failover, a reset socket) is reported here; without
    // a listener the process would crash.
    pool.on("error", (error) => {
      this.log.warn("Idle database connection failed", { error: describeError(error) });
      this.dropPool(pool, describe(error));
    });
    this.current = pool;
    return pool;
  }

  private shouldDropPool(error: unknown): boolean {
    const readOnly =
      isReadOnlyError(error) ||
      (error instanceof ServiceUnavailableError && error.code === "not_writer");
    if (readOnly) {
      const now = Date.now();
      if (now - this.lastReadOnlyReset < READ_ONLY_RESET_INTERVAL_MS) return false;
      this.lastReadOnlyReset = now;
      return true;
    }
    return isConnectionFailure(error);
  }

  private dropPool(pool: Pool, reason: string): void {
    if (this.current !== pool) return;
    this.current = undefined;
    this.log.info("Dropping the database pool; the next call reconnects", { reason });
    pool.end().catch((error: unknown) => {
      this.log.warn("Closing the old database pool failed", { error: describeError(error) });
    });
  }
}

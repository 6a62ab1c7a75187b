/**
 * TransactionStore on Aurora PostgreSQL (the system of record, replicated to the other region by
 * the global cluster).
 *
 * Create is ONE statement: the transactions row (carrying the idempotency key, the request
 * fingerprint and the exact answer) and its outbox row are inserted by a single
 * `WITH ... INSERT ... ON CONFLICT (idempotency_key) DO NOTHING` statement, which PostgreSQL runs
 * as one transaction. Concurrent duplicates block on the unique index until the first commits,
 * then insert nothing and read the committed row: one row, one outbox row, one answer.
 */
import type { PoolClient } from "pg";

import { NOT_WRITER_REASON, ServiceUnavailableError, TransactionNotFoundError } from "../errors";
import { logger } from "../observability";
import type { Transaction, TransactionMessage, TransactionStatus } from "../transaction";
import { messageFor } from "../transaction";
import type { Database } from "../db/database";
import { migrate } from "../db/migrations";
import { UNDEFINED_TABLE, sqlState } from "../db/pg-errors";
import type {
  CreateOutcome,
  CreateTransactionCommand,
  DatabaseRole,
  DrainOptions,
  DrainResult,
  OutboxEntry,
  SettleOutcome,
  TransactionStore,
} from "./ports";

interface TransactionRow {
  id: string;
  status: TransactionStatus;
  amount: string;
  currency: string;
  source_account: string;
  destination_account: string;
  reference: string | null;
  created_at: Date;
  settled_at: Date | null;
}

const COLUMNS = `id, status, amount, currency, source_account, destination_account, reference,
  created_at, settled_at`;

/**
 * The transaction, its idempotency record and its outbox row, in one statement (so one
 * transaction). Exported for the benchmark's raw baseline, which runs the same statement.
 */
export const CREATE_TRANSACTION_SQL = `WITH inserted AS (
           INSERT INTO transactions (id, idempotency_key, request_fingerprint, amount, currency,
             source_account, destination_account, reference, status, created_at,
             response_status, response_body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
           ON CONFLICT (idempotency_key) DO NOTHING
           RETURNING id)
         INSERT INTO outbox (transaction_id, message)
         SELECT id, $13::jsonb FROM inserted
         RETURNING id`;

/** How long a probe waits for the writer endpoint once the reader endpoint has answered. */
const WRITER_PROBE_GRACE_MS = 400;

export class PgTransactionStore implements TransactionStore {
  private schemaReady = false;
  private readonly readDb: Database;

  /**
   * `db` is the cluster (writer) endpoint: every write goes there. `readDb` is the cluster's
   * reader endpoint, for reads and the health probe: a global database's secondary cluster has
   * no active writer endpoint until it is promoted, so a DR region that read through `db` alone
   * could neither serve reads nor report itself healthy. @default db
   */
  constructor(
    private readonly db: Database,
    readDb?: Database,
  ) {
    this.readDb = readDb ?? db;
  }

  create(command: CreateTransactionCommand): Promise<CreateOutcome> {
    const t = command.transaction;
    return this.db.withClient(async (client) => {
      await this.writerGate(client);
      const inserted = await client.query<{ id: string }>(CREATE_TRANSACTION_SQL, [
        t.id,
        command.idempotencyKey,
        command.fingerprint,
        t.amount,
        t.currency,
        t.sourceAccount,
        t.destinationAccount,
        t.reference ?? null,
        t.status,
        t.createdAt,
        command.responseStatus,
        command.responseBody,
        JSON.stringify(messageFor(t.id)),
      ]);
      if (inserted.rows[0] !== undefined) return { kind: "created" };

      const existing = await client.query<{
        request_fingerprint: string;
        response_status: number;
        response_body: string;
      }>(
        `SELECT request_fingerprint, response_status, response_body
           FROM transactions WHERE idempotency_key = $1`,
        [command.idempotencyKey],
      );
      const row = existing.rows[0];
      if (row === undefined) {
        throw new Error("Idempotency key conflicted but no row holds it");
      }
      return row.request_fingerprint === command.fingerprint
        ? { kind: "replayed", responseStatus: row.response_status, responseBody: row.response_body }
        : { kind: "conflict" };
    });
  }

  findById(id: string): Promise<Transaction | undefined> {
    return this.readDb.withClient(async (client) => {
      try {
        const { rows } = await client.query<TransactionRow>(
          `SELECT ${COLUMNS} FROM transactions WHERE id = $1`,
          [id],
        );
        return rows[0] === undefined ? undefined : toTransaction(rows[0]);
      } catch (error) {
        // No write has reached this cluster yet, so there is no table and no transaction.
        if (sqlState(error) === UNDEFINED_TABLE) return undefined;
        throw error;
      }
    });
  }

  settle(id: string): Promise<SettleOutcome> {
    return this.db.withClient(async (client) => {
      await this.writerGate(client);
      // The outbox row is marked delivered in the same statement (a data-modifying CTE runs
      // whether or not it is referenced), so the API's hot path commits once and the scheduled
      // drain republishes only messages no worker has seen.
      const updated = await client.query<TransactionRow>(
        `WITH delivered AS (
           UPDATE outbox SET published_at = now()
            WHERE transaction_id = $1 AND published_at IS NULL)
         UPDATE transactions SET status = 'settled', settled_at = now()
          WHERE id = $1 AND status = 'pending'
          RETURNING ${COLUMNS}`,
        [id],
      );
      if (updated.rows[0] !== undefined) {
        return { kind: "settled", transaction: toTransaction(updated.rows[0]) };
      }
      // A separate statement, so its snapshot sees a concurrent settle that just committed.
      const current = await client.query<TransactionRow>(
        `SELECT ${COLUMNS} FROM transactions WHERE id = $1`,
        [id],
      );
      if (current.rows[0] === undefined) throw new TransactionNotFoundError(id);
      return { kind: "already_settled", transaction: toTransaction(current.rows[0]) };
    });
  }

  drainOutbox(
    options: DrainOptions,
    publish: (entries: readonly OutboxEntry[]) => Promise<readonly string[]>,
  ): Promise<DrainResult> {
    return this.db.withClient(async (client) => {
      await this.writerGate(client);
      await client.query("BEGIN");
      try {
        const { rows } = await client.query<{ id: string; message: TransactionMessage }>(
          `SELECT id, message FROM outbox
            WHERE published_at IS NULL
              AND created_at <= now() - make_interval(secs => $1)
            ORDER BY id
            LIMIT $2
            FOR UPDATE SKIP LOCKED`,
          [options.olderThanSeconds, options.limit],
        );
        const entries = rows.map((r) => ({ outboxId: String(r.id), message: r.message }));
        const published = entries.length === 0 ? [] : await publish(entries);
        if (published.length > 0) {
          await client.query(
            "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
            [published],
          );
        }
        await client.query("COMMIT");
        return { claimed: entries.length, published: published.length };
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      }
    });
  }

  /**
   * The region's role as the database sees it. The writer endpoint answers "writer" (or "reader"
   * while its session is read-only); when it cannot answer, a reachable reader endpoint means a
   * secondary that is up, "reader". Both are probed at once so the answer fits the health budget.
   */
  async probe(): Promise<DatabaseRole> {
    if (this.readDb === this.db) return this.probeOn(this.db);
    const writer = this.probeOn(this.db);
    const reader = this.probeOn(this.readDb).then(
      () => "reader" as const,
      () => undefined,
    );
    const first = await Promise.race([
      writer.then(
        (role) => ({ from: "writer" as const, role }),
        (error: unknown) => ({ from: "writer-failed" as const, error }),
      ),
      reader.then((role) => ({ from: "reader" as const, role })),
    ]);
    if (first.from === "writer") return first.role;
    if (first.from === "writer-failed") {
      if ((await reader) === "reader") return "reader";
      throw first.error;
    }
    if (first.role === undefined) return writer;
    // The reader answered first: the writer may simply be slower, so give it a moment.
    const late = await Promise.race([
      writer.catch(() => undefined),
      new Promise<undefined>((done) =>
        setTimeout(() => done(undefined), WRITER_PROBE_GRACE_MS).unref(),
      ),
    ]);
    return late ?? "reader";
  }

  private probeOn(db: Database): Promise<DatabaseRole> {
    return db.withClient(async (client) => {
      // txid_current() assigns a transaction id, which only a writable primary can do; it runs
      // only where the session is writable and not in recovery. Not pg_current_wal_lsn(): Aurora
      // refuses WAL control functions unless wal_level is logical ("wal_level must be set to
      // 'logical'"), so it would report every Aurora writer as broken.
      const { rows } = await client.query<{ xid: string | null }>(
        `SELECT CASE
                  WHEN current_setting('transaction_read_only') = 'off' AND NOT pg_is_in_recovery()
                  THEN txid_current()::text
                END AS xid`,
      );
      return rows[0]?.xid == null ? "reader" : "writer";
    });
  }

  /**
   * Before the first write of this process: refuse on a read-only session (nothing is attempted),
   * then bring the schema up to date. See migrations.ts for why it runs here.
   */
  private async writerGate(client: PoolClient): Promise<void> {
    if (this.schemaReady) return;
    const { rows } = await client.query<{ read_only: string }>(
      "SELECT current_setting('transaction_read_only') AS read_only",
    );
    if (rows[0]?.read_only !== "off") {
      throw new ServiceUnavailableError("not_writer", NOT_WRITER_REASON);
    }
    const applied = await migrate(client);
    if (applied.length > 0) logger.info("Applied schema migrations", { versions: applied });
    this.schemaReady = true;
  }
}

function toTransaction(row: TransactionRow): Transaction {
  return {
    id: row.id,
    status: row.status,
    amount: Number(row.amount),
    currency: row.currency,
    sourceAccount: row.source_account,
    destinationAccount: row.destination_account,
    ...(row.reference !== null ? { reference: row.reference } : {}),
    createdAt: row.created_at.toISOString(),
    ...(row.settled_at !== null ? { settledAt: row.settled_at.toISOString() } : {}),
  };
}

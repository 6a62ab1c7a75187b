/**
 * Versioned, idempotent schema migrations, recorded in `schema_migrations`.
 *
 * Who runs them, and when: the first write-path connection of a process (API create, worker
 * settle or outbox drain) whose session is writable (`transaction_read_only = off`). So:
 * - in the primary region they run on the first write after a deploy;
 * - on a read-only Aurora secondary they are skipped: the schema arrives there through storage
 *   replication, like every other change;
 * - after a failover, the DR region's first write migrates its newly promoted cluster, which
 *   matters when a migration shipped while that region could not write.
 *
 * All pending versions apply in ONE transaction under `pg_advisory_xact_lock`: concurrent cold
 * starts serialize on the lock and then see the versions already recorded, so each version
 * applies once; a failure rolls back every version of the run; the lock is released by the
 * commit, or by PostgreSQL if the connection dies. A fast path reads the recorded versions first,
 * so an up-to-date schema costs two reads and takes no lock.
 *
 * Rules for new migrations: append with the next version, never edit a shipped one, and keep each
 * backward compatible with the code still running in the other region (expand, then contract).
 */
import type { ClientBase } from "pg";

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Arbitrary, fixed key of the advisory lock that guards migrations ("tapdr" in ASCII). */
export const MIGRATION_LOCK_KEY = 0x7461706472;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "transactions, idempotency record and outbox",
    sql: `
      CREATE TABLE transactions (
        id                  uuid PRIMARY KEY,
        idempotency_key     text NOT NULL,
        request_fingerprint text NOT NULL CHECK (request_fingerprint ~ '^[0-9a-f]{64}$'),
        amount              bigint NOT NULL CHECK (amount > 0),
        currency            text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        source_account      text NOT NULL,
        destination_account text NOT NULL CHECK (destination_account <> source_account),
        reference           text,
        status              text NOT NULL CHECK (status IN ('pending', 'settled')),
        created_at          timestamptz NOT NULL,
        settled_at          timestamptz,
        response_status     smallint NOT NULL,
        response_body       text NOT NULL,
        CONSTRAINT transactions_idempotency_key_key UNIQUE (idempotency_key),
        CONSTRAINT transactions_settled_at_iff_settled
          CHECK ((status = 'settled') = (settled_at IS NOT NULL))
      );
      CREATE INDEX transactions_source_account_created_at_idx
        ON transactions (source_account, created_at DESC);
      CREATE TABLE outbox (
        id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id uuid NOT NULL REFERENCES transactions (id),
        message        jsonb NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        published_at   timestamptz
      );
      CREATE INDEX outbox_unpublished_idx ON outbox (id) WHERE published_at IS NULL;
    `,
  },
];

/** Applies every migration not yet recorded; returns the versions it applied (empty: no-op). */
export async function migrate(
  client: ClientBase,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  const latest = ordered.at(-1)?.version ?? 0;
  if ((await recordedVersion(client)) >= latest) return [];

  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    // DDL waiting for a table lock would queue every write behind it; give up fast instead (the
    // next write-path connection retries). Set after the advisory lock, whose wait is bounded by
    // the session's statement_timeout.
    await client.query("SET LOCAL lock_timeout = '3s'");
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await client.query<{ version: number }>(
      "SELECT version FROM schema_migrations",
    );
    const recorded = new Set(rows.map((r) => r.version));
    const applied: number[] = [];
    for (const m of ordered) {
      if (recorded.has(m.version)) continue;
      await client.query(m.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        m.version,
        m.name,
      ]);
      applied.push(m.version);
    }
    await client.query("COMMIT");
    return applied;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function recordedVersion(client: ClientBase): Promise<number> {
  const exists = await client.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (exists.rows[0]?.present !== true) return 0;
  const { rows } = await client.query<{ version: number | null }>(
    "SELECT max(version) AS version FROM schema_migrations",
  );
  return rows[0]?.version ?? 0;
}

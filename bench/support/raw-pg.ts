/**
 * The raw `pg` side of the handler benchmark: the statements, parameters of an equivalent row,
 * and the pool options Database uses, for the same server.
 */
import { createHash, randomUUID } from "node:crypto";

import type { PoolConfig } from "pg";

import type { ThrowawayPostgres } from "./postgres";
import { idempotencyKey, transactionBody } from "./requests";

/** The statement PgTransactionStore.create runs: the row and its outbox row, in one. */
export { CREATE_TRANSACTION_SQL as INSERT_SQL } from "../../lambda/shared/stores/pg-transaction-store";
export const SELECT_SQL = `SELECT id, status, amount, currency, source_account, destination_account,
   reference, created_at, settled_at FROM transactions WHERE id = $1`;
export const UPDATE_SQL =
  "UPDATE outbox SET published_at = now() WHERE id = $1 AND published_at IS NULL";

export type Params = [
  string,
  string,
  string,
  number,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  string,
  string,
];

/** Parameters of an equivalent row, prepared before timing (the raw side does only the I/O). */
export function rawParams(n: number, random: () => number): Params {
  const body = JSON.parse(transactionBody(n, random)) as {
    amount: number;
    currency: string;
    sourceAccount: string;
    destinationAccount: string;
    reference: string;
  };
  const id = randomUUID();
  const createdAt = new Date().toISOString();
  const responseBody = JSON.stringify({ id, status: "pending", ...body, createdAt });
  return [
    id,
    idempotencyKey(`raw-${process.pid}`, n),
    createHash("sha256").update(JSON.stringify(body)).digest("hex"),
    body.amount,
    body.currency,
    body.sourceAccount,
    body.destinationAccount,
    body.reference,
    "pending",
    createdAt,
    201,
    responseBody,
    JSON.stringify({ type: "transaction.created", transactionId: id }),
  ];
}

/** The pool Database builds (lambda/shared/db/database.ts createPool), for the same server. */
export function poolLikeDatabase(pg: ThrowawayPostgres): PoolConfig {
  return {
    host: pg.host,
    port: pg.port,
    database: pg.database,
    user: pg.user,
    password: pg.password,
    ssl: false,
    max: 2,
    connectionTimeoutMillis: 2000,
    statement_timeout: 5000,
    idle_in_transaction_session_timeout: 30_000,
    maxLifetimeSeconds: 300,
    idleTimeoutMillis: 60_000,
    keepAlive: true,
    application_name: "tap-dr",
  };
}

/**
 * Classifies errors from node-postgres, and maps those that mean "this region cannot serve this
 * now" to 503s. SQLSTATEs are PostgreSQL's
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html); the rest are Node socket,
 * DNS and TLS error codes, plus the few plain-message errors pg raises itself.
 */
import { NOT_WRITER_REASON, ServiceUnavailableError } from "../errors";

/** 28P01 invalid_password: the secret was rotated under us. */
export const INVALID_PASSWORD = "28P01";
/** 25006 read_only_sql_transaction: Aurora secondaries and readers, or a demoted writer. */
export const READ_ONLY_SQL_TRANSACTION = "25006";
/** 57P01 admin_shutdown: the instance is going away (failover, reboot). */
export const ADMIN_SHUTDOWN = "57P01";
/** 42P01 undefined_table: schema not there yet (nothing written in this cluster so far). */
export const UNDEFINED_TABLE = "42P01";
/** 57014 query_canceled: statement_timeout fired. */
export const QUERY_CANCELED = "57014";

const SERVER_GONE_SQLSTATES = new Set([
  ADMIN_SHUTDOWN,
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up, or shutting down)
  "53300", // too_many_connections
]);

const SOCKET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * Messages of errors node-postgres creates itself, without a code. Not among them: pg-pool's
 * "timeout exceeded when trying to connect", which means every pooled client is busy (the server
 * is fine), so it must not drop the pool; it still answers 503.
 */
const PG_CONNECTION_MESSAGES = [
  "Connection terminated",
  "Client has encountered a connection error",
  "The server does not support SSL connections",
  "Client was closed and is not queryable",
];

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) {
    return undefined;
  }
  return typeof error.code === "string" ? error.code : undefined;
}

/** Codes of the error and, for AggregateError (happy-eyeballs connects), of each inner error. */
function codesOf(error: unknown): string[] {
  const own = codeOf(error);
  const inner = error instanceof AggregateError ? error.errors.map(codeOf) : [];
  return [own, ...inner].filter((c): c is string => c !== undefined);
}

/** The SQLSTATE of a server error, when the error came from PostgreSQL. */
export function sqlState(error: unknown): string | undefined {
  const code = codeOf(error);
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isAuthFailure(error: unknown): boolean {
  return sqlState(error) === INVALID_PASSWORD;
}

export function isReadOnlyError(error: unknown): boolean {
  return sqlState(error) === READ_ONLY_SQL_TRANSACTION;
}

/** TLS handshake or certificate verification failures (wrong CA, wrong host name, expired). */
export function isTlsFailure(error: unknown): boolean {
  return codesOf(error).some(
    (c) =>
      c.startsWith("ERR_TLS_") ||
      c.startsWith("ERR_SSL_") ||
      c.startsWith("UNABLE_TO_") ||
      c.startsWith("CERT_") ||
      c.includes("SELF_SIGNED"),
  );
}

/**
 * The server or the path to it is gone: the pool must be dropped so the next call opens new
 * connections (and so re-resolves the cluster endpoint's DNS, which moves on failover).
 */
export function isConnectionFailure(error: unknown): boolean {
  const state = sqlState(error);
  if (state !== undefined) {
    return state.startsWith("08") || SERVER_GONE_SQLSTATES.has(state);
  }
  if (codesOf(error).some((c) => SOCKET_CODES.has(c)) || isTlsFailure(error)) {
    return true;
  }
  const message = error instanceof Error ? error.message : "";
  return PG_CONNECTION_MESSAGES.some((m) => message.includes(m));
}

/** A short reason for logs: the SQLSTATE, or the message. */
export function describePgError(error: unknown): string {
  const state = sqlState(error);
  if (state !== undefined) return `SQLSTATE ${state}`;
  return error instanceof Error ? error.message : String(error);
}

/** Maps an error to the 503 it means, or returns it unchanged. */
export function toServiceError(error: unknown, fallbackReason?: string): unknown {
  if (error instanceof ServiceUnavailableError) return error;
  if (isReadOnlyError(error)) {
    return new ServiceUnavailableError("not_writer", NOT_WRITER_REASON, { cause: error });
  }
  if (isConnectionFailure(error) || sqlState(error) === QUERY_CANCELED) {
    return new ServiceUnavailableError(
      "database_unavailable",
      fallbackReason ?? "the database did not answer",
      { cause: error },
    );
  }
  if (fallbackReason !== undefined) {
    // A failure to connect that is none of the above (e.g. a rejected password after the
    // re-read): the request still cannot be served here.
    return new ServiceUnavailableError("database_unavailable", fallbackReason, { cause: error });
  }
  return error;
}

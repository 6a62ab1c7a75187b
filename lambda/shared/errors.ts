/**
 * Typed errors. Each HTTP error carries its status, its JSON body and its extra headers, so the
 * router renders every failure the same way and never leaks an internal message. Causes are kept
 * (`cause`) for the logs, never for the response.
 */

/** One problem with one input: the field, the value received (null when absent), what is allowed. */
export interface FieldError {
  readonly field: string;
  readonly value: unknown;
  readonly allowed: string;
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Readonly<Record<string, unknown>>,
    readonly headers: Readonly<Record<string, string>> = {},
    options?: ErrorOptions,
  ) {
    super(`${statusCode} ${String(body.error)}`, options);
    this.name = new.target.name;
  }
}

/** 400 listing every problem found, so a client can fix its request in one round trip. */
export class ValidationError extends HttpError {
  constructor(readonly errors: readonly FieldError[]) {
    super(400, { error: "validation_failed", errors });
  }
}

export class NotFoundError extends HttpError {
  constructor(what: string) {
    super(404, { error: "not_found", message: `${what} not found` });
  }
}

export class MethodNotAllowedError extends HttpError {
  constructor(allowed: readonly string[]) {
    super(405, { error: "method_not_allowed", allowed }, { Allow: allowed.join(", ") });
  }
}

/**
 * 409 for an Idempotency-Key already used with a different body. The IETF draft
 * (draft-ietf-httpapi-idempotency-key-header, "Error Scenarios") suggests 422 here and 409 for a
 * request still in flight. We answer 409 because the key conflicts with the state of the resource
 * it already names (RFC 9110 §15.5.10), and we never need the draft's in-flight 409: concurrent
 * duplicates wait on the unique index and then get the replay.
 */
export class IdempotencyConflictError extends HttpError {
  constructor() {
    super(409, {
      error: "idempotency_key_reused",
      message:
        "This Idempotency-Key was already used with a different request body; use a new key for a new transaction",
    });
  }
}

/** Why a dependency cannot serve the request right now. */
export type UnavailableCode = "not_writer" | "database_unavailable";

/** The reason given with every not_writer answer. */
export const NOT_WRITER_REASON = "this region's database cluster is read-only (not the writer)";

/** Seconds a client should wait before retrying a 503 (with the same Idempotency-Key). */
export const RETRY_AFTER_SECONDS = 5;

/**
 * 503: this region cannot take the request now (its cluster is not the writer, or the database is
 * unreachable). Nothing was written; a retry with the same Idempotency-Key is safe.
 */
export class ServiceUnavailableError extends HttpError {
  constructor(
    readonly code: UnavailableCode,
    readonly reason: string,
    options?: ErrorOptions,
  ) {
    super(503, { error: code, reason }, { "Retry-After": String(RETRY_AFTER_SECONDS) }, options);
  }
}

/** The worker was asked to settle a transaction that does not exist (the message goes to the DLQ). */
export class TransactionNotFoundError extends Error {
  constructor(readonly transactionId: string) {
    super(`Transaction ${transactionId} does not exist`);
    this.name = "TransactionNotFoundError";
  }
}

/** A queue message that can never be processed (malformed body); SQS redrives it to the DLQ. */
export class PoisonMessageError extends Error {
  constructor(reason: string) {
    super(`Unprocessable message: ${reason}`);
    this.name = "PoisonMessageError";
  }
}

/**
 * Ports: what the API and the worker need from the outside world. Adapters live beside this
 * file (pg, DynamoDB, SQS, Secrets Manager); the local server and the tests plug in the same
 * adapters against local services, or small in-process ones.
 */
import type { Transaction, TransactionMessage } from "../transaction";

/** Whether this region's cluster accepts writes. */
export type DatabaseRole = "writer" | "reader";

export interface CreateTransactionCommand {
  readonly transaction: Transaction;
  readonly idempotencyKey: string;
  /** sha256 (hex) of the canonical request body. */
  readonly fingerprint: string;
  /** The exact answer stored with the row, replayed byte for byte for a retried key. */
  readonly responseStatus: number;
  readonly responseBody: string;
}

export type CreateOutcome =
  | { readonly kind: "created" }
  | { readonly kind: "replayed"; readonly responseStatus: number; readonly responseBody: string }
  | { readonly kind: "conflict" };

export interface SettleOutcome {
  /** "already_settled" when a duplicate message arrives: nothing changed in the database. */
  readonly kind: "settled" | "already_settled";
  readonly transaction: Transaction;
}

export interface OutboxEntry {
  readonly outboxId: string;
  readonly message: TransactionMessage;
}

export interface DrainOptions {
  /**
   * Only rows undelivered for at least this long: the API enqueues fresh rows itself and the
   * worker marks them delivered when it settles them.
   */
  readonly olderThanSeconds: number;
  /** At most this many rows per run. */
  readonly limit: number;
}

export interface DrainResult {
  readonly claimed: number;
  readonly published: number;
}

/** The system of record (Aurora): transactions, the idempotency record and the outbox. */
export interface TransactionStore {
  /**
   * Inserts the transaction and its outbox row atomically, unless the idempotency key exists:
   * then the stored answer (same body) or a conflict (different body). Throws
   * ServiceUnavailableError ("not_writer" | "database_unavailable") and writes nothing when this
   * region cannot write.
   */
  create(command: CreateTransactionCommand): Promise<CreateOutcome>;
  /** Works on a read-only secondary. */
  findById(id: string): Promise<Transaction | undefined>;
  /**
   * pending -> settled exactly once, and the outbox row marked delivered in the same statement
   * (the message evidently reached the worker); throws TransactionNotFoundError for an unknown id.
   */
  settle(id: string): Promise<SettleOutcome>;
  /**
   * Claims unpublished outbox rows (FOR UPDATE SKIP LOCKED, so concurrent drains never share a
   * row), hands them to `publish`, and marks the ids it returns as published, in one transaction.
   */
  drainOutbox(
    options: DrainOptions,
    publish: (entries: readonly OutboxEntry[]) => Promise<readonly string[]>,
  ): Promise<DrainResult>;
  /** Reachability and role; throws when the database cannot be reached. */
  probe(): Promise<DatabaseRole>;
}

/** The read model (DynamoDB global table): one status item per transaction. */
export interface StatusStore {
  /** Creates the item; never overwrites (the worker may already have written "settled"). */
  putPending(transaction: Transaction): Promise<void>;
  /** Writes the full settled item, unless it is already settled. */
  putSettled(transaction: Transaction): Promise<void>;
  get(id: string): Promise<Transaction | undefined>;
  /** Newest first, through the byCustomer index (customerId = sourceAccount). */
  listByCustomer(customerId: string, limit: number): Promise<Transaction[]>;
  probe(signal: AbortSignal): Promise<void>;
}

export interface Queue {
  send(message: TransactionMessage): Promise<void>;
}

export interface SecretSource {
  getSecretString(secretId: string): Promise<string>;
}

/** Domain types shared by the API, the worker and every store adapter. No I/O here. */

export type TransactionStatus = "pending" | "settled";

/** A transaction as the API returns it. Amounts are integers in the currency's minor unit. */
export interface Transaction {
  readonly id: string;
  readonly status: TransactionStatus;
  readonly amount: number;
  readonly currency: string;
  readonly sourceAccount: string;
  readonly destinationAccount: string;
  readonly reference?: string;
  readonly createdAt: string;
  readonly settledAt?: string;
}

/** The validated body of `POST /transactions`. */
export interface TransactionRequest {
  readonly amount: number;
  readonly currency: string;
  readonly sourceAccount: string;
  readonly destinationAccount: string;
  readonly reference?: string;
}

/** The queue message body: only the id; the worker reads the rest from the database. */
export interface TransactionMessage {
  readonly type: "transaction.created";
  readonly transactionId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Lower-case canonical UUID text, the only id form this service hands out. */
export function isTransactionId(value: string): boolean {
  return UUID.test(value);
}

export function messageFor(transactionId: string): TransactionMessage {
  return { type: "transaction.created", transactionId };
}

/** The JSON shape of a transaction in responses; optional fields are omitted, never null. */
export function toJson(t: Transaction): Record<string, string | number> {
  return {
    id: t.id,
    status: t.status,
    amount: t.amount,
    currency: t.currency,
    sourceAccount: t.sourceAccount,
    destinationAccount: t.destinationAccount,
    ...(t.reference !== undefined ? { reference: t.reference } : {}),
    createdAt: t.createdAt,
    ...(t.settledAt !== undefined ? { settledAt: t.settledAt } : {}),
  };
}

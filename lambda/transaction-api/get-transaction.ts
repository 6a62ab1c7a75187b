/**
 * GET /transactions/{id} and GET /accounts/{id}/transactions.
 *
 * Reads come from this region's replica of the DynamoDB global table; a missing item (the API
 * crashed before writing it, or replication has not caught up) falls back to Aurora, which works
 * on a read-only secondary too. A malformed id answers 404 like an unknown one: ids are opaque to
 * clients, and "no such transaction" is the whole truth either way.
 */
import { NotFoundError } from "../shared/errors";
import { describeError, logger } from "../shared/observability";
import { type Transaction, isTransactionId, toJson } from "../shared/transaction";
import type { ResolvedApiDeps } from "./deps";
import { type ApiResponse, jsonResponse } from "./http";
import { ACCOUNT_PATTERN } from "./validation";

/** Items per account listing (newest first; no pagination in this version). */
export const ACCOUNT_LIST_LIMIT = 50;

export async function getTransaction(deps: ResolvedApiDeps, id: string): Promise<ApiResponse> {
  if (!isTransactionId(id)) throw new NotFoundError("transaction");
  let transaction: Transaction | undefined;
  try {
    transaction = await deps.statuses.get(id);
  } catch (error) {
    logger.warn("Status item read failed; reading Aurora", {
      transactionId: id,
      error: describeError(error),
    });
  }
  transaction ??= await deps.transactions.findById(id);
  if (transaction === undefined) throw new NotFoundError("transaction");
  return jsonResponse(200, toJson(transaction));
}

export async function listAccountTransactions(
  deps: ResolvedApiDeps,
  accountId: string,
): Promise<ApiResponse> {
  if (!ACCOUNT_PATTERN.test(accountId)) throw new NotFoundError("account");
  const items = await deps.statuses.listByCustomer(accountId, ACCOUNT_LIST_LIMIT);
  return jsonResponse(200, { items: items.map(toJson) });
}

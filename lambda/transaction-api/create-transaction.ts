/**
 * POST /transactions.
 *
 * 1. Validate everything (400 lists every problem; nothing is written).
 * 2. One Aurora statement inserts the transaction, its idempotency record (key + fingerprint +
 *    the exact answer) and its outbox row, or finds the key already used: same body -> the
 *    stored answer with `Idempotent-Replayed: true`; different body -> 409. Not the writer or no
 *    database -> 503 with Retry-After, and nothing anywhere is written.
 * 3. After the commit: enqueue, and put the status item. Neither can undo the commit, so their
 *    failures are logged, counted and answered with 201 all the same: the worker marks the outbox
 *    row delivered when it settles the transaction, and its scheduled drain enqueues rows that
 *    no worker saw within the grace period; the worker also writes the full status item when it
 *    settles, and until then GET falls back to Aurora. The request commits to Aurora once.
 */
import { createHash } from "node:crypto";

import {
  IdempotencyConflictError,
  ServiceUnavailableError,
  ValidationError,
} from "../shared/errors";
import { countMetric, describeError, logger, MetricNames } from "../shared/observability";
import { type Transaction, messageFor, toJson } from "../shared/transaction";
import type { ResolvedApiDeps } from "./deps";
import { type ApiRequest, type ApiResponse, jsonResponse } from "./http";
import { canonicalBody, validateCreateRequest } from "./validation";

export async function createTransaction(
  deps: ResolvedApiDeps,
  req: ApiRequest,
): Promise<ApiResponse> {
  const validation = validateCreateRequest({
    contentType: req.headers["content-type"],
    idempotencyKey: req.headers["idempotency-key"],
    body: req.body,
  });
  if (!validation.ok) {
    countMetric(MetricNames.ValidationFailures);
    throw new ValidationError(validation.errors);
  }

  const transaction: Transaction = {
    id: deps.newId(),
    status: "pending",
    ...validation.request,
    createdAt: deps.now().toISOString(),
  };
  const responseBody = JSON.stringify(toJson(transaction));
  const outcome = await deps.transactions
    .create({
      transaction,
      idempotencyKey: validation.idempotencyKey,
      fingerprint: createHash("sha256").update(canonicalBody(validation.request)).digest("hex"),
      responseStatus: 201,
      responseBody,
    })
    .catch((error: unknown) => {
      if (error instanceof ServiceUnavailableError) {
        countMetric(
          error.code === "not_writer"
            ? MetricNames.WritesRejectedNotWriter
            : MetricNames.DatabaseUnavailable,
        );
        logger.warn("Write rejected", { code: error.code, error: describeError(error) });
      }
      throw error;
    });

  switch (outcome.kind) {
    case "conflict":
      countMetric(MetricNames.IdempotencyConflicts);
      throw new IdempotencyConflictError();
    case "replayed": {
      countMetric(MetricNames.IdempotentReplays);
      const { id } = JSON.parse(outcome.responseBody) as { id: string };
      return jsonResponse(outcome.responseStatus, outcome.responseBody, {
        Location: `/transactions/${id}`,
        "Idempotent-Replayed": "true",
      });
    }
    case "created":
      await Promise.all([publish(deps, transaction), putStatus(deps, transaction)]);
      countMetric(MetricNames.TransactionsCreated);
      logger.info("Transaction created", { transactionId: transaction.id });
      return jsonResponse(201, responseBody, { Location: `/transactions/${transaction.id}` });
  }
}

async function publish(deps: ResolvedApiDeps, t: Transaction): Promise<void> {
  try {
    await deps.queue.send(messageFor(t.id));
  } catch (error) {
    countMetric(MetricNames.EnqueueDeferred);
    logger.warn("Enqueue failed; the outbox drain will publish it", {
      transactionId: t.id,
      error: describeError(error),
    });
  }
}

async function putStatus(deps: ResolvedApiDeps, t: Transaction): Promise<void> {
  try {
    await deps.statuses.putPending(t);
  } catch (error) {
    countMetric(MetricNames.StatusWriteFailed);
    logger.warn("Status item write failed; reads fall back to Aurora", {
      transactionId: t.id,
      error: describeError(error),
    });
  }
}

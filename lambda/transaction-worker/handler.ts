/**
 * The worker core: settles transactions from SQS, and drains the outbox on a schedule.
 *
 * SQS (event source mapping with ReportBatchItemFailures): records are processed in parallel by
 * Powertools' BatchProcessor; the response lists only the failed message ids, so SQS retries
 * just those and, after maxReceiveCount, moves them to the DLQ. A record fails when its body is
 * not a transaction message (poison), when the transaction does not exist, or when a store is
 * unavailable. Settling is idempotent: pending -> settled happens once in Aurora (conditional
 * UPDATE), and the status item is rewritten until it says settled, so duplicates are harmless.
 *
 * Schedule (EventBridge `{"source":"aws.events","detail-type":"Scheduled Event"}`, or
 * `{"action":"drain-outbox"}` by hand): publishes outbox rows that no worker has settled within
 * the grace period (the API crashed, or SQS failed, between commit and enqueue). Settling marks a
 * row delivered, so the API itself never writes to the outbox after its one commit. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so concurrent drains never send the same row twice, and only rows the
 * queue accepted are marked published. Where the cluster is read-only (a secondary) or cannot be
 * reached, the drain is skipped and counted (OutboxDrainSkipped), not failed.
 */
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

import { PoisonMessageError, ServiceUnavailableError } from "../shared/errors";
import {
  countMetric,
  describeError,
  flushMetrics,
  logger,
  MetricNames,
} from "../shared/observability";
import type { DrainResult, Queue, StatusStore, TransactionStore } from "../shared/stores/ports";
import { type TransactionMessage, isTransactionId } from "../shared/transaction";

export interface WorkerDeps {
  readonly transactions: TransactionStore;
  readonly statuses: StatusStore;
  readonly queue: Queue;
  /**
   * Outbox rows younger than this are left to the API that enqueued them and the worker that
   * settles them. Longer than a healthy worker needs, so a drain rarely sends a duplicate (which
   * the worker absorbs anyway). @default 120
   */
  readonly outboxGraceSeconds?: number;
  /** Rows per drain run. @default 100 */
  readonly outboxBatchSize?: number;
}

export interface ScheduledDrainEvent {
  readonly source: "aws.events";
  readonly "detail-type": "Scheduled Event";
}

export interface DrainCommand {
  readonly action: "drain-outbox";
}

export type WorkerEvent = SQSEvent | ScheduledDrainEvent | DrainCommand;

export interface DrainSummary extends DrainResult {
  readonly action: "drain-outbox";
  readonly skipped?: "not_writer" | "database_unavailable";
}

export type WorkerHandler = {
  (event: SQSEvent, context?: Context): Promise<SQSBatchResponse>;
  (event: ScheduledDrainEvent | DrainCommand, context?: Context): Promise<DrainSummary>;
  (event: WorkerEvent, context?: Context): Promise<SQSBatchResponse | DrainSummary>;
};

export function makeWorkerHandler(deps: WorkerDeps): WorkerHandler {
  const grace = deps.outboxGraceSeconds ?? 120;
  const batchSize = deps.outboxBatchSize ?? 100;

  const settleRecord = async (record: SQSRecord): Promise<void> => {
    const message = parseMessage(record.body);
    const outcome = await deps.transactions.settle(message.transactionId);
    await deps.statuses.putSettled(outcome.transaction);
    if (outcome.kind === "settled") {
      countMetric(MetricNames.TransactionsSettled);
      logger.info("Transaction settled", { transactionId: message.transactionId });
    }
  };

  const drain = async (): Promise<DrainSummary> => {
    try {
      const result = await deps.transactions.drainOutbox(
        { olderThanSeconds: grace, limit: batchSize },
        async (entries) => {
          const sent = await Promise.allSettled(entries.map((e) => deps.queue.send(e.message)));
          sent.forEach((s, i) => {
            if (s.status === "rejected") {
              logger.warn("Outbox publish failed; next run retries", {
                outboxId: entries[i]?.outboxId,
                error: describeError(s.reason),
              });
            }
          });
          return entries.filter((_, i) => sent[i]?.status === "fulfilled").map((e) => e.outboxId);
        },
      );
      if (result.published > 0) countMetric(MetricNames.OutboxRepublished, result.published);
      logger.info("Outbox drained", { ...result });
      return { action: "drain-outbox", ...result };
    } catch (error) {
      // Neither is a failure of the drain: a secondary has nothing to drain (and, headless or before
      // promotion, no writer endpoint at all), and an unreachable database is the health check's and
      // the alarms' to report. Failing here would fill the failure queue every minute in DR.
      if (error instanceof ServiceUnavailableError) {
        logger.warn("Outbox drain skipped", { reason: error.code });
        countMetric(MetricNames.OutboxDrainSkipped);
        return { action: "drain-outbox", claimed: 0, published: 0, skipped: error.code };
      }
      throw error;
    }
  };

  const handler = async (
    event: WorkerEvent,
    context?: Context,
  ): Promise<SQSBatchResponse | DrainSummary> => {
    try {
      if ("Records" in event) {
        // A processor per invocation: it keeps per-batch state, and the local server may run
        // several batches at once in one process.
        const processor = new BatchProcessor(EventType.SQS);
        return await processPartialResponse(event, settleRecord, processor, {
          ...(context !== undefined ? { context } : {}),
          throwOnFullBatchFailure: false,
        });
      }
      if (isDrainEvent(event)) return await drain();
      throw new Error("Unsupported worker event");
    } finally {
      flushMetrics();
    }
  };
  return handler as WorkerHandler;
}

function isDrainEvent(event: WorkerEvent): boolean {
  return (
    ("action" in event && event.action === "drain-outbox") ||
    ("source" in event &&
      event.source === "aws.events" &&
      event["detail-type"] === "Scheduled Event")
  );
}

/** Parses a queue message body; anything else is poison (it can never succeed). */
export function parseMessage(body: string): TransactionMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new PoisonMessageError("body is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw new PoisonMessageError("body is not a JSON object");
  }
  const { type, transactionId } = parsed as Record<string, unknown>;
  if (
    type !== "transaction.created" ||
    typeof transactionId !== "string" ||
    !isTransactionId(transactionId)
  ) {
    throw new PoisonMessageError("not a transaction.created message with a transaction id");
  }
  return { type, transactionId };
}

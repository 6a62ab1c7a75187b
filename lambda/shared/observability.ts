/**
 * Powertools Logger and Metrics, one of each per process (module scope, as Powertools
 * recommends), shared by both functions and the local server.
 *
 * - Logs are structured JSON. Errors are passed to the logger as Error objects, which it
 *   formats (name, message, stack, cause); never `JSON.stringify(error)`, which prints `{}`.
 *   Nothing here logs a secret, a password or a full request body.
 * - Metrics are CloudWatch EMF lines in the function's log, flushed once per invocation with
 *   `publishStoredMetrics()`. Namespace `POWERTOOLS_METRICS_NAMESPACE` (default "TapDr"),
 *   dimension `service` = `POWERTOOLS_SERVICE_NAME`.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? "tap-dr-transactions";

export const logger = new Logger({ serviceName });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? "TapDr",
  serviceName,
});

/** Every metric this code emits; alarms and dashboards key on these names. */
export const MetricNames = {
  TransactionsCreated: "TransactionsCreated",
  IdempotentReplays: "IdempotentReplays",
  IdempotencyConflicts: "IdempotencyConflicts",
  ValidationFailures: "ValidationFailures",
  WritesRejectedNotWriter: "WritesRejectedNotWriter",
  DatabaseUnavailable: "DatabaseUnavailable",
  EnqueueDeferred: "EnqueueDeferred",
  StatusWriteFailed: "StatusWriteFailed",
  TransactionsSettled: "TransactionsSettled",
  OutboxRepublished: "OutboxRepublished",
  HealthCheckFailed: "HealthCheckFailed",
} as const;

export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];

/** Adds 1 (or `count`) to a Count metric for this invocation. */
export function countMetric(name: MetricName, count = 1): void {
  metrics.addMetric(name, MetricUnit.Count, count);
}

/** Flushes this invocation's metrics; a failure to emit metrics never fails a request. */
export function flushMetrics(): void {
  try {
    metrics.publishStoredMetrics();
  } catch (error) {
    logger.warn("Could not publish metrics", error as Error);
  }
}

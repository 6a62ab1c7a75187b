/**
 * Powertools Logger and Metrics, one of each per process (module scope, as Powertools
 * recommends), shared by both functions and the local server.
 *
 * - Logs are structured JSON. Errors are logged through `describeError` (name, message, code,
 *   cause; stack on request); never `JSON.stringify(error)`, which prints `{}`, and never the
 *   raw error object (see below). Nothing here logs a secret, a password or a request body.
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
  OutboxDrainSkipped: "OutboxDrainSkipped",
  HealthCheckFailed: "HealthCheckFailed",
} as const;

export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];

/** Adds 1 (or `count`) to a Count metric for this invocation. */
export function countMetric(name: MetricName, count = 1): void {
  metrics.addMetric(name, MetricUnit.Count, count);
}

/**
 * Flushes this invocation's metrics (nothing when none were added, rather than Powertools'
 * "No application metrics to publish" warning); a failure to emit metrics never fails a request.
 */
export function flushMetrics(): void {
  if (!metrics.hasStoredMetrics()) return;
  try {
    metrics.publishStoredMetrics();
  } catch (error) {
    logger.warn("Could not publish metrics", { error: describeError(error) });
  }
}

/**
 * The loggable facts of an error: name, message, code (SQLSTATE or Node/SDK code), and the same
 * for its cause. Errors are not handed to the logger whole: pg attaches its client (connection
 * parameters and all) to errors, and SDK errors carry response metadata.
 */
export function describeError(error: unknown, withStack = false): Record<string, string> {
  if (!(error instanceof Error)) return { message: String(error) };
  const code = (error as { code?: unknown }).code;
  const info: Record<string, string> = { name: error.name, message: error.message };
  if (typeof code === "string") info.code = code;
  if (withStack && error.stack !== undefined) info.stack = error.stack;
  if (error.cause !== undefined && error.cause !== error) {
    const cause = describeError(error.cause);
    for (const [k, v] of Object.entries(cause)) info[`cause.${k}`] = v;
  }
  return info;
}

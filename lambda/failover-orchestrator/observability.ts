/**
 * The orchestrator's own metrics, in the failover namespace (`TapDr/Failover`, the prober's
 * too) rather than the transaction services' `TapDr`, so the DR dashboard reads one namespace.
 * EMF, dimension `service` = POWERTOOLS_SERVICE_NAME (failover-orchestrator). Logs use the
 * shared Logger.
 */
import { MetricUnit, Metrics } from "@aws-lambda-powertools/metrics";

import { describeError, logger } from "../shared/observability";

export const FAILOVER_NAMESPACE = "TapDr/Failover";

export const orchestratorMetrics = new Metrics({
  namespace: FAILOVER_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "failover-orchestrator",
});

export const OrchestratorMetricNames = {
  /** 1 when an evaluation recommended a failover, 0 when it did not. */
  FailoverDecision: "FailoverDecision",
  ActionsStarted: "ActionsStarted",
  ActionsFailed: "ActionsFailed",
  /** Seconds from the lock to a writable cluster, per completed action. */
  TimeToWritable: "TimeToWritable",
  AuditWriteFailed: "AuditWriteFailed",
  AlertPublishFailed: "AlertPublishFailed",
} as const;

export type OrchestratorMetricName =
  (typeof OrchestratorMetricNames)[keyof typeof OrchestratorMetricNames];

export function countOrchestratorMetric(name: OrchestratorMetricName, count = 1): void {
  orchestratorMetrics.addMetric(name, MetricUnit.Count, count);
}

export function recordSeconds(name: OrchestratorMetricName, seconds: number): void {
  orchestratorMetrics.addMetric(name, MetricUnit.Seconds, seconds);
}

/** Flushes this invocation's metrics; never fails the invocation. */
export function flushOrchestratorMetrics(): void {
  if (!orchestratorMetrics.hasStoredMetrics()) return;
  try {
    orchestratorMetrics.publishStoredMetrics();
  } catch (error) {
    logger.warn("Could not publish metrics", { error: describeError(error) });
  }
}

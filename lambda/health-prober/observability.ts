/**
 * The prober's metric contract. Alarms, the composite "corroborating" alarm and the dashboards
 * key on these exact names, so they are set here and never taken from the environment: a
 * POWERTOOLS_METRICS_NAMESPACE left on the function would otherwise move the metrics away from
 * the alarms silently. Dimensions are exactly `service=health-prober` (Powertools' default
 * dimension) and `PeerRegion=<probed region>`.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";

export const PROBER_METRIC_NAMESPACE = "TapDr/Failover";
export const PROBER_SERVICE_NAME = "health-prober";
export const PEER_REGION_DIMENSION = "PeerRegion";

export const ProberMetricNames = {
  /** Count, 0 or 1: the peer's API health URL did not answer 200 within the timeout. */
  PeerApiProbeFailed: "PeerApiProbeFailed",
  /** Count, 0 or 1: the peer region's RDS endpoint did not answer below 500 within the timeout. */
  PeerRegionProbeFailed: "PeerRegionProbeFailed",
  /** Milliseconds: time to the API's response headers (or to the failure). */
  PeerApiProbeLatency: "PeerApiProbeLatency",
} as const;

/** A Metrics instance bound to the prober's namespace and service (one per process). */
export function createProberMetrics(): Metrics {
  return new Metrics({ namespace: PROBER_METRIC_NAMESPACE, serviceName: PROBER_SERVICE_NAME });
}

export function createProberLogger(): Logger {
  return new Logger({ serviceName: PROBER_SERVICE_NAME });
}

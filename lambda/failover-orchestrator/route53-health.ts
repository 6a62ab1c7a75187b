/**
 * Reads a Route 53 health check's status (GetHealthCheckStatus). An OPTIONAL extra input: the
 * orchestrator does not call it by default, because Route 53's API and health-check metrics are
 * served from us-east-1 only, and the recovery path must not depend on one region's control
 * plane (static stability). The CLI shows it in `dr status`.
 *
 * Healthy the way Route 53 decides: more than 18% of its health checkers report success
 * ("How Amazon Route 53 determines whether a health check is healthy", Route 53 Developer Guide).
 */
import { GetHealthCheckStatusCommand, type Route53Client } from "@aws-sdk/client-route-53";

import { type RetryOptions, withReadRetry } from "./retry";

/** Share of checkers that must report success for Route 53 to consider an endpoint healthy. */
export const ROUTE53_HEALTHY_SHARE = 0.18;

export interface HealthCheckStatus {
  readonly healthCheckId: string;
  readonly healthy: boolean;
  readonly checkers: number;
  readonly successes: number;
  /** The newest checker report, e.g. "Failure: HTTP Status Code 503 ...". */
  readonly latestReport?: string;
}

/** GetHealthCheckStatus; the client should be configured for us-east-1 (Route 53's endpoint). */
export async function readHealthCheckStatus(
  route53: Route53Client,
  healthCheckId: string,
  retry?: RetryOptions,
): Promise<HealthCheckStatus> {
  const out = await withReadRetry(
    () => route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId })),
    retry,
  );
  const observations = out.HealthCheckObservations ?? [];
  const successes = observations.filter((o) =>
    (o.StatusReport?.Status ?? "").startsWith("Success"),
  ).length;
  const latest = [...observations]
    .filter((o) => o.StatusReport?.CheckedTime !== undefined)
    .sort(
      (a, b) =>
        (b.StatusReport?.CheckedTime?.getTime() ?? 0) -
        (a.StatusReport?.CheckedTime?.getTime() ?? 0),
    )[0]?.StatusReport?.Status;
  return {
    healthCheckId,
    healthy: observations.length > 0 && successes / observations.length > ROUTE53_HEALTHY_SHARE,
    checkers: observations.length,
    successes,
    ...(latest !== undefined ? { latestReport: latest } : {}),
  };
}

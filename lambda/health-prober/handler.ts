/**
 * The prober core: validates the schedule's input, runs both probes of the peer region in
 * parallel and publishes one EMF record per invocation. It never throws on a failed probe (a 1
 * in PeerApiProbeFailed is the result, not an error); it throws only on an invalid event, which
 * is a deployment bug that Lambda's Errors metric must show.
 *
 * Every metric is published on every run, 0 included: an alarm on "failed >= 1 for N of N
 * minutes" needs the 0s to tell a healthy peer from a prober that stopped running (which the
 * alarms treat as missing data).
 */
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

import { parseProberEvent } from "./event";
import { PEER_REGION_DIMENSION, ProberMetricNames } from "./observability";
import {
  type FetchPort,
  type ProbeResult,
  probeApi,
  probeRegionEndpoint,
  regionEndpointUrl,
} from "./probes";

export interface ProberDeps {
  readonly fetch: FetchPort;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Per probe. @default PROBE_TIMEOUT_MS (5000) */
  readonly timeoutMs?: number;
  /** Monotonic milliseconds. @default performance.now */
  readonly now?: () => number;
  /** The URL the region probe GETs. @default regionEndpointUrl (https://rds.<region>.amazonaws.com/) */
  readonly regionEndpointUrl?: (region: string) => string;
}

/** What one run observed; also the function's result when invoked by hand. */
export interface ProberReport {
  readonly peerRegion: string;
  readonly api: ProbeResult;
  readonly region: ProbeResult;
}

export type ProberHandler = (event: unknown) => Promise<ProberReport>;

export function makeProberHandler(deps: ProberDeps): ProberHandler {
  const endpointOf = deps.regionEndpointUrl ?? regionEndpointUrl;
  const options = {
    fetch: deps.fetch,
    ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  };
  return async (event) => {
    const { targetUrl, peerRegion } = parseProberEvent(event);
    const [api, region] = await Promise.all([
      probeApi(targetUrl, options),
      probeRegionEndpoint(endpointOf(peerRegion), options),
    ]);
    deps.metrics.addDimension(PEER_REGION_DIMENSION, peerRegion);
    deps.metrics.addMetric(ProberMetricNames.PeerApiProbeFailed, MetricUnit.Count, api.ok ? 0 : 1);
    deps.metrics.addMetric(
      ProberMetricNames.PeerRegionProbeFailed,
      MetricUnit.Count,
      region.ok ? 0 : 1,
    );
    deps.metrics.addMetric(
      ProberMetricNames.PeerApiProbeLatency,
      MetricUnit.Milliseconds,
      api.latencyMs,
    );
    deps.metrics.publishStoredMetrics();
    const report: ProberReport = { peerRegion, api, region };
    if (api.ok && region.ok) deps.logger.info("Peer region healthy", { ...report });
    else deps.logger.warn("Peer region probe failed", { ...report });
    return report;
  };
}

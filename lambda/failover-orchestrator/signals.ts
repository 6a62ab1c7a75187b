/**
 * Reads the metric signals of `decide` from THIS region's CloudWatch (one GetMetricData call):
 * the prober's PeerApiProbeFailed / PeerRegionProbeFailed (published in this region about the
 * peer) and this cluster's AuroraGlobalDBReplicationLag. Nothing here calls the peer region.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from "@aws-sdk/client-cloudwatch";

import { type Datapoint, type SignalSeries, lookbackMinutes, minuteStart } from "./decide";
import { type RetryOptions, withReadRetry } from "./retry";

/** Namespace and dimensions of the prober's metrics (Powertools EMF, service "health-prober"). */
export const PROBER_NAMESPACE = "TapDr/Failover";
export const PROBER_SERVICE = "health-prober";
export const PEER_API_PROBE_FAILED = "PeerApiProbeFailed";
export const PEER_REGION_PROBE_FAILED = "PeerRegionProbeFailed";
export const REPLICATION_LAG_METRIC = "AuroraGlobalDBReplicationLag";

export interface SignalQuery {
  readonly peerRegion: string;
  /** This region's (secondary) cluster identifier. */
  readonly clusterId: string;
  readonly windowMinutes: number;
  readonly graceMinutes?: number;
  readonly now: Date;
}

const QUERY_IDS = { api: "peerapi", region: "peerregion", lag: "lag" } as const;

/** The GetMetricData queries (exported so the tests assert namespace, dimensions and stat). */
export function signalQueries(peerRegion: string, clusterId: string): MetricDataQuery[] {
  const probe = (id: string, metricName: string): MetricDataQuery => ({
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: PROBER_NAMESPACE,
        MetricName: metricName,
        Dimensions: [
          { Name: "service", Value: PROBER_SERVICE },
          { Name: "PeerRegion", Value: peerRegion },
        ],
      },
      Period: 60,
      Stat: "Sum",
    },
    ReturnData: true,
  });
  return [
    probe(QUERY_IDS.api, PEER_API_PROBE_FAILED),
    probe(QUERY_IDS.region, PEER_REGION_PROBE_FAILED),
    {
      Id: QUERY_IDS.lag,
      MetricStat: {
        Metric: {
          Namespace: "AWS/RDS",
          MetricName: REPLICATION_LAG_METRIC,
          Dimensions: [{ Name: "DBClusterIdentifier", Value: clusterId }],
        },
        Period: 60,
        Stat: "Maximum",
      },
      ReturnData: true,
    },
  ];
}

/** GetMetricData over the lookback (window + grace), whole minutes, every page. */
export async function readSignals(
  cloudwatch: CloudWatchClient,
  query: SignalQuery,
  retry?: RetryOptions,
): Promise<SignalSeries> {
  const end = new Date(minuteStart(query.now));
  const start = new Date(
    end.getTime() - lookbackMinutes(query.windowMinutes, query.graceMinutes) * 60_000,
  );
  const results: MetricDataResult[] = [];
  let nextToken: string | undefined;
  do {
    const page = await withReadRetry(
      () =>
        cloudwatch.send(
          new GetMetricDataCommand({
            MetricDataQueries: signalQueries(query.peerRegion, query.clusterId),
            StartTime: start,
            EndTime: end,
            ScanBy: "TimestampAscending",
            ...(nextToken !== undefined ? { NextToken: nextToken } : {}),
          }),
        ),
      retry,
    );
    results.push(...(page.MetricDataResults ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  const points = (id: string): Datapoint[] =>
    results
      .filter((r) => r.Id === id)
      .flatMap((r) =>
        (r.Timestamps ?? []).map((timestamp, i) => ({ timestamp, value: r.Values?.[i] ?? NaN })),
      )
      .filter((p) => Number.isFinite(p.value));
  return {
    peerApiProbeFailed: points(QUERY_IDS.api),
    peerRegionProbeFailed: points(QUERY_IDS.region),
    replicationLagMs: points(QUERY_IDS.lag),
  };
}

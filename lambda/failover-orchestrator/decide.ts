/**
 * The failover decision, PURE: signals and the region's status in, a verdict out. No clock, no
 * I/O, so every case (flapping, partial windows, headless, in progress) is a plain unit test.
 *
 * Rules:
 * - A signal FAILS only when every minute of a whole window (`windowMinutes` consecutive
 *   minutes) has a failing datapoint. One good minute, or one missing prober datapoint, resets
 *   it: a flapping signal never fails. The window ends at the newest minute that has a
 *   datapoint, at most `graceMinutes` before the current one: CloudWatch needs a minute or two
 *   to make a datapoint readable (EMF from the prober's log, AWS/RDS metrics), and without the
 *   grace the evaluation that the alarm triggers the moment its own window fills could miss the
 *   newest minute and never run again. A newer minute with a good value is never skipped.
 * - Failover is RECOMMENDED only when at least two independent signals fail, this region's
 *   cluster is a secondary (with or without instances), and no failover/switchover is in
 *   progress.
 *
 * Signals (all observed from the acting region):
 * - peerApiProbe: this region's prober could not get 200 from the peer's API health path;
 * - peerRegionProbe: this region's prober could not reach the peer region's RDS API front door;
 * - replicationLag: AuroraGlobalDBReplicationLag of this (secondary) cluster above the threshold
 *   every minute, or not reported at all for the whole lookback while this cluster is a secondary
 *   with instances (replication from a dead primary stops reporting). For a headless secondary a
 *   missing series is "unknown", not failing: AWS does not document that a cluster without
 *   instances publishes the metric, and counting its absence would let one prober signal alone
 *   trigger a failover with data loss;
 * - route53HealthCheck (optional, only when the caller passes it): the peer's Route 53 health
 *   check is unhealthy. Never required: its control plane and metrics live in us-east-1.
 */
import type { ClusterRole, RegionStatus } from "./global-cluster";

export const SIGNAL_NAMES = [
  "peerApiProbe",
  "peerRegionProbe",
  "replicationLag",
  "route53HealthCheck",
] as const;
export type SignalName = (typeof SIGNAL_NAMES)[number];

/** Failing signals needed to recommend a failover. */
export const MIN_CORROBORATING_SIGNALS = 2;

/** Minutes a window may end before `now` (CloudWatch ingestion delay). */
export const DEFAULT_GRACE_MINUTES = 2;

export interface Datapoint {
  /** Start of the one-minute period (CloudWatch returns period starts). */
  readonly timestamp: Date;
  readonly value: number;
}

/** One-minute datapoints of each metric signal over (at least) the lookback. */
export interface SignalSeries {
  /** Sum of PeerApiProbeFailed per minute (0 = all probes OK, >= 1 = a probe failed). */
  readonly peerApiProbeFailed: readonly Datapoint[];
  /** Sum of PeerRegionProbeFailed per minute. */
  readonly peerRegionProbeFailed: readonly Datapoint[];
  /** Maximum AuroraGlobalDBReplicationLag (ms) per minute of this cluster. */
  readonly replicationLagMs: readonly Datapoint[];
}

export interface DecisionInput {
  readonly now: Date;
  readonly windowMinutes: number;
  /** @default DEFAULT_GRACE_MINUTES */
  readonly graceMinutes?: number;
  readonly replicationLagThresholdMs: number;
  readonly series: SignalSeries;
  readonly region: Pick<RegionStatus, "role" | "inProgress" | "inProgressReason">;
  /** The peer's Route 53 health check, when the caller read it (never by default). */
  readonly peerHealthCheckHealthy?: boolean;
}

export interface SignalVerdict {
  readonly name: SignalName;
  readonly failing: boolean;
  /** Longest run of consecutive failing minutes ending inside the grace. */
  readonly failingMinutes: number;
  readonly reason: string;
}

export interface Decision {
  readonly recommend: boolean;
  readonly failingSignals: readonly SignalName[];
  readonly signals: readonly SignalVerdict[];
  readonly reason: string;
}

const MINUTE_MS = 60_000;

/** The lookback a reader must fetch so that `decide` sees every window it may evaluate. */
export function lookbackMinutes(windowMinutes: number, graceMinutes = DEFAULT_GRACE_MINUTES) {
  return windowMinutes + graceMinutes;
}

/** Start (epoch ms) of the minute containing `date`. */
export function minuteStart(date: Date): number {
  return Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS;
}

/**
 * The run of consecutive failing minutes ending at the newest reported minute. The run may end
 * up to `graceMinutes` before the current minute, but only across minutes with NO datapoint
 * yet (not ingested): a newer minute that reports a good value ends the failure, it is never
 * skipped. A minute fails when `isFailing` holds for one of its datapoints; a missing minute
 * inside the run does not fail (no data is not evidence).
 */
function failingRun(
  points: readonly Datapoint[],
  now: Date,
  windowMinutes: number,
  graceMinutes: number,
  isFailing: (value: number) => boolean,
): number {
  const byMinute = new Map<number, number[]>();
  for (const p of points) {
    const m = minuteStart(p.timestamp);
    byMinute.set(m, [...(byMinute.get(m) ?? []), p.value]);
  }
  const reported = (m: number) => (byMinute.get(m)?.length ?? 0) > 0;
  const minuteFails = (m: number) => byMinute.get(m)?.some(isFailing) ?? false;
  // The current minute is still being filled: the run ends at its start at the latest.
  let end = minuteStart(now);
  for (let g = 0; g < graceMinutes && !reported(end - MINUTE_MS); g++) end -= MINUTE_MS;
  let run = 0;
  while (run < windowMinutes && minuteFails(end - (run + 1) * MINUTE_MS)) run++;
  return run;
}

function metricVerdict(
  name: SignalName,
  points: readonly Datapoint[],
  input: DecisionInput,
  isFailing: (value: number) => boolean,
  what: string,
): SignalVerdict {
  const grace = input.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  const run = failingRun(points, input.now, input.windowMinutes, grace, isFailing);
  const failing = run >= input.windowMinutes;
  return {
    name,
    failing,
    failingMinutes: run,
    reason: failing
      ? `${what} every minute for ${input.windowMinutes} min`
      : `${what} for ${run} of the ${input.windowMinutes} consecutive minutes required`,
  };
}

function lagVerdict(input: DecisionInput): SignalVerdict {
  const role: ClusterRole = input.region.role;
  const threshold = input.replicationLagThresholdMs;
  if (role === "writer" || role === "detached") {
    return {
      name: "replicationLag",
      failing: false,
      failingMinutes: 0,
      reason: `not applicable: this region's cluster is ${role === "writer" ? "the writer" : "detached"}`,
    };
  }
  const grace = input.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  const lookbackStart =
    minuteStart(input.now) - lookbackMinutes(input.windowMinutes, grace) * MINUTE_MS;
  const reported = input.series.replicationLagMs.some(
    (p) => p.timestamp.getTime() >= lookbackStart,
  );
  if (!reported) {
    return role === "secondary"
      ? {
          name: "replicationLag",
          failing: true,
          failingMinutes: input.windowMinutes,
          reason: `AuroraGlobalDBReplicationLag not reported for ${lookbackMinutes(input.windowMinutes, grace)} min while this cluster is a secondary`,
        }
      : {
          name: "replicationLag",
          failing: false,
          failingMinutes: 0,
          reason: "unknown: AuroraGlobalDBReplicationLag not reported for a headless secondary",
        };
  }
  return metricVerdict(
    "replicationLag",
    input.series.replicationLagMs,
    input,
    (v) => v > threshold,
    `replication lag above ${threshold} ms`,
  );
}

export function decide(input: DecisionInput): Decision {
  const signals: SignalVerdict[] = [
    metricVerdict(
      "peerApiProbe",
      input.series.peerApiProbeFailed,
      input,
      (v) => v >= 1,
      "peer API probe failed",
    ),
    metricVerdict(
      "peerRegionProbe",
      input.series.peerRegionProbeFailed,
      input,
      (v) => v >= 1,
      "peer region RDS endpoint probe failed",
    ),
    lagVerdict(input),
  ];
  if (input.peerHealthCheckHealthy !== undefined) {
    signals.push({
      name: "route53HealthCheck",
      failing: !input.peerHealthCheckHealthy,
      failingMinutes: 0,
      reason: input.peerHealthCheckHealthy
        ? "peer Route 53 health check healthy"
        : "peer Route 53 health check unhealthy",
    });
  }
  const failingSignals = signals.filter((s) => s.failing).map((s) => s.name);
  const { role, inProgress, inProgressReason } = input.region;
  let reason: string;
  let recommend = false;
  if (role === "writer") {
    reason = "this region's cluster is already the writer";
  } else if (role === "detached") {
    reason = "this region's cluster is not a member of the global cluster";
  } else if (inProgress) {
    reason = `a failover or switchover is in progress (${inProgressReason ?? "in progress"})`;
  } else if (failingSignals.length < MIN_CORROBORATING_SIGNALS) {
    reason = `not corroborated: ${failingSignals.length} of ${MIN_CORROBORATING_SIGNALS} required signals failing${failingSignals.length > 0 ? ` (${failingSignals.join(", ")})` : ""}`;
  } else {
    recommend = true;
    reason = `corroborated: ${failingSignals.join(", ")} failing for ${input.windowMinutes} min, and this region's cluster is a ${role === "headless" ? "headless " : ""}secondary with no role change in progress`;
  }
  return { recommend, failingSignals, signals, reason };
}

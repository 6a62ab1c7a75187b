/**
 * `npm run dr -- status`: what each region's own APIs say, read in parallel, each region on its
 * own endpoints (so a dead region shows as unreachable and the other one still reports):
 * - role and cluster status (readRegionStatus: DescribeGlobalClusters + DescribeDBClusters);
 * - replication lag of a secondary, and this region's prober view of the peer, over the last
 *   5 minutes (readSignals: one GetMetricData in the region);
 * - the corroborating alarm's state (DescribeAlarms; it is a composite alarm, which
 *   DescribeAlarms returns only when AlarmTypes asks for it);
 * - the Route 53 health check of the region's endpoint, when the stack has one (us-east-1 control
 *   plane; optional, and a failure there never fails status);
 * - the newest failover/switchover record of the region's audit trail.
 */
import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";

import { type AuditRecord, readRecentAudit } from "../failover-orchestrator/audit";
import { type RegionStatus, readRegionStatus } from "../failover-orchestrator/global-cluster";
import {
  type HealthCheckStatus,
  readHealthCheckStatus,
} from "../failover-orchestrator/route53-health";
import { type RetryOptions, withReadRetry } from "../failover-orchestrator/retry";
import { readSignals } from "../failover-orchestrator/signals";
import type { SignalSeries } from "../failover-orchestrator/decide";
import type { AwsClients } from "./aws-clients";
import type { DesignRole, DrOutputs } from "./outputs";
import { type StackRegion, DESIGN_ROLES, otherRole, stackRegions } from "./regions";

/** Minutes of metrics `status` shows. */
export const STATUS_LOOKBACK_MINUTES = 5;
/** Audit records read per region to find the newest failover event. */
export const AUDIT_RECORDS_READ = 100;
/** Audit actions that are role changes (the rest are status reads, RDS events, ...). */
const ROLE_CHANGE_ACTIONS: ReadonlySet<string> = new Set(["failover", "switchover"]);

export const ROUTE53_UNREACHABLE = "unknown (Route 53 control plane unreachable)";

/** A value read from AWS, or why it could not be. */
export type Reading<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface AlarmReading {
  readonly name: string;
  /** "OK" | "ALARM" | "INSUFFICIENT_DATA", or "not found". */
  readonly state: string;
  readonly since?: Date;
  readonly reason?: string;
}

export interface RegionReport {
  readonly designRole: DesignRole;
  readonly region: string;
  readonly peerRegion: string;
  readonly clusterId: string;
  readonly status: Reading<RegionStatus>;
  readonly signals: Reading<SignalSeries>;
  readonly alarm: Reading<AlarmReading>;
  /** Undefined when the stack has no health check (no domain). */
  readonly healthCheck?: Reading<HealthCheckStatus>;
  /** Undefined value: no role change in the records read. */
  readonly lastEvent: Reading<AuditRecord | undefined>;
}

export interface StatusDeps {
  readonly clients: AwsClients;
  readonly now: () => Date;
  /** Passed to the orchestrator's readers (their explicit retry, with the injected sleep). */
  readonly retry: RetryOptions;
}

/** The keys `status` needs beyond the core ones (checked before any AWS call). */
export const STATUS_OUTPUT_KEYS = [
  "primaryControlTableName",
  "drControlTableName",
  "primaryCorroboratingAlarmName",
  "drCorroboratingAlarmName",
] as const;

export async function collectStatus(outputs: DrOutputs, deps: StatusDeps): Promise<RegionReport[]> {
  const regions = stackRegions(outputs);
  outputs.requireAll(STATUS_OUTPUT_KEYS);
  return Promise.all(
    DESIGN_ROLES.map((role) =>
      collectRegion(regions[role], regions[otherRole(role)], outputs, deps),
    ),
  );
}

async function collectRegion(
  target: StackRegion,
  peer: StackRegion,
  outputs: DrOutputs,
  deps: StatusDeps,
): Promise<RegionReport> {
  const clients = deps.clients.forRegion(target.region);
  const role = target.designRole;
  const healthCheckId = outputs.optionalRegional(role, "HealthCheckId");
  const [status, signals, alarm, healthCheck, lastEvent] = await Promise.all([
    reading(() => readRegionStatus(clients.rds, target, { now: deps.now, retry: deps.retry })),
    reading(() =>
      readSignals(
        clients.cloudwatch,
        {
          peerRegion: peer.region,
          clusterId: target.clusterId,
          windowMinutes: STATUS_LOOKBACK_MINUTES,
          graceMinutes: 0,
          now: deps.now(),
        },
        deps.retry,
      ),
    ),
    reading(() =>
      readAlarm(clients.cloudwatch, outputs.regional(role, "CorroboratingAlarmName"), deps.retry),
    ),
    healthCheckId === undefined
      ? Promise.resolve(undefined)
      : reading(() => readHealthCheckStatus(deps.clients.route53(), healthCheckId, deps.retry)),
    reading(async () => {
      const records = await readRecentAudit(
        clients.dynamodb,
        outputs.regional(role, "ControlTableName"),
        AUDIT_RECORDS_READ,
      );
      return records.find((r) => ROLE_CHANGE_ACTIONS.has(r.action));
    }),
  ]);
  return {
    designRole: role,
    region: target.region,
    peerRegion: peer.region,
    clusterId: target.clusterId,
    status,
    signals,
    alarm,
    ...(healthCheck !== undefined ? { healthCheck } : {}),
    lastEvent,
  };
}

async function reading<T>(read: () => Promise<T>): Promise<Reading<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (error) {
    return { ok: false, error: errorText(error) };
  }
}

export function errorText(error: unknown): string {
  if (typeof error === "object" && error !== null) {
    const { name, message } = error as { name?: unknown; message?: unknown };
    if (typeof message === "string" && message !== "") {
      return typeof name === "string" && name !== "Error" ? `${name}: ${message}` : message;
    }
  }
  return String(error);
}

/** DescribeAlarms for the corroborating (composite) alarm, by name, in this region. */
export async function readAlarm(
  cloudwatch: CloudWatchClient,
  alarmName: string,
  retry: RetryOptions,
): Promise<AlarmReading> {
  const out = await withReadRetry(
    () =>
      cloudwatch.send(
        new DescribeAlarmsCommand({
          AlarmNames: [alarmName],
          AlarmTypes: ["CompositeAlarm", "MetricAlarm"],
        }),
      ),
    retry,
  );
  const alarm: CompositeAlarm | MetricAlarm | undefined =
    out.CompositeAlarms?.find((a) => a.AlarmName === alarmName) ??
    out.MetricAlarms?.find((a) => a.AlarmName === alarmName);
  if (alarm === undefined) return { name: alarmName, state: "not found" };
  return {
    name: alarmName,
    state: alarm.StateValue ?? "unknown",
    ...(alarm.StateUpdatedTimestamp !== undefined ? { since: alarm.StateUpdatedTimestamp } : {}),
    ...(alarm.StateReason !== undefined ? { reason: alarm.StateReason } : {}),
  };
}

/** True when every region's role could be read (the exit code of `status`). */
export function statusComplete(reports: readonly RegionReport[]): boolean {
  return reports.every((r) => r.status.ok);
}

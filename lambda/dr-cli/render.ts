/**
 * Text the CLI prints. Pure: reports in, lines out, so the tests assert what an operator reads.
 */
import type { AuditRecord } from "../failover-orchestrator/audit";
import type { Datapoint } from "../failover-orchestrator/decide";
import type { ClusterRole, RegionStatus } from "../failover-orchestrator/global-cluster";
import { ROUTE53_UNREACHABLE, type RegionReport, STATUS_LOOKBACK_MINUTES } from "./status";

const ROLE_TEXT: Record<ClusterRole, string> = {
  writer: "writer",
  secondary: "secondary",
  headless: "headless secondary",
  detached: "detached (not a member of the global cluster)",
};

export function roleText(status: Pick<RegionStatus, "role" | "inProgress" | "inProgressReason">) {
  const role = ROLE_TEXT[status.role];
  return status.inProgress
    ? `${role} (changing: ${status.inProgressReason ?? "in progress"})`
    : role;
}

/** "1,234 ms" */
function ms(value: number): string {
  return `${Math.round(value).toLocaleString("en-US")} ms`;
}

function newest(points: readonly Datapoint[]): Datapoint | undefined {
  return [...points].sort((a, b) => b.timestamp.getTime() - a.timestamp.getTime())[0];
}

function lagText(report: RegionReport): string {
  if (!report.status.ok) return "unknown";
  if (report.status.value.role === "writer") return "n/a (writer)";
  if (!report.signals.ok) return `unknown (${report.signals.error})`;
  const points = report.signals.value.replicationLagMs;
  const latest = newest(points);
  if (latest === undefined) {
    return `no datapoints in the last ${STATUS_LOOKBACK_MINUTES} min${report.status.value.role === "headless" ? " (a headless secondary may not report it)" : ""}`;
  }
  const max = Math.max(...points.map((p) => p.value));
  return `${ms(latest.value)} (max ${ms(max)} over ${STATUS_LOOKBACK_MINUTES} min)`;
}

function probeText(report: RegionReport): string {
  if (!report.signals.ok) return `unknown (${report.signals.error})`;
  const failing = (points: readonly Datapoint[]) => points.filter((p) => p.value >= 1).length;
  const { peerApiProbeFailed: api, peerRegionProbeFailed: region } = report.signals.value;
  if (api.length === 0 && region.length === 0) {
    return `no prober datapoints in the last ${STATUS_LOOKBACK_MINUTES} min`;
  }
  return `API failing ${failing(api)}/${api.length} min, region endpoint failing ${failing(region)}/${region.length} min`;
}

function alarmText(report: RegionReport): string {
  if (!report.alarm.ok) return `unknown (${report.alarm.error})`;
  const { name, state, since } = report.alarm.value;
  return `${name}: ${state}${since !== undefined ? ` since ${since.toISOString()}` : ""}`;
}

function healthText(report: RegionReport): string | undefined {
  const reading = report.healthCheck;
  if (reading === undefined) return undefined;
  if (!reading.ok) return ROUTE53_UNREACHABLE;
  const h = reading.value;
  return `${h.healthy ? "healthy" : "unhealthy"} (${h.successes}/${h.checkers} checkers${h.latestReport !== undefined ? `; latest: ${h.latestReport}` : ""})`;
}

export function auditLine(record: AuditRecord): string {
  return `${record.at} ${record.action} ${record.step}: ${record.outcome} - ${record.message} (by ${record.requestedBy})`;
}

function lastEventText(report: RegionReport): string {
  if (!report.lastEvent.ok) return `unknown (${report.lastEvent.error})`;
  return report.lastEvent.value === undefined ? "none recorded" : auditLine(report.lastEvent.value);
}

/** The `status` report of one region. */
export function renderRegion(report: RegionReport): string[] {
  const title = `${report.region} (${report.designRole === "primary" ? "primary" : "DR"} region)`;
  const health = healthText(report);
  const healthLine = health !== undefined ? [`  Route 53 health   ${health}`] : [];
  if (!report.status.ok) {
    return [
      title,
      `  role              unreachable: ${report.status.error}`,
      `  alarm             ${alarmText(report)}`,
      ...healthLine,
      `  last failover     ${lastEventText(report)}`,
    ];
  }
  const status = report.status.value;
  return [
    title,
    `  role              ${roleText(status)}`,
    `  cluster           ${status.clusterId}: ${status.clusterStatus ?? "unknown"}${status.instances.length > 0 ? ` (${status.instances.length} instance${status.instances.length === 1 ? "" : "s"})` : " (no instances)"}`,
    `  replication lag   ${lagText(report)}`,
    `  alarm             ${alarmText(report)}`,
    `  probes of peer    ${report.peerRegion}: ${probeText(report)}`,
    ...healthLine,
    `  last failover     ${lastEventText(report)}`,
  ];
}

export function renderStatus(globalClusterId: string, reports: readonly RegionReport[]): string[] {
  const writer = reports.find((r) => r.status.ok && r.status.value.role === "writer");
  return [
    `Global cluster ${globalClusterId}: writer ${writer?.region ?? "unknown (no region reports itself as the writer)"}`,
    ...reports.flatMap((r) => ["", ...renderRegion(r)]),
  ];
}

/** "+02:05" from milliseconds. */
export function elapsedText(elapsedMs: number): string {
  const seconds = Math.max(0, Math.floor(elapsedMs / 1000));
  const mm = String(Math.floor(seconds / 60)).padStart(2, "0");
  const ss = String(seconds % 60).padStart(2, "0");
  return `+${mm}:${ss}`;
}

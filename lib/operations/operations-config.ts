/**
 * Config of the DR operations: who is paged, whether the orchestrator acts on its own, how long
 * signals must agree before it does, and the alarm thresholds. Pure, so it is tested without
 * the Pulumi runtime; lib/config.ts calls it with the raw keys.
 */
import { StackMode } from "../config";
import { oneOf, scalarText, wholeNumber } from "../util/config-checks";

/**
 * automatic: the orchestrator promotes its region when the corroborating alarm fires.
 * notify: it pages and records the recommendation; a human runs `npm run dr -- failover`.
 */
export const FAILOVER_MODES = ["automatic", "notify"] as const;
export type FailoverMode = (typeof FAILOVER_MODES)[number];

/** Thresholds of the alarms; each key is set with `pulumi config set --path 'alarmThresholds.<key>' <n>`. */
export interface AlarmThresholds {
  /** AuroraGlobalDBReplicationLag on the secondary, in ms (Aurora typically stays under 1000). */
  readonly replicationLagMs: number;
  /** AuroraGlobalDBRPOLag on the secondary, in ms. */
  readonly rpoLagMs: number;
  /** CPUUtilization of the cluster's instances, in percent. */
  readonly dbCpuPercent: number;
  /** DatabaseConnections of the cluster. */
  readonly dbConnections: number;
  /** Lambda Errors per function in 5 minutes. */
  readonly lambdaErrors: number;
  /** Lambda Throttles per function in 5 minutes. */
  readonly lambdaThrottles: number;
  /** Lambda p99 Duration as a percentage of the function's timeout. */
  readonly lambdaDurationPercent: number;
  /** ALB 5xx responses (ELB and targets) per minute. */
  readonly alb5xxCount: number;
  /** UnHealthyHostCount of the target group. */
  readonly unhealthyTargets: number;
  /** DynamoDB ReplicationLatency to the other region, in ms. */
  readonly dynamoReplicationLatencyMs: number;
  /** DynamoDB throttled requests per 5 minutes. */
  readonly dynamoThrottles: number;
  /** S3 ReplicationLatency, in seconds (Replication Time Control promises 900). */
  readonly s3ReplicationLatencySeconds: number;
  /** S3 OperationsFailedReplication per 5 minutes. */
  readonly s3FailedOperations: number;
  /** Messages visible in a dead-letter queue. */
  readonly dlqMessages: number;
  /** ApproximateAgeOfOldestMessage of the transaction queue, in seconds. */
  readonly queueOldestMessageSeconds: number;
}

export interface OperationsConfig {
  /** @default "notify" in production mode, "automatic" in test mode */
  readonly failoverMode: FailoverMode;
  /**
   * Minutes every corroborating signal must fail, each minute of the window, before the
   * orchestrator acts; one flapping signal never does. @default 3
   */
  readonly failoverWindowMinutes: number;
  /** Email subscribed to both regions' alert topics; undefined subscribes nobody. @default undefined */
  readonly alertEmail: string | undefined;
  readonly alarmThresholds: AlarmThresholds;
  /**
   * CloudWatch metric streams to the other region's bucket, so metrics outlive a regional
   * outage. @default false
   */
  readonly metricStreams: boolean;
}

export interface RawOperationsConfig {
  readonly failoverMode?: string;
  readonly failoverWindowMinutes?: string;
  readonly alertEmail?: string;
  readonly alarmThresholds?: unknown;
  readonly metricStreams?: string;
}

export const ALARM_THRESHOLD_DEFAULTS: AlarmThresholds = {
  replicationLagMs: 5_000,
  rpoLagMs: 30_000,
  dbCpuPercent: 80,
  dbConnections: 400,
  lambdaErrors: 5,
  lambdaThrottles: 1,
  lambdaDurationPercent: 80,
  alb5xxCount: 10,
  unhealthyTargets: 1,
  dynamoReplicationLatencyMs: 3_000,
  dynamoThrottles: 1,
  s3ReplicationLatencySeconds: 900,
  s3FailedOperations: 1,
  dlqMessages: 1,
  queueOldestMessageSeconds: 300,
};

/** Upper bound of each threshold: beyond it the alarm could never fire, a silent misconfiguration. */
const THRESHOLD_MAXIMA: Readonly<Record<keyof AlarmThresholds, number>> = {
  replicationLagMs: 3_600_000,
  rpoLagMs: 3_600_000,
  dbCpuPercent: 100,
  dbConnections: 100_000,
  lambdaErrors: 100_000,
  lambdaThrottles: 100_000,
  lambdaDurationPercent: 100,
  alb5xxCount: 1_000_000,
  unhealthyTargets: 100,
  dynamoReplicationLatencyMs: 3_600_000,
  dynamoThrottles: 1_000_000,
  s3ReplicationLatencySeconds: 86_400,
  s3FailedOperations: 1_000_000,
  dlqMessages: 120_000,
  queueOldestMessageSeconds: 1_209_600,
};

export const MIN_FAILOVER_WINDOW_MINUTES = 1;
export const MAX_FAILOVER_WINDOW_MINUTES = 30;
export const DEFAULT_FAILOVER_WINDOW_MINUTES = 3;

/** What SNS accepts for the email protocol, loosely: one address, no display name. */
const EMAIL_PATTERN = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function checkThresholds(value: unknown, problems: string[]): AlarmThresholds {
  if (value === undefined) {
    return ALARM_THRESHOLD_DEFAULTS;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(
      `alarmThresholds: ${JSON.stringify(value)} is not a map; set entries with \`pulumi config set --path 'alarmThresholds.<key>' <number>\``,
    );
    return ALARM_THRESHOLD_DEFAULTS;
  }
  const thresholds: Record<string, number> = { ...ALARM_THRESHOLD_DEFAULTS };
  const keys = Object.keys(ALARM_THRESHOLD_DEFAULTS);
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!keys.includes(key)) {
      problems.push(`alarmThresholds.${key}: is not a threshold; use one of ${keys.join(", ")}`);
      continue;
    }
    const text = scalarText(raw) ?? JSON.stringify(raw);
    const max = THRESHOLD_MAXIMA[key as keyof AlarmThresholds];
    const parsed = wholeNumber(`alarmThresholds.${key}`, text, 1, max, "", problems);
    if (parsed !== undefined) {
      thresholds[key] = parsed;
    }
  }
  return thresholds as unknown as AlarmThresholds;
}

function checkBoolean(key: string, value: string | undefined, problems: string[]): boolean {
  if (value === undefined || value === "false") return false;
  if (value === "true") return true;
  problems.push(`${key}: "${value}" is not allowed; use true or false`);
  return false;
}

/** Validates the operations keys; adds one line per problem to `problems`. */
export function parseOperationsConfig(
  raw: RawOperationsConfig,
  context: { readonly mode: StackMode },
  problems: string[],
): OperationsConfig {
  // A production stack must not lose data on a flapping probe: a human confirms by default.
  const defaultMode: FailoverMode = context.mode === "production" ? "notify" : "automatic";
  const failoverMode = oneOf(
    "failoverMode",
    // "" is Pulumi.yaml's default: the mode decides.
    raw.failoverMode === undefined || raw.failoverMode === "" ? defaultMode : raw.failoverMode,
    FAILOVER_MODES,
    problems,
  );
  const failoverWindowMinutes =
    wholeNumber(
      "failoverWindowMinutes",
      raw.failoverWindowMinutes ?? String(DEFAULT_FAILOVER_WINDOW_MINUTES),
      MIN_FAILOVER_WINDOW_MINUTES,
      MAX_FAILOVER_WINDOW_MINUTES,
      " (minutes every corroborating signal must fail before the orchestrator acts)",
      problems,
    ) ?? DEFAULT_FAILOVER_WINDOW_MINUTES;
  const alertEmail = raw.alertEmail === "" ? undefined : raw.alertEmail;
  if (alertEmail !== undefined && !EMAIL_PATTERN.test(alertEmail)) {
    problems.push(
      `alertEmail: "${alertEmail}" is not an email address; use one address such as oncall@example.com`,
    );
  }
  return {
    failoverMode,
    failoverWindowMinutes,
    alertEmail,
    alarmThresholds: checkThresholds(raw.alarmThresholds, problems),
    metricStreams: checkBoolean("metricStreams", raw.metricStreams, problems),
  };
}

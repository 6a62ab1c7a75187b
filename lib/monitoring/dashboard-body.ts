/**
 * CloudWatch dashboard bodies, built by pure functions from plain values. Every metric and log
 * widget names its own `region`: the global dashboard shows both regions (and Route 53's
 * us-east-1 metrics) from one place, and a regional one stays right wherever it is opened.
 * Format: CloudWatch "Dashboard body structure and syntax".
 */
import {
  ALB_NAMESPACE,
  AURORA_REPLICATION_LAG,
  AURORA_RPO_LAG,
  DYNAMODB_NAMESPACE,
  FAILOVER_NAMESPACE,
  LAMBDA_NAMESPACE,
  PROBER_METRICS,
  PROBER_SERVICE,
  RDS_NAMESPACE,
  ROUTE53_METRICS_REGION,
  ROUTE53_NAMESPACE,
  S3_NAMESPACE,
  SQS_NAMESPACE,
} from "./metric-contract";

/** What a dashboard shows of one region, resolved. */
export interface DashboardRegion {
  /** "primary" or "dr": the design role, in titles. */
  readonly role: string;
  readonly region: string;
  readonly peerRegion: string;
  readonly clusterIdentifier: string;
  readonly functionNames: readonly string[];
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly tableName: string;
  readonly workQueueName: string;
  readonly deadLetterQueueNames: readonly string[];
  /** The failover orchestrator's log group: its decisions and steps. */
  readonly orchestratorLogGroupName: string;
  /** The region's metric alarms and its corroborating composite alarm. */
  readonly alarmArns: readonly string[];
  readonly corroboratingAlarmArn: string;
}

/** A Route 53 health check of one region's API. */
export interface DashboardHealthCheck {
  readonly region: string;
  readonly healthCheckId: string;
}

/** One S3 replication rule, in its source bucket's region. */
export interface DashboardReplicationRule {
  readonly sourceRegion: string;
  readonly sourceBucket: string;
  readonly destinationBucket: string;
  readonly ruleId: string;
}

/** A metric line: [namespace, name, dim, value, ..., options]. */
type MetricLine = (string | Record<string, string>)[];

interface Widget {
  readonly type: "metric" | "log" | "alarm" | "text";
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

interface PlacedWidget extends Widget {
  readonly x: number;
  readonly y: number;
}

/** The dashboard grid is 24 units wide. */
const GRID_WIDTH = 24;
const HALF = 12;
const HEIGHT = 6;

function metricLine(
  namespace: string,
  metricName: string,
  dimensions: Readonly<Record<string, string>>,
  label?: string,
): MetricLine {
  const line: MetricLine = [namespace, metricName];
  for (const [key, value] of Object.entries(dimensions)) {
    line.push(key, value);
  }
  if (label !== undefined) {
    line.push({ label });
  }
  return line;
}

function metricWidget(
  title: string,
  region: string,
  metrics: MetricLine[],
  stat: string,
  period = 60,
  width = HALF,
): Widget {
  return {
    type: "metric",
    width,
    height: HEIGHT,
    properties: { title, region, metrics, stat, period, view: "timeSeries", stacked: false },
  };
}

/** Rows left to right, wrapping at the grid's width. */
function place(widgets: readonly Widget[]): PlacedWidget[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return widgets.map((widget) => {
    if (x + widget.width > GRID_WIDTH) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    const placed = { ...widget, x, y };
    x += widget.width;
    rowHeight = Math.max(rowHeight, widget.height);
    return placed;
  });
}

const text = (markdown: string): Widget => ({
  type: "text",
  width: GRID_WIDTH,
  height: 2,
  properties: { markdown },
});

/** Replication lag into this region's cluster: reported only while it is a secondary. */
function replicationLagWidget(source: DashboardRegion): Widget {
  const dims = { DBClusterIdentifier: source.clusterIdentifier };
  return metricWidget(
    `Aurora global lag into ${source.region} (ms; only while it is the secondary)`,
    source.region,
    [
      metricLine(RDS_NAMESPACE, AURORA_REPLICATION_LAG, dims, "replication lag"),
      metricLine(RDS_NAMESPACE, AURORA_RPO_LAG, dims, "RPO lag"),
    ],
    "Maximum",
  );
}

/** This region's prober's view of the other region: failures (0/1 a minute) and latency. */
function probeWidget(source: DashboardRegion): Widget {
  const dims = { service: PROBER_SERVICE, PeerRegion: source.peerRegion };
  return metricWidget(
    `Probes of ${source.peerRegion} from ${source.region} (failures a minute)`,
    source.region,
    [
      metricLine(FAILOVER_NAMESPACE, PROBER_METRICS.apiProbeFailed, dims, "API probe failed"),
      metricLine(FAILOVER_NAMESPACE, PROBER_METRICS.regionProbeFailed, dims, "region probe failed"),
    ],
    "Sum",
  );
}

/** 5xx of the region's load balancer and its targets, against its request count. */
function apiErrorsWidget(source: DashboardRegion): Widget {
  const lb = { LoadBalancer: source.loadBalancerArnSuffix };
  return metricWidget(
    `API 5xx in ${source.region}`,
    source.region,
    [
      metricLine(ALB_NAMESPACE, "HTTPCode_ELB_5XX_Count", lb, "load balancer 5xx"),
      metricLine(ALB_NAMESPACE, "HTTPCode_Target_5XX_Count", lb, "target 5xx"),
      metricLine(ALB_NAMESPACE, "RequestCount", lb, "requests"),
    ],
    "Sum",
  );
}

function lambdaErrorsWidget(source: DashboardRegion): Widget {
  return metricWidget(
    `Lambda errors in ${source.region}`,
    source.region,
    source.functionNames.map((name) =>
      metricLine(LAMBDA_NAMESPACE, "Errors", { FunctionName: name }, name),
    ),
    "Sum",
    300,
  );
}

/** The global table's replication out of this region (the series lives in the sender's region). */
function tableReplicationWidget(source: DashboardRegion): Widget {
  return metricWidget(
    `DynamoDB replication ${source.region} -> ${source.peerRegion} (ms)`,
    source.region,
    [
      metricLine(DYNAMODB_NAMESPACE, "ReplicationLatency", {
        TableName: source.tableName,
        ReceivingRegion: source.peerRegion,
      }),
    ],
    "Average",
  );
}

function queuesWidget(source: DashboardRegion): Widget {
  return metricWidget(
    `Queues in ${source.region}`,
    source.region,
    [
      metricLine(
        SQS_NAMESPACE,
        "ApproximateAgeOfOldestMessage",
        { QueueName: source.workQueueName },
        "oldest transaction (s)",
      ),
      ...source.deadLetterQueueNames.map((name) =>
        metricLine(SQS_NAMESPACE, "ApproximateNumberOfMessagesVisible", { QueueName: name }, name),
      ),
    ],
    "Maximum",
  );
}

/** The orchestrator's decisions and steps, newest first (Logs Insights over its log group). */
function failoverEventsWidget(source: DashboardRegion, width = GRID_WIDTH): Widget {
  return {
    type: "log",
    width,
    height: HEIGHT,
    properties: {
      title: `Failover decisions and steps in ${source.region}`,
      region: source.region,
      query: [
        `SOURCE '${source.orchestratorLogGroupName}'`,
        "fields @timestamp, level, message, action, step, outcome, actionId, requestedBy",
        "sort @timestamp desc",
        "limit 50",
      ].join(" | "),
      view: "table",
    },
  };
}

function alarmStatusWidget(title: string, alarmArns: readonly string[], width = HALF): Widget {
  return {
    type: "alarm",
    width,
    height: HEIGHT,
    properties: { title, alarms: [...alarmArns], sortBy: "stateUpdatedTimestamp" },
  };
}

/** One region's dashboard: its lag, its view of the peer, its errors, its data path, its decisions. */
export function regionalDashboardBody(source: DashboardRegion): string {
  const widgets: Widget[] = [
    text(
      `# tap-dr ${source.role} region ${source.region}\nReplication lag, probes of ${source.peerRegion}, error rates and failover decisions. The global DR dashboard shows both regions.`,
    ),
    alarmStatusWidget(`Corroborating alarm (failover trigger) in ${source.region}`, [
      source.corroboratingAlarmArn,
    ]),
    alarmStatusWidget(`Alarms in ${source.region}`, source.alarmArns),
    replicationLagWidget(source),
    probeWidget(source),
    apiErrorsWidget(source),
    lambdaErrorsWidget(source),
    tableReplicationWidget(source),
    queuesWidget(source),
    failoverEventsWidget(source),
  ];
  return JSON.stringify({ widgets: place(widgets) });
}

/** Route 53 health-check status of both regions' APIs: 1 healthy, 0 not; us-east-1 only. */
function healthCheckWidget(checks: readonly DashboardHealthCheck[]): Widget {
  return metricWidget(
    "Route 53 health checks (1 = healthy)",
    ROUTE53_METRICS_REGION,
    checks.map((check) =>
      metricLine(
        ROUTE53_NAMESPACE,
        "HealthCheckStatus",
        { HealthCheckId: check.healthCheckId },
        check.region,
      ),
    ),
    "Minimum",
  );
}

/** S3 replication latency per rule: one widget per source region, in that region. */
function s3ReplicationWidgets(rules: readonly DashboardReplicationRule[]): Widget[] {
  const regions = [...new Set(rules.map((rule) => rule.sourceRegion))];
  return regions.map((region) =>
    metricWidget(
      `S3 replication out of ${region} (s)`,
      region,
      rules
        .filter((rule) => rule.sourceRegion === region)
        .map((rule) =>
          metricLine(
            S3_NAMESPACE,
            "ReplicationLatency",
            {
              SourceBucket: rule.sourceBucket,
              DestinationBucket: rule.destinationBucket,
              RuleId: rule.ruleId,
            },
            rule.sourceBucket,
          ),
        ),
      "Maximum",
      300,
    ),
  );
}

/**
 * The DR dashboard of both regions, side by side: the failover triggers, replication lag, the
 * probes each way, error rates, health checks, storage replication and both orchestrators'
 * decisions. It lives in the DR region, so it outlasts the primary's loss.
 */
export function globalDashboardBody(
  primary: DashboardRegion,
  dr: DashboardRegion,
  healthChecks: readonly DashboardHealthCheck[],
  replicationRules: readonly DashboardReplicationRule[],
): string {
  const sides = [primary, dr];
  const widgets: Widget[] = [
    text(
      `# tap-dr disaster recovery: ${primary.region} (primary) and ${dr.region} (DR)\nWhich region writes is Aurora's state: a lag series appears in the region that is currently the secondary. Runbook: \`npm run dr -- status\`.`,
    ),
    ...sides.map((side) =>
      alarmStatusWidget(`Failover trigger in ${side.region} (${side.role})`, [
        side.corroboratingAlarmArn,
      ]),
    ),
    ...sides.map(replicationLagWidget),
    ...sides.map(probeWidget),
    ...sides.map(apiErrorsWidget),
    ...(healthChecks.length > 0 ? [healthCheckWidget(healthChecks)] : []),
    ...s3ReplicationWidgets(replicationRules),
    ...sides.map(tableReplicationWidget),
    ...sides.map((side) => failoverEventsWidget(side, HALF)),
  ];
  return JSON.stringify({ widgets: place(widgets) });
}

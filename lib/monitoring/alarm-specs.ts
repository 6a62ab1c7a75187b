/**
 * What each alarm watches, decided as data: metric, dimensions, statistic, window and
 * threshold. Pure (dimension values may be Outputs, but nothing is created here), so the
 * choices are unit-tested and the components only turn specs into resources.
 */
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds } from "../operations/operations-config";
import {
  ALB_NAMESPACE,
  AURORA_REPLICATION_LAG,
  AURORA_RPO_LAG,
  DYNAMODB_NAMESPACE,
  FAILOVER_NAMESPACE,
  LAMBDA_NAMESPACE,
  PROBER_METRICS,
  RDS_NAMESPACE,
  ROUTE53_NAMESPACE,
  S3_NAMESPACE,
  SQS_NAMESPACE,
  proberDimensions,
} from "./metric-contract";

export type ComparisonOperator =
  "GreaterThanOrEqualToThreshold" | "GreaterThanThreshold" | "LessThanThreshold";

/** One metric alarm, before it has a name, a region or actions. */
export interface MetricAlarmSpec {
  /** Short and unique within the region; the alarm's name is alarmName(purpose, scope). */
  readonly purpose: string;
  /** Shown with every notification: what is wrong and what to look at. */
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Exactly the dimension set AWS publishes the series under. */
  readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
  /** A plain statistic, or a percentile such as "p99" (extended statistic). */
  readonly statistic: "Sum" | "Maximum" | "Average" | "Minimum" | `p${number}`;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: ComparisonOperator;
  /**
   * Every alarm here treats a missing series as healthy: ALB, SQS, S3 and Aurora global metrics
   * are not reported when idle, headless or on the writer, and a stopped prober must not page
   * as a dead peer. A real outage shows in the metrics that are reported.
   */
  readonly treatMissingData: "notBreaching";
}

/** Rate alarms look at one 5-minute sum; the thresholds are "per 5 minutes". */
const FIVE_MINUTES = 300;
const ONE_MINUTE = 60;

const spec = (
  fields: Omit<MetricAlarmSpec, "treatMissingData" | "datapointsToAlarm"> & {
    readonly datapointsToAlarm?: number;
  },
): MetricAlarmSpec => ({
  ...fields,
  datapointsToAlarm: fields.datapointsToAlarm ?? fields.evaluationPeriods,
  treatMissingData: "notBreaching",
});

/** Alarm purposes the corroborating composite alarm reads (see corroborationRule). */
export const CORROBORATING_PURPOSES = {
  apiProbe: "peer-api-probe",
  regionProbe: "peer-region-probe",
  replicationLag: "aurora-replication-lag",
} as const;

/**
 * Aurora global replication lag and RPO lag of the region's OWN cluster: AWS publishes them only
 * while the cluster is a secondary, so the alarm is in ALARM only in the region that would be
 * promoted, and sits at OK (missing data) on the writer. Lag over the failover window.
 */
export function auroraGlobalAlarms(
  clusterIdentifier: pulumi.Input<string>,
  thresholds: AlarmThresholds,
  windowMinutes: number,
): MetricAlarmSpec[] {
  const dimensions = { DBClusterIdentifier: clusterIdentifier };
  return [
    spec({
      purpose: CORROBORATING_PURPOSES.replicationLag,
      description: `Aurora global replication lag into this region's cluster above ${thresholds.replicationLagMs} ms for ${windowMinutes} min: the primary may be unreachable (one signal of the corroborating alarm)`,
      namespace: RDS_NAMESPACE,
      metricName: AURORA_REPLICATION_LAG,
      dimensions,
      statistic: "Maximum",
      periodSeconds: ONE_MINUTE,
      evaluationPeriods: windowMinutes,
      threshold: thresholds.replicationLagMs,
      comparison: "GreaterThanThreshold",
    }),
    spec({
      purpose: "aurora-rpo-lag",
      description: `Aurora global RPO lag of this region's cluster above ${thresholds.rpoLagMs} ms: an unplanned failover now would lose that much`,
      namespace: RDS_NAMESPACE,
      metricName: AURORA_RPO_LAG,
      dimensions,
      statistic: "Maximum",
      periodSeconds: ONE_MINUTE,
      evaluationPeriods: windowMinutes,
      threshold: thresholds.rpoLagMs,
      comparison: "GreaterThanThreshold",
    }),
  ];
}

/** CPU and connections of the cluster's instances, aggregated under the cluster's identifier. */
export function auroraLoadAlarms(
  clusterIdentifier: pulumi.Input<string>,
  thresholds: AlarmThresholds,
): MetricAlarmSpec[] {
  const dimensions = { DBClusterIdentifier: clusterIdentifier };
  return [
    spec({
      purpose: "db-cpu",
      description: `Aurora CPU of an instance of this region's cluster at or above ${thresholds.dbCpuPercent}% for 15 min`,
      namespace: RDS_NAMESPACE,
      metricName: "CPUUtilization",
      dimensions,
      statistic: "Maximum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      threshold: thresholds.dbCpuPercent,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
    spec({
      purpose: "db-connections",
      description: `Aurora connections of this region's cluster at or above ${thresholds.dbConnections}`,
      namespace: RDS_NAMESPACE,
      metricName: "DatabaseConnections",
      dimensions,
      statistic: "Maximum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      threshold: thresholds.dbConnections,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
  ];
}

/** One Lambda function to watch: its key in alarm names, its name and its timeout. */
export interface WatchedFunction {
  /** "api", "worker", "orchestrator", "prober". */
  readonly key: string;
  readonly functionName: pulumi.Input<string>;
  readonly timeoutSeconds: number;
}

/** Errors, throttles, and p99 duration against a share of the function's timeout. */
export function lambdaAlarms(fn: WatchedFunction, thresholds: AlarmThresholds): MetricAlarmSpec[] {
  const dimensions = { FunctionName: fn.functionName };
  const durationMs = Math.round(
    (fn.timeoutSeconds * 1000 * thresholds.lambdaDurationPercent) / 100,
  );
  return [
    spec({
      purpose: `${fn.key}-errors`,
      description: `Lambda ${fn.key}: ${thresholds.lambdaErrors} or more errors in 5 min`,
      namespace: LAMBDA_NAMESPACE,
      metricName: "Errors",
      dimensions,
      statistic: "Sum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      threshold: thresholds.lambdaErrors,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
    spec({
      purpose: `${fn.key}-throttles`,
      description: `Lambda ${fn.key}: ${thresholds.lambdaThrottles} or more throttled invocations in 5 min`,
      namespace: LAMBDA_NAMESPACE,
      metricName: "Throttles",
      dimensions,
      statistic: "Sum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      threshold: thresholds.lambdaThrottles,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
    spec({
      purpose: `${fn.key}-duration`,
      description: `Lambda ${fn.key}: p99 duration at or above ${thresholds.lambdaDurationPercent}% of its ${fn.timeoutSeconds} s timeout (${durationMs} ms) for 15 min`,
      namespace: LAMBDA_NAMESPACE,
      metricName: "Duration",
      dimensions,
      statistic: "p99",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      threshold: durationMs,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
  ];
}

/** The region's load balancer and its target group, by their CloudWatch ARN suffixes. */
export interface WatchedLoadBalancer {
  /** "app/<name>/<id>": the LoadBalancer dimension. */
  readonly arnSuffix: pulumi.Input<string>;
  /** "targetgroup/<name>/<id>": the TargetGroup dimension. */
  readonly targetGroupArnSuffix: pulumi.Input<string>;
}

/** 5xx from the load balancer itself and from its targets, and unhealthy targets. */
export function loadBalancerAlarms(
  lb: WatchedLoadBalancer,
  thresholds: AlarmThresholds,
): MetricAlarmSpec[] {
  const five = (purpose: string, metricName: string, who: string): MetricAlarmSpec =>
    spec({
      purpose,
      description: `ALB: ${thresholds.alb5xxCount} or more 5xx from ${who} in a minute, 3 minutes running`,
      namespace: ALB_NAMESPACE,
      metricName,
      dimensions: { LoadBalancer: lb.arnSuffix },
      statistic: "Sum",
      periodSeconds: ONE_MINUTE,
      evaluationPeriods: 3,
      threshold: thresholds.alb5xxCount,
      comparison: "GreaterThanOrEqualToThreshold",
    });
  return [
    five("alb-elb-5xx", "HTTPCode_ELB_5XX_Count", "the load balancer"),
    five("alb-target-5xx", "HTTPCode_Target_5XX_Count", "the targets"),
    spec({
      purpose: "alb-unhealthy-targets",
      description: `ALB: ${thresholds.unhealthyTargets} or more unhealthy targets for 3 min`,
      namespace: ALB_NAMESPACE,
      metricName: "UnHealthyHostCount",
      dimensions: { TargetGroup: lb.targetGroupArnSuffix, LoadBalancer: lb.arnSuffix },
      statistic: "Maximum",
      periodSeconds: ONE_MINUTE,
      evaluationPeriods: 3,
      threshold: thresholds.unhealthyTargets,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
  ];
}

/**
 * The global table's replication out of this region (the series lives in the sending region,
 * one per receiving region) and this region's replica's throttled reads and writes.
 */
export function dynamoAlarms(
  tableName: string,
  peerRegion: string,
  thresholds: AlarmThresholds,
): MetricAlarmSpec[] {
  const throttles = (purpose: string, metricName: string, what: string): MetricAlarmSpec =>
    spec({
      purpose,
      description: `DynamoDB ${tableName}: ${thresholds.dynamoThrottles} or more throttled ${what} in 5 min`,
      namespace: DYNAMODB_NAMESPACE,
      metricName,
      dimensions: { TableName: tableName },
      statistic: "Sum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      threshold: thresholds.dynamoThrottles,
      comparison: "GreaterThanOrEqualToThreshold",
    });
  return [
    spec({
      purpose: "dynamodb-replication-latency",
      description: `DynamoDB ${tableName}: replication to ${peerRegion} slower than ${thresholds.dynamoReplicationLatencyMs} ms on average for 5 min`,
      namespace: DYNAMODB_NAMESPACE,
      metricName: "ReplicationLatency",
      dimensions: { TableName: tableName, ReceivingRegion: peerRegion },
      statistic: "Average",
      periodSeconds: ONE_MINUTE,
      evaluationPeriods: 5,
      threshold: thresholds.dynamoReplicationLatencyMs,
      comparison: "GreaterThanThreshold",
    }),
    throttles("dynamodb-read-throttles", "ReadThrottleEvents", "reads"),
    throttles("dynamodb-write-throttles", "WriteThrottleEvents", "writes"),
  ];
}

/** A queue by its name (the QueueName dimension) and its key in alarm names. */
export interface WatchedQueue {
  readonly key: string;
  readonly queueName: pulumi.Input<string>;
}

/** Messages waiting in a dead-letter (or failure) queue: each is a transaction or event lost. */
export function deadLetterAlarm(queue: WatchedQueue, thresholds: AlarmThresholds): MetricAlarmSpec {
  return spec({
    purpose: `${queue.key}-depth`,
    description: `SQS ${queue.key}: ${thresholds.dlqMessages} or more messages waiting; they failed and need a redrive or a look`,
    namespace: SQS_NAMESPACE,
    metricName: "ApproximateNumberOfMessagesVisible",
    dimensions: { QueueName: queue.queueName },
    statistic: "Maximum",
    periodSeconds: ONE_MINUTE,
    evaluationPeriods: 1,
    threshold: thresholds.dlqMessages,
    comparison: "GreaterThanOrEqualToThreshold",
  });
}

/** The oldest message of the work queue: the worker is stuck or too slow. */
export function oldestMessageAlarm(
  queue: WatchedQueue,
  thresholds: AlarmThresholds,
): MetricAlarmSpec {
  return spec({
    purpose: `${queue.key}-oldest-message`,
    description: `SQS ${queue.key}: oldest message older than ${thresholds.queueOldestMessageSeconds} s for 5 min; the worker is not keeping up`,
    namespace: SQS_NAMESPACE,
    metricName: "ApproximateAgeOfOldestMessage",
    dimensions: { QueueName: queue.queueName },
    statistic: "Maximum",
    periodSeconds: ONE_MINUTE,
    evaluationPeriods: 5,
    threshold: thresholds.queueOldestMessageSeconds,
    comparison: "GreaterThanOrEqualToThreshold",
  });
}

/**
 * The prober's two signals about the OTHER region, each failing in every minute of the window
 * (the prober publishes 0 or 1 a minute). Missing data is not a failure: a dead prober in this
 * region must not look like a dead peer.
 */
export function proberAlarms(peerRegion: string, windowMinutes: number): MetricAlarmSpec[] {
  const probe = (purpose: string, metricName: string, what: string): MetricAlarmSpec =>
    spec({
      purpose,
      description: `${what} of ${peerRegion} failed every minute for ${windowMinutes} min (one signal of the corroborating alarm)`,
      namespace: FAILOVER_NAMESPACE,
      metricName,
      dimensions: proberDimensions(peerRegion),
      statistic: "Sum",
      periodSeconds: ONE_MINUTE,
      evaluationPeriods: windowMinutes,
      threshold: 1,
      comparison: "GreaterThanOrEqualToThreshold",
    });
  return [
    probe(CORROBORATING_PURPOSES.apiProbe, PROBER_METRICS.apiProbeFailed, "The API health probe"),
    probe(
      CORROBORATING_PURPOSES.regionProbe,
      PROBER_METRICS.regionProbeFailed,
      "The RDS endpoint probe",
    ),
  ];
}

/** One S3 replication rule: both buckets and the rule's id, the metric's three dimensions. */
export interface WatchedReplication {
  /** The bucket pair's purpose ("txlogs"), in alarm names. */
  readonly key: string;
  readonly sourceBucket: pulumi.Input<string>;
  readonly destinationBucket: pulumi.Input<string>;
  readonly ruleId: string;
}

/** S3 Replication Time Control's metrics of one rule, in the source bucket's region. */
export function s3ReplicationAlarms(
  replication: WatchedReplication,
  thresholds: AlarmThresholds,
): MetricAlarmSpec[] {
  const dimensions = {
    SourceBucket: replication.sourceBucket,
    DestinationBucket: replication.destinationBucket,
    RuleId: replication.ruleId,
  };
  return [
    spec({
      purpose: `s3-${replication.key}-replication-latency`,
      description: `S3 ${replication.key}: replication (${replication.ruleId}) slower than ${thresholds.s3ReplicationLatencySeconds} s for 15 min`,
      namespace: S3_NAMESPACE,
      metricName: "ReplicationLatency",
      dimensions,
      statistic: "Maximum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      threshold: thresholds.s3ReplicationLatencySeconds,
      comparison: "GreaterThanThreshold",
    }),
    spec({
      purpose: `s3-${replication.key}-replication-failed`,
      description: `S3 ${replication.key}: ${thresholds.s3FailedOperations} or more objects failed to replicate (${replication.ruleId}) in 5 min`,
      namespace: S3_NAMESPACE,
      metricName: "OperationsFailedReplication",
      dimensions,
      statistic: "Sum",
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      threshold: thresholds.s3FailedOperations,
      comparison: "GreaterThanOrEqualToThreshold",
    }),
  ];
}

/**
 * A Route 53 health check reporting the region unhealthy (HealthCheckStatus 1 -> 0) for the
 * failover window; the metric exists only in us-east-1.
 */
export function healthCheckAlarm(
  regionLabel: string,
  checkedRegion: string,
  healthCheckId: pulumi.Input<string>,
  windowMinutes: number,
): MetricAlarmSpec {
  return spec({
    purpose: `health-check-${regionLabel}`,
    description: `Route 53 health check of the ${checkedRegion} API unhealthy for ${windowMinutes} min`,
    namespace: ROUTE53_NAMESPACE,
    metricName: "HealthCheckStatus",
    dimensions: { HealthCheckId: healthCheckId },
    statistic: "Minimum",
    periodSeconds: ONE_MINUTE,
    evaluationPeriods: windowMinutes,
    threshold: 1,
    comparison: "LessThanThreshold",
  });
}

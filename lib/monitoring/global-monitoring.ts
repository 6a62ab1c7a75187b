import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createRegionalProvider } from "../aws-provider";
import { AwsCredentials } from "../aws-credentials";
import { ModeSettings } from "../modes";
import { OperationsConfig } from "../operations/operations-config";
import { RegionalKey } from "../security/regional-key";
import { AlertTopic } from "./alert-topic";
import { globalDashboardName } from "./alarm-names";
import { healthCheckAlarm, s3ReplicationAlarms } from "./alarm-specs";
import { globalDashboardBody } from "./dashboard-body";
import { createMetricAlarm } from "./metric-alarm";
import { ROUTE53_METRICS_REGION } from "./metric-contract";
import { DashboardRegionInputs } from "./regional-dashboard";

/** One region as the cross-region monitoring sees it. */
export interface MonitoredRegion {
  readonly region: string;
  /** "primary" or "dr", in logical names. */
  readonly label: string;
  /** GlobalResources' provider for this region. */
  readonly provider: aws.Provider;
  /** The region's alert topic: actions of alarms created in this region. */
  readonly alertTopicArn: pulumi.Input<string>;
  /** What the region's dashboard shows (RegionalMonitoring.dashboardSource). */
  readonly dashboard: DashboardRegionInputs;
}

/** One S3 replication rule, watched in its source bucket's region. */
export interface MonitoredReplication {
  /** "<direction>-<purpose>", unique in logical names; the purpose alone names the alarm. */
  readonly label: string;
  /** The bucket pair's purpose ("txlogs"). */
  readonly purpose: string;
  /** "primary" or "dr": the source bucket's side. */
  readonly source: "primary" | "dr";
  readonly sourceBucketName: pulumi.Input<string>;
  readonly destinationBucketName: pulumi.Input<string>;
  readonly ruleId: string;
}

/** A Route 53 health check of one region's API. */
export interface MonitoredHealthCheck {
  readonly side: "primary" | "dr";
  readonly healthCheckId: pulumi.Input<string>;
}

export interface GlobalMonitoringArgs {
  /** Stack suffix in every name. */
  readonly environmentSuffix: string;
  /** Thresholds and the window. */
  readonly operations: OperationsConfig;
  readonly primary: MonitoredRegion;
  readonly dr: MonitoredRegion;
  /** Every S3 replication rule of both directions. */
  readonly replications: readonly MonitoredReplication[];
  /** The API's health checks; empty without a domain (no checks exist). @default [] */
  readonly healthChecks?: readonly MonitoredHealthCheck[];
  /** For a us-east-1 provider when neither region is us-east-1: the stack's tags. */
  readonly tags: Readonly<Record<string, string>>;
  /** For that provider: the stack's credential settings. */
  readonly credentials: AwsCredentials;
  /** The region in an outage, if any: its provider makes no STS call. @default undefined */
  readonly unreachableRegion?: string;
  /** For a us-east-1 key and topic: the account, partition and mode settings. */
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly settings: ModeSettings;
}

/**
 * The monitoring that needs both regions: S3 replication alarms (they name both buckets and the
 * rule, and live in the source bucket's region), Route 53 health-check alarms (in us-east-1,
 * the only region Route 53 publishes them in: through the region that is us-east-1, or a
 * dedicated provider, key and topic there), and the global DR dashboard, created in the DR
 * region so it outlives the primary region.
 */
export class GlobalMonitoring extends pulumi.ComponentResource {
  public readonly globalDashboardName: pulumi.Output<string>;
  public readonly replicationAlarmNames: pulumi.Output<string[]>;
  public readonly healthCheckAlarmNames: pulumi.Output<string[]>;
  /** The topic the health-check alarms notify; undefined without health checks. */
  public readonly healthCheckTopicArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: GlobalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:GlobalMonitoring", name, {}, opts);
    const thresholds = args.operations.alarmThresholds;
    const window = args.operations.failoverWindowMinutes;
    const sides = { primary: args.primary, dr: args.dr };
    const scopeOf = (region: string) => ({ environmentSuffix: args.environmentSuffix, region });

    const replicationAlarms = args.replications.flatMap((replication) => {
      const side = sides[replication.source];
      return s3ReplicationAlarms(
        {
          key: replication.purpose,
          sourceBucket: replication.sourceBucketName,
          destinationBucket: replication.destinationBucketName,
          ruleId: replication.ruleId,
        },
        thresholds,
      ).map((spec) =>
        createMetricAlarm(
          `${name}-${replication.label}`,
          spec,
          scopeOf(side.region),
          side.alertTopicArn,
          { parent: this, provider: side.provider },
        ),
      );
    });

    const checks = args.healthChecks ?? [];
    const route53 = checks.length > 0 ? this.route53Target(name, args) : undefined;
    const healthAlarms =
      route53 === undefined
        ? []
        : checks.map((check) =>
            createMetricAlarm(
              `${name}-${check.side}`,
              healthCheckAlarm(check.side, sides[check.side].region, check.healthCheckId, window),
              scopeOf(ROUTE53_METRICS_REGION),
              route53.topicArn,
              { parent: this, provider: route53.provider },
            ),
          );

    const dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: globalDashboardName(args.environmentSuffix),
        dashboardBody: pulumi
          .all([
            pulumi.output(args.primary.dashboard),
            pulumi.output(args.dr.dashboard),
            pulumi.all(
              checks.map((check) =>
                pulumi.output(check.healthCheckId).apply((healthCheckId) => ({
                  region: sides[check.side].region,
                  healthCheckId,
                })),
              ),
            ),
            pulumi.all(
              args.replications.map((replication) =>
                pulumi
                  .all([replication.sourceBucketName, replication.destinationBucketName])
                  .apply(([sourceBucket, destinationBucket]) => ({
                    sourceRegion: sides[replication.source].region,
                    sourceBucket,
                    destinationBucket,
                    ruleId: replication.ruleId,
                  })),
              ),
            ),
          ])
          .apply(([primary, dr, healthChecks, rules]) =>
            globalDashboardBody(primary, dr, healthChecks, rules),
          ),
      },
      // In the DR region: the view of a primary-region outage must not depend on that region.
      { parent: this, provider: args.dr.provider },
    );

    this.globalDashboardName = dashboard.dashboardName;
    this.replicationAlarmNames = pulumi.all(replicationAlarms.map((alarm) => alarm.name));
    this.healthCheckAlarmNames = pulumi.all(healthAlarms.map((alarm) => alarm.name));
    this.healthCheckTopicArn = route53 && pulumi.output(route53.topicArn);
    this.registerOutputs({
      globalDashboardName: this.globalDashboardName,
      replicationAlarmNames: this.replicationAlarmNames,
      healthCheckAlarmNames: this.healthCheckAlarmNames,
      healthCheckTopicArn: this.healthCheckTopicArn,
    });
  }

  /**
   * Where the health-check alarms go: the side that is us-east-1, with its provider and topic,
   * or else a us-east-1 provider with its own key and alert topic, the same components the
   * regions use.
   */
  private route53Target(
    name: string,
    args: GlobalMonitoringArgs,
  ): { provider: aws.Provider; topicArn: pulumi.Input<string> } {
    const local = [args.primary, args.dr].find((side) => side.region === ROUTE53_METRICS_REGION);
    if (local !== undefined) {
      return { provider: local.provider, topicArn: local.alertTopicArn };
    }
    const provider = createRegionalProvider(
      `${name}-use1-aws`,
      ROUTE53_METRICS_REGION,
      args.tags,
      args.credentials,
      this,
      args.unreachableRegion !== ROUTE53_METRICS_REGION,
    );
    const options = { parent: this, providers: { aws: provider } };
    const key = new RegionalKey(
      `${name}-use1-kms`,
      {
        region: ROUTE53_METRICS_REGION,
        environmentSuffix: args.environmentSuffix,
        accountId: args.accountId,
        partition: args.partition,
        deletionWindowInDays: args.settings.kmsDeletionWindowDays,
        retainOnDelete: args.settings.retainDataOnDelete,
        protect: args.settings.protectData,
      },
      options,
    );
    const topic = new AlertTopic(
      `${name}-use1-alerts`,
      {
        region: ROUTE53_METRICS_REGION,
        environmentSuffix: args.environmentSuffix,
        kmsKeyArn: key.keyArn,
        accountId: args.accountId,
        partition: args.partition,
        alertEmail: args.operations.alertEmail,
      },
      options,
    );
    return { provider, topicArn: topic.topicArn };
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RDS_FAILOVER_EVENT_CATEGORIES } from "../failover/failover-settings";
import { OperationsConfig } from "../operations/operations-config";
import { rdsEventSubscriptionName } from "./alarm-names";
import { WatchedFunction, WatchedLoadBalancer } from "./alarm-specs";
import { queueNameOfUrl } from "./metric-contract";
import { RegionalAlarms } from "./regional-alarms";
import { DashboardRegionInputs, RegionalDashboard } from "./regional-dashboard";

/** A queue the region's alarms watch, by its URL (the name is its last segment). */
export interface MonitoredQueue {
  /** Its key in alarm names ("transactions-dlq"). */
  readonly key: string;
  readonly queueUrl: pulumi.Input<string>;
}

export interface RegionalMonitoringArgs {
  /** Region of every resource here (the provider's). */
  readonly region: string;
  /** The other region: what this region's prober probes. */
  readonly peerRegion: string;
  /** "primary" or "dr", the design role, in titles. */
  readonly role: string;
  /** Stack suffix in every name. */
  readonly environmentSuffix: string;
  /** The region's alert topic (AlertTopic, built with the key). */
  readonly topicArn: pulumi.Input<string>;
  /** Thresholds and the corroboration window. */
  readonly operations: OperationsConfig;
  /** The region's Aurora member cluster. */
  readonly clusterIdentifier: pulumi.Input<string>;
  /** Every Lambda function of the region, with its timeout. */
  readonly functions: readonly WatchedFunction[];
  /** The region's API load balancer. */
  readonly loadBalancer: WatchedLoadBalancer;
  /** The DynamoDB global table's name (the same in each replica region). */
  readonly tableName: string;
  /** The transaction queue. */
  readonly workQueue: MonitoredQueue;
  /** Every dead-letter and async-failure queue of the region. */
  readonly deadLetterQueues: readonly MonitoredQueue[];
  /** The failover orchestrator's log group, for the dashboard's decisions widget. */
  readonly orchestratorLogGroupName: pulumi.Input<string>;
}

/**
 * A region's notifications and views: RDS failover events to the alert topic, the alarms and
 * the corroborating composite alarm, and the region's dashboard. Give it the region's provider
 * (`providers: { aws }`).
 */
export class RegionalMonitoring extends pulumi.ComponentResource {
  public readonly alarmNames: pulumi.Output<string[]>;
  public readonly corroboratingAlarmName: pulumi.Output<string>;
  public readonly corroboratingAlarmArn: pulumi.Output<string>;
  public readonly dashboardName: pulumi.Output<string>;
  /** What the region's dashboard shows, for the global dashboard. */
  public readonly dashboardSource: DashboardRegionInputs;

  constructor(name: string, args: RegionalMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:RegionalMonitoring", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };

    // RDS has no global-cluster source type: each region subscribes to its own member cluster,
    // whose events (global switchover and failover included) land in the cluster's region.
    new aws.rds.EventSubscription(
      `${name}-db-events`,
      {
        name: rdsEventSubscriptionName("db-failover-events", scope),
        snsTopic: args.topicArn,
        sourceType: "db-cluster",
        sourceIds: [args.clusterIdentifier],
        eventCategories: [...RDS_FAILOVER_EVENT_CATEGORIES],
        enabled: true,
      },
      child,
    );

    const queueName = (queue: MonitoredQueue): pulumi.Output<string> =>
      pulumi.output(queue.queueUrl).apply(queueNameOfUrl);
    const workQueue = { key: args.workQueue.key, queueName: queueName(args.workQueue) };
    const deadLetterQueues = args.deadLetterQueues.map((queue) => ({
      key: queue.key,
      queueName: queueName(queue),
    }));

    const alarms = new RegionalAlarms(
      `${name}-alarms`,
      {
        region: args.region,
        peerRegion: args.peerRegion,
        environmentSuffix: args.environmentSuffix,
        topicArn: args.topicArn,
        thresholds: args.operations.alarmThresholds,
        failoverWindowMinutes: args.operations.failoverWindowMinutes,
        clusterIdentifier: args.clusterIdentifier,
        functions: args.functions,
        loadBalancer: args.loadBalancer,
        tableName: args.tableName,
        workQueue,
        deadLetterQueues,
      },
      child,
    );

    this.dashboardSource = {
      role: args.role,
      region: args.region,
      peerRegion: args.peerRegion,
      clusterIdentifier: args.clusterIdentifier,
      functionNames: pulumi.all(args.functions.map((fn) => fn.functionName)),
      loadBalancerArnSuffix: args.loadBalancer.arnSuffix,
      targetGroupArnSuffix: args.loadBalancer.targetGroupArnSuffix,
      tableName: args.tableName,
      workQueueName: workQueue.queueName,
      deadLetterQueueNames: pulumi.all(deadLetterQueues.map((queue) => queue.queueName)),
      orchestratorLogGroupName: args.orchestratorLogGroupName,
      alarmArns: alarms.alarmArns,
      corroboratingAlarmArn: alarms.corroboratingAlarmArn,
    };
    const dashboard = new RegionalDashboard(
      `${name}-dashboard`,
      { environmentSuffix: args.environmentSuffix, source: this.dashboardSource },
      child,
    );

    this.alarmNames = alarms.alarmNames;
    this.corroboratingAlarmName = alarms.corroboratingAlarmName;
    this.corroboratingAlarmArn = alarms.corroboratingAlarmArn;
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({
      alarmNames: this.alarmNames,
      corroboratingAlarmName: this.corroboratingAlarmName,
      corroboratingAlarmArn: this.corroboratingAlarmArn,
      dashboardName: this.dashboardName,
    });
  }
}

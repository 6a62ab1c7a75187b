import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AlarmThresholds } from "../operations/operations-config";
import { corroboratingAlarmName } from "./alarm-names";
import {
  CORROBORATING_PURPOSES,
  MetricAlarmSpec,
  WatchedFunction,
  WatchedLoadBalancer,
  WatchedQueue,
  auroraGlobalAlarms,
  auroraLoadAlarms,
  deadLetterAlarm,
  dynamoAlarms,
  lambdaAlarms,
  loadBalancerAlarms,
  oldestMessageAlarm,
  proberAlarms,
} from "./alarm-specs";
import { atLeastTwoOf } from "./composite-rule";
import { createMetricAlarm } from "./metric-alarm";

export interface RegionalAlarmsArgs {
  /** Region of the alarms (the provider's): every metric here is published in it. */
  readonly region: string;
  /** The other region: what the prober probes and where the table replicates to. */
  readonly peerRegion: string;
  /** Stack suffix in every alarm name. */
  readonly environmentSuffix: string;
  /** This region's alert topic: every alarm's ALARM and OK action. */
  readonly topicArn: pulumi.Input<string>;
  /** From config (operations.alarmThresholds). */
  readonly thresholds: AlarmThresholds;
  /** Minutes each corroborating signal must fail (operations.failoverWindowMinutes). */
  readonly failoverWindowMinutes: number;
  /** This region's Aurora cluster (its own, whether writer or secondary). */
  readonly clusterIdentifier: pulumi.Input<string>;
  /** Every Lambda function of the region. */
  readonly functions: readonly WatchedFunction[];
  /** The region's API load balancer. */
  readonly loadBalancer: WatchedLoadBalancer;
  /** The DynamoDB global table (same name in every replica region). */
  readonly tableName: string;
  /** The transaction queue: its oldest message's age. */
  readonly workQueue: WatchedQueue;
  /** Every dead-letter and async-failure queue of the region: their depth. */
  readonly deadLetterQueues: readonly WatchedQueue[];
}

/**
 * The region's alarms on metrics published in the region, each notifying the region's topic,
 * and the corroborating composite alarm: ALARM when at least two independent signals say the
 * OTHER region is down (peer API probe, peer region probe, replication lag into this region).
 * Give it the region's provider (`providers: { aws }`).
 */
export class RegionalAlarms extends pulumi.ComponentResource {
  /** Every metric alarm's name, in creation order. */
  public readonly alarmNames: pulumi.Output<string[]>;
  /** Every metric alarm's ARN (for dashboards' alarm-status widgets). */
  public readonly alarmArns: pulumi.Output<string[]>;
  /** The composite alarm the orchestrator's EventBridge rule acts on. */
  public readonly corroboratingAlarmName: pulumi.Output<string>;
  public readonly corroboratingAlarmArn: pulumi.Output<string>;

  constructor(name: string, args: RegionalAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:RegionalAlarms", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const { thresholds } = args;
    const window = args.failoverWindowMinutes;

    const specs: MetricAlarmSpec[] = [
      ...proberAlarms(args.peerRegion, window),
      ...auroraGlobalAlarms(args.clusterIdentifier, thresholds, window),
      ...auroraLoadAlarms(args.clusterIdentifier, thresholds),
      ...args.functions.flatMap((fn) => lambdaAlarms(fn, thresholds)),
      ...loadBalancerAlarms(args.loadBalancer, thresholds),
      ...dynamoAlarms(args.tableName, args.peerRegion, thresholds),
      oldestMessageAlarm(args.workQueue, thresholds),
      ...args.deadLetterQueues.map((queue) => deadLetterAlarm(queue, thresholds)),
    ];
    const purposes = specs.map((spec) => spec.purpose);
    const repeated = purposes.filter((purpose, i) => purposes.indexOf(purpose) !== i);
    if (repeated.length > 0) {
      throw new Error(
        `alarm purposes must be unique in ${args.region}; repeated: ${repeated.join(", ")} (give each function and queue its own key)`,
      );
    }
    const alarms = specs.map((spec) =>
      createMetricAlarm(name, spec, scope, args.topicArn, { parent: this }),
    );

    // The rule names its alarms by name; their Outputs make the composite wait for them, as
    // PutCompositeAlarm rejects a rule naming an alarm that does not exist yet.
    const byPurpose = new Map(specs.map((spec, i) => [spec.purpose, alarms[i]]));
    const signals = Object.values(CORROBORATING_PURPOSES).map((purpose) => {
      const alarm = byPurpose.get(purpose);
      if (alarm === undefined) {
        throw new Error(`the corroborating alarm needs the "${purpose}" alarm in ${args.region}`);
      }
      return alarm.name;
    });
    const composite = new aws.cloudwatch.CompositeAlarm(
      `${name}-corroborated`,
      {
        alarmName: corroboratingAlarmName(scope),
        alarmDescription: `At least two independent signals say ${args.peerRegion} is down (probes of its API and of its RDS endpoint, replication lag into ${args.region}) for ${window} min. The failover orchestrator of ${args.region} acts on this (or, in notify mode, pages).`,
        alarmRule: pulumi.all(signals).apply((names) => atLeastTwoOf(names)),
        actionsEnabled: true,
        alarmActions: [args.topicArn],
        okActions: [args.topicArn],
      },
      { parent: this },
    );

    this.alarmNames = pulumi.all(alarms.map((alarm) => alarm.name));
    this.alarmArns = pulumi.all(alarms.map((alarm) => alarm.arn));
    this.corroboratingAlarmName = composite.alarmName;
    this.corroboratingAlarmArn = composite.arn;
    this.registerOutputs({
      alarmNames: this.alarmNames,
      alarmArns: this.alarmArns,
      corroboratingAlarmName: this.corroboratingAlarmName,
      corroboratingAlarmArn: this.corroboratingAlarmArn,
    });
  }
}

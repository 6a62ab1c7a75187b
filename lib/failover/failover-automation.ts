import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppFunction } from "../app/app-function";
import { FAILURE_QUEUE_RETENTION_SECONDS } from "../app/app-tier-settings";
import { HANDLER_ENTRIES } from "../app/lambda-bundle";
import { DatabaseConfig } from "../data/data-tier-config";
import { KMS_DATA_KEY_REUSE_SECONDS } from "../data/transaction-queues";
import { corroboratingAlarmName } from "../monitoring/alarm-names";
import { ModeSettings } from "../modes";
import { physicalName } from "../naming";
import { OperationsConfig } from "../operations/operations-config";
import { ControlTable } from "./control-table";
import { alarmStatePattern, rdsFailoverEventPattern } from "./event-patterns";
import {
  clusterInstanceIdentifiers,
  dbSubnetGroupName,
  eventRuleArn,
  failoverInstanceIdentifier,
  instanceParameterGroupName,
  stateMachineArn,
  stateMachineName,
  clusterArnOf,
} from "./failover-names";
import {
  EVENT_TARGET_MAX_EVENT_AGE_SECONDS,
  EVENT_TARGET_MAX_RETRY_ATTEMPTS,
  ORCHESTRATOR_ASYNC_RETRY_ATTEMPTS,
  ORCHESTRATOR_MAX_EVENT_AGE_SECONDS,
  ORCHESTRATOR_MEMORY_MB,
  ORCHESTRATOR_RESERVED_CONCURRENCY,
  ORCHESTRATOR_TIMEOUT_SECONDS,
  PROBER_MAX_EVENT_AGE_SECONDS,
  PROBER_MEMORY_MB,
  PROBER_RESERVED_CONCURRENCY,
  PROBER_TIMEOUT_SECONDS,
} from "./failover-settings";
import { FailoverWorkflow } from "./failover-workflow";
import { FunctionTrigger } from "./function-trigger";
import {
  type AppFleetTarget,
  PROBER_SERVICE_NAME,
  orchestratorEnvironment,
} from "./orchestrator-environment";
import { failureQueuePolicy, orchestratorPolicy } from "./orchestrator-policy";

/** Purposes in the names of the orchestrator's rules. */
export const ORCHESTRATOR_RULE_PURPOSES = {
  alarm: "failover-alarm",
  rdsEvents: "failover-rds-events",
} as const;

export interface FailoverAutomationArgs {
  /** Region of every resource here, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's design role (REGION_ROLE); it does not follow a failover. */
  readonly role: "primary" | "dr";
  /** The other region: the prober's target (set in GlobalResources) and PEER_REGION. */
  readonly peerRegion: string;
  /** The region's key: table, queue, logs and the functions' environment. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The global cluster's identifier; for the DR region it resolves after the primary's writer. */
  readonly globalClusterIdentifier: pulumi.Input<string>;
  /** This region's member cluster: the one the orchestrator promotes. */
  readonly clusterIdentifier: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  /** Instances the program gives this region's cluster (0 is a headless DR cluster). */
  readonly instanceCount: number;
  /** Aurora capacity: the failover instance's class. */
  readonly database: Pick<DatabaseConfig, "capacity" | "instanceClass">;
  /** Failover mode, corroboration window and the replication-lag threshold. */
  readonly operations: OperationsConfig;
  /** The region's alert topic: every orchestrator step is published there. */
  readonly alertTopicArn: pulumi.Input<string>;
  /** What the stack mode means for the table and logs (lib/modes.ts). */
  readonly settings: ModeSettings;
  /** The deploying account, from a lookup through this region's provider (or pinned). */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"). */
  readonly partition: pulumi.Input<string>;
  /**
   * EC2 tier: this region's app fleet and the instances it must run before the region is
   * promoted (a pilot-light fleet runs none). @default none (Lambda tier: nothing to scale)
   */
  readonly appFleet?: AppFleetTarget;
}

/**
 * The failover automation of one region, the same in both: the control table (lock and audit),
 * the orchestrator (outside the VPC: it only calls AWS APIs of its own region), its workflow,
 * the EventBridge rules that invoke it (the corroborating alarm's ALARM state, RDS failover
 * events), a failure queue for what could not be delivered or processed, and the health prober
 * whose schedule GlobalResources adds once the peer region's API URL exists.
 */
export class FailoverAutomation extends pulumi.ComponentResource {
  public readonly controlTableName: pulumi.Output<string>;
  public readonly controlTableArn: pulumi.Output<string>;
  public readonly orchestratorFunctionName: pulumi.Output<string>;
  public readonly orchestratorFunctionArn: pulumi.Output<string>;
  public readonly stateMachineArn: pulumi.Output<string>;
  public readonly failureQueueUrl: pulumi.Output<string>;
  public readonly proberFunctionName: pulumi.Output<string>;
  public readonly proberFunctionArn: pulumi.Output<string>;
  /** The composite alarm whose ALARM state invokes the orchestrator (built by the monitoring). */
  public readonly corroboratingAlarmName: string;

  constructor(name: string, args: FailoverAutomationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:failover:FailoverAutomation", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const { settings } = args;
    const alarmName = corroboratingAlarmName(scope);
    const machineName = stateMachineName(scope);
    const instanceIdentifiers = clusterInstanceIdentifiers(scope, args.instanceCount);
    const arnScope = pulumi
      .all([args.partition, args.accountId])
      .apply(([partition, accountId]) => ({ partition, accountId, region: args.region }));
    const ruleNames = {
      alarm: physicalName("eventRule", ORCHESTRATOR_RULE_PURPOSES.alarm, scope),
      rdsEvents: physicalName("eventRule", ORCHESTRATOR_RULE_PURPOSES.rdsEvents, scope),
    };

    const table = new ControlTable(
      `${name}-control`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        kmsKeyArn: args.kmsKeyArn,
        deletionProtection: settings.deletionProtection,
        retainOnDelete: settings.retainDataOnDelete,
        protect: settings.protectData,
      },
      child,
    );

    // Built before the rules, so its policy names them by their deterministic ARNs.
    const failureQueue = new aws.sqs.Queue(
      `${name}-failures`,
      {
        name: physicalName("sqsQueue", "orchestrator-failures", scope),
        messageRetentionSeconds: FAILURE_QUEUE_RETENTION_SECONDS,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: KMS_DATA_KEY_REUSE_SECONDS,
      },
      { parent: this, protect: settings.protectData },
    );
    new aws.sqs.QueuePolicy(
      `${name}-failures-policy`,
      {
        queueUrl: failureQueue.url,
        policy: pulumi
          .all([failureQueue.arn, arnScope])
          .apply(([queueArn, arn]) =>
            JSON.stringify(
              failureQueuePolicy(queueArn, [
                eventRuleArn(arn, ruleNames.alarm),
                eventRuleArn(arn, ruleNames.rdsEvents),
              ]),
            ),
          ),
      },
      child,
    );

    const policy = new aws.iam.Policy(
      `${name}-orchestrator-policy`,
      {
        name: physicalName("iamPolicy", "orchestrator-data-plane", scope),
        description: `Failover orchestrator in ${args.region}: this region's cluster, the global cluster, control table, topic, workflow and key`,
        policy: pulumi
          .all([
            arnScope,
            args.globalClusterIdentifier,
            args.clusterArn,
            table.tableArn,
            args.alertTopicArn,
            failureQueue.arn,
            args.kmsKeyArn,
          ])
          .apply(
            ([arn, globalClusterIdentifier, clusterArn, tableArn, topicArn, queueArn, keyArn]) =>
              JSON.stringify(
                orchestratorPolicy({
                  scope: arn,
                  globalClusterIdentifier,
                  clusterArn,
                  peerClusterArn: clusterArnOf(
                    { ...arn, region: args.peerRegion },
                    { environmentSuffix: args.environmentSuffix, region: args.peerRegion },
                  ),
                  failoverInstanceIdentifier: failoverInstanceIdentifier(scope),
                  parameterGroupName: instanceParameterGroupName(scope),
                  subnetGroupName: dbSubnetGroupName(scope),
                  controlTableArn: tableArn,
                  alertTopicArn: topicArn,
                  stateMachineName: machineName,
                  failureQueueArn: queueArn,
                  keyArn,
                  ...(args.appFleet === undefined ? {} : { appFleetName: args.appFleet.name }),
                }),
              ),
          ),
      },
      child,
    );

    const functionArgs = {
      region: args.region,
      environmentSuffix: args.environmentSuffix,
      kmsKeyArn: args.kmsKeyArn,
      logRetentionDays: settings.appLogRetentionDays,
      retainLogsOnDelete: settings.retainDataOnDelete,
      accountId: args.accountId,
      partition: args.partition,
    };
    // Outside the VPC: it calls only AWS APIs of this region (RDS, DynamoDB, SNS, Step Functions,
    // CloudWatch), so it does not depend on the VPC's endpoints or NAT to act (waiver of L-6).
    const orchestrator = new AppFunction(
      `${name}-orchestrator`,
      {
        ...functionArgs,
        purpose: "orchestrator",
        description: "Decides and drives the promotion of this region's Aurora cluster",
        entryPath: HANDLER_ENTRIES.orchestrator,
        timeoutSeconds: ORCHESTRATOR_TIMEOUT_SECONDS,
        memorySizeMb: ORCHESTRATOR_MEMORY_MB,
        reservedConcurrency: ORCHESTRATOR_RESERVED_CONCURRENCY,
        environment: orchestratorEnvironment({
          role: args.role,
          peerRegion: args.peerRegion,
          globalClusterIdentifier: args.globalClusterIdentifier,
          clusterIdentifier: args.clusterIdentifier,
          clusterArn: args.clusterArn,
          controlTableName: table.tableName,
          alertTopicArn: args.alertTopicArn,
          stateMachineArn: arnScope.apply((arn) => stateMachineArn(arn, machineName)),
          failoverMode: args.operations.failoverMode,
          corroborationWindowMinutes: args.operations.failoverWindowMinutes,
          replicationLagThresholdMs: args.operations.alarmThresholds.replicationLagMs,
          failoverInstanceIdentifier: failoverInstanceIdentifier(scope),
          parameterGroupName: instanceParameterGroupName(scope),
          corroboratingAlarmName: alarmName,
          database: args.database,
          ...(args.appFleet === undefined ? {} : { appFleet: args.appFleet }),
        }),
        dataPlanePolicyArn: policy.arn,
      },
      child,
    );
    // EventBridge invokes asynchronously: retried, then recorded, never dropped (L-2, L-3).
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-orchestrator-async`,
      {
        functionName: orchestrator.functionName,
        maximumRetryAttempts: ORCHESTRATOR_ASYNC_RETRY_ATTEMPTS,
        maximumEventAgeInSeconds: ORCHESTRATOR_MAX_EVENT_AGE_SECONDS,
        destinationConfig: { onFailure: { destination: failureQueue.arn } },
      },
      child,
    );

    const workflow = new FailoverWorkflow(
      `${name}-workflow`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        functionArn: orchestrator.functionArn,
        kmsKeyArn: args.kmsKeyArn,
        logRetentionDays: settings.auditLogRetentionDays,
        retainLogsOnDelete: settings.retainDataOnDelete,
        accountId: args.accountId,
        partition: args.partition,
      },
      child,
    );

    const triggerArgs = {
      region: args.region,
      environmentSuffix: args.environmentSuffix,
      functionName: orchestrator.functionName,
      functionArn: orchestrator.functionArn,
      deadLetterQueueArn: failureQueue.arn,
      retryPolicy: {
        maximumEventAgeInSeconds: EVENT_TARGET_MAX_EVENT_AGE_SECONDS,
        maximumRetryAttempts: EVENT_TARGET_MAX_RETRY_ATTEMPTS,
      },
    };
    new FunctionTrigger(
      `${name}-alarm-trigger`,
      {
        ...triggerArgs,
        purpose: ORCHESTRATOR_RULE_PURPOSES.alarm,
        description: `The corroborating alarm ${alarmName} entering ALARM: evaluate a failover to ${args.region}`,
        source: { eventPattern: alarmStatePattern(alarmName) },
      },
      child,
    );
    new FunctionTrigger(
      `${name}-rds-trigger`,
      {
        ...triggerArgs,
        purpose: ORCHESTRATOR_RULE_PURPOSES.rdsEvents,
        description: `RDS failover and failure events of the global database in ${args.region}: audited and published`,
        source: {
          eventPattern: pulumi
            .all([args.clusterIdentifier, args.globalClusterIdentifier])
            .apply(([clusterIdentifier, globalClusterIdentifier]) =>
              rdsFailoverEventPattern({
                clusterIdentifier,
                instanceIdentifiers,
                globalClusterIdentifier,
              }),
            ),
        },
      },
      child,
    );

    // Outside the VPC: it probes the peer region's public endpoints as their clients reach them.
    const prober = new AppFunction(
      `${name}-prober`,
      {
        ...functionArgs,
        purpose: "prober",
        description: `Probes the ${args.peerRegion} API and RDS endpoint every minute`,
        entryPath: HANDLER_ENTRIES.prober,
        timeoutSeconds: PROBER_TIMEOUT_SECONDS,
        memorySizeMb: PROBER_MEMORY_MB,
        reservedConcurrency: PROBER_RESERVED_CONCURRENCY,
        environment: { POWERTOOLS_SERVICE_NAME: PROBER_SERVICE_NAME },
      },
      child,
    );
    // A failed probe is not retried or kept: the next minute probes again, and the prober's
    // Errors alarm shows a prober that keeps failing (waiver of L-3).
    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-prober-async`,
      {
        functionName: prober.functionName,
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: PROBER_MAX_EVENT_AGE_SECONDS,
      },
      child,
    );

    this.controlTableName = table.tableName;
    this.controlTableArn = table.tableArn;
    this.orchestratorFunctionName = orchestrator.functionName;
    this.orchestratorFunctionArn = orchestrator.functionArn;
    this.stateMachineArn = workflow.stateMachineArn;
    this.failureQueueUrl = failureQueue.url;
    this.proberFunctionName = prober.functionName;
    this.proberFunctionArn = prober.functionArn;
    this.corroboratingAlarmName = alarmName;
    this.registerOutputs({
      controlTableName: this.controlTableName,
      controlTableArn: this.controlTableArn,
      orchestratorFunctionName: this.orchestratorFunctionName,
      orchestratorFunctionArn: this.orchestratorFunctionArn,
      stateMachineArn: this.stateMachineArn,
      failureQueueUrl: this.failureQueueUrl,
      proberFunctionName: this.proberFunctionName,
      proberFunctionArn: this.proberFunctionArn,
      corroboratingAlarmName: this.corroboratingAlarmName,
    });
  }
}

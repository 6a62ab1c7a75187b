import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NatGatewayMode, StackMode } from "../config";
import { createRegionalProvider } from "../aws-provider";
import { AwsCredentials } from "../aws-credentials";
import { AppConfig, DnsConfig } from "../app/app-config";
import { appFleetName } from "../app/ec2-app-fleet";
import { fleetServiceLinkedRoleName } from "../app/ec2-instance-policy";
import { RegionalAppTier } from "../app/regional-app-tier";
import { DatabaseConfig, RetentionLockConfig } from "../data/data-tier-config";
import { DatabaseMembership, RegionalDataTier } from "../data/regional-data-tier";
import { FailoverAutomation } from "../failover/failover-automation";
import { ModeSettings, modeSettings } from "../modes";
import { RegionalNetwork } from "../network/regional-network";
import { AlertTopic } from "../monitoring/alert-topic";
import { WatchedFunction } from "../monitoring/alarm-specs";
import { MetricStream } from "../monitoring/metric-stream";
import { RegionalMonitoring } from "../monitoring/regional-monitoring";
import { API_TIMEOUT_SECONDS, WORKER_TIMEOUT_SECONDS } from "../app/app-tier-settings";
import {
  ORCHESTRATOR_TIMEOUT_SECONDS,
  PROBER_TIMEOUT_SECONDS,
} from "../failover/failover-settings";
import { lambdaLogGroupName, transactionTableName } from "../naming";
import { OperationsConfig } from "../operations/operations-config";
import { planSubnets } from "../network/subnet-layout";
import { RegionalKey } from "../security/regional-key";
import { partitionOf } from "../util/aws-regions";
import { deploymentAccountId } from "./deployment-account";
import { LookupPins } from "./lookup-pins";

/**
 * The role a region plays in the design: where the global cluster and master
 * credentials are created. It does not follow a failover: swapping
 * primaryRegion and drRegion would move every resource to the other provider
 * and replace the stack. Which cluster writes is Aurora's state, not config.
 */
export type RegionRole = "primary" | "dr";

/** Settings shared by both regions' components. */
export interface RegionalDeploymentArgs {
  /** The AWS region this component deploys into, through its own provider. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The VPC's CIDR block (validated: /16 to /24, RFC 1918). */
  readonly vpcCidr: string;
  /** AZs per tier (2-4). @default 3 */
  readonly azCount?: number;
  /** NAT for the app tier. @default "none" */
  readonly natGateways?: NatGatewayMode;
  /** test: destroys cleanly; production: retains data on delete. @default "production" */
  readonly mode?: StackMode;
  /**
   * false lifts Pulumi `protect` from a production stack's data (see ModeOverrides).
   * @default true
   */
  readonly protectResources?: boolean;
  /** Stack-wide tags for the provider's defaultTags. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * The stack's `aws:` credential settings for this region's provider: profile, assumed roles,
   * allowed or forbidden accounts. Required so that no provider is left on the default chain by
   * mistake; `{}` means the environment's default credential chain.
   */
  readonly credentials: AwsCredentials;
  /** The other region's VPC CIDR: its app subnets may reach this region's database. */
  readonly peerVpcCidr: string;
  /** The other region: the one this region's prober probes and its orchestrator reports. */
  readonly peerRegion: string;
  /** Aurora capacity, RPO and automated backups. */
  readonly database: DatabaseConfig;
  /** Production-only Object Lock on the txlogs bucket and Vault Lock on the vault. */
  readonly locks: RetentionLockConfig;
  /** The transaction API: what runs it, its concurrency and who may reach it. */
  readonly app: AppConfig;
  /** The API's domain and zone; no domain means an HTTP-only load balancer (test mode). */
  readonly dns: DnsConfig;
  /** Failover mode and window, alert email and alarm thresholds. */
  readonly operations: OperationsConfig;
  /**
   * The account and AZs pinned in config, and the region in an outage: nothing is looked up
   * in a region whose values are pinned. @default nothing pinned
   */
  readonly lookups?: LookupPins;
}

/**
 * The one regional implementation. PrimaryRegion and DrRegion extend it and
 * differ only in their role and the args of the role-specific resources they
 * add; the building blocks (key, network, and later data and app tiers) are
 * built here once for both.
 */
export abstract class RegionalDeployment extends pulumi.ComponentResource {
  public readonly region: string;
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidr: string;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly isolatedSubnetIds: pulumi.Output<string>[];
  /** Private and isolated route tables: the peering adds routes to them. */
  public readonly internalRouteTableIds: pulumi.Output<string>[];
  public readonly kmsKeyArn: pulumi.Output<string>;
  public readonly kmsKeyAlias: pulumi.Output<string>;
  public readonly flowLogGroupName: pulumi.Output<string>;
  /** Security group of the private AWS API endpoints; undefined with NAT. */
  public readonly interfaceEndpointSecurityGroupId: pulumi.Output<string> | undefined;
  /** Prefix list of the DynamoDB gateway endpoint, for the app tier's egress rules. */
  public readonly dynamoDbPrefixListId: pulumi.Output<string>;
  /**
   * The region's alert topic (under the region's key): alarms, RDS events and the
   * orchestrator's steps publish here.
   */
  public readonly alertTopicArn: pulumi.Output<string>;

  /** This region's provider: every child gets it explicitly. */
  protected readonly provider: aws.Provider;
  /** Options for children: parented here and bound to this region's provider. */
  protected readonly childOptions: pulumi.ComponentResourceOptions;
  protected readonly settings: ModeSettings;
  /** The deploying account: pinned in config, or looked up through this region's provider. */
  public readonly accountId: pulumi.Output<string>;
  /** The AZs the subnets use, in order: pin them (config) before a regional outage needs it. */
  public readonly availabilityZones: pulumi.Output<string[]>;
  protected readonly partition: pulumi.Output<string>;
  private readonly args: RegionalDeploymentArgs;
  private readonly componentName: string;

  protected constructor(
    type: string,
    name: string,
    readonly role: RegionRole,
    args: RegionalDeploymentArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(type, name, {}, opts);
    const settings = modeSettings(args.mode ?? "production", {
      protectResources: args.protectResources,
    });
    this.settings = settings;
    this.args = args;
    this.componentName = name;
    this.region = args.region;
    this.vpcCidr = args.vpcCidr;
    this.provider = createRegionalProvider(
      `${name}-aws`,
      args.region,
      args.tags ?? {},
      args.credentials,
      this,
      args.lookups?.unreachableRegion !== args.region,
    );
    this.childOptions = { parent: this, providers: { aws: this.provider } };

    const lookupOptions = { parent: this, provider: this.provider };
    const accountId = deploymentAccountId(args.lookups?.accountId, lookupOptions);
    const partition = pulumi.output(partitionOf(args.region));
    this.accountId = accountId;
    this.partition = partition;

    const key = new RegionalKey(
      `${name}-kms`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        accountId,
        partition,
        deletionWindowInDays: settings.kmsDeletionWindowDays,
        retainOnDelete: settings.retainDataOnDelete,
        protect: settings.protectData,
        // The EC2 tier's Auto Scaling role attaches root volumes encrypted under this key.
        autoScalingServiceLinkedRoleNames:
          args.app.tier === "ec2"
            ? [
                fleetServiceLinkedRoleName({
                  environmentSuffix: args.environmentSuffix,
                  region: args.region,
                }),
              ]
            : [],
        // The metric stream's delivery stream is encrypted under this key.
        optionalKeyUserServices: args.operations.metricStreams ? ["firehose"] : [],
      },
      this.childOptions,
    );
    // Right after the key: everything built below may publish to it.
    const alertTopic = new AlertTopic(
      `${name}-alerts`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        kmsKeyArn: key.keyArn,
        accountId,
        partition,
        alertEmail: args.operations.alertEmail,
      },
      this.childOptions,
    );
    this.alertTopicArn = alertTopic.topicArn;
    const network = new RegionalNetwork(
      `${name}-network`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        vpcCidr: args.vpcCidr,
        peerVpcCidr: args.peerVpcCidr,
        azCount: args.azCount,
        natGateways: args.natGateways,
        restrictS3Endpoint: args.app.tier === "lambda",
        kmsKeyArn: key.keyArn,
        flowLogRetentionDays: settings.auditLogRetentionDays,
        retainLogsOnDelete: settings.retainDataOnDelete,
        accountId,
        partition,
        pinnedAvailabilityZones: args.lookups?.availabilityZones[args.region],
      },
      this.childOptions,
    );

    this.vpcId = network.vpcId;
    this.availabilityZones = network.availabilityZones;
    this.publicSubnetIds = network.publicSubnetIds;
    this.privateSubnetIds = network.privateSubnetIds;
    this.isolatedSubnetIds = network.isolatedSubnetIds;
    this.internalRouteTableIds = network.internalRouteTableIds;
    this.kmsKeyArn = key.keyArn;
    this.kmsKeyAlias = key.aliasName;
    this.flowLogGroupName = network.flowLogGroupName;
    this.interfaceEndpointSecurityGroupId = network.interfaceEndpointSecurityGroupId;
    this.dynamoDbPrefixListId = network.gatewayPrefixListIds.dynamodb;
  }

  /** Subnet CIDRs of one tier of a VPC, computed as the network computes them. */
  private tierCidrs(vpcCidr: string, tier: "private" | "isolated"): string[] {
    return planSubnets(vpcCidr, this.args.azCount ?? 3)
      .filter((subnet) => subnet.tier === tier)
      .map((subnet) => subnet.cidr);
  }

  /**
   * The region's stores, built the same way in both regions; the subclass says
   * how its cluster belongs to the global database. The database admits the app
   * subnets of this VPC and of the peer VPC (reached over the peering).
   */
  protected buildDataTier(membership: DatabaseMembership): RegionalDataTier {
    const appSubnetCidrs = (vpcCidr: string): string[] => this.tierCidrs(vpcCidr, "private");
    return new RegionalDataTier(
      `${this.componentName}-data`,
      {
        region: this.region,
        environmentSuffix: this.args.environmentSuffix,
        kmsKeyArn: this.kmsKeyArn,
        vpcId: this.vpcId,
        isolatedSubnetIds: this.isolatedSubnetIds,
        databaseClientCidrs: [
          ...appSubnetCidrs(this.vpcCidr),
          ...appSubnetCidrs(this.args.peerVpcCidr),
        ],
        database: this.args.database,
        locks: this.args.locks,
        membership,
        settings: this.settings,
        accountId: this.accountId,
        partition: this.partition,
        metricsBucket: this.args.operations.metricStreams,
      },
      this.childOptions,
    );
  }

  /**
   * The region's API, built the same way in both regions from its own data tier:
   * the ALB (HTTPS with a domain), the API Lambda or EC2 fleet, and the queue worker.
   * `hostedZoneId` is the domain's zone (the primary creates or adopts it).
   */
  protected buildAppTier(
    data: RegionalDataTier,
    hostedZoneId: pulumi.Input<string> | undefined,
  ): RegionalAppTier {
    const args = this.args;
    return new RegionalAppTier(
      `${this.componentName}-app`,
      {
        region: this.region,
        environmentSuffix: args.environmentSuffix,
        role: this.role,
        app: args.app,
        domainName: args.dns.domainName,
        hostedZoneId,
        awsApiAccess: (args.natGateways ?? "none") === "none" ? "interface-endpoints" : "nat",
        interfaceEndpointSecurityGroupId: this.interfaceEndpointSecurityGroupId,
        dynamoDbPrefixListId: this.dynamoDbPrefixListId,
        vpcId: this.vpcId,
        publicSubnetIds: this.publicSubnetIds,
        privateSubnetIds: this.privateSubnetIds,
        databaseSubnetCidrs: this.tierCidrs(this.vpcCidr, "isolated"),
        kmsKeyArn: this.kmsKeyArn,
        accessLogBucket: data.accessLogBucket,
        databaseEndpoint: data.database.endpoint,
        databaseReaderEndpoint: data.database.readerEndpoint,
        queueUrl: data.queues.queueUrl,
        queueArn: data.queues.queueArn,
        settings: this.settings,
        accountId: this.accountId,
        partition: this.partition,
      },
      this.childOptions,
    );
  }

  /**
   * The region's failover automation, built the same way in both regions: control table,
   * orchestrator and its workflow and triggers, and the health prober. It acts on this region's
   * cluster in the given global cluster (the primary's own, or the one the DR cluster joined).
   */
  protected buildFailoverAutomation(
    data: RegionalDataTier,
    globalClusterIdentifier: pulumi.Input<string>,
    instanceCount: number,
  ): FailoverAutomation {
    const args = this.args;
    return new FailoverAutomation(
      `${this.componentName}-failover`,
      {
        region: this.region,
        environmentSuffix: args.environmentSuffix,
        role: this.role,
        peerRegion: args.peerRegion,
        kmsKeyArn: this.kmsKeyArn,
        globalClusterIdentifier,
        clusterIdentifier: data.database.clusterIdentifier,
        clusterArn: data.database.clusterArn,
        instanceCount,
        database: args.database,
        operations: args.operations,
        alertTopicArn: this.alertTopicArn,
        settings: this.settings,
        accountId: this.accountId,
        partition: this.partition,
        // A pilot-light fleet runs no instance: the workflow raises it to what the primary runs.
        ...(args.app.tier === "ec2"
          ? {
              appFleet: {
                name: appFleetName({
                  environmentSuffix: args.environmentSuffix,
                  region: this.region,
                }),
                capacity: args.app.primaryCapacity.desired,
              },
            }
          : {}),
      },
      this.childOptions,
    );
  }

  /**
   * The region's RDS event subscription, alarms (each to this region's topic), corroborating
   * composite alarm and dashboard, built the same way in both regions over every function,
   * queue and store the region has; with operations.metricStreams, also the metric stream
   * into the region's metrics bucket, which S3 replicates to the other region.
   */
  protected buildMonitoring(
    data: RegionalDataTier,
    app: RegionalAppTier,
    failover: FailoverAutomation,
    /** Functions only this region's role has (the primary's secret rotation). @default none */
    regionOnly: readonly WatchedFunction[] = [],
  ): RegionalMonitoring {
    const args = this.args;
    const api = app.apiFunctionName;
    const metricsBucket = data.buckets.metrics;
    if (args.operations.metricStreams) {
      if (metricsBucket === undefined) {
        throw new Error(
          `operations.metricStreams is true but the data tier of ${this.region} has no metrics bucket; build it with metricsBucket: true`,
        );
      }
      new MetricStream(
        `${this.componentName}-metric-stream`,
        {
          region: this.region,
          environmentSuffix: args.environmentSuffix,
          kmsKeyArn: this.kmsKeyArn,
          bucketArn: metricsBucket.bucketArn,
          logRetentionDays: this.settings.appLogRetentionDays,
          retainLogsOnDelete: this.settings.retainDataOnDelete,
          accountId: this.accountId,
        },
        this.childOptions,
      );
    }
    return new RegionalMonitoring(
      `${this.componentName}-monitoring`,
      {
        region: this.region,
        peerRegion: args.peerRegion,
        role: this.role,
        environmentSuffix: args.environmentSuffix,
        topicArn: this.alertTopicArn,
        operations: args.operations,
        clusterIdentifier: data.database.clusterIdentifier,
        functions: [
          ...(api === undefined
            ? []
            : [{ key: "api", functionName: api, timeoutSeconds: API_TIMEOUT_SECONDS }]),
          {
            key: "worker",
            functionName: app.workerFunctionName,
            timeoutSeconds: WORKER_TIMEOUT_SECONDS,
          },
          {
            key: "orchestrator",
            functionName: failover.orchestratorFunctionName,
            timeoutSeconds: ORCHESTRATOR_TIMEOUT_SECONDS,
          },
          {
            key: "prober",
            functionName: failover.proberFunctionName,
            timeoutSeconds: PROBER_TIMEOUT_SECONDS,
          },
          ...regionOnly,
        ],
        loadBalancer: {
          arnSuffix: app.albArnSuffix,
          targetGroupArnSuffix: app.targetGroupArnSuffix,
        },
        tableName: transactionTableName(args.environmentSuffix),
        workQueue: { key: "transactions", queueUrl: data.queues.queueUrl },
        deadLetterQueues: [
          { key: "transactions-dlq", queueUrl: data.queues.deadLetterQueueUrl },
          { key: "worker-failures", queueUrl: app.workerFailureQueueUrl },
          { key: "orchestrator-failures", queueUrl: failover.failureQueueUrl },
        ],
        orchestratorLogGroupName: failover.orchestratorFunctionName.apply(lambdaLogGroupName),
      },
      this.childOptions,
    );
  }

  /** The monitoring outputs every region registers next to regionalOutputs. */
  protected monitoringOutputs(monitoring: RegionalMonitoring): pulumi.Inputs {
    return {
      corroboratingAlarmName: monitoring.corroboratingAlarmName,
      dashboardName: monitoring.dashboardName,
      alarmNames: monitoring.alarmNames,
    };
  }

  /** The outputs every region registers; subclasses add their role-specific ones. */
  protected regionalOutputs(
    data: RegionalDataTier,
    app: RegionalAppTier,
    failover: FailoverAutomation,
  ): pulumi.Inputs {
    return {
      region: this.region,
      vpcId: this.vpcId,
      vpcCidr: this.vpcCidr,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      internalRouteTableIds: this.internalRouteTableIds,
      kmsKeyArn: this.kmsKeyArn,
      kmsKeyAlias: this.kmsKeyAlias,
      alertTopicArn: this.alertTopicArn,
      flowLogGroupName: this.flowLogGroupName,
      clusterArn: data.database.clusterArn,
      clusterEndpoint: data.database.endpoint,
      clusterReaderEndpoint: data.database.readerEndpoint,
      txlogsBucketName: data.buckets.txlogs.bucketName,
      documentsBucketName: data.buckets.documents.bucketName,
      accessLogBucketName: data.accessLogBucketName,
      replicationRoleArn: data.replicationRoleArn,
      queueUrl: data.queues.queueUrl,
      deadLetterQueueUrl: data.queues.deadLetterQueueUrl,
      backupVaultName: data.backupVaultName,
      albDnsName: app.albDnsName,
      albZoneId: app.albZoneId,
      apiUrl: app.apiUrl,
      workerFunctionName: app.workerFunctionName,
      apiFunctionName: app.apiFunctionName,
      orchestratorFunctionName: failover.orchestratorFunctionName,
      controlTableName: failover.controlTableName,
      stateMachineArn: failover.stateMachineArn,
      proberFunctionName: failover.proberFunctionName,
    };
  }
}

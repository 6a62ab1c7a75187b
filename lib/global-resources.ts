import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { deploymentAccountId } from "./region/deployment-account";
import { LookupPins } from "./region/lookup-pins";
import { partitionOf } from "./util/aws-regions";
import { createRegionalProvider } from "./aws-provider";
import { AwsCredentials } from "./aws-credentials";
import { DnsConfig } from "./app/app-config";
import { StackMode } from "./config";
import { MasterCredentials } from "./data/aurora-cluster";
import { BackupConfig } from "./data/data-tier-config";
import { RegionBuckets, ReplicatedBucketPurpose } from "./data/regional-data-tier";
import { BackupPlan } from "./global/backup-plan";
import { BucketReplication, replicatedPurposes } from "./global/bucket-replication";
import { DnsFailover } from "./dns/dns-failover";
import { FailoverBudget, failoverBudget } from "./dns/failover-budget";
import { DatabaseSecret, SecretRotationTarget } from "./global/database-secret";
import { TransactionStateTable } from "./global/transaction-state-table";
import { modeSettings } from "./modes";
import { CrossRegionPeering } from "./network/vpc-peering";
import { ProberSchedule } from "./failover/prober-schedule";
import { replicationRuleId } from "./global/bucket-replication";
import { GlobalMonitoring } from "./monitoring/global-monitoring";
import { DashboardRegionInputs } from "./monitoring/regional-dashboard";
import { OperationsConfig } from "./operations/operations-config";

/** A region's API entry point, as its app tier (`region.app`) exposes it. */
export interface RegionApiEndpoint {
  /** DNS name of the region's internet-facing load balancer. */
  readonly albDnsName: pulumi.Input<string>;
  /** The load balancer's canonical hosted zone id, for alias records. */
  readonly albZoneId: pulumi.Input<string>;
  /** "api-<region code>.<domain>"; undefined without a domain. */
  readonly regionalApiHostname: pulumi.Input<string> | undefined;
  /** The region's own URL: https://api-<code>.<domain>, or http://<ALB DNS name> without a domain. */
  readonly apiUrl: pulumi.Input<string>;
  /** Path of the deep health check, for example "/health". */
  readonly healthCheckPath: string;
}

/** What GlobalResources needs from one region's component: plain values and Outputs only. */
export interface RegionEndpoint {
  /** The region this endpoint describes. */
  readonly region: string;
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** The region's VPC CIDR block. */
  readonly vpcCidr: string;
  /** Private and isolated route tables that get routes to the other region. */
  readonly internalRouteTableIds: pulumi.Input<string>[];
  /** The region's key: replicas in this region are encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * Replicated buckets by purpose: the data buckets, and the metrics bucket with
   * operations.metricStreams. Name and ARN resolve once versioning is on.
   */
  readonly buckets: RegionBuckets<{
    bucketName: pulumi.Input<string>;
    bucketArn: pulumi.Input<string>;
  }>;
  /** The role S3 uses to replicate this region's buckets out. */
  readonly replicationRoleArn: pulumi.Input<string>;
  /** Name of that role, for the destination-side policy. */
  readonly replicationRoleName: pulumi.Input<string>;
  /** The region's backup vault. */
  readonly backupVaultName: pulumi.Input<string>;
  /** ARN of that vault: the target of cross-region copies. */
  readonly backupVaultArn: pulumi.Input<string>;
  /** The region's Aurora member cluster. */
  readonly clusterArn: pulumi.Input<string>;
  /** The region's API entry point. */
  readonly api: RegionApiEndpoint;
  /**
   * The region's health prober (FailoverAutomation): its schedule, built here, probes the OTHER
   * region's API, whose URL exists only once both regions do.
   */
  readonly prober: {
    readonly functionName: pulumi.Input<string>;
    readonly functionArn: pulumi.Input<string>;
  };
  /** The region's alert topic and what its dashboard shows (RegionalMonitoring). */
  readonly monitoring: {
    readonly alertTopicArn: pulumi.Input<string>;
    readonly dashboard: DashboardRegionInputs;
  };
}

/** What only the primary region provides. */
export interface PrimaryEndpoint extends RegionEndpoint {
  /** The master credentials, stored in the replicated secret. */
  readonly masterCredentials: MasterCredentials;
  /** The global writer endpoint: the host stored in the secret. */
  readonly globalWriterEndpoint: pulumi.Input<string>;
  /** The master secret's rotation function and schedule. */
  readonly secretRotation: SecretRotationTarget;
}

export interface GlobalResourcesArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** test: destroys cleanly; production: protected. @default "production" */
  readonly mode?: StackMode;
  /**
   * false lifts Pulumi `protect` from a production stack's data (see ModeOverrides).
   * @default true
   */
  readonly protectResources?: boolean;
  /** Retention of daily and hourly recovery points. */
  readonly backup: BackupConfig;
  /** The primary region's outputs. */
  readonly primary: PrimaryEndpoint;
  /** The DR region's outputs. */
  readonly dr: RegionEndpoint;
  /** Stack-wide tags for this component's providers. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** The stack's `aws:` credential settings for both providers (`{}`: the default chain). */
  readonly credentials: AwsCredentials;
  /** Pinned account and the region in an outage (see RegionalDeploymentArgs.lookups). @default nothing pinned */
  readonly lookups?: LookupPins;
  /** Alarm thresholds, the failover window and the alert email. */
  readonly operations: OperationsConfig;
  /**
   * The API's domain, routing policy, record type and health-check threshold. Without
   * `domainName` there is no zone, no record and no health check (test stacks).
   * @default no domain
   */
  readonly dns?: DnsConfig;
  /** The domain's public zone, from PrimaryRegion; required when dns.domainName is set. */
  readonly hostedZoneId?: pulumi.Input<string>;
}

/** The DNS inputs of a stack with a domain, checked complete. */
export interface DnsWiring {
  readonly config: DnsConfig;
  readonly domainName: string;
  readonly zoneId: pulumi.Input<string>;
  readonly primaryHostname: pulumi.Input<string>;
  readonly drHostname: pulumi.Input<string>;
}

/** What dnsWiringOf reads of a region. */
export interface DnsWiringSide {
  readonly region: string;
  readonly api: Pick<RegionApiEndpoint, "regionalApiHostname">;
}

/**
 * undefined without a domain; with one, the zone and both regions' API names, or an
 * error naming what is missing, before anything is registered.
 */
export function dnsWiringOf(args: {
  readonly dns?: DnsConfig;
  readonly hostedZoneId?: pulumi.Input<string>;
  readonly primary: DnsWiringSide;
  readonly dr: DnsWiringSide;
}): DnsWiring | undefined {
  const config = args.dns;
  const domainName = config?.domainName;
  if (config === undefined || domainName === undefined) {
    return undefined;
  }
  if (args.hostedZoneId === undefined) {
    throw new Error(
      `hostedZoneId is required when dns.domainName is set (domainName is "${domainName}"); pass PrimaryRegion.hostedZone.zoneId`,
    );
  }
  const hostnameOf = (side: DnsWiringSide): pulumi.Input<string> => {
    const hostname = side.api.regionalApiHostname;
    if (hostname === undefined) {
      throw new Error(
        `api.regionalApiHostname of region "${side.region}" is undefined although dns.domainName is "${domainName}"; the region's app tier must serve api-<region code>.<domain>`,
      );
    }
    return hostname;
  };
  return {
    config,
    domainName,
    zoneId: args.hostedZoneId,
    primaryHostname: hostnameOf(args.primary),
    drHostname: hostnameOf(args.dr),
  };
}

/** A region's bucket of one purpose; replicatedPurposes has checked that both regions have it. */
function bucketOf(
  side: RegionEndpoint,
  purpose: ReplicatedBucketPurpose,
): { bucketName: pulumi.Input<string>; bucketArn: pulumi.Input<string> } {
  const bucket = side.buckets[purpose];
  if (bucket === undefined) {
    throw new Error(`region ${side.region} has no ${purpose} bucket`);
  }
  return bucket;
}

/**
 * Everything that spans both regions and so can only be built once both exist:
 * the VPC peering, the replicated database secret and the DynamoDB global table
 * (their replicas need the DR key), S3 replication both ways, and a backup
 * plan in each region that copies to the other region's vault; and, with a domain, Route 53 health checks and the
 * failover (or weighted) records of api.<domain>.
 * Data flows Primary -> DR -> Global, so nothing here is passed back to a region.
 */
export class GlobalResources extends pulumi.ComponentResource {
  public readonly vpcPeeringConnectionId: pulumi.Output<string>;
  public readonly databaseSecretArn: pulumi.Output<string>;
  public readonly drDatabaseSecretArn: pulumi.Output<string>;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableReplicaRegions: pulumi.Output<string[]>;
  /** The primary region's backup plan (copies to the DR vault). */
  public readonly backupPlanId: pulumi.Output<string>;
  /** The DR region's backup plan (copies to the primary vault). */
  public readonly drBackupPlanId: pulumi.Output<string>;
  /** Each region's own API URL; they exist with or without a domain. */
  public readonly primaryApiUrl: pulumi.Output<string>;
  public readonly drApiUrl: pulumi.Output<string>;
  /** The API's public zone; undefined without a domain (as are the DNS outputs below). */
  public readonly hostedZoneId: pulumi.Output<string> | undefined;
  /** "api.<domain>", answered by Route 53 with the healthy region. */
  public readonly apiFailoverName: pulumi.Output<string> | undefined;
  /** "https://api.<domain>". */
  public readonly apiFailoverUrl: pulumi.Output<string> | undefined;
  public readonly primaryHealthCheckId: pulumi.Output<string> | undefined;
  public readonly drHealthCheckId: pulumi.Output<string> | undefined;
  /** Nominal seconds until clients leave a failed region (lib/dns/failover-budget.ts). */
  public readonly failoverBudgetSeconds: number | undefined;
  /** The parts of that budget, for the plan and the README. */
  public readonly failoverBudget: FailoverBudget | undefined;
  /** The DR dashboard of both regions, in the DR region. */
  public readonly globalDashboardName: pulumi.Output<string>;
  /** Route 53 health-check alarms (us-east-1); empty without a domain. */
  public readonly healthCheckAlarmNames: pulumi.Output<string[]>;
  /** What each region's prober probes: the OTHER region's API URL and health path. */
  public readonly primaryProberTargetUrl: pulumi.Output<string>;
  public readonly drProberTargetUrl: pulumi.Output<string>;

  constructor(name: string, args: GlobalResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:global:GlobalResources", name, {}, opts);
    const dnsWiring = dnsWiringOf(args);
    // The data buckets, and the metrics buckets when the regions have them (metricStreams).
    const purposes = replicatedPurposes(args.primary, args.dr);
    const tags = args.tags ?? {};
    // Cross-region resources must be created in each side's own region, so this
    // component owns one provider per region rather than borrowing the regions'.
    const primaryProvider: aws.Provider = createRegionalProvider(
      `${name}-primary-aws`,
      args.primary.region,
      tags,
      args.credentials,
      this,
      args.lookups?.unreachableRegion !== args.primary.region,
    );
    const drProvider: aws.Provider = createRegionalProvider(
      `${name}-dr-aws`,
      args.dr.region,
      tags,
      args.credentials,
      this,
      args.lookups?.unreachableRegion !== args.dr.region,
    );

    const peering = new CrossRegionPeering(
      `${name}-peering`,
      {
        environmentSuffix: args.environmentSuffix,
        requester: {
          region: args.primary.region,
          vpcId: args.primary.vpcId,
          vpcCidr: args.primary.vpcCidr,
          routeTableIds: args.primary.internalRouteTableIds,
          provider: primaryProvider,
        },
        accepter: {
          region: args.dr.region,
          vpcId: args.dr.vpcId,
          vpcCidr: args.dr.vpcCidr,
          routeTableIds: args.dr.internalRouteTableIds,
          provider: drProvider,
        },
      },
      { parent: this },
    );

    const settings = modeSettings(args.mode ?? "production", {
      protectResources: args.protectResources,
    });
    const { primary, dr } = args;
    // The account is looked up through a region that answers: the DR side during a primary outage.
    const reachableProvider =
      args.lookups?.unreachableRegion === args.primary.region ? drProvider : primaryProvider;
    const accountId = deploymentAccountId(args.lookups?.accountId, {
      parent: this,
      provider: reachableProvider,
    });
    const partition = pulumi.output(partitionOf(args.primary.region));

    const secret = new DatabaseSecret(
      `${name}-db-secret`,
      {
        environmentSuffix: args.environmentSuffix,
        primaryRegion: primary.region,
        drRegion: dr.region,
        primaryKmsKeyArn: primary.kmsKeyArn,
        drKmsKeyArn: dr.kmsKeyArn,
        credentials: primary.masterCredentials,
        host: primary.globalWriterEndpoint,
        recoveryWindowInDays: settings.secretRecoveryWindowDays,
        protect: settings.protectData,
        rotation: primary.secretRotation,
      },
      { parent: this, providers: { aws: primaryProvider } },
    );

    const table = new TransactionStateTable(
      `${name}-state-table`,
      {
        environmentSuffix: args.environmentSuffix,
        drRegion: dr.region,
        primaryKmsKeyArn: primary.kmsKeyArn,
        drKmsKeyArn: dr.kmsKeyArn,
        deletionProtection: settings.deletionProtection,
        retainOnDelete: settings.retainDataOnDelete,
        protect: settings.protectData,
      },
      { parent: this, providers: { aws: primaryProvider } },
    );

    const directions = [
      { label: "to-dr", from: primary, to: dr, provider: primaryProvider },
      { label: "to-primary", from: dr, to: primary, provider: drProvider },
    ] as const;
    for (const { label, from, to, provider } of directions) {
      new BucketReplication(
        `${name}-replication-${label}`,
        {
          environmentSuffix: args.environmentSuffix,
          sourceRegion: from.region,
          destinationRegion: to.region,
          roleArn: from.replicationRoleArn,
          roleName: from.replicationRoleName,
          destinationKeyArn: to.kmsKeyArn,
          pairs: purposes.map((purpose) => ({
            purpose,
            sourceBucketName: bucketOf(from, purpose).bucketName,
            destinationBucketArn: bucketOf(to, purpose).bucketArn,
          })),
        },
        { parent: this, providers: { aws: provider } },
      );
    }

    // One plan per region, each selecting that region's cluster and table replica and copying
    // to the other region's vault: the writer is backed up wherever it is after a failover, and
    // its copies land where failback needs them. "-backup" keeps the primary plan's URNs.
    const drTableArn = pulumi.interpolate`arn:${partition}:dynamodb:${dr.region}:${accountId}:table/${table.tableName}`;
    const backupPlans = [
      {
        label: "backup",
        from: primary,
        to: dr,
        tableArn: table.tableArn,
        provider: primaryProvider,
      },
      { label: "dr-backup", from: dr, to: primary, tableArn: drTableArn, provider: drProvider },
    ].map(
      ({ label, from, to, tableArn, provider }) =>
        new BackupPlan(
          `${name}-${label}`,
          {
            environmentSuffix: args.environmentSuffix,
            region: from.region,
            backup: args.backup,
            vaultName: from.backupVaultName,
            copyVaultArn: to.backupVaultArn,
            resourceArns: [from.clusterArn, tableArn],
            accountId,
            partition,
          },
          { parent: this, providers: { aws: provider } },
        ),
    );
    const [backupPlan, drBackupPlan] = backupPlans;

    const dns = dnsWiring && this.buildDnsFailover(name, args, dnsWiring, primaryProvider);

    // Each region's prober probes the other region's own API URL (never api.<domain>, which
    // Route 53 may already point at the prober's own region), from the prober's region.
    const proberSchedule = (
      label: string,
      from: RegionEndpoint,
      to: RegionEndpoint,
      provider: aws.Provider,
    ): ProberSchedule =>
      new ProberSchedule(
        `${name}-${label}-prober-schedule`,
        {
          region: from.region,
          environmentSuffix: args.environmentSuffix,
          proberFunctionName: from.prober.functionName,
          proberFunctionArn: from.prober.functionArn,
          peer: {
            region: to.region,
            apiUrl: to.api.apiUrl,
            healthCheckPath: to.api.healthCheckPath,
          },
        },
        { parent: this, providers: { aws: provider } },
      );
    const primaryProbe = proberSchedule("primary", primary, dr, primaryProvider);
    const drProbe = proberSchedule("dr", dr, primary, drProvider);

    const monitored = (side: RegionEndpoint, label: string, provider: aws.Provider) => ({
      region: side.region,
      label,
      provider,
      alertTopicArn: side.monitoring.alertTopicArn,
      dashboard: side.monitoring.dashboard,
    });
    const monitoring = new GlobalMonitoring(
      `${name}-monitoring`,
      {
        environmentSuffix: args.environmentSuffix,
        operations: args.operations,
        primary: monitored(primary, "primary", primaryProvider),
        dr: monitored(dr, "dr", drProvider),
        replications: directions.flatMap(({ label, from, to }) =>
          purposes.map((purpose) => ({
            label: `${label}-${purpose}`,
            purpose,
            source: from === primary ? ("primary" as const) : ("dr" as const),
            sourceBucketName: bucketOf(from, purpose).bucketName,
            destinationBucketName: bucketOf(to, purpose).bucketName,
            ruleId: replicationRuleId(to.region),
          })),
        ),
        healthChecks: dns
          ? [
              { side: "primary", healthCheckId: dns.primaryHealthCheckId },
              { side: "dr", healthCheckId: dns.drHealthCheckId },
            ]
          : [],
        tags,
        credentials: args.credentials,
        unreachableRegion: args.lookups?.unreachableRegion,
        accountId,
        partition,
        settings,
      },
      { parent: this },
    );

    this.vpcPeeringConnectionId = peering.peeringConnectionId;
    this.databaseSecretArn = secret.secretArn;
    this.drDatabaseSecretArn = secret.replicaSecretArn;
    this.tableName = table.tableName;
    this.tableReplicaRegions = table.replicaRegions;
    this.backupPlanId = backupPlan.planId;
    this.drBackupPlanId = drBackupPlan.planId;
    this.primaryApiUrl = pulumi.output(primary.api.apiUrl);
    this.drApiUrl = pulumi.output(dr.api.apiUrl);
    this.hostedZoneId = dnsWiring && pulumi.output(dnsWiring.zoneId);
    this.apiFailoverName = dns?.apiFailoverName;
    this.apiFailoverUrl = this.apiFailoverName?.apply((host) => `https://${host}`);
    this.primaryHealthCheckId = dns?.primaryHealthCheckId;
    this.drHealthCheckId = dns?.drHealthCheckId;
    this.failoverBudget = dnsWiring && failoverBudget(dnsWiring.config);
    this.failoverBudgetSeconds = this.failoverBudget?.totalSeconds;
    this.primaryProberTargetUrl = primaryProbe.targetUrl;
    this.drProberTargetUrl = drProbe.targetUrl;
    this.globalDashboardName = monitoring.globalDashboardName;
    this.healthCheckAlarmNames = monitoring.healthCheckAlarmNames;
    this.registerOutputs({
      vpcPeeringConnectionId: this.vpcPeeringConnectionId,
      databaseSecretArn: this.databaseSecretArn,
      drDatabaseSecretArn: this.drDatabaseSecretArn,
      tableName: this.tableName,
      tableReplicaRegions: this.tableReplicaRegions,
      backupPlanId: this.backupPlanId,
      drBackupPlanId: this.drBackupPlanId,
      primaryApiUrl: this.primaryApiUrl,
      drApiUrl: this.drApiUrl,
      hostedZoneId: this.hostedZoneId,
      apiFailoverName: this.apiFailoverName,
      apiFailoverUrl: this.apiFailoverUrl,
      primaryHealthCheckId: this.primaryHealthCheckId,
      drHealthCheckId: this.drHealthCheckId,
      failoverBudgetSeconds: this.failoverBudgetSeconds,
      primaryProberTargetUrl: this.primaryProberTargetUrl,
      drProberTargetUrl: this.drProberTargetUrl,
      globalDashboardName: this.globalDashboardName,
      healthCheckAlarmNames: this.healthCheckAlarmNames,
    });
  }

  /**
   * Route 53 failover, only with a domain. Without one (test stacks) there is nothing to
   * steer: health checks route traffic only through the records they are attached to, and
   * the integration suite probes each ALB's /health directly, so HTTP checks of the ALB
   * names would only add cost. Route 53 is global; the primary's provider is explicit.
   */
  private buildDnsFailover(
    name: string,
    args: GlobalResourcesArgs,
    wiring: DnsWiring,
    provider: aws.Provider,
  ): DnsFailover {
    const { config } = wiring;
    const target = (side: RegionEndpoint, hostname: pulumi.Input<string>) => ({
      region: side.region,
      albDnsName: side.api.albDnsName,
      albZoneId: side.api.albZoneId,
      regionalApiHostname: hostname,
      healthCheckPath: side.api.healthCheckPath,
    });
    return new DnsFailover(
      `${name}-dns`,
      {
        environmentSuffix: args.environmentSuffix,
        domainName: wiring.domainName,
        zoneId: wiring.zoneId,
        routingPolicy: config.routingPolicy,
        recordType: config.recordType,
        ttlSeconds: config.ttlSeconds,
        failureThreshold: config.healthCheckFailureThreshold,
        primaryWeight: config.primaryWeight,
        drWeight: config.drWeight,
        primary: target(args.primary, wiring.primaryHostname),
        dr: target(args.dr, wiring.drHostname),
      },
      { parent: this, providers: { aws: provider } },
    );
  }
}

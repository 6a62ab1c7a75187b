import * as pulumi from "@pulumi/pulumi";
import { GlobalDatabase } from "./data/global-database";
import { PublicHostedZone } from "./dns/hosted-zone";
import { RegionalAppTier } from "./app/regional-app-tier";
import { RegionalDataTier } from "./data/regional-data-tier";
import { FailoverAutomation } from "./failover/failover-automation";
import { RegionalMonitoring } from "./monitoring/regional-monitoring";
import { MasterCredentials } from "./data/aurora-cluster";
import { ROTATION_TIMEOUT_SECONDS, SecretRotationFunction } from "./data/secret-rotation";
import { planSubnets } from "./network/subnet-layout";
import { RegionalDeployment, RegionalDeploymentArgs } from "./region/regional-deployment";

/** Args of the primary (writer) region. */
export type PrimaryRegionArgs = RegionalDeploymentArgs;

/**
 * The primary region: the shared regional building blocks in the `primary`
 * role. It creates the global cluster and owns the master credentials, and its
 * cluster is the one that creates the database.
 */
export class PrimaryRegion extends RegionalDeployment {
  public readonly data: RegionalDataTier;
  /**
   * The global cluster's identifier, resolved only once the primary's writer
   * instance exists: a secondary that joins earlier fails with "MasterUsername
   * must be provided", so the DR cluster's dependency on the writer rides on
   * this Output.
   */
  public readonly globalClusterIdentifier: pulumi.Output<string>;
  public readonly globalWriterEndpoint: pulumi.Output<string>;
  /** For the replicated secret in GlobalResources. */
  public readonly masterCredentials: MasterCredentials;
  /**
   * The master secret's rotation function, in this region's VPC; GlobalResources schedules it
   * once the secret exists. It stays here after a failover (see README, "Master secret rotation").
   */
  public readonly secretRotation: SecretRotationFunction;
  /**
   * The rotation function's ARN, resolved only once the writer instance exists: setting the
   * schedule starts the first rotation at once, and it needs a writer to change the password.
   */
  public readonly secretRotationFunctionArn: pulumi.Output<string>;
  /**
   * The API's public zone (created here or adopted), undefined without a domain. Like the
   * global cluster, it is a global resource the primary creates and the DR region receives.
   */
  public readonly hostedZone: PublicHostedZone | undefined;
  /** The region's API: load balancer, API function or fleet, queue worker. */
  public readonly app: RegionalAppTier;
  /** The region's orchestrator, its workflow, control table and triggers, and the prober. */
  public readonly failover: FailoverAutomation;
  /** The region's RDS event subscription, alarms, corroborating alarm and dashboard. */
  public readonly monitoring: RegionalMonitoring;

  constructor(name: string, args: PrimaryRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:region:PrimaryRegion", name, "primary", args, opts);
    const globalDatabase = new GlobalDatabase(
      `${name}-global-db`,
      {
        environmentSuffix: args.environmentSuffix,
        deletionProtection: this.settings.deletionProtection,
        forceDestroy: this.settings.forceDestroy,
        protect: this.settings.protectData,
      },
      this.childOptions,
    );
    this.masterCredentials = globalDatabase.masterCredentials;
    this.data = this.buildDataTier({
      globalClusterIdentifier: globalDatabase.globalClusterIdentifier,
      masterCredentials: globalDatabase.masterCredentials,
      instanceCount: args.database.primaryInstances,
      // Only the primary's parameter group bounds the RPO: with two regions, a promoted
      // DR cluster has no healthy secondary, and an RPO there would block every commit.
      rpoSeconds: args.database.rpoSeconds,
    });
    // primaryInstances is at least 1 (config), so the primary always has its writer.
    const writer = this.data.database.writer;
    if (writer === undefined) {
      throw new Error("PrimaryRegion: the primary cluster has no writer instance");
    }
    this.globalClusterIdentifier = pulumi
      .all([globalDatabase.globalClusterIdentifier, writer.id])
      .apply(([identifier]) => identifier);
    this.globalWriterEndpoint = globalDatabase.writerEndpoint;
    const natGateways = args.natGateways ?? "none";
    this.secretRotation = new SecretRotationFunction(
      `${name}-db-rotation`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        vpcId: this.vpcId,
        privateSubnetIds: this.privateSubnetIds,
        databaseSubnetCidrs: planSubnets(args.vpcCidr, args.azCount ?? 3)
          .filter((subnet) => subnet.tier === "isolated")
          .map((subnet) => subnet.cidr),
        awsApiAccess: natGateways === "none" ? "interface-endpoints" : "nat",
        interfaceEndpointSecurityGroupId: this.interfaceEndpointSecurityGroupId,
        kmsKeyArn: this.kmsKeyArn,
        logRetentionDays: this.settings.appLogRetentionDays,
        retainLogsOnDelete: this.settings.retainDataOnDelete,
        accountId: this.accountId,
        partition: this.partition,
      },
      this.childOptions,
    );
    this.secretRotationFunctionArn = pulumi
      .all([this.secretRotation.functionArn, writer.id])
      .apply(([arn]) => arn);
    const domainName = args.dns.domainName;
    this.hostedZone =
      domainName === undefined
        ? undefined
        : new PublicHostedZone(
            `${name}-zone`,
            {
              domainName,
              existingZoneId: args.dns.hostedZoneId,
              retainOnDelete: this.settings.retainDataOnDelete,
              forceDestroy: this.settings.forceDestroy,
              protect: this.settings.protectData,
            },
            this.childOptions,
          );

    this.app = this.buildAppTier(this.data, this.hostedZone?.zoneId);
    this.failover = this.buildFailoverAutomation(
      this.data,
      this.globalClusterIdentifier,
      args.database.primaryInstances,
    );
    // A failing rotation alarms like any other function of the region.
    this.monitoring = this.buildMonitoring(this.data, this.app, this.failover, [
      {
        key: "db-rotation",
        functionName: this.secretRotation.functionName,
        timeoutSeconds: ROTATION_TIMEOUT_SECONDS,
      },
    ]);

    this.registerOutputs({
      ...this.regionalOutputs(this.data, this.app, this.failover),
      ...this.monitoringOutputs(this.monitoring),
      globalClusterIdentifier: this.globalClusterIdentifier,
      globalWriterEndpoint: this.globalWriterEndpoint,
    });
  }
}

import * as pulumi from "@pulumi/pulumi";
import { TapConfig } from "./config";
import { DrRegion } from "./dr-region";
import { GlobalResources, RegionEndpoint } from "./global-resources";
import { PrimaryRegion } from "./primary-region";
import { stackTags } from "./tags";

/** The validated stack config (see lib/config.ts for each key, its default and its checks). */
export type TapStackArgs = TapConfig;

/**
 * The root of tap-dr: the primary region, the DR region, and the resources
 * that span both. Outputs flow one way, Primary -> DR -> Global.
 */
export class TapStack extends pulumi.ComponentResource {
  public readonly primary: PrimaryRegion;
  public readonly dr: DrRegion;
  public readonly global: GlobalResources;

  constructor(name: string, args: TapStackArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:index:TapStack", name, {}, opts);
    const tags = stackTags(args);
    const shared = {
      environmentSuffix: args.environmentSuffix,
      azCount: args.azCount,
      natGateways: args.natGateways,
      mode: args.mode,
      protectResources: args.protectResources,
      tags,
      credentials: args.credentials,
      database: args.database,
      locks: args.locks,
      app: args.app,
      dns: args.dns,
      lookups: args.lookups,
      operations: args.operations,
    };

    this.primary = new PrimaryRegion(
      `${name}-primary`,
      {
        ...shared,
        region: args.primaryRegion,
        vpcCidr: args.primaryVpcCidr,
        peerVpcCidr: args.drVpcCidr,
        peerRegion: args.drRegion,
      },
      { parent: this },
    );
    this.dr = new DrRegion(
      `${name}-dr`,
      {
        ...shared,
        region: args.drRegion,
        vpcCidr: args.drVpcCidr,
        peerVpcCidr: args.primaryVpcCidr,
        peerRegion: args.primaryRegion,
        globalClusterIdentifier: this.primary.globalClusterIdentifier,
        primaryRegion: args.primaryRegion,
        hostedZoneId: this.primary.hostedZone?.zoneId,
      },
      { parent: this },
    );
    const endpointOf = (region: PrimaryRegion | DrRegion): RegionEndpoint => ({
      region: region.region,
      vpcId: region.vpcId,
      vpcCidr: region.vpcCidr,
      internalRouteTableIds: region.internalRouteTableIds,
      kmsKeyArn: region.kmsKeyArn,
      buckets: region.data.buckets,
      replicationRoleArn: region.data.replicationRoleArn,
      replicationRoleName: region.data.replicationRoleName,
      backupVaultName: region.data.backupVaultName,
      backupVaultArn: region.data.backupVaultArn,
      clusterArn: region.data.database.clusterArn,
      api: {
        albDnsName: region.app.albDnsName,
        albZoneId: region.app.albZoneId,
        regionalApiHostname: region.app.regionalApiHostname,
        apiUrl: region.app.apiUrl,
        healthCheckPath: region.app.healthCheckPath,
      },
      prober: {
        functionName: region.failover.proberFunctionName,
        functionArn: region.failover.proberFunctionArn,
      },
      monitoring: {
        alertTopicArn: region.alertTopicArn,
        dashboard: region.monitoring.dashboardSource,
      },
    });
    this.global = new GlobalResources(
      `${name}-global`,
      {
        environmentSuffix: args.environmentSuffix,
        mode: args.mode,
        protectResources: args.protectResources,
        backup: args.backup,
        tags,
        credentials: args.credentials,
        lookups: args.lookups,
        operations: args.operations,
        primary: {
          ...endpointOf(this.primary),
          masterCredentials: this.primary.masterCredentials,
          globalWriterEndpoint: this.primary.globalWriterEndpoint,
          secretRotation: {
            functionName: this.primary.secretRotation.functionName,
            functionArn: this.primary.secretRotationFunctionArn,
            automaticallyAfterDays: args.database.secretRotationDays,
          },
        },
        dr: endpointOf(this.dr),
        dns: args.dns,
        // Route 53 records and health checks go into the zone the primary created or adopted.
        hostedZoneId: this.primary.hostedZone?.zoneId,
      },
      { parent: this },
    );

    this.registerOutputs({
      primaryVpcId: this.primary.vpcId,
      drVpcId: this.dr.vpcId,
      vpcPeeringConnectionId: this.global.vpcPeeringConnectionId,
      globalClusterIdentifier: this.primary.globalClusterIdentifier,
      tableName: this.global.tableName,
      primaryApiUrl: this.global.primaryApiUrl,
      drApiUrl: this.global.drApiUrl,
      apiFailoverUrl: this.global.apiFailoverUrl,
      failoverBudgetSeconds: this.global.failoverBudgetSeconds,
    });
  }
}

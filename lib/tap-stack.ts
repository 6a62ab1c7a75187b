import * as pulumi from "@pulumi/pulumi";
import { TapConfig } from "./config";
import { DrRegion } from "./dr-region";
import { GlobalResources } from "./global-resources";
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
      tags,
    };

    this.primary = new PrimaryRegion(
      `${name}-primary`,
      { ...shared, region: args.primaryRegion, vpcCidr: args.primaryVpcCidr },
      { parent: this },
    );
    this.dr = new DrRegion(
      `${name}-dr`,
      { ...shared, region: args.drRegion, vpcCidr: args.drVpcCidr },
      { parent: this },
    );
    this.global = new GlobalResources(
      `${name}-global`,
      {
        environmentSuffix: args.environmentSuffix,
        tags,
        primary: {
          region: this.primary.region,
          vpcId: this.primary.vpcId,
          vpcCidr: this.primary.vpcCidr,
          internalRouteTableIds: this.primary.internalRouteTableIds,
        },
        dr: {
          region: this.dr.region,
          vpcId: this.dr.vpcId,
          vpcCidr: this.dr.vpcCidr,
          internalRouteTableIds: this.dr.internalRouteTableIds,
        },
      },
      { parent: this },
    );

    this.registerOutputs({
      primaryVpcId: this.primary.vpcId,
      drVpcId: this.dr.vpcId,
      vpcPeeringConnectionId: this.global.vpcPeeringConnectionId,
    });
  }
}

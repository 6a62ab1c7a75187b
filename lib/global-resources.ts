import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createRegionalProvider } from "./aws-provider";
import { CrossRegionPeering } from "./network/vpc-peering";

/** What GlobalResources needs from one region's component: plain values and Outputs only. */
export interface RegionEndpoint {
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  /** Private and isolated route tables that get routes to the other region. */
  readonly internalRouteTableIds: pulumi.Input<string>[];
}

export interface GlobalResourcesArgs {
  readonly environmentSuffix: string;
  /** The primary region's outputs. */
  readonly primary: RegionEndpoint;
  /** The DR region's outputs. */
  readonly dr: RegionEndpoint;
  /** Stack-wide tags for this component's providers. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Everything that spans both regions and so can only be built once both exist:
 * the VPC peering now; Route 53 failover, the DynamoDB global table and S3
 * replication as later issues add them. Data flows Primary -> DR -> Global, so
 * nothing here is ever passed back to a region.
 */
export class GlobalResources extends pulumi.ComponentResource {
  public readonly vpcPeeringConnectionId: pulumi.Output<string>;

  constructor(name: string, args: GlobalResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:global:GlobalResources", name, {}, opts);
    const tags = args.tags ?? {};
    // Cross-region resources must be created in each side's own region, so this
    // component owns one provider per region rather than borrowing the regions'.
    const primaryProvider: aws.Provider = createRegionalProvider(
      `${name}-primary-aws`,
      args.primary.region,
      tags,
      this,
    );
    const drProvider: aws.Provider = createRegionalProvider(
      `${name}-dr-aws`,
      args.dr.region,
      tags,
      this,
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

    this.vpcPeeringConnectionId = peering.peeringConnectionId;
    this.registerOutputs({ vpcPeeringConnectionId: this.vpcPeeringConnectionId });
  }
}

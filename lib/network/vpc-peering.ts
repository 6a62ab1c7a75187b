import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";

/** One side of the peering: a VPC, its CIDR, the route tables that need routes, and its region's provider. */
export interface PeeringSide {
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  /** The VPC's CIDR: the other side routes to it. */
  readonly vpcCidr: string;
  /** Route tables on this side that get a route to the other side's CIDR. */
  readonly routeTableIds: pulumi.Input<string>[];
  /** Provider for this side's region; AWS only accepts each side's changes in that side's region. */
  readonly provider: aws.Provider;
}

export interface CrossRegionPeeringArgs {
  readonly environmentSuffix: string;
  /** The primary region's VPC: it requests the peering. */
  readonly requester: PeeringSide;
  /** The DR region's VPC: it accepts the peering. */
  readonly accepter: PeeringSide;
}

/**
 * Cross-region VPC peering: requested from the primary region (naming the peer
 * region), accepted in the DR region, DNS resolution on both sides, and routes
 * both ways in every given route table.
 */
export class CrossRegionPeering extends pulumi.ComponentResource {
  public readonly peeringConnectionId: pulumi.Output<string>;
  public readonly accepterStatus: pulumi.Output<string>;

  constructor(name: string, args: CrossRegionPeeringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:network:CrossRegionPeering", name, {}, opts);
    const { requester, accepter } = args;
    const nameTag = {
      Name: physicalName("nameTag", "peering", { environmentSuffix: args.environmentSuffix }),
    };

    // autoAccept is not allowed across regions; the accepter resource accepts.
    const connection = new aws.ec2.VpcPeeringConnection(
      `${name}-connection`,
      {
        vpcId: requester.vpcId,
        peerVpcId: accepter.vpcId,
        peerRegion: accepter.region,
        tags: { ...nameTag, Side: "requester" },
      },
      { parent: this, provider: requester.provider },
    );
    const acceptance = new aws.ec2.VpcPeeringConnectionAccepter(
      `${name}-accepter`,
      {
        vpcPeeringConnectionId: connection.id,
        autoAccept: true,
        tags: { ...nameTag, Side: "accepter" },
      },
      { parent: this, provider: accepter.provider },
    );

    // Options can only be set on an active peering, and each side only in its own
    // region, hence two resources keyed on the accepted connection's id.
    new aws.ec2.PeeringConnectionOptions(
      `${name}-requester-options`,
      {
        vpcPeeringConnectionId: acceptance.id,
        requester: { allowRemoteVpcDnsResolution: true },
      },
      { parent: this, provider: requester.provider },
    );
    new aws.ec2.PeeringConnectionOptions(
      `${name}-accepter-options`,
      {
        vpcPeeringConnectionId: acceptance.id,
        accepter: { allowRemoteVpcDnsResolution: true },
      },
      { parent: this, provider: accepter.provider },
    );

    this.addRoutes(`${name}-to-accepter`, requester, accepter.vpcCidr, acceptance);
    this.addRoutes(`${name}-to-requester`, accepter, requester.vpcCidr, acceptance);

    this.peeringConnectionId = connection.id;
    this.accepterStatus = acceptance.acceptStatus;
    this.registerOutputs({
      peeringConnectionId: this.peeringConnectionId,
      accepterStatus: this.accepterStatus,
    });
  }

  private addRoutes(
    prefix: string,
    side: PeeringSide,
    destinationCidr: string,
    acceptance: aws.ec2.VpcPeeringConnectionAccepter,
  ): void {
    side.routeTableIds.forEach((routeTableId, index) => {
      new aws.ec2.Route(
        `${prefix}-${index}`,
        {
          routeTableId,
          destinationCidrBlock: destinationCidr,
          // The accepted connection's id: the route waits until the peering is active.
          vpcPeeringConnectionId: acceptance.id,
        },
        { parent: this, provider: side.provider },
      );
    });
  }
}

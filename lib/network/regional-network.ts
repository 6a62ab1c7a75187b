import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NatGatewayMode } from "../config";
import { PROJECT_PREFIX, physicalName, transactionTableName } from "../naming";
import { dynamoDbEndpointPolicy, s3EndpointPolicy } from "../security/lambda-grants";
import { defaultNetworkAclRules } from "./default-nacl-rules";
import { GatewayEndpointService, VpcEndpoints } from "./vpc-endpoints";
import { VpcFlowLogs } from "./flow-logs";
import { PlannedSubnet, SubnetTier, planSubnets, selectAvailabilityZones } from "./subnet-layout";

export interface RegionalNetworkArgs {
  /** Region of the VPC (used in names; resources use the component's provider). */
  readonly region: string;
  readonly environmentSuffix: string;
  /** VPC CIDR, already validated by the config loader (/16 to /24, RFC 1918). */
  readonly vpcCidr: string;
  /**
   * The peered VPC's CIDR: the default network ACL lets it in. Undefined means no peer rule.
   * @default undefined
   */
  readonly peerVpcCidr?: string;
  /** AZs to spread each tier across (2-4). @default 3 */
  readonly azCount?: number;
  /** NAT for the app tier: none (endpoints only), single, or one per AZ. @default "none" */
  readonly natGateways?: NatGatewayMode;
  /** This region's customer-managed key, for the flow-log group. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Flow-log retention in days. @default 365 */
  readonly flowLogRetentionDays?: number;
  /** Keep the flow-log group on delete. @default true */
  readonly retainLogsOnDelete?: boolean;
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  /**
   * Limit the S3 gateway endpoint to the stack's own buckets (the Lambda tier, where nothing in
   * the VPC calls S3); false keeps AWS's default policy (the EC2 tier). @default true
   */
  readonly restrictS3Endpoint?: boolean;
  /**
   * The region's AZs pinned in config (in order); undefined looks them up through the provider.
   * @default undefined
   */
  readonly pinnedAvailabilityZones?: readonly string[];
}

/**
 * One region's VPC: public, private (app) and isolated (data) subnets in each
 * AZ, NAT per config, S3/DynamoDB gateway endpoints, interface endpoints when
 * there is no NAT, flow logs, a default security group with no rules, and a managed default
 * network ACL that keeps SSH and RDP out (see default-nacl-rules.ts).
 */
export class RegionalNetwork extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly vpcCidrBlock: pulumi.Output<string>;
  public readonly availabilityZones: pulumi.Output<string[]>;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly isolatedSubnetIds: pulumi.Output<string>[];
  /** Route tables of the private and isolated tiers: the ones that get peering routes. */
  public readonly internalRouteTableIds: pulumi.Output<string>[];
  public readonly flowLogGroupName: pulumi.Output<string>;
  /** Security group of the private AWS API endpoints; undefined with NAT (no interface endpoints). */
  public readonly interfaceEndpointSecurityGroupId: pulumi.Output<string> | undefined;
  /** Prefix lists of the S3 and DynamoDB gateway endpoints, for security group rules. */
  public readonly gatewayPrefixListIds: Readonly<
    Record<GatewayEndpointService, pulumi.Output<string>>
  >;

  constructor(name: string, args: RegionalNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:network:RegionalNetwork", name, {}, opts);
    const azCount = args.azCount ?? 3;
    const natGateways = args.natGateways ?? "none";
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const tagName = (purpose: string) => ({ Name: physicalName("nameTag", purpose, scope) });

    // Parented, so it runs through this region's provider. Opt-in-not-required
    // excludes Local Zones and Wavelength Zones, which Aurora does not support.
    const pinned = args.pinnedAvailabilityZones;
    const zoneNames =
      pinned !== undefined
        ? pulumi.output([...pinned])
        : aws.getAvailabilityZonesOutput(
            {
              state: "available",
              filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
            },
            { parent: this },
          ).names;
    this.availabilityZones = zoneNames.apply((names) =>
      selectAvailabilityZones(args.region, names, azCount),
    );

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.vpcCidr,
        // Both are required for private DNS on interface endpoints and DNS across the peering.
        enableDnsSupport: true,
        enableDnsHostnames: true,
        // Explicit AWS defaults. Dedicated tenancy bills a per-Region fee of $2 an hour plus a
        // per-instance fee (pulumi-aws ec2.Vpc instanceTenancy docs); no IPv6 CIDR, so the
        // network ACL has no ::/0 entries to keep in step with the IPv4 ones.
        instanceTenancy: "default",
        assignGeneratedIpv6CidrBlock: false,
        tags: tagName("vpc"),
      },
      { parent: this },
    );

    // No rules at all: nothing may rely on the default group by accident.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, tags: tagName("default-closed") },
      { parent: this },
    );

    const plan = planSubnets(args.vpcCidr, azCount);
    const subnetsOf = (tier: SubnetTier): aws.ec2.Subnet[] =>
      plan
        .filter((planned) => planned.tier === tier)
        .map((planned) => this.createSubnet(name, vpc, planned, tagName));
    const publicSubnets = subnetsOf("public");
    const privateSubnets = subnetsOf("private");
    const isolatedSubnets = subnetsOf("isolated");

    // Every subnet stays on the default ACL, so managing it covers all of them. The provider
    // adopts it, removes all its rules and writes these; subnetIds lists every subnet, since an
    // unlisted association shows as a diff (pulumi-aws ec2.DefaultNetworkAcl, "Managing Subnets
    // in the Default Network ACL").
    const naclRules = defaultNetworkAclRules({
      vpcCidr: args.vpcCidr,
      peerVpcCidr: args.peerVpcCidr,
    });
    new aws.ec2.DefaultNetworkAcl(
      `${name}-default-nacl`,
      {
        defaultNetworkAclId: vpc.defaultNetworkAclId,
        subnetIds: [...publicSubnets, ...privateSubnets, ...isolatedSubnets].map(
          (subnet) => subnet.id,
        ),
        ingress: naclRules.ingress.map((rule) => ({ ...rule })),
        egress: naclRules.egress.map((rule) => ({ ...rule })),
        tags: tagName("default-nacl"),
      },
      { parent: this },
    );

    const internetGateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: tagName("igw") },
      { parent: this },
    );
    const publicRouteTable = new aws.ec2.RouteTable(
      `${name}-public-rt`,
      { vpcId: vpc.id, tags: tagName("public") },
      { parent: this },
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      {
        routeTableId: publicRouteTable.id,
        destinationCidrBlock: "0.0.0.0/0",
        gatewayId: internetGateway.id,
      },
      { parent: this },
    );
    publicSubnets.forEach((subnet, azIndex) => {
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${azIndex}`,
        { subnetId: subnet.id, routeTableId: publicRouteTable.id },
        { parent: this },
      );
    });

    const natGatewayIds = this.createNatGateways(
      name,
      natGateways,
      publicSubnets,
      internetGateway,
      tagName,
    );

    // One route table per AZ and tier, so per-AZ NAT and peering routes stay independent.
    const privateRouteTables = privateSubnets.map((subnet, azIndex) => {
      const table = this.createTierRouteTable(name, "private", azIndex, vpc, subnet, tagName);
      const natGatewayId = natGatewayIds[natGateways === "perAz" ? azIndex : 0];
      if (natGatewayId !== undefined) {
        new aws.ec2.Route(
          `${name}-private-default-${azIndex}`,
          { routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId },
          { parent: this },
        );
      }
      return table;
    });
    const isolatedRouteTables = isolatedSubnets.map((subnet, azIndex) =>
      this.createTierRouteTable(name, "isolated", azIndex, vpc, subnet, tagName),
    );
    const internalRouteTables = [...privateRouteTables, ...isolatedRouteTables];

    const endpoints = new VpcEndpoints(
      `${name}-endpoints`,
      {
        vpcId: vpc.id,
        vpcCidr: args.vpcCidr,
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        gatewayRouteTableIds: internalRouteTables.map((table) => table.id),
        interfaceSubnetIds: privateSubnets.map((subnet) => subnet.id),
        createInterfaceEndpoints: natGateways === "none",
        // DynamoDB through this VPC: the stack's table only; S3: the stack's buckets only, except
        // on the EC2 tier, whose instances fetch from AWS-owned buckets through it (README).
        gatewayPolicies: {
          ...((args.restrictS3Endpoint ?? true)
            ? {
                s3: pulumi
                  .all([args.accountId, args.partition])
                  .apply(([accountId, partition]) =>
                    JSON.stringify(
                      s3EndpointPolicy(
                        { partition, accountId },
                        `${PROJECT_PREFIX}-${args.environmentSuffix}-`,
                      ),
                    ),
                  ),
              }
            : {}),
          dynamodb: pulumi
            .all([args.accountId, args.partition])
            .apply(([accountId, partition]) =>
              JSON.stringify(
                dynamoDbEndpointPolicy(
                  { partition, region: args.region, accountId },
                  transactionTableName(args.environmentSuffix),
                ),
              ),
            ),
        },
      },
      { parent: this },
    );

    const flowLogs = new VpcFlowLogs(
      `${name}-flow-logs`,
      {
        vpcId: vpc.id,
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        kmsKeyArn: args.kmsKeyArn,
        retentionInDays: args.flowLogRetentionDays,
        retainOnDelete: args.retainLogsOnDelete,
        accountId: args.accountId,
        partition: args.partition,
      },
      { parent: this },
    );

    this.vpcId = vpc.id;
    this.vpcCidrBlock = vpc.cidrBlock;
    this.publicSubnetIds = publicSubnets.map((subnet) => subnet.id);
    this.privateSubnetIds = privateSubnets.map((subnet) => subnet.id);
    this.isolatedSubnetIds = isolatedSubnets.map((subnet) => subnet.id);
    this.internalRouteTableIds = internalRouteTables.map((table) => table.id);
    this.flowLogGroupName = flowLogs.logGroupName;
    this.interfaceEndpointSecurityGroupId = endpoints.interfaceSecurityGroupId;
    this.gatewayPrefixListIds = endpoints.gatewayPrefixListIds;
    this.registerOutputs({
      vpcId: this.vpcId,
      vpcCidrBlock: this.vpcCidrBlock,
      availabilityZones: this.availabilityZones,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      isolatedSubnetIds: this.isolatedSubnetIds,
      internalRouteTableIds: this.internalRouteTableIds,
      flowLogGroupName: this.flowLogGroupName,
      interfaceEndpointSecurityGroupId: this.interfaceEndpointSecurityGroupId,
      gatewayPrefixListIds: this.gatewayPrefixListIds,
    });
  }

  private createSubnet(
    name: string,
    vpc: aws.ec2.Vpc,
    planned: PlannedSubnet,
    tagName: (purpose: string) => Record<string, string>,
  ): aws.ec2.Subnet {
    return new aws.ec2.Subnet(
      `${name}-${planned.tier}-${planned.azIndex}`,
      {
        vpcId: vpc.id,
        cidrBlock: planned.cidr,
        availabilityZone: this.availabilityZones.apply((zones) => zones[planned.azIndex]),
        // No tier hands out public IPs, the public one included. Nothing launched here needs one:
        // an internet-facing ALB's nodes get public addresses from ELB itself (ELBv2
        // CreateLoadBalancer, Scheme), a public NAT gateway takes its Elastic IP through
        // allocationId (EC2 CreateNatGateway), and the API instances sit in the private tier.
        mapPublicIpOnLaunch: false,
        tags: { ...tagName(`${planned.tier}-${planned.azIndex}`), Tier: planned.tier },
      },
      { parent: this },
    );
  }

  private createTierRouteTable(
    name: string,
    tier: SubnetTier,
    azIndex: number,
    vpc: aws.ec2.Vpc,
    subnet: aws.ec2.Subnet,
    tagName: (purpose: string) => Record<string, string>,
  ): aws.ec2.RouteTable {
    const table = new aws.ec2.RouteTable(
      `${name}-${tier}-rt-${azIndex}`,
      { vpcId: vpc.id, tags: { ...tagName(`${tier}-${azIndex}`), Tier: tier } },
      { parent: this },
    );
    new aws.ec2.RouteTableAssociation(
      `${name}-${tier}-${azIndex}`,
      { subnetId: subnet.id, routeTableId: table.id },
      { parent: this },
    );
    return table;
  }

  private createNatGateways(
    name: string,
    mode: NatGatewayMode,
    publicSubnets: aws.ec2.Subnet[],
    internetGateway: aws.ec2.InternetGateway,
    tagName: (purpose: string) => Record<string, string>,
  ): pulumi.Output<string>[] {
    const count = mode === "none" ? 0 : mode === "single" ? 1 : publicSubnets.length;
    return publicSubnets.slice(0, count).map((subnet, azIndex) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-eip-${azIndex}`,
        { domain: "vpc", tags: tagName(`nat-${azIndex}`) },
        { parent: this },
      );
      const natGateway = new aws.ec2.NatGateway(
        `${name}-nat-${azIndex}`,
        {
          // Explicit default: a public NAT gateway, with the Elastic IP above as its address.
          connectivityType: "public",
          allocationId: eip.id,
          subnetId: subnet.id,
          tags: tagName(`nat-${azIndex}`),
        },
        // A NAT gateway needs the VPC's internet gateway attached before it can route.
        { parent: this, dependsOn: [internetGateway] },
      );
      return natGateway.id;
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";

/**
 * AWS APIs the stack's Lambdas call, reached privately when the VPC has no NAT:
 * - rds: the failover orchestrator (FailoverGlobalCluster, DescribeGlobalClusters);
 * - secretsmanager: database credentials for the transaction API;
 * - sqs: the transaction queue;
 * - sns: operator notifications;
 * - monitoring: CloudWatch alarm state the orchestrator corroborates.
 * S3 and DynamoDB use free gateway endpoints instead. Route 53 has no endpoint
 * in other regions, and failover does not call it: health checks and DNS
 * failover run in Route 53's data plane.
 */
export const INTERFACE_ENDPOINT_SERVICES = [
  "rds",
  "secretsmanager",
  "sqs",
  "sns",
  "monitoring",
] as const;
export const GATEWAY_ENDPOINT_SERVICES = ["s3", "dynamodb"] as const;
export type GatewayEndpointService = (typeof GATEWAY_ENDPOINT_SERVICES)[number];

export interface VpcEndpointsArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  readonly region: string;
  readonly environmentSuffix: string;
  /** Route tables that get the S3 and DynamoDB gateway routes (private and isolated tiers). */
  readonly gatewayRouteTableIds: pulumi.Input<string>[];
  /** Subnets for the interface endpoints' ENIs (the app tier). */
  readonly interfaceSubnetIds: pulumi.Input<string>[];
  /** Create interface endpoints; without NAT they are the only way to reach these APIs. @default true */
  readonly createInterfaceEndpoints?: boolean;
  /**
   * Endpoint policy (JSON) of a gateway endpoint. A service without one keeps AWS's default
   * full-access policy. @default none
   */
  readonly gatewayPolicies?: Partial<Record<GatewayEndpointService, pulumi.Input<string>>>;
}

/** Gateway endpoints for S3 and DynamoDB, and interface endpoints for the APIs the Lambdas call. */
export class VpcEndpoints extends pulumi.ComponentResource {
  /** Security group of the interface endpoints, or undefined when none are created. */
  public readonly interfaceSecurityGroupId: pulumi.Output<string> | undefined;
  /**
   * The AWS-managed prefix list of each gateway endpoint's service: security group
   * rules name it to allow traffic that the gateway routes (a gateway endpoint has no
   * IP address or security group of its own).
   */
  public readonly gatewayPrefixListIds: Readonly<
    Record<GatewayEndpointService, pulumi.Output<string>>
  >;

  constructor(name: string, args: VpcEndpointsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:network:VpcEndpoints", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };

    const prefixListIds: Partial<Record<GatewayEndpointService, pulumi.Output<string>>> = {};
    for (const service of GATEWAY_ENDPOINT_SERVICES) {
      const endpoint = new aws.ec2.VpcEndpoint(
        `${name}-${service}`,
        {
          vpcId: args.vpcId,
          serviceName: `com.amazonaws.${args.region}.${service}`,
          vpcEndpointType: "Gateway",
          routeTableIds: args.gatewayRouteTableIds,
          ...(args.gatewayPolicies?.[service] === undefined
            ? {}
            : { policy: args.gatewayPolicies[service] }),
          tags: { Name: physicalName("nameTag", `${service}-endpoint`, scope) },
        },
        { parent: this },
      );
      prefixListIds[service] = endpoint.prefixListId;
    }
    this.gatewayPrefixListIds = prefixListIds as Record<
      GatewayEndpointService,
      pulumi.Output<string>
    >;

    if (args.createInterfaceEndpoints ?? true) {
      const securityGroup = new aws.ec2.SecurityGroup(
        `${name}-sg`,
        {
          name: physicalName("securityGroup", "endpoints", scope),
          description: "HTTPS from inside the VPC to AWS API interface endpoints",
          vpcId: args.vpcId,
          tags: { Name: physicalName("nameTag", "endpoints", scope) },
        },
        { parent: this },
      );
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-sg-https`,
        {
          securityGroupId: securityGroup.id,
          description: "HTTPS from the VPC",
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          cidrIpv4: args.vpcCidr,
        },
        { parent: this },
      );
      for (const service of INTERFACE_ENDPOINT_SERVICES) {
        new aws.ec2.VpcEndpoint(
          `${name}-${service}`,
          {
            vpcId: args.vpcId,
            serviceName: `com.amazonaws.${args.region}.${service}`,
            vpcEndpointType: "Interface",
            privateDnsEnabled: true,
            subnetIds: args.interfaceSubnetIds,
            securityGroupIds: [securityGroup.id],
            tags: { Name: physicalName("nameTag", `${service}-endpoint`, scope) },
          },
          { parent: this },
        );
      }
      this.interfaceSecurityGroupId = securityGroup.id;
    }
    this.registerOutputs({
      interfaceSecurityGroupId: this.interfaceSecurityGroupId,
      gatewayPrefixListIds: this.gatewayPrefixListIds,
    });
  }
}

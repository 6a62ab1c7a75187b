/**
 * The regional app tier's arguments and the checks the types cannot express, apart from the
 * component (lib/app/regional-app-tier.ts) so they are tested without the Pulumi runtime.
 */
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../data/secure-bucket";
import { ModeSettings } from "../modes";
import { AppConfig } from "./app-config";
import { AppRegionRole } from "./app-tier-settings";
import { AwsApiAccess } from "./function-egress";

export interface RegionalAppTierArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's role, told to the handlers (REGION_ROLE) and the fleet. */
  readonly role: AppRegionRole;
  /** Lambda or EC2, concurrency, allowed CIDRs, fleet sizes (validated config). */
  readonly app: AppConfig;
  /** The API's domain; undefined serves plain HTTP on the ALB's name (test stacks only). @default undefined */
  readonly domainName?: string;
  /** The domain's public zone, for certificate validation; required with domainName. */
  readonly hostedZoneId?: pulumi.Input<string>;
  /** How functions reach AWS APIs; decides their HTTPS egress. */
  readonly awsApiAccess: AwsApiAccess;
  /** The interface endpoints' security group; required with "interface-endpoints". */
  readonly interfaceEndpointSecurityGroupId?: pulumi.Input<string>;
  /** The DynamoDB gateway endpoint's prefix list. */
  readonly dynamoDbPrefixListId: pulumi.Input<string>;
  /** The region's VPC and its subnets. */
  readonly vpcId: pulumi.Input<string>;
  readonly publicSubnetIds: pulumi.Input<string>[];
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** This VPC's isolated (database) subnets: the only PostgreSQL destinations. */
  readonly databaseSubnetCidrs: readonly string[];
  /** The region's customer-managed key. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The region's server access log bucket (the EC2 tier's artifacts bucket logs to it). */
  readonly accessLogBucket: SecureBucket;
  /** This region's Aurora cluster endpoint. */
  readonly databaseEndpoint: pulumi.Input<string>;
  /** This region's Aurora reader endpoint: the only one a secondary serves before promotion. */
  readonly databaseReaderEndpoint: pulumi.Input<string>;
  /** This region's transaction queue. */
  readonly queueUrl: pulumi.Input<string>;
  readonly queueArn: pulumi.Input<string>;
  /** What the stack mode means for these resources (lib/modes.ts). */
  readonly settings: ModeSettings;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

/** Checks what the types cannot: combinations of optional args. */
export function validateAppTierArgs(
  args: Pick<
    RegionalAppTierArgs,
    "region" | "domainName" | "hostedZoneId" | "awsApiAccess" | "interfaceEndpointSecurityGroupId"
  >,
): void {
  if (args.domainName !== undefined && args.hostedZoneId === undefined) {
    throw new Error(
      `RegionalAppTier ${args.region}: hostedZoneId is required with domainName "${args.domainName}" (certificate validation records go into the zone)`,
    );
  }
  if (
    args.awsApiAccess === "interface-endpoints" &&
    args.interfaceEndpointSecurityGroupId === undefined
  ) {
    throw new Error(
      `RegionalAppTier ${args.region}: interfaceEndpointSecurityGroupId is required with awsApiAccess "interface-endpoints"; pass the VPC endpoints' security group, or use "nat"`,
    );
  }
}

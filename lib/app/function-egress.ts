import * as pulumi from "@pulumi/pulumi";
import { AURORA_PORT } from "../data/aurora-engine";
import { EgressRule } from "./app-function";

/**
 * How the private subnets reach AWS APIs (Secrets Manager, SQS): through the VPC's
 * interface endpoints (no NAT), or through NAT to the public endpoints.
 */
export type AwsApiAccess = "interface-endpoints" | "nat";

export interface FunctionEgressArgs {
  /** This VPC's isolated (database) subnets. */
  readonly databaseSubnetCidrs: readonly string[];
  /** The DynamoDB gateway endpoint's prefix list. */
  readonly dynamoDbPrefixListId: pulumi.Input<string>;
  /** How the private subnets reach Secrets Manager and SQS. */
  readonly awsApiAccess: AwsApiAccess;
  /** The interface endpoints' security group; required with "interface-endpoints". */
  readonly interfaceEndpointSecurityGroupId?: pulumi.Input<string>;
}

/**
 * What a function may reach, and nothing more (SG-3):
 * - PostgreSQL to this VPC's database subnets only: DB_HOST is this region's cluster
 *   endpoint, and a DR function must never depend on the primary region. (The database
 *   still admits both VPCs' app subnets, for operations over the peering.)
 * - HTTPS to DynamoDB through the gateway endpoint's prefix list.
 * - HTTPS to Secrets Manager and SQS: the interface endpoints' security group, or, with
 *   NAT and no interface endpoints, any address on 443 (the public endpoints have no
 *   fixed addresses to name; port 443 only).
 * DNS (the VPC resolver) and the segments a function hands to Lambda's X-Ray daemon go
 * to reserved and link-local addresses, which security groups do not filter.
 */
export function functionEgress(args: FunctionEgressArgs): EgressRule[] {
  const databases: EgressRule[] = args.databaseSubnetCidrs.map((cidr) => ({
    description: `PostgreSQL to Aurora in ${cidr}`,
    port: AURORA_PORT,
    cidr,
  }));
  const dynamoDb: EgressRule = {
    description: "HTTPS to DynamoDB through the gateway endpoint",
    port: 443,
    prefixListId: args.dynamoDbPrefixListId,
  };
  const awsApis: EgressRule =
    args.awsApiAccess === "interface-endpoints"
      ? {
          description: "HTTPS to the private AWS API endpoints (Secrets Manager, SQS)",
          port: 443,
          securityGroupId: args.interfaceEndpointSecurityGroupId as pulumi.Input<string>,
        }
      : {
          description: "HTTPS to AWS APIs (Secrets Manager, SQS) through NAT",
          port: 443,
          cidr: "0.0.0.0/0",
        };
  return [...databases, dynamoDb, awsApis];
}

/** Test-only: the simulated ec2 API (see ../simulated-aws.ts). */
import {
  DescribeFlowLogsCommand,
  type DescribeFlowLogsCommandInput,
  DescribeNetworkAclsCommand,
  type DescribeNetworkAclsCommandInput,
  DescribeRouteTablesCommand,
  type DescribeRouteTablesCommandInput,
  DescribeSecurityGroupsCommand,
  type DescribeSecurityGroupsCommandInput,
  DescribeSubnetsCommand,
  type DescribeSubnetsCommandInput,
  DescribeVpcAttributeCommand,
  type DescribeVpcAttributeCommandInput,
  DescribeVpcPeeringConnectionsCommand,
  type DescribeVpcPeeringConnectionsCommandInput,
  DescribeVpcsCommand,
  type DescribeVpcsCommandInput,
  EC2Client,
  type IpPermission,
  type NetworkAclEntry,
  type Route,
  type RouteState,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import type { NaclRule } from "../../../../lib/network/default-nacl-rules";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import { Cloud, awsError, bool, record, records, regionOf, text } from "../cloud";

export function installEc2(cloud: () => Cloud): () => void {
  const ec2 = mockClient(EC2Client);
  const VPC = "aws:ec2/vpc:Vpc";
  // DescribeVpcsResult.Vpcs: Vpc[]
  ec2.on(DescribeVpcsCommand).callsFake(async (input: DescribeVpcsCommandInput, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    const vpcs = c.of(VPC, region).filter((r) => (input.VpcIds ?? []).includes(c.idOf(r)));
    if (vpcs.length !== (input.VpcIds ?? []).length) {
      throw awsError(
        "InvalidVpcID.NotFound",
        `The vpc ID '${String(input.VpcIds)}' does not exist`,
      );
    }
    return {
      Vpcs: vpcs.map((r) => ({
        VpcId: c.idOf(r),
        CidrBlock: text(r.inputs.cidrBlock),
        State: "available",
      })),
    };
  });
  // DescribeVpcAttributeResult: EnableDnsSupport / EnableDnsHostnames are AttributeBooleanValue.
  // AWS defaults: DNS support on, DNS hostnames off (non-default VPC).
  ec2
    .on(DescribeVpcAttributeCommand)
    .callsFake(async (input: DescribeVpcAttributeCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const vpc = c.of(VPC, region).find((r) => c.idOf(r) === input.VpcId);
      if (!vpc)
        throw awsError(
          "InvalidVpcID.NotFound",
          `The vpc ID '${String(input.VpcId)}' does not exist`,
        );
      if (input.Attribute === "enableDnsSupport") {
        return {
          VpcId: input.VpcId,
          EnableDnsSupport: { Value: bool(vpc.inputs.enableDnsSupport, true) },
        };
      }
      if (input.Attribute === "enableDnsHostnames") {
        return {
          VpcId: input.VpcId,
          EnableDnsHostnames: { Value: bool(vpc.inputs.enableDnsHostnames, false) },
        };
      }
      throw awsError("InvalidParameterValue", `unsimulated attribute ${String(input.Attribute)}`);
    });
  // DescribeSubnetsResult.Subnets: Subnet[]
  ec2
    .on(DescribeSubnetsCommand)
    .callsFake(async (input: DescribeSubnetsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const subnets = c
        .of("aws:ec2/subnet:Subnet", region)
        .filter((r) => (input.SubnetIds ?? []).includes(c.idOf(r)));
      if (subnets.length !== (input.SubnetIds ?? []).length) {
        throw awsError("InvalidSubnetID.NotFound", "The subnet ID does not exist");
      }
      return {
        Subnets: subnets.map((r) => ({
          SubnetId: c.idOf(r),
          VpcId: text(r.inputs.vpcId),
          CidrBlock: text(r.inputs.cidrBlock),
          AvailabilityZone: text(r.inputs.availabilityZone),
          MapPublicIpOnLaunch: bool(r.inputs.mapPublicIpOnLaunch, false),
          State: "available",
        })),
      };
    });
  // DescribeVpcPeeringConnectionsResult.VpcPeeringConnections: VpcPeeringConnection[]; a
  // cross-region peering is visible in both regions, with the same pcx- id.
  ec2
    .on(DescribeVpcPeeringConnectionsCommand)
    .callsFake(async (input: DescribeVpcPeeringConnectionsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const connections = c
        .of("aws:ec2/vpcPeeringConnection:VpcPeeringConnection")
        .filter((r) => (input.VpcPeeringConnectionIds ?? []).includes(c.idOf(r)))
        .filter((r) => r.region === region || r.inputs.peerRegion === region);
      const dnsOption = (id: string, side: "requester" | "accepter"): boolean =>
        c
          .of("aws:ec2/peeringConnectionOptions:PeeringConnectionOptions")
          .filter((o) => c.peeringId(o.inputs.vpcPeeringConnectionId) === id)
          .some((o) => bool(record(o.inputs[side]).allowRemoteVpcDnsResolution, false));
      return {
        VpcPeeringConnections: connections.map((r) => {
          const id = c.idOf(r);
          return {
            VpcPeeringConnectionId: id,
            Status: { Code: c.stack.service.peeringStatus, Message: c.stack.service.peeringStatus },
            RequesterVpcInfo: {
              VpcId: text(r.inputs.vpcId),
              Region: r.region,
              OwnerId: TEST_ACCOUNT_ID,
              CidrBlock: c.vpcCidr(r.inputs.vpcId),
              PeeringOptions: { AllowDnsResolutionFromRemoteVpc: dnsOption(id, "requester") },
            },
            AccepterVpcInfo: {
              VpcId: text(r.inputs.peerVpcId),
              Region: text(r.inputs.peerRegion) ?? r.region,
              OwnerId: TEST_ACCOUNT_ID,
              CidrBlock: c.vpcCidr(r.inputs.peerVpcId),
              PeeringOptions: { AllowDnsResolutionFromRemoteVpc: dnsOption(id, "accepter") },
            },
          };
        }),
      };
    });
  // DescribeRouteTablesResult.RouteTables: RouteTable[], each with all its Associations and Routes
  // (the "local" route first).
  ec2
    .on(DescribeRouteTablesCommand)
    .callsFake(async (input: DescribeRouteTablesCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const wanted =
        (input.Filters ?? []).find((f) => f.Name === "association.subnet-id")?.Values ?? [];
      const associations = c.of("aws:ec2/routeTableAssociation:RouteTableAssociation", region);
      const tables = c
        .of("aws:ec2/routeTable:RouteTable", region)
        .filter((t) =>
          associations.some(
            (a) =>
              a.inputs.routeTableId === c.idOf(t) && wanted.includes(String(a.inputs.subnetId)),
          ),
        );
      return {
        RouteTables: tables.map((t) => {
          const routes: Route[] = [
            {
              DestinationCidrBlock: c.vpcCidr(t.inputs.vpcId),
              GatewayId: "local",
              State: "active",
              Origin: "CreateRouteTable",
            },
            ...c
              .of("aws:ec2/route:Route", region)
              .filter((r) => r.inputs.routeTableId === c.idOf(t))
              .map((r): Route => {
                const peering = r.inputs.vpcPeeringConnectionId;
                return {
                  DestinationCidrBlock: text(r.inputs.destinationCidrBlock),
                  GatewayId: c.gatewayId(r.inputs.gatewayId),
                  NatGatewayId: text(r.inputs.natGatewayId),
                  VpcPeeringConnectionId: peering === undefined ? undefined : c.peeringId(peering),
                  State: (peering === undefined
                    ? "active"
                    : c.stack.service.peeringRouteState) as RouteState,
                  Origin: "CreateRoute",
                };
              }),
          ];
          return {
            RouteTableId: c.idOf(t),
            VpcId: text(t.inputs.vpcId),
            Associations: associations
              .filter((a) => a.inputs.routeTableId === c.idOf(t))
              .map((a) => ({
                RouteTableAssociationId: c.idOf(a),
                RouteTableId: c.idOf(t),
                SubnetId: text(a.inputs.subnetId),
                Main: false,
              })),
            Routes: routes,
          };
        }),
      };
    });
  // DescribeSecurityGroupsResult.SecurityGroups: SecurityGroup[]. A VPC's default group keeps
  // its default rules (all from itself in, all out) unless a DefaultSecurityGroup manages it.
  ec2
    .on(DescribeSecurityGroupsCommand)
    .callsFake(async (input: DescribeSecurityGroupsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const vpcIds = (input.Filters ?? []).find((f) => f.Name === "vpc-id")?.Values ?? [];
      const names = (input.Filters ?? []).find((f) => f.Name === "group-name")?.Values ?? [];
      if (!names.includes("default")) return { SecurityGroups: [] };
      return {
        SecurityGroups: c
          .of(VPC, region)
          .filter((vpc) => vpcIds.includes(c.idOf(vpc)))
          .map((vpc) => {
            const groupId = `sg-default-${vpc.name}`;
            const managed = c
              .of("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup", region)
              .find((g) => g.inputs.vpcId === c.idOf(vpc));
            const rules = (field: "ingress" | "egress"): IpPermission[] =>
              managed
                ? records(managed.inputs[field]).map((rule) => ({
                    IpProtocol: String(rule.protocol),
                    FromPort: Number(rule.fromPort),
                    ToPort: Number(rule.toPort),
                    IpRanges: (Array.isArray(rule.cidrBlocks) ? rule.cidrBlocks : []).map(
                      (cidr) => ({ CidrIp: String(cidr) }),
                    ),
                  }))
                : field === "ingress"
                  ? [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: groupId }] }]
                  : [{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];
            return {
              GroupId: groupId,
              GroupName: "default",
              VpcId: c.idOf(vpc),
              IpPermissions: rules("ingress"),
              IpPermissionsEgress: rules("egress"),
            };
          }),
      };
    });
  // DescribeNetworkAclsResult.NetworkAcls: NetworkAcl[]. Every subnet of a VPC sits on its default
  // ACL unless associated elsewhere (the stack never does). An unmanaged default ACL keeps AWS's
  // entries: rule 100 allows all in and out. Either way AWS appends the 32767 "*" deny, and
  // reports protocols as IANA numbers.
  ec2
    .on(DescribeNetworkAclsCommand)
    .callsFake(async (input: DescribeNetworkAclsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const filter = (name: string) => (input.Filters ?? []).find((f) => f.Name === name)?.Values;
      const vpcIds = filter("vpc-id") ?? [];
      if (filter("default")?.[0] !== "true") {
        throw awsError("InvalidParameterValue", "unsimulated: only default=true is simulated");
      }
      const subnets = c.of("aws:ec2/subnet:Subnet", region);
      const protocolNumber: Record<string, string> = { tcp: "6", udp: "17", icmp: "1", "-1": "-1" };
      const entry = (rule: NaclRule, egress: boolean): NetworkAclEntry => ({
        RuleNumber: rule.ruleNo,
        RuleAction: rule.action,
        Protocol: protocolNumber[rule.protocol] ?? rule.protocol,
        CidrBlock: rule.cidrBlock,
        Egress: egress,
        ...(rule.protocol === "tcp" || rule.protocol === "udp"
          ? { PortRange: { From: rule.fromPort, To: rule.toPort } }
          : {}),
        ...(rule.protocol === "icmp"
          ? { IcmpTypeCode: { Type: rule.icmpType, Code: rule.icmpCode } }
          : {}),
      });
      const awsDefault = (ruleNo: number, action: "allow" | "deny"): NaclRule => ({
        ruleNo,
        action,
        protocol: "-1",
        cidrBlock: "0.0.0.0/0",
        fromPort: 0,
        toPort: 0,
      });
      return {
        NetworkAcls: c
          .of(VPC, region)
          .filter((vpc) => vpcIds.includes(c.idOf(vpc)))
          .map((vpc) => {
            const own = subnets.filter((s) => s.inputs.vpcId === c.idOf(vpc));
            const managed = c
              .of("aws:ec2/defaultNetworkAcl:DefaultNetworkAcl", region)
              .find((acl) =>
                own.some((s) => (acl.inputs.subnetIds as unknown[]).includes(c.idOf(s))),
              );
            const rules = (field: "ingress" | "egress"): NaclRule[] => [
              ...(managed
                ? (records(managed.inputs[field]) as unknown as NaclRule[])
                : [awsDefault(100, "allow")]),
              awsDefault(32767, "deny"),
            ];
            const aclId = `acl-default-${vpc.name}`;
            return {
              NetworkAclId: aclId,
              VpcId: c.idOf(vpc),
              IsDefault: true,
              Associations: own.map((s) => ({
                NetworkAclAssociationId: `aclassoc-${s.name}`,
                NetworkAclId: aclId,
                SubnetId: c.idOf(s),
              })),
              Entries: [
                ...rules("ingress").map((rule) => entry(rule, false)),
                ...rules("egress").map((rule) => entry(rule, true)),
              ],
            };
          }),
      };
    });
  // DescribeFlowLogsResult.FlowLogs: FlowLog[]
  ec2
    .on(DescribeFlowLogsCommand)
    .callsFake(async (input: DescribeFlowLogsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const resourceIds = (input.Filter ?? []).find((f) => f.Name === "resource-id")?.Values ?? [];
      return {
        FlowLogs: c
          .of("aws:ec2/flowLog:FlowLog", region)
          .filter((r) => resourceIds.includes(String(r.inputs.vpcId)))
          .map((r) => ({
            FlowLogId: `fl-${r.name}`,
            ResourceId: text(r.inputs.vpcId),
            FlowLogStatus: c.stack.service.flowLogStatus,
            LogDestinationType: text(r.inputs.logDestinationType),
            LogGroupName: text(r.inputs.logDestination)?.split(":log-group:")[1],
            TrafficType: text(r.inputs.trafficType),
          })),
      };
    });
  return () => ec2.restore();
}

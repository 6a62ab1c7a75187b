import {
  DescribeFlowLogsCommand,
  DescribeNetworkAclsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcPeeringConnectionsCommand,
  DescribeVpcsCommand,
  type NetworkAclEntry,
} from "@aws-sdk/client-ec2";
import { clientsFor } from "./clients";
import { StackOutputs, describeLive } from "./stack-outputs";

type Side = "primary" | "dr";

/** IANA protocol numbers, as DescribeNetworkAcls reports them. */
const TCP = "6";
const ADMIN_PORTS = [22, 3389];
const ANYWHERE = "0.0.0.0/0";
/** True when the entry would match TCP from 0.0.0.0/0 to `port` (every protocol, or TCP's range). */
const coversTcpFromAnywhere = (entry: NetworkAclEntry, port: number): boolean =>
  entry.CidrBlock === ANYWHERE &&
  (entry.Protocol === "-1" ||
    (entry.Protocol === TCP &&
      (entry.PortRange?.From ?? 0) <= port &&
      port <= (entry.PortRange?.To ?? 65535)));

describeLive("deployed network", (outputs: StackOutputs) => {
  const regionOf = (side: Side) => outputs.text(side === "primary" ? "primaryRegion" : "drRegion");
  const ec2 = (side: Side) => clientsFor(regionOf(side)).ec2;
  const peerOf = (side: Side): Side => (side === "primary" ? "dr" : "primary");
  const key = <S extends string>(side: Side, suffix: S) => `${side}${suffix}` as const;

  it.each<Side>(["primary", "dr"])(
    "has the %s VPC in its region with its CIDR and DNS on",
    async (side) => {
      const vpcId = outputs.text(key(side, "VpcId"));
      const { Vpcs } = await ec2(side).send(new DescribeVpcsCommand({ VpcIds: [vpcId] }));
      expect(Vpcs?.[0]?.CidrBlock).toBe(outputs.text(key(side, "VpcCidr")));
      const hostnames = await ec2(side).send(
        new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }),
      );
      expect(hostnames.EnableDnsHostnames?.Value).toBe(true);
      const support = await ec2(side).send(
        new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsSupport" }),
      );
      expect(support.EnableDnsSupport?.Value).toBe(true);
    },
  );

  it.each<Side>(["primary", "dr"])(
    "spreads each %s tier across distinct AZs; no subnet maps public IPs",
    async (side) => {
      for (const tier of ["Public", "Private", "Isolated"] as const) {
        const ids = outputs.list(key(side, `${tier}SubnetIds`));
        const { Subnets = [] } = await ec2(side).send(
          new DescribeSubnetsCommand({ SubnetIds: ids }),
        );
        expect(Subnets).toHaveLength(ids.length);
        expect(new Set(Subnets.map((subnet) => subnet.AvailabilityZone)).size).toBe(ids.length);
        for (const subnet of Subnets) {
          // The ALB and NAT gateways bring their own public addresses.
          expect([subnet.SubnetId, subnet.MapPublicIpOnLaunch]).toEqual([subnet.SubnetId, false]);
        }
      }
    },
  );

  it("has an active peering from the primary VPC to the DR VPC with DNS resolution both ways", async () => {
    const { VpcPeeringConnections = [] } = await ec2("primary").send(
      new DescribeVpcPeeringConnectionsCommand({
        VpcPeeringConnectionIds: [outputs.text("vpcPeeringConnectionId")],
      }),
    );
    const [peering] = VpcPeeringConnections;
    expect(peering?.Status?.Code).toBe("active");
    expect(peering?.RequesterVpcInfo?.VpcId).toBe(outputs.text("primaryVpcId"));
    expect(peering?.RequesterVpcInfo?.Region).toBe(regionOf("primary"));
    expect(peering?.AccepterVpcInfo?.VpcId).toBe(outputs.text("drVpcId"));
    expect(peering?.AccepterVpcInfo?.Region).toBe(regionOf("dr"));
    expect(peering?.RequesterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc).toBe(true);
    expect(peering?.AccepterVpcInfo?.PeeringOptions?.AllowDnsResolutionFromRemoteVpc).toBe(true);
  });

  it.each<Side>(["primary", "dr"])(
    "routes the peer CIDR over the peering from every %s private and isolated subnet",
    async (side) => {
      const subnetIds = [
        ...outputs.list(key(side, "PrivateSubnetIds")),
        ...outputs.list(key(side, "IsolatedSubnetIds")),
      ];
      const { RouteTables = [] } = await ec2(side).send(
        new DescribeRouteTablesCommand({
          Filters: [{ Name: "association.subnet-id", Values: subnetIds }],
        }),
      );
      const associated = RouteTables.flatMap((table) => table.Associations ?? []).map(
        (a) => a.SubnetId,
      );
      expect(associated.sort()).toEqual([...subnetIds].sort());
      const peerCidr = outputs.text(key(peerOf(side), "VpcCidr"));
      for (const table of RouteTables) {
        const route = table.Routes?.find((r) => r.DestinationCidrBlock === peerCidr);
        expect(route?.VpcPeeringConnectionId).toBe(outputs.text("vpcPeeringConnectionId"));
        expect(route?.State).toBe("active");
        expect(
          table.Routes?.some(
            (r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.GatewayId?.startsWith("igw-"),
          ),
        ).toBe(false);
      }
    },
  );

  it.each<Side>(["primary", "dr"])(
    "leaves the %s default security group without rules",
    async (side) => {
      const { SecurityGroups = [] } = await ec2(side).send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: "vpc-id", Values: [outputs.text(key(side, "VpcId"))] },
            { Name: "group-name", Values: ["default"] },
          ],
        }),
      );
      expect(SecurityGroups).toHaveLength(1);
      expect(SecurityGroups[0].IpPermissions).toEqual([]);
      expect(SecurityGroups[0].IpPermissionsEgress).toEqual([]);
    },
  );

  it.each<Side>(["primary", "dr"])(
    "denies SSH and RDP from 0.0.0.0/0 in the %s default network ACL before any allow, for every subnet",
    async (side) => {
      const { NetworkAcls = [] } = await ec2(side).send(
        new DescribeNetworkAclsCommand({
          Filters: [
            { Name: "vpc-id", Values: [outputs.text(key(side, "VpcId"))] },
            { Name: "default", Values: ["true"] },
          ],
        }),
      );
      expect(NetworkAcls).toHaveLength(1);
      const [acl] = NetworkAcls;
      const subnetIds = (["Public", "Private", "Isolated"] as const).flatMap((tier) =>
        outputs.list(key(side, `${tier}SubnetIds`)),
      );
      expect((acl.Associations ?? []).map((a) => a.SubnetId).sort()).toEqual([...subnetIds].sort());
      const ingress = (acl.Entries ?? [])
        .filter((entry) => entry.Egress === false)
        .sort((a, b) => (a.RuleNumber ?? 0) - (b.RuleNumber ?? 0));
      for (const port of ADMIN_PORTS) {
        // The first entry that matches TCP from anywhere to the port decides: it must deny.
        const decisive = ingress.find((entry) => coversTcpFromAnywhere(entry, port));
        expect([port, decisive?.RuleAction, decisive?.PortRange]).toEqual([
          port,
          "deny",
          { From: port, To: port },
        ]);
      }
      // The ALB still takes HTTPS from the internet.
      expect(ingress.find((entry) => coversTcpFromAnywhere(entry, 443))?.RuleAction).toBe("allow");
    },
  );

  it.each<Side>(["primary", "dr"])(
    "delivers %s flow logs to the stack's log group",
    async (side) => {
      const { FlowLogs = [] } = await ec2(side).send(
        new DescribeFlowLogsCommand({
          Filter: [{ Name: "resource-id", Values: [outputs.text(key(side, "VpcId"))] }],
        }),
      );
      expect(
        FlowLogs.map((log) => [log.FlowLogStatus, log.LogGroupName, log.TrafficType]),
      ).toContainEqual(["ACTIVE", outputs.text(key(side, "FlowLogGroupName")), "ALL"]);
    },
  );
});

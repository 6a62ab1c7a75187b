import { INTERFACE_ENDPOINT_SERVICES } from "../../../lib/network/vpc-endpoints";
import { CapturedResource } from "../../support/mock-graph";
import { Graph, policyOf, str } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";
const NAT = "aws:ec2/natGateway:NatGateway";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

const inRegion = (resources: CapturedResource[], region: string) =>
  resources.filter((resource) => resource.region === region);

describe("regional network (defaults: 3 AZs, no NAT)", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
  });

  it.each([
    ["us-east-1", "10.0"],
    ["us-east-2", "10.1"],
  ])("in %s, lays out 3 tiers x 3 AZs with CIDRs computed from the VPC CIDR", (region, net) => {
    const subnets = inRegion(graph.ofType(SUBNET), region);
    const layout = subnets
      .map((subnet) => [
        subnet.name.replace(/^tap-(primary|dr)-network-/, ""),
        str(subnet, "cidrBlock"),
        str(subnet, "availabilityZone"),
      ])
      .sort((a, b) => a[0].localeCompare(b[0]));
    expect(layout).toEqual([
      ["isolated-0", `${net}.128.0/20`, `${region}a`],
      ["isolated-1", `${net}.144.0/20`, `${region}b`],
      ["isolated-2", `${net}.160.0/20`, `${region}c`],
      ["private-0", `${net}.64.0/20`, `${region}a`],
      ["private-1", `${net}.80.0/20`, `${region}b`],
      ["private-2", `${net}.96.0/20`, `${region}c`],
      ["public-0", `${net}.0.0/20`, `${region}a`],
      ["public-1", `${net}.16.0/20`, `${region}b`],
      ["public-2", `${net}.32.0/20`, `${region}c`],
    ]);
  });

  it("auto-assigns public IPs only in the public tier", () => {
    for (const subnet of graph.ofType(SUBNET)) {
      expect([subnet.name, subnet.inputs.mapPublicIpOnLaunch]).toEqual([
        subnet.name,
        subnet.name.includes("-public-"),
      ]);
    }
  });

  it("enables DNS support and hostnames on both VPCs (needed for endpoint private DNS and peering DNS)", () => {
    const vpcs = graph.ofType("aws:ec2/vpc:Vpc");
    expect(
      vpcs
        .map((vpc) => [vpc.region, vpc.inputs.enableDnsSupport, vpc.inputs.enableDnsHostnames])
        .sort(),
    ).toEqual([
      ["us-east-1", true, true],
      ["us-east-2", true, true],
    ]);
  });

  it("routes only the public tier to the internet gateway; private and isolated have no default route", () => {
    const defaultRoutes = graph
      .ofType(ROUTE)
      .filter((route) => route.inputs.destinationCidrBlock === "0.0.0.0/0");
    expect(
      defaultRoutes
        .map((route) => [
          route.region,
          graph.byId(route.inputs.routeTableId).name,
          graph.byId(route.inputs.gatewayId).type,
        ])
        .sort(),
    ).toEqual([
      ["us-east-1", "tap-primary-network-public-rt", "aws:ec2/internetGateway:InternetGateway"],
      ["us-east-2", "tap-dr-network-public-rt", "aws:ec2/internetGateway:InternetGateway"],
    ]);
    expect(graph.ofType(NAT)).toHaveLength(0);
  });

  it("closes the default security group: no ingress, no egress", () => {
    const groups = graph.ofType("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group.inputs.ingress ?? []).toEqual([]);
      expect(group.inputs.egress ?? []).toEqual([]);
    }
  });

  it("attaches S3 and DynamoDB gateway endpoints to every private and isolated route table of its region", () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const internalTables = inRegion(graph.ofType(ROUTE_TABLE), region)
        .filter((table) => !table.name.endsWith("public-rt"))
        .map((table) => `${table.name}-id`)
        .sort();
      expect(internalTables).toHaveLength(6);
      const gateways = inRegion(graph.ofType(ENDPOINT), region).filter(
        (e) => e.inputs.vpcEndpointType === "Gateway",
      );
      expect(gateways.map((e) => str(e, "serviceName")).sort()).toEqual([
        `com.amazonaws.${region}.dynamodb`,
        `com.amazonaws.${region}.s3`,
      ]);
      for (const gateway of gateways) {
        expect([...(gateway.inputs.routeTableIds as string[])].sort()).toEqual(internalTables);
      }
    }
  });

  it("without NAT, gives the app tier private-DNS interface endpoints for the APIs the Lambdas call", () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const interfaces = inRegion(graph.ofType(ENDPOINT), region).filter(
        (e) => e.inputs.vpcEndpointType === "Interface",
      );
      expect(interfaces.map((e) => str(e, "serviceName")).sort()).toEqual(
        INTERFACE_ENDPOINT_SERVICES.map((service) => `com.amazonaws.${region}.${service}`).sort(),
      );
      for (const endpoint of interfaces) {
        expect(endpoint.inputs.privateDnsEnabled).toBe(true);
        const subnets = (endpoint.inputs.subnetIds as string[]).map((id) => graph.byId(id).name);
        expect(subnets.every((name) => name.includes("-private-"))).toBe(true);
        expect(subnets).toHaveLength(3);
      }
    }
  });

  it("opens the endpoint security group to HTTPS from its own VPC only", () => {
    const rules = graph
      .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
      .filter((rule) => graph.byId(rule.inputs.securityGroupId).name.endsWith("-endpoints-sg"));
    expect(
      rules
        .map((rule) => [
          rule.region,
          rule.inputs.cidrIpv4,
          rule.inputs.fromPort,
          rule.inputs.toPort,
          rule.inputs.ipProtocol,
        ])
        .sort(),
    ).toEqual([
      ["us-east-1", "10.0.0.0/16", 443, 443, "tcp"],
      ["us-east-2", "10.1.0.0/16", 443, 443, "tcp"],
    ]);
  });
});

describe("flow logs", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
  });

  it("captures ALL traffic of each VPC into a log group encrypted with its own region's key", () => {
    for (const flowLog of graph.ofType("aws:ec2/flowLog:FlowLog")) {
      expect(flowLog.inputs.trafficType).toBe("ALL");
      expect(graph.byId(flowLog.inputs.vpcId).region).toBe(flowLog.region);
      const logGroup = graph
        .ofType("aws:cloudwatch/logGroup:LogGroup")
        .find(
          (group) =>
            str(flowLog, "logDestination").endsWith(`:log-group:${str(group, "name")}`) &&
            group.region === flowLog.region,
        );
      expect(logGroup).toBeDefined();
      expect(str(logGroup!, "kmsKeyId")).toMatch(new RegExp(`^arn:aws:kms:${flowLog.region}:`));
    }
    expect(
      graph
        .ofType("aws:ec2/flowLog:FlowLog")
        .map((f) => f.region)
        .sort(),
    ).toEqual(["us-east-1", "us-east-2"]);
  });

  it("delivers through a role only VPC Flow Logs of this account can assume, created after its policy", () => {
    for (const flowLog of graph.ofType("aws:ec2/flowLog:FlowLog")) {
      const role = graph
        .ofType("aws:iam/role:Role")
        .find(
          (r) => `arn:aws:iam::123456789012:role/${str(r, "name")}` === flowLog.inputs.iamRoleArn,
        );
      expect(role).toBeDefined();
      const trust = policyOf(role!, "assumeRolePolicy").Statement[0];
      expect(trust.Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
      expect(trust.Condition).toEqual({
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": `arn:aws:ec2:${flowLog.region}:123456789012:vpc-flow-log/*` },
      });
      const rolePolicy = graph
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .find((p) => p.inputs.role === `${role!.name}-id`);
      expect(graph.dependsOn(flowLog, rolePolicy!)).toBe(true);
      const write = policyOf(rolePolicy!).Statement.find(
        (s) => s.Sid === "WriteFlowLogsToOwnGroup",
      );
      expect(write?.Resource).toEqual([
        str(flowLog, "logDestination"),
        `${str(flowLog, "logDestination")}:*`,
      ]);
    }
  });
});

describe.each([
  ["single", 1, 1],
  ["perAz", 3, 3],
])("natGateways=%s", (natGateways, natsPerRegion, distinctTargets) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        natGateways,
      }),
    );
  });

  it(`creates ${natsPerRegion} NAT gateway(s) per region in public subnets, and routes every private table through them`, () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const nats = inRegion(graph.ofType(NAT), region);
      expect(nats).toHaveLength(natsPerRegion);
      for (const nat of nats) {
        expect(graph.byId(nat.inputs.subnetId).name).toContain("-public-");
        expect(nat.dependencies.some((urn) => urn.includes("InternetGateway"))).toBe(true);
      }
      const natRoutes = inRegion(graph.ofType(ROUTE), region).filter(
        (route) => route.inputs.natGatewayId !== undefined,
      );
      expect(
        natRoutes
          .map((route) => graph.byId(route.inputs.routeTableId).name)
          .every((name) => name.includes("-private-rt-")),
      ).toBe(true);
      expect(natRoutes).toHaveLength(3);
      expect(new Set(natRoutes.map((route) => route.inputs.natGatewayId)).size).toBe(
        distinctTargets,
      );
    }
  });

  it("drops the interface endpoints (the NAT reaches the APIs)", () => {
    expect(
      graph.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Interface"),
    ).toHaveLength(0);
    expect(
      graph.ofType(ENDPOINT).filter((e) => e.inputs.vpcEndpointType === "Gateway"),
    ).toHaveLength(4);
  });
});

import {
  ANYWHERE_IPV4,
  FIRST_ALLOW_RULE,
  NaclPacket,
  NaclRule,
  evaluateNacl,
} from "../../../lib/network/default-nacl-rules";
import { INTERFACE_ENDPOINT_SERVICES } from "../../../lib/network/vpc-endpoints";
import { CapturedResource } from "../../support/mock-graph";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import { Graph, asArray, policyOf, str } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE_TABLE = "aws:ec2/routeTable:RouteTable";
const ROUTE = "aws:ec2/route:Route";
const NAT = "aws:ec2/natGateway:NatGateway";
const ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";
const DEFAULT_NACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl";

const inRegion = (resources: CapturedResource[], region: string) =>
  resources.filter((resource) => resource.region === region);

/** The region's gateway endpoint of one service; a missing one fails the test that asks. */
function gatewayEndpoint(graph: Graph, region: string, service: "s3" | "dynamodb") {
  const found = inRegion(graph.ofType(ENDPOINT), region).find(
    (e) => e.inputs.serviceName === `com.amazonaws.${region}.${service}`,
  );
  if (found === undefined) throw new Error(`no ${service} gateway endpoint in ${region}`);
  return found;
}

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

  it.each(["us-east-1", "us-east-2"])(
    "in %s, lets DynamoDB through the gateway endpoint only to this stack's table, for this account",
    (region) => {
      const dynamodb = gatewayEndpoint(graph, region, "dynamodb");
      const tableArn = `arn:aws:dynamodb:${region}:${TEST_ACCOUNT_ID}:table/tap-dev-transactions`;
      expect(policyOf(dynamodb).Statement).toEqual([
        {
          Sid: "StackTableOnly",
          Effect: "Allow",
          Principal: "*",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
          Resource: [tableArn, `${tableArn}/index/*`],
          Condition: { StringEquals: { "aws:PrincipalAccount": TEST_ACCOUNT_ID } },
        },
      ]);
    },
  );

  it.each(["us-east-1", "us-east-2"])(
    "in %s, lets S3 through the gateway endpoint only to this stack's buckets (Lambda tier: nothing in the VPC calls S3)",
    (region) => {
      const s3 = gatewayEndpoint(graph, region, "s3");
      expect(policyOf(s3).Statement).toEqual([
        {
          Sid: "StackBucketsOnly",
          Effect: "Allow",
          Principal: "*",
          Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
          Resource: ["arn:aws:s3:::tap-dev-*", "arn:aws:s3:::tap-dev-*/*"],
          Condition: { StringEquals: { "aws:PrincipalAccount": TEST_ACCOUNT_ID } },
        },
      ]);
      // Every bucket of the stack matches the prefix the policy allows.
      for (const bucket of graph.ofType("aws:s3/bucket:Bucket")) {
        expect(str(bucket, "bucket")).toMatch(/^tap-dev-/);
      }
    },
  );

  it("lets through the endpoint every DynamoDB action a policy grants on the transaction table", () => {
    // The handlers run in the VPC, so each call they are allowed must also pass the endpoint.
    const checked: string[] = [];
    for (const policy of graph.ofType("aws:iam/policy:Policy")) {
      for (const statement of policyOf(policy).Statement) {
        const resources = asArray(statement.Resource);
        const onTable = resources.filter((r) => /:table\/tap-dev-transactions(\/|$)/.test(r));
        if (onTable.length === 0) continue;
        const region = onTable[0].split(":")[3];
        const allowed = policyOf(gatewayEndpoint(graph, region, "dynamodb")).Statement[0];
        expect([
          policy.name,
          asArray(statement.Action).filter((a) => !asArray(allowed?.Action).includes(a)),
        ]).toEqual([policy.name, []]);
        expect([
          policy.name,
          onTable.filter((r) => !asArray(allowed?.Resource).includes(r)),
        ]).toEqual([policy.name, []]);
        checked.push(policy.name);
      }
    }
    // The API and worker policies of both regions at least.
    expect(checked.length).toBeGreaterThanOrEqual(4);
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
      // DescribeLogGroups has no resource type (waived as FindOwnGroup, TAP-IAM-3).
      expect(policyOf(rolePolicy!).Statement.find((st) => st.Sid === "FindOwnGroup")).toEqual({
        Sid: "FindOwnGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: "*",
      });
    }
  });
});

describe("explicit AWS defaults of the network", () => {
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

  it("pins default tenancy and no IPv6 on both VPCs", () => {
    for (const vpc of graph.ofType("aws:ec2/vpc:Vpc")) {
      expect([vpc.inputs.instanceTenancy, vpc.inputs.assignGeneratedIpv6CidrBlock]).toEqual([
        "default",
        false,
      ]);
    }
  });

  it("pins one-minute flow-log aggregation, a STANDARD log group and a one-hour role session", () => {
    for (const flowLog of graph.ofType("aws:ec2/flowLog:FlowLog")) {
      expect(flowLog.inputs.maxAggregationInterval).toBe(60);
    }
    const groups = graph
      .ofType("aws:cloudwatch/logGroup:LogGroup")
      .filter((group) => group.name.endsWith("-flow-logs-log-group"));
    expect(groups.map((group) => group.inputs.logGroupClass)).toEqual(["STANDARD", "STANDARD"]);
    const roles = graph
      .ofType("aws:iam/role:Role")
      .filter((role) => role.name.endsWith("-flow-logs-role"));
    expect(roles.map((role) => role.inputs.maxSessionDuration)).toEqual([3600, 3600]);
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
        // A public NAT gateway's address is its Elastic IP, not a subnet auto-assigned one.
        expect(nat.inputs.connectivityType).toBe("public");
        expect(graph.byId(nat.inputs.allocationId).type).toBe("aws:ec2/eip:Eip");
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

const REGIONS = [
  ["us-east-1", "10.0.0.0/16", "10.1.0.0/16"],
  ["us-east-2", "10.1.0.0/16", "10.0.0.0/16"],
] as const;
const INTERNET_HOST = "203.0.113.10";

describe.each(["test", "production"])("%s mode: public IPs and the default network ACL", (mode) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ environmentSuffix: "dev", domainName: "payments.example.com", mode }),
    );
  });
  const naclOf = (region: string): CapturedResource => {
    const acls = inRegion(graph.ofType(DEFAULT_NACL), region);
    expect(acls).toHaveLength(1);
    return acls[0];
  };
  const rulesOf = (acl: CapturedResource, field: "ingress" | "egress") =>
    acl.inputs[field] as NaclRule[];

  it("auto-assigns no public IP in any subnet, the public tier included", () => {
    const subnets = graph.ofType(SUBNET);
    expect(subnets).toHaveLength(18);
    expect(subnets.filter((subnet) => subnet.inputs.mapPublicIpOnLaunch !== false)).toEqual([]);
  });

  it("keeps the EC2 API instances in private subnets, without public addresses", () => {
    for (const group of graph.ofType("aws:autoscaling/group:Group")) {
      const zones = group.inputs.vpcZoneIdentifiers as string[];
      expect(zones.map((id) => graph.byId(id).name).every((n) => n.includes("-private-"))).toBe(
        true,
      );
    }
    for (const template of graph.ofType("aws:ec2/launchTemplate:LaunchTemplate")) {
      for (const nic of (template.inputs.networkInterfaces ?? []) as Record<string, unknown>[]) {
        expect(nic.associatePublicIpAddress).toBe("false");
      }
    }
  });

  it.each(REGIONS)(
    "in %s, manages the default ACL of the region's VPC for all 9 subnets",
    (region) => {
      const acl = naclOf(region);
      const subnets = (acl.inputs.subnetIds as string[]).map((id) => graph.byId(id));
      expect(subnets).toHaveLength(9);
      expect(new Set(subnets.map((subnet) => subnet.inputs.vpcId))).toEqual(
        new Set([`${inRegion(graph.ofType("aws:ec2/vpc:Vpc"), region)[0].name}-id`]),
      );
    },
  );

  it.each(REGIONS)(
    "in %s, denies SSH and RDP from 0.0.0.0/0 before any allow, then allows what the design needs",
    (region, vpcCidr, peerCidr) => {
      const ingress = rulesOf(naclOf(region), "ingress");
      expect(
        ingress.map((r) => [r.ruleNo, r.action, r.protocol, r.cidrBlock, r.fromPort, r.toPort]),
      ).toEqual([
        [10, "deny", "tcp", ANYWHERE_IPV4, 22, 22],
        [20, "deny", "udp", ANYWHERE_IPV4, 22, 22],
        [30, "deny", "tcp", ANYWHERE_IPV4, 3389, 3389],
        [40, "deny", "udp", ANYWHERE_IPV4, 3389, 3389],
        [100, "allow", "-1", vpcCidr, 0, 0],
        [110, "allow", "-1", peerCidr, 0, 0],
        [200, "allow", "tcp", ANYWHERE_IPV4, 443, 443],
        [210, "allow", "tcp", ANYWHERE_IPV4, 80, 80],
        [300, "allow", "tcp", ANYWHERE_IPV4, 1024, 65535],
        [310, "allow", "icmp", ANYWHERE_IPV4, 0, 0],
      ]);
      const denies = ingress.filter((rule) => rule.action === "deny");
      const allows = ingress.filter((rule) => rule.action === "allow");
      expect(Math.max(...denies.map((r) => r.ruleNo))).toBeLessThan(FIRST_ALLOW_RULE);
      expect(Math.min(...allows.map((r) => r.ruleNo))).toBe(FIRST_ALLOW_RULE);
      expect(new Set(ingress.map((r) => r.ruleNo)).size).toBe(ingress.length);
      expect(ingress.find((r) => r.protocol === "icmp")).toMatchObject({
        icmpType: 3,
        icmpCode: 4,
      });
      expect(rulesOf(naclOf(region), "egress")).toEqual([
        {
          ruleNo: 100,
          action: "allow",
          protocol: "-1",
          cidrBlock: ANYWHERE_IPV4,
          fromPort: 0,
          toPort: 0,
        },
      ]);
    },
  );

  it.each<[string, "allow" | "deny", NaclPacket]>([
    ["SSH from the internet", "deny", { protocol: "tcp", address: INTERNET_HOST, port: 22 }],
    ["RDP from the internet", "deny", { protocol: "tcp", address: INTERNET_HOST, port: 3389 }],
    [
      "RDP over UDP from the internet",
      "deny",
      { protocol: "udp", address: INTERNET_HOST, port: 3389 },
    ],
    ["SSH from inside the VPC", "deny", { protocol: "tcp", address: "10.0.64.10", port: 22 }],
    ["HTTPS to the ALB", "allow", { protocol: "tcp", address: INTERNET_HOST, port: 443 }],
    ["HTTP to the ALB", "allow", { protocol: "tcp", address: INTERNET_HOST, port: 80 }],
    [
      "a reply to a NAT or gateway-endpoint call",
      "allow",
      { protocol: "tcp", address: INTERNET_HOST, port: 40000 },
    ],
    ["Aurora from the app tier", "allow", { protocol: "tcp", address: "10.0.64.10", port: 5432 }],
    [
      "HTTPS to an interface endpoint",
      "allow",
      { protocol: "tcp", address: "10.0.80.10", port: 443 },
    ],
    ["the ALB to an instance", "allow", { protocol: "tcp", address: "10.0.0.10", port: 8080 }],
    ["Aurora from the peer VPC", "allow", { protocol: "tcp", address: "10.1.64.10", port: 5432 }],
    ["Path MTU Discovery", "allow", { protocol: "icmp", address: INTERNET_HOST, port: 0 }],
    [
      "SMTP from the internet (below the ephemeral range)",
      "deny",
      { protocol: "tcp", address: INTERNET_HOST, port: 25 },
    ],
    ["UDP from the internet", "deny", { protocol: "udp", address: INTERNET_HOST, port: 40000 }],
  ])("in us-east-1, %s: %s", (_, verdict, packet) => {
    expect(evaluateNacl(rulesOf(naclOf("us-east-1"), "ingress"), packet)).toBe(verdict);
  });
});

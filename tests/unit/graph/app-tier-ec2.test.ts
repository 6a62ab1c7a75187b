import { APP_PORT, LIVENESS_CHECK_PATH } from "../../../lib/app/app-tier-settings";
import { fleetServiceLinkedRoleName } from "../../../lib/app/ec2-instance-policy";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import { roleStatements, variablesOf } from "../../support/failover-view";
import { Graph, asArray, policyOf, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

/** The same config as app-ec2.test.ts (the fleet's own tests), so the program runs once for both. */
const CONFIG = { environmentSuffix: "dev", mode: "test", appTier: "ec2", natGateways: "single" };
const REGIONS = [
  ["us-east-1", "use1"],
  ["us-east-2", "use2"],
] as const;
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

const onlyIn = (graph: Graph, type: string, region: string): CapturedResource => {
  const found = graph.ofType(type).filter((resource) => resource.region === region);
  expect([type, region, found.length]).toEqual([type, region, 1]);
  return found[0];
};

describe("app tier on EC2 (appTier ec2, natGateways single)", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(CONFIG));
  });

  it("runs the API on the fleet instead of Lambda; the queue worker stays a function", () => {
    expect(
      graph
        .ofType("aws:lambda/function:Function")
        // The failover orchestrator and prober are not app tier (tests/unit/graph/failover.test.ts).
        .filter((fn) => !/-(orchestrator|prober|db-rotation)-use\d$/.test(str(fn, "name")))
        .map((fn) => [fn.region, str(fn, "name")])
        .sort(),
    ).toEqual([
      ["us-east-1", "tap-dev-worker-use1"],
      ["us-east-2", "tap-dev-worker-use2"],
    ]);
    expect(graph.ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment")).toEqual([]);
    expect(
      graph
        .ofType("aws:lambda/permission:Permission")
        .filter((p) => p.inputs.principal === "elasticloadbalancing.amazonaws.com"),
    ).toEqual([]);
  });

  it.each(REGIONS)(
    "forwards %s's ALB to an instance target group on the app port, health-checked on the liveness path (not the deep /health)",
    (region, code) => {
      const targetGroup = onlyIn(graph, "aws:lb/targetGroup:TargetGroup", region);
      const vpc = onlyIn(graph, "aws:ec2/vpc:Vpc", region);
      expect(targetGroup.inputs).toMatchObject({
        name: `tap-dev-ec2-${code}`,
        targetType: "instance",
        port: APP_PORT,
        protocol: "HTTP",
        vpcId: `${vpc.name}-id`,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: LIVENESS_CHECK_PATH,
          matcher: "200",
        },
      });
      const group = onlyIn(graph, "aws:autoscaling/group:Group", region);
      expect(group.inputs.targetGroupArns).toEqual([
        `arn:aws:elasticloadbalancing:${region}:${TEST_ACCOUNT_ID}:targetgroup/tap-dev-ec2-${code}/0123456789abcdef`,
      ]);
    },
  );

  it.each(REGIONS)(
    "lets %s's ALB out only to the fleet's security group, on the app port",
    (region, code) => {
      const alb = onlyIn(graph, "aws:lb/loadBalancer:LoadBalancer", region);
      const [albGroupId] = alb.inputs.securityGroups as string[];
      const egress = graph
        .ofType(EGRESS)
        .filter((rule) => rule.inputs.securityGroupId === albGroupId);
      expect(egress).toHaveLength(1);
      const [rule] = egress;
      expect([rule.inputs.ipProtocol, rule.inputs.fromPort, rule.inputs.toPort]).toEqual([
        "tcp",
        APP_PORT,
        APP_PORT,
      ]);
      const fleetGroup = graph.byId(rule.inputs.referencedSecurityGroupId);
      expect([fleetGroup.region, str(fleetGroup, "name")]).toEqual([region, `tap-dev-app-${code}`]);
    },
  );

  it.each(REGIONS)(
    "gives %s's instances the API's own least-privilege data-plane policy",
    (region, code) => {
      const policy = graph
        .ofType("aws:iam/policy:Policy")
        .find((p) => p.inputs.name === `tap-dev-api-data-plane-${code}`) as CapturedResource;
      expect(policy.region).toBe(region);
      const instanceRoleAttachments = graph
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs.role === `tap-dev-app-instance-${code}`)
        .map((a) => a.inputs.policyArn);
      expect(instanceRoleAttachments).toContain(
        `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/tap-dev-api-data-plane-${code}`,
      );
      const sids = policyOf(policy).Statement.map((s) => s.Sid);
      expect(sids).toEqual(
        expect.arrayContaining([
          "ReadDatabaseSecret",
          "TransactionStateItems",
          "PublishTransactions",
        ]),
      );
    },
  );

  it("reaches AWS APIs through NAT on 443 only: there are no interface endpoints to name", () => {
    // The app tier's functions in the VPC; the failover functions run outside it (failover.test.ts),
    // and the rotation function has no DynamoDB rule (secret-rotation.test.ts).
    const inVpc = graph
      .ofType("aws:lambda/function:Function")
      .filter(
        (fn) => fn.inputs.vpcConfig !== undefined && !str(fn, "name").includes("db-rotation"),
      );
    expect(inVpc.map((fn) => str(fn, "name")).sort()).toEqual([
      "tap-dev-worker-use1",
      "tap-dev-worker-use2",
    ]);
    for (const worker of inVpc) {
      const [groupId] = (worker.inputs.vpcConfig as { securityGroupIds: string[] })
        .securityGroupIds;
      const https = graph
        .ofType(EGRESS)
        .filter((rule) => rule.inputs.securityGroupId === groupId && rule.inputs.fromPort === 443);
      expect(https.map((rule) => rule.inputs.cidrIpv4 ?? "prefix-list").sort()).toEqual([
        "0.0.0.0/0",
        "prefix-list",
      ]);
      expect(https.every((rule) => rule.inputs.toPort === 443)).toBe(true);
    }
  });

  it.each(REGIONS)(
    "lets %s's key be used by the fleet's own Auto Scaling role for encrypted root volumes",
    (region, code) => {
      const key = onlyIn(graph, "aws:kms/key:Key", region);
      const statement = policyOf(key).Statement.find(
        (s) => s.Sid === "AutoScalingServiceLinkedRoleUse",
      );
      expect(JSON.stringify(statement?.Condition)).toContain(
        fleetServiceLinkedRoleName({ environmentSuffix: "dev", region }),
      );
      expect(fleetServiceLinkedRoleName({ environmentSuffix: "dev", region })).toContain(code);
    },
  );
});

describe("failover of an EC2-tier region: the orchestrator scales its own fleet before promoting", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(CONFIG));
  });

  const orchestratorIn = (region: string): CapturedResource => {
    const found = graph
      .ofType("aws:lambda/function:Function")
      .filter((fn) => fn.region === region && /-orchestrator-use\d$/.test(str(fn, "name")));
    expect(found).toHaveLength(1);
    return found[0];
  };

  it.each(REGIONS)(
    "tells %s's orchestrator the region's own group and the primary's desired capacity",
    (region) => {
      const fleet = onlyIn(graph, "aws:autoscaling/group:Group", region);
      const env = variablesOf(orchestratorIn(region));
      // The config's default primaryAppCapacity is 2/2/6: a promoted region runs what the primary ran.
      expect([env.APP_FLEET_NAME, env.APP_FLEET_CAPACITY]).toEqual([str(fleet, "name"), "2"]);
    },
  );

  it.each(REGIONS)(
    "lets %s's orchestrator update only that group, in its region, and read sizes",
    (region) => {
      const fleet = onlyIn(graph, "aws:autoscaling/group:Group", region);
      const statements = roleStatements(graph, orchestratorIn(region).inputs.role);
      const scaling = statements.filter((s) =>
        asArray(s.Action).some((a) => a.startsWith("autoscaling:")),
      );
      expect(scaling.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
        ["ReadAppFleet", "autoscaling:DescribeAutoScalingGroups", "*"],
        [
          "ScaleAppFleet",
          "autoscaling:UpdateAutoScalingGroup",
          `arn:aws:autoscaling:${region}:${TEST_ACCOUNT_ID}:autoScalingGroup:*:autoScalingGroupName/${str(fleet, "name")}`,
        ],
      ]);
    },
  );
});

describe("gateway endpoints on the EC2 tier", () => {
  it.each(REGIONS)(
    "keeps AWS's default S3 endpoint policy in %s (instances fetch from AWS-owned buckets) and limits DynamoDB",
    async (region) => {
      const graph = new Graph(await runProgram(CONFIG));
      const endpoint = (service: string) =>
        graph
          .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
          .find((e) => e.inputs.serviceName === `com.amazonaws.${region}.${service}`);
      expect(endpoint("s3")?.inputs.policy).toBeUndefined();
      expect(policyOf(endpoint("dynamodb") as CapturedResource).Statement[0]?.Sid).toBe(
        "StackTableOnly",
      );
    },
  );
});

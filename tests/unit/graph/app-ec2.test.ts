import { bundleSha256 } from "../../../lib/app/ec2-user-data";
import { MOCK_PASSWORD, TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import { AWS_NAME_RULES } from "../../support/aws-name-limits";
import { Graph, asArray, policyOf, regionOfArn, str, unsecret } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";
import { LONGEST_NAMES_CONFIG } from "../../support/stack-config";

const ASG = "aws:autoscaling/group:Group";
const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const SERVICE_LINKED_ROLE = "aws:iam/serviceLinkedRole:ServiceLinkedRole";
const FLEET = "tap:app:Ec2AppFleet";
const REGION_CODE: Record<string, string> = { "us-east-1": "use1", "us-east-2": "use2" };

const CONFIG = { environmentSuffix: "dev", mode: "test", appTier: "ec2", natGateways: "single" };
const FLEETS = [
  ["primary", "us-east-1", { min: 2, desired: 2, max: 6 }],
  ["dr", "us-east-2", { min: 1, desired: 1, max: 6 }],
] as const;

interface LaunchTemplateInputs {
  imageId: string;
  keyName?: string;
  metadataOptions: { httpTokens: string; httpPutResponseHopLimit: number; httpEndpoint: string };
  monitoring: { enabled: boolean };
  networkInterfaces: { associatePublicIpAddress: string; securityGroups: string[] }[];
  blockDeviceMappings: {
    deviceName: string;
    ebs: { encrypted: string; kmsKeyId: string; volumeType: string };
  }[];
  userData: unknown;
  vpcSecurityGroupIds?: string[];
}

/** The fleet's resource of one type in one region (exactly one). */
const one = (graph: Graph, type: string, region: string): CapturedResource => {
  const found = graph
    .ofType(type)
    .filter((r) => r.region === region && graph.ancestorsOf(r).some((a) => a.type === FLEET));
  expect([type, region, found.length]).toEqual([type, region, 1]);
  return found[0];
};
const launchTemplateOf = (graph: Graph, region: string) =>
  one(graph, LAUNCH_TEMPLATE, region).inputs as unknown as LaunchTemplateInputs;
const userDataOf = (graph: Graph, region: string): string =>
  Buffer.from(String(unsecret(launchTemplateOf(graph, region).userData)), "base64").toString();

describe("EC2 app tier (appTier ec2, natGateways single)", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(CONFIG));
  });

  it("builds one fleet per region, every resource of it in that region", () => {
    const fleets = graph.ofType(FLEET);
    expect(fleets).toHaveLength(2);
    for (const fleet of fleets) {
      const inside = graph.cloudResources.filter((r) =>
        graph.ancestorsOf(r).some((a) => a.urn === fleet.urn),
      );
      expect(inside.length).toBeGreaterThan(15);
      expect(new Set(inside.map((r) => r.region)).size).toBe(1);
    }
  });

  describe.each(FLEETS)("%s fleet in %s", (role, region, capacity) => {
    it("requires IMDSv2 with a hop limit of 1 (AS-8, AS-9) and detailed monitoring (AS-12)", () => {
      const lt = launchTemplateOf(graph, region);
      expect(lt.metadataOptions).toMatchObject({
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      expect(lt.monitoring).toEqual({ enabled: true });
    });

    it("boots AL2023 for the instance type's architecture from the public SSM parameter", () => {
      // The default appInstanceType is t4g.small, a Graviton type.
      expect(launchTemplateOf(graph, region).imageId).toBe(
        "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      );
    });

    it("encrypts the root volume with its own region's key (AS-11)", () => {
      const [root, ...others] = launchTemplateOf(graph, region).blockDeviceMappings;
      expect(others).toEqual([]);
      expect(root.deviceName).toBe("/dev/xvda");
      expect(root.ebs).toMatchObject({ encrypted: "true", volumeType: "gp3" });
      const key = graph.byArn(root.ebs.kmsKeyId);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", region]);
    });

    it("gives instances no public IP (AS-10), no SSH key, and only the fleet's security group", () => {
      const lt = launchTemplateOf(graph, region);
      expect(lt.networkInterfaces).toHaveLength(1);
      expect(lt.networkInterfaces[0].associatePublicIpAddress).toBe("false");
      expect(lt.keyName).toBeUndefined();
      expect(lt.vpcSecurityGroupIds).toBeUndefined();
      const [groupId] = lt.networkInterfaces[0].securityGroups;
      expect(graph.byId(groupId)).toBe(one(graph, SECURITY_GROUP, region));
    });

    it("spans this region's private subnets, at least 2 AZs (AS-5)", () => {
      const subnets = asArray(one(graph, ASG, region).inputs.vpcZoneIdentifiers as string[]).map(
        (id) => graph.byId(id),
      );
      expect(subnets.length).toBeGreaterThanOrEqual(2);
      for (const subnet of subnets) {
        expect([
          subnet.type,
          subnet.region,
          (subnet.inputs.tags as Record<string, string>).Tier,
        ]).toEqual(["aws:ec2/subnet:Subnet", region, "private"]);
      }
      expect(new Set(subnets.map((s) => s.inputs.availabilityZone)).size).toBe(subnets.length);
    });

    it("registers with its region's target group and uses ELB health checks with a grace period (AS-1, AS-2)", () => {
      const group = one(graph, ASG, region).inputs;
      const targetGroups = asArray(group.targetGroupArns as string[]);
      expect(targetGroups).toHaveLength(1);
      expect(regionOfArn(targetGroups[0])).toBe(region);
      expect(group.healthCheckType).toBe("ELB");
      expect(group.healthCheckGracePeriod).toBeGreaterThan(0);
    });

    it("uses a launch template (AS-7), rolls the fleet on a new version and propagates tags (AS-14)", () => {
      const asg = one(graph, ASG, region);
      const lt = one(graph, LAUNCH_TEMPLATE, region);
      expect(asg.inputs.launchConfiguration).toBeUndefined();
      expect(asg.inputs.mixedInstancesPolicy).toBeUndefined();
      expect(asg.inputs.launchTemplate).toMatchObject({ id: `${lt.name}-id` });
      expect(asg.inputs.instanceRefresh).toMatchObject({
        strategy: "Rolling",
        preferences: { minHealthyPercentage: 100, skipMatching: false, autoRollback: false },
      });
      const tags = asg.inputs.tags as { key: string; value: string; propagateAtLaunch: boolean }[];
      expect(tags.map((t) => t.key)).toEqual(
        expect.arrayContaining(["Name", "Project", "Environment", "TapRegionRole"]),
      );
      expect(tags.every((t) => t.propagateAtLaunch)).toBe(true);
      expect(tags.find((t) => t.key === "TapRegionRole")?.value).toBe(role);
    });

    it(`sizes the group ${capacity.min}/${capacity.desired}/${capacity.max} from config; later runs leave desired alone`, () => {
      const asg = one(graph, ASG, region);
      expect([asg.inputs.minSize, asg.inputs.desiredCapacity, asg.inputs.maxSize]).toEqual([
        capacity.min,
        capacity.desired,
        capacity.max,
      ]);
      expect(asg.ignoreChanges).toContain("desiredCapacity");
    });

    it("scales on average CPU with target tracking", () => {
      const policy = one(graph, "aws:autoscaling/policy:Policy", region);
      expect(policy.inputs.autoscalingGroupName).toBe(str(one(graph, ASG, region), "name"));
      expect(policy.inputs).toMatchObject({
        policyType: "TargetTrackingScaling",
        targetTrackingConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
        },
      });
    });

    it("admits only the app port, only from the load balancer's security group", () => {
      const fleetGroup = one(graph, SECURITY_GROUP, region);
      expect(fleetGroup.inputs.ingress).toBeUndefined();
      const ingress = graph
        .ofType(INGRESS)
        .filter((rule) => rule.inputs.securityGroupId === `${fleetGroup.name}-id`);
      expect(ingress).toHaveLength(1);
      expect(ingress[0].inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 8080, toPort: 8080 });
      expect(ingress[0].inputs.cidrIpv4).toBeUndefined();
      const source = graph.byId(ingress[0].inputs.referencedSecurityGroupId);
      expect([source.type, source.region]).toEqual([SECURITY_GROUP, region]);
      const loadBalancers = graph
        .ofType("aws:lb/loadBalancer:LoadBalancer")
        .filter((lb) =>
          asArray(lb.inputs.securityGroups as string[]).includes(`${source.name}-id`),
        );
      expect(loadBalancers.map((lb) => lb.region)).toEqual([region]);
    });

    it("sends out only HTTPS and PostgreSQL to its own region's database subnets, never all ports (SG-3)", () => {
      const fleetGroup = one(graph, SECURITY_GROUP, region);
      const egress = graph
        .ofType(EGRESS)
        .filter((rule) => rule.inputs.securityGroupId === `${fleetGroup.name}-id`);
      expect(new Set(egress.map((rule) => `${String(rule.inputs.fromPort)}`))).toEqual(
        new Set(["443", "5432"]),
      );
      for (const rule of egress) {
        expect(rule.inputs.ipProtocol).toBe("tcp");
        expect(rule.inputs.fromPort).toBe(rule.inputs.toPort);
        expect(typeof rule.inputs.description).toBe("string");
      }
      // PostgreSQL only to this region's own isolated (database) subnets, like the functions.
      const net = region === "us-east-1" ? "10.0" : "10.1";
      const postgres = egress.filter((rule) => rule.inputs.fromPort === 5432);
      expect(postgres.map((rule) => rule.inputs.cidrIpv4).sort()).toEqual([
        `${net}.128.0/20`,
        `${net}.144.0/20`,
        `${net}.160.0/20`,
      ]);
    });

    it("gives the instance role customer managed policies that name only this region's resources", () => {
      const profile = one(graph, "aws:iam/instanceProfile:InstanceProfile", region);
      const role = graph
        .ofType("aws:iam/role:Role")
        .find((r) => r.inputs.name === profile.inputs.role);
      if (!role) throw new Error("no instance role");
      expect(policyOf(role, "assumeRolePolicy").Statement[0].Principal).toEqual({
        Service: "ec2.amazonaws.com",
      });
      expect(role.inputs.managedPolicyArns).toBeUndefined();
      const policies = graph
        .ofType(ATTACHMENT)
        .filter((a) => a.inputs.role === role.inputs.name)
        .map((a) => String(a.inputs.policyArn));
      expect(policies).toHaveLength(2);
      for (const arn of policies) {
        expect(arn).not.toMatch(/:iam::aws:policy\//); // I-1
        const document = policyOf(graph.byArn(arn));
        for (const statement of document.Statement) {
          for (const resource of asArray(statement.Resource).filter((r) => r !== "*")) {
            if (resource.startsWith("arn:aws:s3:::")) {
              expect(resource).toMatch(
                new RegExp(`^arn:aws:s3:::[a-z0-9-]+-${REGION_CODE[region]}(/|$)`),
              );
            } else {
              expect([resource, regionOfArn(resource)]).toEqual([resource, region]);
            }
          }
        }
      }
    });

    it("boots the bundle it uploaded (hash in user data and object key) and holds no secret (AS-13)", () => {
      const object = one(graph, "aws:s3/bucketObjectv2:BucketObjectv2", region);
      const sha = bundleSha256(str(object, "content"));
      expect(str(object, "key")).toBe(`ec2-server/${sha}.js`);
      const userData = userDataOf(graph, region);
      expect(userData).toContain(`echo "${sha}  /opt/tap/index.js" | sha256sum --check --strict`);
      expect(userData).toContain(`${str(object, "bucket")}/ec2-server/${sha}.js`);
      expect(userData).toContain("ExecStart=/usr/bin/node-22 /opt/tap/index.js");
      expect(userData).toContain("DB_CA_FILE=/opt/tap/rds-global-bundle.pem");
      expect(userData).toContain(`AWS_REGION=${region}`);
      expect(userData).not.toContain(MOCK_PASSWORD);
      expect(userData).not.toMatch(/password/i);
      expect(unsecret(launchTemplateOf(graph, region).userData)).toBe(
        launchTemplateOf(graph, region).userData,
      );
    });

    it("lets the fleet's own Auto Scaling role use the region's key for the volumes it launches", () => {
      const asg = one(graph, ASG, region);
      const roleArn = str(asg, "serviceLinkedRoleArn");
      expect(roleArn).toBe(
        `arn:aws:iam::${TEST_ACCOUNT_ID}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_tap-dev-app-${REGION_CODE[region]}`,
      );
      const serviceLinkedRole = one(graph, SERVICE_LINKED_ROLE, region);
      expect(serviceLinkedRole.inputs).toMatchObject({
        awsServiceName: "autoscaling.amazonaws.com",
        customSuffix: `tap-dev-app-${REGION_CODE[region]}`,
      });
      expect(graph.dependsOn(asg, serviceLinkedRole)).toBe(true);

      const volumeKey = graph.byArn(
        launchTemplateOf(graph, region).blockDeviceMappings[0].ebs.kmsKeyId,
      );
      const statements = policyOf(volumeKey).Statement;
      for (const sid of [
        "AutoScalingServiceLinkedRoleUse",
        "AutoScalingServiceLinkedRoleGrantsForVolumes",
      ]) {
        const statement = statements.find((s) => s.Sid === sid);
        expect(statement?.Condition?.ArnEquals).toEqual({ "aws:PrincipalArn": [roleArn] });
      }
    });
  });
});

describe("EC2 app tier, pilot-light DR (drAppCapacity 0/0/4)", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram({ ...CONFIG, drAppCapacity: "0/0/4" }));
  });

  it("keeps the DR group empty but able to grow, and the primary unchanged", () => {
    const sizes = (region: string) => {
      const asg = one(graph, ASG, region);
      return [asg.inputs.minSize, asg.inputs.desiredCapacity, asg.inputs.maxSize];
    };
    expect(sizes("us-east-2")).toEqual([0, 0, 4]);
    expect(sizes("us-east-1")).toEqual([2, 2, 6]);
  });
});

describe("EC2 app tier names at the longest suffix (production)", () => {
  /** AWS rules for the fleet's types that the Lambda-tier names test does not see. */
  const FLEET_NAME_RULES: Record<string, { field: string; max: number; pattern: RegExp }[]> = {
    [LAUNCH_TEMPLATE]: [{ field: "name", max: 128, pattern: /^[a-zA-Z0-9().\-/_]{3,}$/ }],
    [ASG]: [{ field: "name", max: 255, pattern: /^[\w.-]+$/ }],
    "aws:autoscaling/policy:Policy": [{ field: "name", max: 255, pattern: /^[\w.-]+$/ }],
    "aws:iam/instanceProfile:InstanceProfile": [
      { field: "name", max: 128, pattern: /^[\w+=,.@-]+$/ },
    ],
    "aws:iam/policy:Policy": [{ field: "name", max: 128, pattern: /^[\w+=,.@-]+$/ }],
    // The role name is the fixed prefix (29 characters with "_") plus the suffix: 64 in all.
    [SERVICE_LINKED_ROLE]: [{ field: "customSuffix", max: 35, pattern: /^[\w+=,.@-]+$/ }],
  };
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ ...LONGEST_NAMES_CONFIG, appTier: "ec2", natGateways: "single" }),
    );
  });

  it("fits every fleet name within its AWS limit and character set", () => {
    const fleetResources = graph.cloudResources.filter((r) =>
      graph.ancestorsOf(r).some((a) => a.type === FLEET),
    );
    const violations: string[] = [];
    let checked = 0;
    for (const resource of fleetResources) {
      for (const rule of [
        ...(FLEET_NAME_RULES[resource.type] ?? []),
        ...(AWS_NAME_RULES[resource.type] ?? []),
      ]) {
        const name = resource.inputs[rule.field];
        checked += 1;
        if (typeof name !== "string" || name.length > rule.max || !rule.pattern.test(name)) {
          violations.push(`${resource.type} ${rule.field}=${String(name)} (max ${rule.max})`);
        }
      }
    }
    expect(violations).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(2 * 9);
  });

  it("protects the production group against deletion and replacement", () => {
    for (const asg of graph.ofType(ASG)) {
      expect([asg.region, asg.protect, asg.inputs.forceDelete]).toEqual([asg.region, true, false]);
    }
  });
});

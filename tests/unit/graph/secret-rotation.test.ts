import { LAMBDA_CA_BUNDLE } from "../../../lib/app/app-tier-settings";
import { ROTATION_TIMEOUT_SECONDS } from "../../../lib/data/secret-rotation";
import { planSubnets } from "../../../lib/network/subnet-layout";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import { Graph, PolicyStatement, asArray, policyOf, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const FUNCTION = "aws:lambda/function:Function";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const PERMISSION = "aws:lambda/permission:Permission";
const SECRET = "aws:secretsmanager/secret:Secret";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const PRIMARY = "us-east-1";

/** The three isolated (database) subnets of a VPC, as the network lays them out. */
const databaseCidrs = (vpcCidr: string): string[] =>
  planSubnets(vpcCidr, 3)
    .filter((subnet) => subnet.tier === "isolated")
    .map((subnet) => subnet.cidr);

describe.each([
  ["test mode, interface endpoints", { environmentSuffix: "dev", mode: "test" }, 30, "endpoints"],
  [
    "production mode, NAT, a 7-day schedule",
    {
      environmentSuffix: "dev",
      mode: "production",
      domainName: "payments.example.com",
      natGateways: "single",
      dbSecretRotationDays: "7",
    },
    7,
    "nat",
  ],
] as const)("master secret rotation (%s)", (_label, config, days, apiAccess) => {
  let graph: Graph;
  let fn: CapturedResource;
  let secret: CapturedResource;
  beforeAll(async () => {
    graph = new Graph(await runProgram(config));
    const functions = graph
      .ofType(FUNCTION)
      .filter((candidate) => str(candidate, "name").includes("db-rotation"));
    expect(functions).toHaveLength(1);
    [fn] = functions;
    [secret] = graph.ofType(SECRET);
  });

  it("runs one rotation function, in the primary region's private subnets, with the bundled handler", () => {
    expect([fn.region, str(fn, "name")]).toEqual([PRIMARY, "tap-dev-db-rotation-use1"]);
    expect(fn.inputs).toMatchObject({
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      timeout: ROTATION_TIMEOUT_SECONDS,
      reservedConcurrentExecutions: 1,
      tracingConfig: { mode: "Active" },
      environment: { variables: { NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE } },
    });
    const { subnetIds } = fn.inputs.vpcConfig as { subnetIds: string[] };
    expect(subnetIds).toHaveLength(3);
    for (const subnetId of subnetIds) {
      const subnet = graph.byId(subnetId);
      expect([subnet.region, subnet.name]).toEqual([PRIMARY, expect.stringMatching(/private/)]);
    }
  });

  it("lets the function out to PostgreSQL in the primary's database subnets and to Secrets Manager on 443, nothing else", () => {
    const [groupId] = (fn.inputs.vpcConfig as { securityGroupIds: string[] }).securityGroupIds;
    const rules = graph.ofType(EGRESS).filter((rule) => rule.inputs.securityGroupId === groupId);
    const postgres = rules.filter((rule) => rule.inputs.fromPort === 5432);
    expect(postgres.map((rule) => rule.inputs.cidrIpv4).sort()).toEqual(
      databaseCidrs("10.0.0.0/16").sort(),
    );
    const https = rules.filter((rule) => rule.inputs.fromPort === 443);
    expect(https).toHaveLength(1);
    if (apiAccess === "endpoints") {
      const endpointGroup = graph.byId(https[0].inputs.referencedSecurityGroupId);
      expect([endpointGroup.region, endpointGroup.name]).toEqual([
        PRIMARY,
        expect.stringMatching(/endpoint/),
      ]);
    } else {
      expect(https[0].inputs.cidrIpv4).toBe("0.0.0.0/0");
    }
    expect(rules).toHaveLength(postgres.length + https.length);
    expect(rules.every((rule) => rule.inputs.toPort === rule.inputs.fromPort)).toBe(true);
  });

  it("grants the four steps' calls on this secret only, the generator, and the key through Secrets Manager", () => {
    const policy = graph
      .ofType("aws:iam/policy:Policy")
      .find((candidate) => str(candidate, "name") === "tap-dev-db-rotation-data-plane-use1");
    if (!policy) throw new Error("no rotation data-plane policy");
    const statements = policyOf(policy).Statement;
    const bySid = (sid: string): PolicyStatement => {
      const found = statements.find((statement) => statement.Sid === sid);
      if (!found) throw new Error(`no statement ${sid}`);
      return found;
    };
    expect(asArray(bySid("RotateDatabaseSecret").Action).sort()).toEqual([
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetSecretValue",
      "secretsmanager:PutSecretValue",
      "secretsmanager:UpdateSecretVersionStage",
    ]);
    expect(bySid("RotateDatabaseSecret").Resource).toBe(
      `arn:aws:secretsmanager:${PRIMARY}:${TEST_ACCOUNT_ID}:secret:tap-dev-db-master-credentials-??????`,
    );
    expect([
      bySid("GenerateRandomPassword").Action,
      bySid("GenerateRandomPassword").Resource,
    ]).toEqual(["secretsmanager:GetRandomPassword", "*"]);
    expect(bySid("EncryptThroughServices").Condition).toEqual({
      StringEquals: { "kms:ViaService": [`secretsmanager.${PRIMARY}.amazonaws.com`] },
    });
    expect(statements.map((statement) => statement.Sid).sort()).toEqual([
      "DecryptThroughServices",
      "EncryptThroughServices",
      "GenerateRandomPassword",
      "RotateDatabaseSecret",
    ]);
    const role = graph.byArn(fn.inputs.role);
    const attached = graph
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((attachment) => attachment.inputs.role === role.inputs.name)
      .map((attachment) => graph.byArn(attachment.inputs.policyArn).urn);
    expect(attached).toContain(policy.urn);
    expect(attached).toHaveLength(2);
  });

  it(`rotates the secret every ${days} days with this function`, () => {
    const rotations = graph.ofType(ROTATION);
    expect(rotations).toHaveLength(1);
    const [rotation] = rotations;
    expect(rotation.region).toBe(PRIMARY);
    // secretId is the secret's id: the rotation takes it from the secret, so it depends on it.
    expect(graph.dependsOn(rotation, secret)).toBe(true);
    expect(graph.ofType(SECRET)).toEqual([secret]);
    expect(graph.byArn(rotation.inputs.rotationLambdaArn).urn).toBe(fn.urn);
    expect(rotation.inputs.rotationRules).toEqual({ automaticallyAfterDays: days });
    // The first rotation starts as soon as the schedule is set: the writer must exist by then.
    const writer = graph.one(
      "aws:rds/clusterInstance:ClusterInstance",
      "tap-primary-data-aurora-instance-1",
    );
    expect(graph.dependsOn(rotation, writer)).toBe(true);
  });

  it("lets only Secrets Manager invoke it, for this secret in this account, before the first rotation starts", () => {
    const permissions = graph
      .ofType(PERMISSION)
      .filter((permission) => permission.inputs.principal === "secretsmanager.amazonaws.com");
    expect(permissions).toHaveLength(1);
    const [permission] = permissions;
    expect(permission.region).toBe(PRIMARY);
    expect(permission.inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      function: str(fn, "name"),
      sourceAccount: TEST_ACCOUNT_ID,
    });
    expect(graph.byArn(permission.inputs.sourceArn).urn).toBe(secret.urn);
    const [rotation] = graph.ofType(ROTATION);
    expect(graph.dependsOn(rotation, permission)).toBe(true);
    const [value] = graph.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    expect(graph.dependsOn(rotation, value)).toBe(true);
  });

  it("keeps Pulumi from putting the first password back as AWSCURRENT after a rotation", () => {
    const [value] = graph.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    expect([...value.ignoreChanges].sort()).toEqual(["secretString", "versionStages"]);
  });

  it("has no rotation function in the DR region", () => {
    expect(
      graph
        .ofType(FUNCTION)
        .filter(
          (candidate) =>
            candidate.region !== PRIMARY && str(candidate, "name").includes("rotation"),
        ),
    ).toEqual([]);
  });
});

/* eslint-disable @typescript-eslint/no-require-imports --
 * @pulumi/policy keeps its unknown-value sentinels in proxy.js without typings. */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { parse } from "yaml";
import { ALL_RULES, BUILT_IN_WAIVERS } from "../../../policy/evaluate";
import { UNKNOWN } from "../../../policy/model";
import {
  ENGINE_UNKNOWNS,
  plainProps,
  policiesOf,
  policyPackConfigOf,
} from "../../../policy/pack-adapter";
import { KEY_USE1, KEY_USE2 } from "./support";

/** The engine wraps props in this proxy, which throws on reading an unknown value. */
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy: (props: Record<string, unknown>) => Record<string, unknown>;
};

const POLICY_DIR = join(__dirname, "../../../policy");
const policies = policiesOf(ALL_RULES, BUILT_IN_WAIVERS);
const policyOf = (id: string) => policies.find((policy) => policy.name === id)!;

const PROVIDER_USE2 = {
  type: "pulumi:providers:aws",
  urn: "urn:pulumi:dev::tap-dr::pulumi:providers:aws::tap-dr-aws",
  name: "tap-dr-aws",
  props: {
    region: "us-east-2",
    defaultTags: JSON.stringify({ tags: { StackMode: "production" } }),
  },
};

/** ResourceValidationArgs as the policy engine builds them, props behind its unknown-checking proxy. */
function resourceArgs(
  type: string,
  name: string,
  props: Record<string, unknown>,
  config: object = {},
): ResourceValidationArgs {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::tap-dr::${type}::${name}`,
    props: unknownCheckingProxy(props),
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    provider: PROVIDER_USE2,
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => config as T,
    notApplicable: (reason?: string) => {
      throw new Error(reason);
    },
  };
}

function validate(id: string, args: ResourceValidationArgs): { message: string; urn?: string }[] {
  const reports: { message: string; urn?: string }[] = [];
  const policy = policyOf(id) as ResourceValidationPolicy;
  const validation = policy.validateResource as (a: ResourceValidationArgs, r: unknown) => void;
  validation(args, (message: string, urn?: string) => reports.push({ message, urn }));
  return reports;
}

describe("policy pack adapter", () => {
  it("has one policy per rule, with the rule's id, enforcement, severity and baseline", () => {
    expect(policies.map((policy) => policy.name)).toEqual(ALL_RULES.map((rule) => rule.id));
    for (const rule of ALL_RULES) {
      const policy = policyOf(rule.id);
      expect(policy).toMatchObject({
        enforcementLevel: rule.enforcement,
        severity: rule.severity,
        remediationSteps: rule.remediation,
      });
      expect(policy.description).toContain(rule.baseline);
      expect("validateStack" in policy).toBe(rule.scope === "stack");
    }
  });

  it("knows @pulumi/policy's unknown-value markers", () => {
    const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
    const sentinels = Object.entries(proxy)
      .filter(([key]) => /^unknown\w+Value$/.test(key))
      .map(([, value]) => value);
    expect([...ENGINE_UNKNOWNS].sort()).toEqual([...sentinels].sort());
  });

  it("reads the props behind the engine's proxy, with unknowns as UNKNOWN", () => {
    const props = unknownCheckingProxy({
      name: "q",
      kmsMasterKeyId: ENGINE_UNKNOWNS[2],
      nested: { list: [ENGINE_UNKNOWNS[0], "x"] },
    });
    expect(plainProps(props)).toEqual({
      name: "q",
      kmsMasterKeyId: UNKNOWN,
      nested: { list: [UNKNOWN, "x"] },
    });
  });

  it("checks a resource's key against its provider's region during a preview", () => {
    // GIVEN a DR-region queue WHEN encrypted with the primary region's key THEN the policy reports it
    expect(
      validate("TAP-SQS-1", resourceArgs("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: KEY_USE2 })),
    ).toEqual([]);
    expect(
      validate("TAP-SQS-1", resourceArgs("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: KEY_USE1 })),
    ).toEqual([
      {
        message:
          "kmsMasterKeyId is a key in us-east-1, but the resource is in us-east-2; a region's data must be encrypted with that region's own key, so it stays readable when the other region is lost",
        urn: undefined,
      },
    ]);
  });

  it("passes over a value not known yet, instead of failing the preview", () => {
    // A key created in the same preview: its ARN is unknown until deploy.
    const args = resourceArgs("aws:sqs/queue:Queue", "q", { kmsMasterKeyId: ENGINE_UNKNOWNS[2] });
    expect(validate("TAP-SQS-1", args)).toEqual([]);
  });

  it("reads the stack's mode from the provider's StackMode tag", () => {
    const table = { deletionProtectionEnabled: false };
    expect(
      validate("TAP-DDB-3", resourceArgs("aws:dynamodb/table:Table", "t", table)),
    ).toHaveLength(1);
    const testArgs = resourceArgs("aws:dynamodb/table:Table", "t", table);
    const testProvider = {
      ...PROVIDER_USE2,
      props: { ...PROVIDER_USE2.props, defaultTags: { tags: { StackMode: "test" } } },
    };
    expect(validate("TAP-DDB-3", { ...testArgs, provider: testProvider })).toEqual([]);
  });

  it("applies the built-in waivers and the stack's waivers from the pack config", () => {
    const policy = {
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadCorroboratingMetrics",
            Effect: "Allow",
            Action: "cloudwatch:GetMetricData",
            Resource: "*",
          },
          { Sid: "Extra", Effect: "Allow", Action: "sns:Publish", Resource: "*" },
        ],
      }),
    };
    const name = "tap-dr-failover-orchestrator-policy";
    // The built-in waiver covers its statement only.
    expect(
      validate("TAP-IAM-3", resourceArgs("aws:iam/policy:Policy", name, policy)).map(
        (r) => r.message,
      ),
    ).toEqual(['statement "Extra" allows sns:Publish on Resource "*"']);
    // The stack's waiver (as policyPackConfigOf writes it) covers the rest of the resource.
    const config = policyPackConfigOf([
      { rule: "TAP-IAM-3", resource: "tap-*-orchestrator-policy", reason: "test" },
    ])["TAP-IAM-3"];
    expect(
      validate("TAP-IAM-3", resourceArgs("aws:iam/policy:Policy", name, policy, config)),
    ).toEqual([]);
  });

  it("runs stack-scope rules over the stack's resources, reporting each resource's URN", () => {
    // GIVEN a bucket whose public access block the engine links through property dependencies
    const bucket = policyResource("aws:s3/bucket:Bucket", "docs", { bucket: "docs-bucket" });
    const block = policyResource(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "docs-pab",
      { bucket: ENGINE_UNKNOWNS[2], blockPublicAcls: true, blockPublicPolicy: false },
      { bucket: [bucket] },
    );
    const reports: { message: string; urn?: string }[] = [];
    const policy = policyOf("TAP-S3-1") as StackValidationPolicy;
    const args: StackValidationArgs = {
      resources: [bucket, block],
      stackTags: new Map(),
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string) => {
        throw new Error(reason);
      },
    };
    void policy.validateStack(args, (message: string, urn?: string) =>
      reports.push({ message, urn }),
    );
    expect(reports).toEqual([
      {
        message:
          "docs: BucketPublicAccessBlock leaves blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets off; set all four to true",
        urn: bucket.urn,
      },
    ]);
  });
});

function policyResource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource {
  return {
    type,
    name,
    urn: `urn:pulumi:dev::tap-dr::${type}::${name}`,
    props: unknownCheckingProxy(props),
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    provider: PROVIDER_USE2,
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
    isType: () => false,
    asType: () => undefined,
  };
}

describe("the policy pack directory", () => {
  it("is a nodejs pack named like the PolicyPack, with a version and nothing to install", () => {
    const manifest = parse(readFileSync(join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as {
      name: string;
      runtime: string;
    };
    const pkg = JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as {
      version?: string;
      dependencies?: object;
      devDependencies?: object;
    };
    const entry = readFileSync(join(POLICY_DIR, "index.ts"), "utf8");
    expect(manifest.runtime).toBe("nodejs");
    expect(entry).toContain(`new PolicyPack("${manifest.name}"`);
    // PolicyPack reads the version from the pack's package.json.
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    // Dependencies resolve from the repository root: no second npm install.
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.devDependencies).toBeUndefined();
  });

  it("is never imported by a test: its PolicyPack starts a server that keeps jest alive", () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? files(join(dir, entry.name))
          : entry.name.endsWith(".ts")
            ? [join(dir, entry.name)]
            : [],
      );
    const importers = files(join(__dirname, "../..")).filter((file) =>
      /from "[./]*policy(\/index)?"/.test(readFileSync(file, "utf8")),
    );
    expect(importers).toEqual([]);
  });
});

import { MAX_ENVIRONMENT_SUFFIX_LENGTH } from "../../../lib/naming";
import { nameFindings } from "../../../tools/graph/deployability";
import { AWS_NAME_RULES, TAG_VALUE_MAX } from "../../support/aws-name-limits";
import { Graph } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";
import { LONGEST_NAMES_CONFIG } from "../../support/stack-config";

let graph: Graph;

beforeAll(async () => {
  // A 16-character suffix (the maximum) in the regions with the longest codes.
  graph = new Graph(await runProgram(LONGEST_NAMES_CONFIG));
});

describe("physical names", () => {
  it("are checked at the longest suffix the config accepts", () => {
    // If the allowed maximum grows, this run must grow with it or the limits below prove nothing.
    expect(LONGEST_NAMES_CONFIG.environmentSuffix).toHaveLength(MAX_ENVIRONMENT_SUFFIX_LENGTH);
  });

  it("covers every named resource type with an AWS rule (new types must add theirs)", () => {
    const withName = new Set(
      graph.cloudResources
        .filter((resource) => typeof resource.inputs.name === "string")
        .map((resource) => resource.type),
    );
    const ruled = Object.keys(AWS_NAME_RULES);
    expect(ruled).toEqual(expect.arrayContaining([...withName]));
    // And every rule is exercised: each ruled type is in the graph with its named input set.
    for (const [type, rules] of Object.entries(AWS_NAME_RULES)) {
      for (const rule of rules) {
        expect([
          type,
          graph.ofType(type).some((r) => typeof r.inputs[rule.field] === "string"),
        ]).toEqual([type, true]);
      }
    }
  });

  it("fits every name within its AWS limit and character set, at the longest suffix", () => {
    // The same check `npm run plan` runs on a stack's own config (tools/graph/deployability.ts).
    expect(
      nameFindings(graph.resources, { rules: AWS_NAME_RULES, requireEveryField: true }),
    ).toEqual([]);
  });

  it("puts environmentSuffix in every physical name the stack chooses", () => {
    const names = graph.cloudResources.flatMap((resource) =>
      (AWS_NAME_RULES[resource.type] ?? [])
        .filter((rule) => rule.suffixed !== false)
        .map((rule) => resource.inputs[rule.field]),
    );
    expect(names.length).toBeGreaterThan(Object.keys(AWS_NAME_RULES).length);
    for (const name of names) {
      expect(name).toContain(LONGEST_NAMES_CONFIG.environmentSuffix);
    }
  });

  it("gives IAM roles and policies names unique across both regions (IAM is global)", () => {
    for (const type of [
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/policy:Policy",
    ]) {
      const names = graph.ofType(type).map((resource) => resource.inputs.name);
      expect(names.length).toBeGreaterThanOrEqual(2);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it("gives buckets globally unique names: account and region in each", () => {
    for (const bucket of graph.ofType("aws:s3/bucket:Bucket")) {
      expect(bucket.inputs.bucket).toMatch(/-123456789012-(apse2|apne3)$/);
    }
  });

  it("keeps every Name tag within the tag-value limit", () => {
    for (const resource of graph.cloudResources) {
      const tags = resource.inputs.tags as Record<string, string> | undefined;
      if (tags?.Name !== undefined) {
        expect(tags.Name.length).toBeLessThanOrEqual(TAG_VALUE_MAX);
      }
    }
  });
});

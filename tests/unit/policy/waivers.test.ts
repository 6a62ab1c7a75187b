import { ConfigError, parseConfig } from "../../../lib/config";
import {
  POLICY_RULE_ID_PATTERN,
  PolicyWaiver,
  parsePolicyWaivers,
} from "../../../lib/policy-waivers-config";
import { BUILT_IN_WAIVERS } from "../../../policy/built-in-waivers";
import { ALL_RULES } from "../../../policy/rules";
import { builtInWaiverApplies, waiverMatchesResource } from "../../../policy/waivers";
import { res } from "./support";

const parse = (value: unknown): { waivers: PolicyWaiver[]; problems: string[] } => {
  const problems: string[] = [];
  const waivers = parsePolicyWaivers({ policyWaivers: value }, problems);
  return { waivers, problems };
};

const WAIVER = {
  rule: "TAP-S3-5",
  resource: "tap-primary-data-documents",
  reason: "logged by the organization trail",
};

describe("policyWaivers config", () => {
  it("is empty when unset, and keeps valid waivers with trimmed text", () => {
    expect(parse(undefined)).toEqual({ waivers: [], problems: [] });
    expect(parse([{ ...WAIVER, reason: `  ${WAIVER.reason} ` }])).toEqual({
      waivers: [WAIVER],
      problems: [],
    });
  });

  it.each<[string, unknown, string[]]>([
    [
      "not a list",
      { rule: "TAP-S3-5" },
      [
        'policyWaivers: {"rule":"TAP-S3-5"} is not a list of {rule, resource, reason}; set entries with `pulumi config set --path \'policyWaivers[0].rule\' TAP-S3-5` (and `.resource`, `.reason`)',
      ],
    ],
    [
      "an entry that is not a map",
      ["TAP-S3-5"],
      ['policyWaivers[0]: "TAP-S3-5" is not a map; a waiver has rule, resource and reason'],
    ],
    [
      "a rule that is not a rule id",
      [{ ...WAIVER, rule: "S3-6" }],
      [
        'policyWaivers[0].rule: "S3-6" is not a policy rule id; use an id as `npm run plan` prints it, TAP-<AREA>-<n> (for example TAP-S3-5)',
      ],
    ],
    [
      "no resource",
      [{ rule: "TAP-S3-5", reason: "r" }],
      [
        'policyWaivers[0].resource: is required; give the resource\'s logical name or the end of its URN; * matches any characters (for example "tap-*-data-documents")',
      ],
    ],
    [
      "an empty reason",
      [{ ...WAIVER, reason: "" }],
      [
        "policyWaivers[0].reason: is required; give why the rule does not apply to this resource; it is printed with every plan",
      ],
    ],
    [
      "a reason that is not text",
      [{ ...WAIVER, reason: 5 }],
      [
        "policyWaivers[0].reason: 5 is not text; give why the rule does not apply to this resource; it is printed with every plan",
      ],
    ],
    [
      "an unknown field",
      [{ ...WAIVER, expires: "2026-01-01" }],
      ["policyWaivers[0].expires: is not a waiver field; use rule, resource and reason"],
    ],
    [
      "the same waiver twice",
      [WAIVER, { ...WAIVER, reason: "again" }],
      [
        'policyWaivers[1]: waives TAP-S3-5 for "tap-primary-data-documents" again (policyWaivers[0] already does); keep one',
      ],
    ],
  ])("rejects %s, naming the entry, the field and what is allowed", (_case, value, problems) => {
    expect(parse(value).problems).toEqual(problems);
  });

  it("fails parseConfig with the other config problems", () => {
    expect(() =>
      parseConfig({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        policyWaivers: [{ rule: "TAP-S3-5" }],
      }),
    ).toThrow(ConfigError);
    expect(
      parseConfig({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        policyWaivers: [WAIVER],
      }).policyWaivers,
    ).toEqual([WAIVER]);
  });

  it("accepts every rule id the pack has", () => {
    for (const rule of ALL_RULES) {
      expect(rule.id).toMatch(POLICY_RULE_ID_PATTERN);
    }
  });
});

describe("waiver resource patterns", () => {
  const bucket = {
    ...res("aws:s3/bucket:Bucket", "tap-primary-data-documents", {}),
    urn: "urn:pulumi:dev::tap-dr::tap:index:TapStack$tap:data:SecureBucket$aws:s3/bucket:Bucket::tap-primary-data-documents",
  };

  it.each<[string, boolean]>([
    ["tap-primary-data-documents", true],
    ["tap-*-data-documents", true],
    ["aws:s3/bucket:Bucket::tap-primary-data-documents", true],
    [bucket.urn, true],
    ["tap-*", true],
    ["tap-primary-data", false],
    ["data-documents", false],
    ["tap-dr-data-documents", false],
    ["tap-*-data-documents-logging", false],
  ])("%s matches: %s", (pattern, matches) => {
    expect(waiverMatchesResource(pattern, bucket)).toBe(matches);
  });

  it("limits a built-in waiver to its statements and modes", () => {
    const policy = res("aws:iam/policy:Policy", "tap-primary-failover-workflow-policy", {});
    const waiver = BUILT_IN_WAIVERS.find((w) => w.resource === "tap-*-failover-workflow-policy")!;
    expect(
      builtInWaiverApplies(waiver, policy, 'statement "DeliverWorkflowLogs" allows', "production"),
    ).toBe(true);
    expect(
      builtInWaiverApplies(waiver, policy, 'statement "StartAnything" allows', "production"),
    ).toBe(false);
    const http = BUILT_IN_WAIVERS.find((w) => w.rule === "TAP-ALB-5")!;
    const listener = res("aws:lb/listener:Listener", "tap-primary-app-lb-http", {});
    expect(builtInWaiverApplies(http, listener, "any", "test")).toBe(true);
    expect(builtInWaiverApplies(http, listener, "any", "production")).toBe(false);
  });
});

describe("built-in waivers", () => {
  it("name existing rules and give a reason", () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    for (const waiver of BUILT_IN_WAIVERS) {
      expect(ids).toContain(waiver.rule);
      expect(waiver.reason.length).toBeGreaterThan(20);
    }
  });
});

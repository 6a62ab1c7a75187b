import { BUILT_IN_WAIVERS, PolicyEvaluation, evaluateResources } from "../../../policy/evaluate";
import { keyArnsByRegion, modeOfGraph } from "../../../policy/context";
import { CapturedResource, runProgram } from "../../support/mock-graph";

/** The configs the policy must pass: a test stack without a domain, and production with one. */
const CONFIGS = {
  test: { environmentSuffix: "dev", mode: "test" },
  production: { environmentSuffix: "prod", mode: "production", domainName: "payments.example.com" },
} as const;
/** The EC2 app tier (with the NAT it needs), for the waivers only that tier uses. */
const EC2_CONFIG = { ...CONFIGS.production, appTier: "ec2", natGateways: "single" };

const resourcesOf = async (config: Record<string, unknown>): Promise<CapturedResource[]> =>
  (await runProgram(config)).resources;

const describeViolations = (evaluation: PolicyEvaluation): string[] =>
  evaluation.violations.map((v) => `${v.enforcement} ${v.ruleId} ${v.name}: ${v.message}`);

describe("the policy pack over the real program's graph", () => {
  it.each(Object.entries(CONFIGS))(
    "%s mode: no mandatory violation once the built-in waivers apply",
    async (_mode, config) => {
      // GIVEN the program's graph WHEN every rule runs THEN only waived or advisory findings remain
      const resources = await resourcesOf(config);
      const evaluation = evaluateResources(resources, { mode: config.mode });
      expect(describeViolations(evaluation).filter((line) => line.startsWith("mandatory"))).toEqual(
        [],
      );
      expect(evaluation.mandatoryCount).toBe(0);
      expect(evaluation.waiverProblems).toEqual([]);
      // The waivers really ran: the log buckets' SSE-S3 is waived, with its reason.
      expect(
        evaluation.waived
          .filter((w) => w.ruleId === "TAP-S3-3")
          .map((w) => w.name)
          .sort(),
      ).toEqual([
        "tap-dr-app-lb-access-logs",
        "tap-dr-data-access-logs",
        "tap-primary-app-lb-access-logs",
        "tap-primary-data-access-logs",
      ]);
    },
  );

  it("passes the EC2 app tier too: its artifacts bucket logs its access like every bucket", async () => {
    const evaluation = evaluateResources(await resourcesOf(EC2_CONFIG), { mode: "production" });
    expect(describeViolations(evaluation).filter((line) => line.startsWith("mandatory"))).toEqual(
      [],
    );
  });

  it("derives the mode and each region's own key from the graph", async () => {
    const resources = await resourcesOf(CONFIGS.production);
    expect(modeOfGraph(resources)).toBe("production");
    expect(keyArnsByRegion(resources)).toEqual({
      "us-east-1": ["arn:aws:kms:us-east-1:123456789012:key/tap-primary-kms-key-id"],
      "us-east-2": ["arn:aws:kms:us-east-2:123456789012:key/tap-dr-kms-key-id"],
    });
  });

  it("uses every built-in waiver on some resource (none is stale)", async () => {
    // GIVEN both modes and the EC2 app tier WHEN evaluated THEN each built-in waiver waived something
    const runs = await Promise.all(
      [CONFIGS.test, CONFIGS.production, EC2_CONFIG].map(async (config) =>
        evaluateResources(await resourcesOf(config), { mode: config.mode }),
      ),
    );
    const used = (index: number) => {
      const waiver = BUILT_IN_WAIVERS[index];
      return runs.some((run) =>
        run.waived.some(
          (w) =>
            w.source === "built-in" &&
            w.ruleId === waiver.rule &&
            w.reason === waiver.reason &&
            (waiver.messageContains ?? [""]).some((part) => w.message.includes(part)),
        ),
      );
    };
    const stale = BUILT_IN_WAIVERS.filter((_, index) => !used(index));
    expect(stale).toEqual([]);
  });

  it("finds a data key from the wrong region in the real graph", async () => {
    // GIVEN the DR cluster encrypted with the primary region's key WHEN evaluated THEN TAP-RDS-1 fails
    const resources = (await resourcesOf(CONFIGS.production)).map((resource) =>
      resource.name === "tap-dr-data-aurora-cluster"
        ? {
            ...resource,
            inputs: {
              ...resource.inputs,
              kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/tap-primary-kms-key-id",
            },
          }
        : resource,
    );
    const evaluation = evaluateResources(resources, { mode: "production" });
    expect(describeViolations(evaluation)).toEqual([
      "mandatory TAP-RDS-1 tap-dr-data-aurora-cluster: kmsKeyId is a key in us-east-1, but the resource is in us-east-2; a region's data must be encrypted with that region's own key, so it stays readable when the other region is lost",
    ]);
  });

  it("applies a config waiver to exactly the resource it names", async () => {
    // GIVEN both regions' document buckets without access logging
    const resources = (await resourcesOf(CONFIGS.production)).filter(
      (resource) =>
        !(
          resource.type === "aws:s3/bucketLogging:BucketLogging" &&
          resource.name.endsWith("-data-documents-logging")
        ),
    );
    // WHEN the stack waives TAP-S3-5 for the primary one only
    const waiver = {
      rule: "TAP-S3-5",
      resource: "tap-primary-data-documents",
      reason: "logged by the organization's CloudTrail data events instead",
    };
    const evaluation = evaluateResources(resources, { mode: "production" }, [waiver]);
    // THEN the primary bucket is waived with the stack's reason, and the DR bucket still fails
    expect(
      evaluation.waived
        .filter((w) => w.source === "config")
        .map((w) => [w.ruleId, w.name, w.reason]),
    ).toEqual([["TAP-S3-5", "tap-primary-data-documents", waiver.reason]]);
    expect(describeViolations(evaluation)).toEqual([
      "mandatory TAP-S3-5 tap-dr-data-documents: has no server access logging (BucketLogging)",
    ]);
    expect(evaluation.waiverProblems).toEqual([]);
  });

  it("reports a config waiver of an unknown rule, and one that waives nothing", async () => {
    const resources = await resourcesOf(CONFIGS.test);
    const unknown = { rule: "TAP-S3-99", resource: "tap-primary-data-documents", reason: "typo" };
    const unused = {
      rule: "TAP-S3-5",
      resource: "tap-primary-data-documents",
      reason: "not needed",
    };
    const missing = { rule: "TAP-S3-5", resource: "tap-*-no-such-bucket", reason: "renamed" };
    const evaluation = evaluateResources(resources, { mode: "test" }, [unknown, unused, missing]);
    expect(evaluation.waiverProblems.map((p) => [p.kind, p.waiver.resource])).toEqual([
      ["unknown-rule", "tap-primary-data-documents"],
      ["unused", "tap-primary-data-documents"],
      ["unused", "tap-*-no-such-bucket"],
    ]);
    expect(evaluation.waiverProblems[0].message).toMatch(
      /^policyWaivers: rule "TAP-S3-99" does not exist; the rules are TAP-S3-1, /,
    );
    expect(evaluation.waiverProblems[1].message).toBe(
      'policyWaivers: TAP-S3-5 passes on "tap-primary-data-documents"; the waiver is no longer needed',
    );
    expect(evaluation.waiverProblems[2].message).toBe(
      'policyWaivers: "tap-*-no-such-bucket" matches no resource of this stack (waiver of TAP-S3-5)',
    );
  });
});

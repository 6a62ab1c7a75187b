import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { failoverBudget } from "../../../lib/dns/failover-budget";
import { rtoBudget } from "../../../lib/operations/rto-budget";
import type { ProgramRun } from "../../../tools/graph/capture";
import { runPlanCli } from "../../../tools/plan/cli";
import { drBudget } from "../../../tools/plan/dr-budget";
import { Plan, buildPlan, tapConfigOf } from "../../../tools/plan/plan";
import { HOURS_PER_MONTH, PRICES } from "../../../tools/plan/prices";
import { loadStackConfig } from "../../../tools/plan/stack-config";
import { runProgram } from "../../support/mock-graph";

const PROJECT_DIR = path.resolve(__dirname, "../../..");
/** The jest run's shared program runs: each config runs once across the suites. */
const capture = (config: Record<string, string>): Promise<ProgramRun> => runProgram(config);

/** runPlanCli with its output collected. */
async function cli(
  argv: string[],
  transformRun?: (run: ProgramRun) => ProgramRun,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runPlanCli(
    argv,
    { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) },
    { projectDir: PROJECT_DIR, capture, transformRun },
  );
  return { code, stdout, stderr };
}

/** A copy of the run with the inputs of every resource of a type changed. */
const withInputs =
  (type: string, change: Record<string, unknown>) =>
  (run: ProgramRun): ProgramRun => ({
    ...run,
    resources: run.resources.map((resource) =>
      resource.type === type
        ? { ...resource, inputs: { ...resource.inputs, ...change } }
        : resource,
    ),
  });

let plan: Plan;

beforeAll(async () => {
  plan = await buildPlan({ projectDir: PROJECT_DIR, capture });
});

describe("npm run plan for the dev stack", () => {
  it("plans the stack file's config: test mode, us-east-1 and us-east-2, warm standby", () => {
    expect([plan.stack, plan.stackFile, plan.mode, plan.regions, plan.tier]).toEqual([
      "dev",
      "Pulumi.dev.yaml",
      "test",
      { primary: "us-east-1", dr: "us-east-2" },
      "warm-standby",
    ]);
    expect(plan.exitCode).toBe(0);
  });

  it("counts the component tree's resources per region, matching the per-type counts", () => {
    const [root] = plan.resources.tree;
    expect(root.type).toBe("tap:index:TapStack");
    expect(root.children.map((child) => child.type)).toEqual([
      "tap:region:PrimaryRegion",
      "tap:region:DrRegion",
      "tap:global:GlobalResources",
    ]);
    const perType = plan.resources.byTypeAndRegion.reduce((sum, row) => sum + row.count, 0);
    expect([root.resources, perType]).toEqual([plan.resources.aws, plan.resources.aws]);
    expect(Object.keys(root.children[0].byRegion)).toEqual(["us-east-1"]);
    expect(Object.keys(root.children[1].byRegion)).toEqual(["us-east-2"]);
  });

  it("marks which outputs config decides, which come from lookups and which AWS assigns", () => {
    const kind = (name: string) => plan.outputs.find((output) => output.name === name)?.kind;
    expect(
      ["drVpcCidr", "primaryVpcId", "accountId", "primaryClusterEndpoint", "apiFailoverUrl"].map(
        kind,
      ),
    ).toEqual(["config", "computed", "lookup", "computed", "absent"]);
    const computed = plan.outputs.filter((output) => output.kind === "computed");
    expect(computed.every((output) => output.value === undefined)).toBe(true);
  });

  it("prints the DR budget of both tiers from the pure budget modules", () => {
    const config = tapConfigOf(loadStackConfig({ projectDir: PROJECT_DIR }).values);
    const { failoverMode, failoverWindowMinutes } = config.operations;
    expect(plan.drBudget.tiers.map((tier) => [tier.tier, tier.current, tier.rto])).toEqual([
      [
        "warm-standby",
        true,
        rtoBudget({ tier: "warm-standby", failoverMode, failoverWindowMinutes }),
      ],
      [
        "pilot-light",
        false,
        rtoBudget({ tier: "pilot-light", failoverMode, failoverWindowMinutes }),
      ],
    ]);
    expect(plan.drBudget.tiers.map((tier) => tier.rto.totalSeconds)).toEqual([600, 1800]);
    // dev has no domain: no DNS failover to budget.
    expect(plan.drBudget.traffic.enabled).toBe(false);
    expect(plan.drBudget.rpo.aurora.managedBoundSeconds).toBeUndefined();
    expect(
      plan.drBudget.rpo.backup.rules.map((rule) => [rule.intervalHours, rule.copiedTo]),
    ).toEqual([
      // Each region's plan copies its daily points to the other region's vault.
      [24, ["us-east-2"]],
      [24, ["us-east-1"]],
    ]);
  });

  it("budgets DNS failover and the managed RPO when the config has a domain and dbRpoSeconds", async () => {
    const values = loadStackConfig({ projectDir: PROJECT_DIR }).values;
    const config = tapConfigOf({
      ...values,
      "tap-dr:domainName": "payments.example.com",
      "tap-dr:dbRpoSeconds": "60",
      "tap-dr:dnsTtlSeconds": "15",
    });
    const budget = drBudget(config, await capture(values), 0);
    expect(budget.traffic.budget).toEqual(
      failoverBudget({ recordType: "cname", ttlSeconds: 15, healthCheckFailureThreshold: 3 }),
    );
    expect(budget.traffic.budget?.totalSeconds).toBe(45);
    expect(budget.rpo.aurora.managedBoundSeconds).toBe(60);
  });

  it("prices pilot light below warm standby by exactly the DR instance it removes", () => {
    const config = tapConfigOf(loadStackConfig({ projectDir: PROJECT_DIR }).values);
    const { drInstances, minAcu } = config.database;
    const instancePrice = drInstances * minAcu * HOURS_PER_MONTH * PRICES.auroraAcuHour.usd;
    expect(plan.cost.otherTierConfig).toEqual({ "tap-dr:drDbInstances": "0" });
    expect(plan.cost.tiers.differenceUsd).toBeCloseTo(instancePrice, 2);
    expect(plan.cost.tiers.lines).toEqual([
      {
        service: "Aurora",
        item: "Serverless v2 instance tap-dr-data-aurora-instance-1",
        region: "us-east-2",
        warmStandbyUsd: instancePrice,
        pilotLightUsd: 0,
      },
    ]);
    expect(plan.cost.tiers.warmStandbyUsd).toBe(plan.cost.estimate.totalUsd);
  });

  it("marks the DR region's lines approximate and totals every region and service", () => {
    const { estimate } = plan.cost;
    expect(
      estimate.lines.filter((line) => line.region === "us-east-2").every((l) => l.approximate),
    ).toBe(true);
    expect(
      estimate.lines.filter((line) => line.region === "us-east-1").some((l) => l.approximate),
    ).toBe(false);
    const sum = (values: Record<string, number>) =>
      Object.values(values).reduce((a, b) => a + b, 0);
    expect(sum(estimate.byRegion)).toBeCloseTo(estimate.totalUsd, 1);
    expect(sum(estimate.byService)).toBeCloseTo(estimate.totalUsd, 1);
  });
});

describe("npm run plan: output and exit codes", () => {
  it("prints every section as JSON with --json, and exits 0", async () => {
    const { code, stdout } = await cli(["--json"]);
    const parsed = JSON.parse(stdout) as Record<string, unknown>;
    expect(code).toBe(0);
    expect(Object.keys(parsed)).toEqual(
      expect.arrayContaining([
        "resources",
        "outputs",
        "guardrails",
        "deployability",
        "drBudget",
        "cost",
      ]),
    );
    expect(parsed.cost).toMatchObject({ tiers: { differenceUsd: plan.cost.tiers.differenceUsd } });
  });

  it("prints the four sections as text", async () => {
    const { code, stdout } = await cli([]);
    expect(code).toBe(0);
    for (const heading of ["1. Resources", "2. Guardrails", "3. DR budget", "4. Monthly cost"]) {
      expect(stdout).toContain(heading);
    }
    expect(stdout).toContain("warm standby costs $175.20 more a month");
  });

  it("exits 1 on a mandatory policy violation, and names it", async () => {
    const { code, stdout } = await cli(
      [],
      withInputs("aws:kms/key:Key", { enableKeyRotation: false }),
    );
    expect(code).toBe(1);
    expect(stdout).toMatch(/FAIL TAP-KMS-1 .*enableKeyRotation is false/);
  });

  it("exits 1 when a name exceeds its AWS limit (a deployability check)", async () => {
    const { code, stdout } = await cli(
      ["--json"],
      withInputs("aws:lb/loadBalancer:LoadBalancer", { name: "a".repeat(33) }),
    );
    const parsed = JSON.parse(stdout) as Plan;
    expect(code).toBe(1);
    expect(parsed.deployability.findings.map((f) => f.check)).toEqual([
      "name-limits",
      "name-limits",
    ]);
  });

  it("exits 2 on an invalid config, with the program's own ConfigError message", async () => {
    // GIVEN a value the program refuses WHEN it runs as `pulumi up` would run it
    const config = loadStackConfig({
      projectDir: PROJECT_DIR,
      overrides: { drRegion: "us-east-1" },
    });
    const failure = await runProgram(config.values).then(
      () => undefined,
      (error: Error) => error,
    );
    // THEN the plan prints the same message and fails
    const { code, stdout, stderr } = await cli(["--config", "drRegion=us-east-1"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(failure?.message).toContain(
      'drRegion: must differ from primaryRegion (both are "us-east-1")',
    );
    expect(stderr).toBe(`${failure?.message}\n`);
  });

  it("exits 2 on a value whose type Pulumi.yaml declares otherwise, as the Pulumi CLI words it", async () => {
    const { code, stderr } = await cli(["-c", "azCount=three"]);
    expect(code).toBe(2);
    expect(stderr).toBe("Stack 'dev' with configuration key 'azCount' must be of type 'integer'\n");
  });

  it("exits 2 on an unknown flag, with the usage", async () => {
    const { code, stderr } = await cli(["--bogus"]);
    expect(code).toBe(2);
    expect(stderr).toContain("Usage: npm run plan");
  });

  it("writes the stack's waivers as the policy pack's config with --policy-pack-config", async () => {
    // GIVEN a config waiver WHEN planned with the flag THEN the file holds it in the form
    // `pulumi preview --policy-pack-config` takes, so the real preview waives the same thing
    const file = path.join(mkdtempSync(path.join(tmpdir(), "tap-plan-")), "policy-config.json");
    const waiver = {
      rule: "TAP-S3-6",
      resource: "tap-primary-data-documents",
      reason: "kept for the statutory period by the records team's own lifecycle",
    };
    const { code } = await cli([
      "-c",
      `policyWaivers=${JSON.stringify([waiver])}`,
      "--policy-pack-config",
      file,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      "TAP-S3-6": { waivers: [{ resource: waiver.resource, reason: waiver.reason }] },
    });
  });
});

/**
 * The live suites (tests/integration/) against a simulated stack: the real program's graph
 * under pulumi mocks, answered per region through aws-sdk-client-mock (support/simulated-aws.ts).
 * Green: every live test passes on the correct stack. Red: each mutation (support/mutations.ts)
 * makes the live test that exists to catch it fail. The suites and their assertions are the
 * ones users run after `pulumi up`; only the outputs file, the AWS answers and the internet
 * between the test and the load balancers (support/internet/: Route 53's answers, security
 * groups, listeners, certificates, the API behind them) are simulated.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIMULATED_OUTPUTS_ENV } from "../integration/stack-outputs";
import { type ProgramRun, runProgram } from "../support/mock-graph";
import { LONGEST_NAMES_CONFIG } from "../support/stack-config";
import { type LiveTest, collectSuite, runLiveTest } from "./support/harness";
import { MUTATIONS } from "./support/mutations";
import { Cloud } from "./support/cloud";
import { type SimulatedInternet, startSimulatedInternet } from "./support/internet/internet";
import { type SimulatedStack, correctStack, installSimulatedAws } from "./support/simulated-aws";

const SUITES = [
  "network",
  "kms",
  "storage",
  "database",
  "state-and-backup",
  "api",
  "failover",
  "monitoring",
] as const;

/**
 * The API suite's Route 53 health-check tests poll with 2 s waits; on jest's fake clock that costs
 * no real time. Its HTTP tests run on the real clock: they do real I/O with the simulated internet.
 */
const onFakeClock = (test: LiveTest): boolean =>
  test.suite === "api" && test.title.startsWith("has a healthy Route 53 health check");

let run: ProgramRun;
let dir: string;
let current: SimulatedStack;
let restore: () => void = () => undefined;
let internet: SimulatedInternet | undefined;
const realFetch = globalThis.fetch;
const table: string[] = [];

beforeAll(async () => {
  // A production stack with a domain (all outputs, DNS ones included) in two non-default regions.
  run = await runProgram(LONGEST_NAMES_CONFIG);
  dir = mkdtempSync(join(tmpdir(), "tap-dr-simulated-"));
  const file = join(dir, "flat-outputs.json");
  writeFileSync(file, JSON.stringify(run.outputs, null, 2));
  process.env[SIMULATED_OUTPUTS_ENV] = file;
  current = correctStack(run);
  restore = installSimulatedAws(() => current);
  // The suites call the global fetch; here it reaches the simulated stack's load balancers.
  internet = startSimulatedInternet(() => new Cloud(current));
  globalThis.fetch = internet.fetch;
});

afterAll(async () => {
  restore();
  globalThis.fetch = realFetch;
  await internet?.close();
  delete process.env[SIMULATED_OUTPUTS_ENV];
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  if (table.length > 0) {
    console.log(
      ["mutation table (live test <- mutation: first lines of its failure)", ...table].join("\n"),
    );
  }
});

const fullTitle = (test: LiveTest): string => [...test.blocks, test.title].join(" > ");

describe("live suites on the simulated correct stack", () => {
  it.each(SUITES)("runs every test of the %s suite green", async (suite) => {
    const tests = collectSuite(suite);
    expect(tests.length).toBeGreaterThan(0);
    const failures: string[] = [];
    for (const test of tests.filter((t) => !t.skipped)) {
      current = correctStack(run);
      const result = await runLiveTest(test, { fakeTime: onFakeClock(test) });
      if (!result.passed) failures.push(`${fullTitle(test)}: ${result.error ?? ""}`);
    }
    expect(failures).toEqual([]);
  });

  it("skips only what it says: the API write test (test-mode stacks only)", () => {
    const notRun = SUITES.flatMap((suite) => collectSuite(suite))
      .filter((t) => t.skipped)
      .map((t) => `${t.suite}: ${t.title}`);
    expect(notRun).toEqual([
      expect.stringMatching(
        /^api: accepts a transaction once per idempotency key .*\(skipped: writes run against test-mode stacks only\)$/,
      ) as string,
    ]);
  });

  it("has, for every live test, at least one mutation that it must catch", () => {
    const uncovered = SUITES.flatMap((suite) => collectSuite(suite))
      .filter((test) => !test.skipped)
      .filter((test) => !MUTATIONS.some((m) => m.suite === test.suite && m.test === test.title))
      .map(fullTitle);
    expect(uncovered).toEqual([]);
  });
});

describe("live suites on broken simulated stacks", () => {
  it.each(MUTATIONS.map((m) => [m.name, m.test, m] as const))(
    "%s: makes '%s' fail",
    async (_name, _title, mutation) => {
      const matching = collectSuite(mutation.suite).filter((t) => t.title === mutation.test);
      expect(matching).toHaveLength(1);
      current = correctStack(run);
      mutation.apply(current);
      const result = await runLiveTest(matching[0], { fakeTime: mutation.fakeTime === true });
      table.push(
        `${mutation.suite}: ${mutation.test}\n    <- ${mutation.name}: ${result.error ?? "PASSED"}`,
      );
      expect(result.passed).toBe(false);
    },
  );
});

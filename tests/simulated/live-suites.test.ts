/**
 * The live suites (tests/integration/) against a simulated stack: the real program's graph
 * under pulumi mocks, answered per region through aws-sdk-client-mock (support/simulated-aws.ts).
 * Green: every live test passes on the correct stack. Red: each mutation (support/mutations.ts)
 * makes the live test that exists to catch it fail. The suites and their assertions are the
 * ones users run after `pulumi up`; only the outputs file, the AWS answers and the internet
 * between the test and the load balancers (support/internet/: Route 53's answers, security
 * groups, listeners, certificates, the API behind them) are simulated.
 */
import { LONGEST_NAMES_CONFIG } from "../support/stack-config";
import { collectSuite, runLiveTest } from "./support/harness";
import { modelAndReal } from "./support/model-agreement";
import { MUTATIONS } from "./support/mutations";
import { find } from "./support/mutation-helpers";
import type { SimulatedStack } from "./support/simulated-aws";
import {
  LIVE_SUITES,
  failuresOfSuite,
  fullTitle,
  useSimulatedStack,
} from "./support/simulated-session";

// A production stack with a domain (all outputs, DNS ones included) in two non-default regions,
// warm standby.
const session = useSimulatedStack(LONGEST_NAMES_CONFIG);
const table: string[] = [];

afterAll(() => {
  if (table.length > 0) {
    console.log(
      ["mutation table (live test <- mutation: first lines of its failure)", ...table].join("\n"),
    );
  }
});

describe("live suites on the simulated correct stack", () => {
  it.each(LIVE_SUITES)("runs every test of the %s suite green", async (suite) => {
    expect(collectSuite(suite).length).toBeGreaterThan(0);
    expect(await failuresOfSuite(session, suite)).toEqual([]);
  });

  it("skips only what it says: the API write test (test-mode stacks only) and the pilot-light cases", () => {
    const notRun = LIVE_SUITES.flatMap((suite) => collectSuite(suite))
      .filter((t) => t.skipped)
      .map((t) => `${t.suite}: ${t.title}`);
    expect(notRun).toEqual([
      "api: answers 503 at the dr region's load balancer while it is pilot light (skipped: the DR region is warm standby)",
      "api: has the dr region's Route 53 health check failing on 503 while it is pilot light (skipped: the DR region is warm standby)",
      expect.stringMatching(
        /^api: accepts a transaction once per idempotency key .*\(skipped: writes run against test-mode stacks only\)$/,
      ) as string,
    ]);
  });

  it("has, for every live test, at least one mutation that it must catch", () => {
    const uncovered = LIVE_SUITES.flatMap((suite) => collectSuite(suite))
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
      mutation.apply(session.fresh());
      const result = await runLiveTest(matching[0], { fakeTime: mutation.fakeTime === true });
      table.push(
        `${mutation.suite}: ${mutation.test}\n    <- ${mutation.name}: ${result.error ?? "PASSED"}`,
      );
      expect(result.passed).toBe(false);
      expect(session.simulationErrors()).toEqual([]);
      if (mutation.because !== undefined) expect(result.detail).toMatch(mutation.because);
    },
  );
});

describe("the model Route 53's checkers and the probers answer from", () => {
  const states: [string, (s: SimulatedStack) => void][] = [
    ["the correct stack", () => undefined],
    [
      "a primary cluster without instances",
      (s) => {
        const instances = s.run.resources.filter(
          (r) =>
            r.type === "aws:rds/clusterInstance:ClusterInstance" &&
            r.name.startsWith("tap-primary-"),
        );
        for (const instance of instances) {
          s.run.resources.splice(s.run.resources.indexOf(instance), 1);
        }
      },
    ],
    [
      "a table without its DR replica",
      (s) => {
        find(s, "aws:dynamodb/table:Table", "tap-global-state-table").inputs.replicas = [];
      },
    ],
    [
      "the DR API down",
      (s) => {
        s.service.downApiRegions = [String(s.run.outputs.drRegion)];
      },
    ],
  ];

  it.each(states)("agrees with the real API core's answers on %s", async (_state, change) => {
    const outputs = session.run().outputs;
    const urls = ["primaryApiUrl", "drApiUrl", "apiFailoverUrl"].flatMap((key) =>
      ["/health", "/health/live", "/nope"].map((path) => `${String(outputs[key])}${path}`),
    );
    urls.push(`${String(outputs.apiFailoverUrl).replace(/^https:/, "http:")}/health`);
    const stack = session.fresh();
    change(stack);
    const answers = [];
    for (const url of urls) answers.push(await modelAndReal(stack, url));
    expect(answers.filter((a) => a.model !== a.real)).toEqual([]);
    expect(session.simulationErrors()).toEqual([]);
  });
});

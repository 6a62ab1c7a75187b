/**
 * The live suites against a simulated pilot-light stack (drDbInstances 0): the DR cluster is
 * headless until a failover adds an instance, so its deep health check answers 503 by design,
 * Route 53 sends it no traffic and the primary's prober reports it failing. Every live test must
 * pass on that correct stack (its pilot-light cases instead of the warm-standby ones), and each
 * pilot-light case must fail on a stack where the headless region looks able to serve.
 */
import { LONGEST_NAMES_CONFIG } from "../support/stack-config";
import { collectSuite, runLiveTest } from "./support/harness";
import { PILOT_LIGHT_MUTATIONS } from "./support/pilot-light-mutations";
import { LIVE_SUITES, failuresOfSuite, useSimulatedStack } from "./support/simulated-session";

const session = useSimulatedStack({ ...LONGEST_NAMES_CONFIG, drDbInstances: 0 });

describe("live suites on a simulated correct pilot-light stack", () => {
  it("exports drTier pilot-light, which the suites read", () => {
    expect(session.run().outputs.drTier).toBe("pilot-light");
  });

  it.each(LIVE_SUITES)("runs every test of the %s suite green", async (suite) => {
    expect(collectSuite(suite).length).toBeGreaterThan(0);
    expect(await failuresOfSuite(session, suite)).toEqual([]);
  });

  it("runs the pilot-light cases instead of the DR region's warm-standby ones", () => {
    const run = LIVE_SUITES.flatMap((suite) => collectSuite(suite))
      .filter((t) => !t.skipped)
      .map((t) => t.title);
    expect(run).toEqual(expect.arrayContaining(PILOT_LIGHT_MUTATIONS.map((m) => m.test)));
    expect(
      run.filter((title) =>
        /dr region's load balancer, as the reader|healthy Route 53 health check for the dr region/.test(
          title,
        ),
      ),
    ).toEqual([]);
  });
});

describe("pilot-light cases on broken simulated stacks", () => {
  it.each(PILOT_LIGHT_MUTATIONS.map((m) => [m.name, m.test, m] as const))(
    "%s: makes '%s' fail",
    async (_name, _title, mutation) => {
      const matching = collectSuite(mutation.suite).filter((t) => t.title === mutation.test);
      expect(matching).toHaveLength(1);
      mutation.apply(session.fresh());
      const result = await runLiveTest(matching[0], { fakeTime: mutation.fakeTime === true });
      expect(result).toMatchObject({ passed: false });
      expect(session.simulationErrors()).toEqual([]);
    },
  );
});

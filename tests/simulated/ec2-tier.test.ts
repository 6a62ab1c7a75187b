/**
 * The live suites against a simulated stack on the EC2 tier with a pilot-light DR fleet
 * (`drAppCapacity` 0/0/N): the load balancers forward to Auto Scaling groups, and the DR group
 * runs no instance, so the DR region answers 503 until it is scaled (`drTier` pilot-light). Every
 * live test must pass on that correct stack.
 */
import { LONGEST_NAMES_CONFIG } from "../support/stack-config";
import { LIVE_SUITES, failuresOfSuite, useSimulatedStack } from "./support/simulated-session";

const session = useSimulatedStack({
  ...LONGEST_NAMES_CONFIG,
  appTier: "ec2",
  // The EC2 tier installs at boot through NAT (config refuses it without).
  natGateways: "single",
  drAppCapacity: "0/0/4",
});

describe("live suites on a simulated correct EC2-tier stack with a pilot-light DR fleet", () => {
  it("exports drTier pilot-light although the DR cluster has an instance", () => {
    expect(session.run().outputs.drTier).toBe("pilot-light");
  });

  it.each(LIVE_SUITES)("runs every test of the %s suite green", async (suite) => {
    expect(await failuresOfSuite(session, suite)).toEqual([]);
  });
});

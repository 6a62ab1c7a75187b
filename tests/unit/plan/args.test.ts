import { UsageError, parsePlanArgs } from "../../../tools/plan/args";

describe("npm run plan flags", () => {
  it("defaults to the dev stack's file, text output and the idle assumptions", () => {
    expect(parsePlanArgs([])).toEqual({
      stack: undefined,
      stackFile: undefined,
      overrides: undefined,
      json: false,
      treeDepth: 3,
      assumptions: {},
      help: false,
    });
  });

  it("reads the stack, config values as `pulumi up --config` does, and the cost assumptions", () => {
    const args = parsePlanArgs([
      "--stack",
      "prod",
      "-c",
      "environmentSuffix=prod",
      "--config",
      "aws:profile=ops=1",
      "--json",
      "--requests-per-month",
      "2500000",
      "--aurora-acu",
      "4",
      "--no-free-tier",
    ]);
    expect(args).toMatchObject({
      stack: "prod",
      overrides: { environmentSuffix: "prod", "aws:profile": "ops=1" },
      json: true,
      assumptions: { requestsPerMonth: 2_500_000, auroraAverageAcu: 4, freeTier: false },
    });
  });

  it.each([
    [["--requests-per-month", "many"], '--requests-per-month: "many" is not a non-negative number'],
    [["--config", "novalue"], '--config "novalue" is not key=value'],
    [["--what"], "Unknown option '--what'"],
  ])("refuses %j", (argv, message) => {
    expect(() => parsePlanArgs(argv)).toThrow(new UsageError(message));
  });
});

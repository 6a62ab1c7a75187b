import { DEFAULT_FAILOVER_WINDOW_MINUTES } from "../../lib/operations/operations-config";
import { drServingTier, drTierOf, rtoBudget } from "../../lib/operations/rto-budget";

describe("rtoBudget", () => {
  it("budgets warm standby with the default window: detection 5 min, promotion 5 min", () => {
    expect(
      rtoBudget({
        tier: drTierOf(1),
        failoverWindowMinutes: DEFAULT_FAILOVER_WINDOW_MINUTES,
        failoverMode: "automatic",
      }),
    ).toEqual({
      tier: "warm-standby",
      failoverMode: "automatic",
      // one probe period, three failing minutes, one minute of alarm evaluation
      detectionSeconds: 60 + 180 + 60,
      addInstanceSeconds: 0,
      promotionSeconds: 300,
      totalSeconds: 600,
    });
  });

  it("adds the instance a headless cluster needs before it can be promoted", () => {
    const pilotLight = rtoBudget({
      tier: drTierOf(0),
      failoverWindowMinutes: 3,
      failoverMode: "automatic",
    });
    expect(pilotLight.tier).toBe("pilot-light");
    expect(pilotLight.totalSeconds - pilotLight.addInstanceSeconds).toBe(600);
    expect(pilotLight.addInstanceSeconds).toBe(1_200);
  });

  it("grows detection with the corroboration window, minute for minute", () => {
    const one = rtoBudget({
      tier: "warm-standby",
      failoverWindowMinutes: 1,
      failoverMode: "notify",
    });
    const ten = rtoBudget({
      tier: "warm-standby",
      failoverWindowMinutes: 10,
      failoverMode: "notify",
    });
    expect(ten.detectionSeconds - one.detectionSeconds).toBe(9 * 60);
  });
});

describe("the tier the DR region is in before a failover (output drTier)", () => {
  it.each([
    [1, "lambda", 0, "warm-standby"],
    [0, "lambda", 0, "pilot-light"],
    [2, "ec2", 1, "warm-standby"],
    // A DR fleet that runs no instance cannot serve, whatever the database has.
    [2, "ec2", 0, "pilot-light"],
    [0, "ec2", 1, "pilot-light"],
  ] as const)(
    "%d DR instance(s), %s tier, DR desired capacity %d: %s",
    (drInstances, appTier, drAppDesiredCapacity, tier) => {
      expect(drServingTier({ drInstances, appTier, drAppDesiredCapacity })).toBe(tier);
    },
  );
});

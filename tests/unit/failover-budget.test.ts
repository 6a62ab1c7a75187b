import { RawConfig, parseConfig } from "../../lib/config";
import {
  ELB_ALIAS_TTL_SECONDS,
  FAILOVER_BUDGET_REQUIREMENT_SECONDS,
  explainFailoverBudget,
  failoverBudget,
} from "../../lib/dns/failover-budget";

const PRODUCTION = { environmentSuffix: "dev", domainName: "payments.example.com" } as const;
const budgetOf = (raw: Omit<RawConfig, "environmentSuffix">) =>
  failoverBudget(parseConfig({ ...PRODUCTION, ...raw }).dns);

describe("traffic failover budget", () => {
  it("meets the 60 s product requirement with the default production config, even when the failed region hangs", () => {
    // GIVEN only the keys production needs WHEN the budget is computed THEN it is 30 s + 10 s
    const budget = budgetOf({});
    expect(budget).toEqual({
      requestIntervalSeconds: 10,
      failureThreshold: 3,
      detectionSeconds: 30,
      slowFailureDetectionSeconds: 48,
      dnsCacheSeconds: 10,
      recordType: "cname",
      totalSeconds: 40,
      slowFailureTotalSeconds: 58,
    });
    expect(budget.slowFailureTotalSeconds).toBeLessThanOrEqual(FAILOVER_BUDGET_REQUIREMENT_SECONDS);
  });

  it.each<[string, Omit<RawConfig, "environmentSuffix">, number, number, number]>([
    // name, config, detection, DNS cache, total
    ["default (CNAME, TTL 10, threshold 3)", {}, 30, 10, 40],
    ["CNAME TTL 15", { dnsTtlSeconds: "15" }, 30, 15, 45],
    [
      "fastest allowed (threshold 1, TTL 5)",
      { healthCheckFailureThreshold: "1", dnsTtlSeconds: "5" },
      10,
      5,
      15,
    ],
    ["threshold 2, TTL 30", { healthCheckFailureThreshold: "2", dnsTtlSeconds: "30" }, 20, 30, 50],
    ["CNAME TTL 60 (Route 53's failover advice)", { dnsTtlSeconds: "60" }, 30, 60, 90],
    [
      "alias records (ELB's fixed 60 s TTL)",
      { dnsRecordType: "alias" },
      30,
      ELB_ALIAS_TTL_SECONDS,
      90,
    ],
    [
      "alias, threshold 1: still over a minute",
      { dnsRecordType: "alias", healthCheckFailureThreshold: "1" },
      10,
      60,
      70,
    ],
    ["alias ignores dnsTtlSeconds", { dnsRecordType: "alias", dnsTtlSeconds: "5" }, 30, 60, 90],
    [
      "weighted routing: the same bound",
      { routingPolicy: "weighted", drTrafficWeight: "10" },
      30,
      10,
      40,
    ],
    [
      "slowest allowed (threshold 10, TTL 300)",
      { healthCheckFailureThreshold: "10", dnsTtlSeconds: "300" },
      100,
      300,
      400,
    ],
  ])("%s", (_name, raw, detection, cache, total) => {
    const budget = budgetOf(raw);
    expect([budget.detectionSeconds, budget.dnsCacheSeconds, budget.totalSeconds]).toEqual([
      detection,
      cache,
      total,
    ]);
  });

  it("explains the default budget in one line", () => {
    expect(explainFailoverBudget(budgetOf({}))).toBe(
      "traffic failover within 40 s (nominal, within the 60 s requirement): " +
        "30 s detection (3 failed checks x 10 s) + 10 s CNAME TTL; " +
        "58 s if the endpoint hangs until each check times out",
    );
  });

  it("says when a config is over the requirement, and why", () => {
    const line = explainFailoverBudget(budgetOf({ dnsRecordType: "alias" }));
    expect(line).toContain("within 90 s (nominal, over the 60 s requirement)");
    expect(line).toContain("60 s ELB alias TTL (fixed)");
    expect(line).not.toContain("\n");
  });
});

import { parseConfig } from "../../../lib/config";
import type { ProgramRun } from "../../../tools/graph/capture";
import {
  DEFAULT_ASSUMPTIONS,
  ROUTE53_CHECKERS,
  estimateCost,
  rateMinutes,
} from "../../../tools/plan/cost";
import { cronIntervalHours } from "../../../tools/plan/dr-budget";
import { HOURS_PER_MONTH, INSTANCE_HOUR_PRICES, PRICES } from "../../../tools/plan/prices";
import { runProgram } from "../../support/mock-graph";

// The config most graph suites run, so its capture is usually shared.
const CONFIG = { environmentSuffix: "dev", domainName: "payments.example.com", mode: "test" };

let run: ProgramRun;
const config = parseConfig(CONFIG);

beforeAll(async () => {
  run = await runProgram(CONFIG);
});

const linesOf = (service: string, estimate = estimateCost(run, config)) =>
  estimate.lines.filter((line) => line.service === service);
const total = (lines: { monthlyUsd: number }[]) =>
  lines.reduce((sum, line) => sum + line.monthlyUsd, 0);

describe("the price table", () => {
  it("gives every price a source and the date its copy was read", () => {
    for (const price of [...Object.values(PRICES), ...Object.values(INSTANCE_HOUR_PRICES)]) {
      expect(price.source.length).toBeGreaterThan(10);
      expect(price.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(price.region).toBe("us-east-1");
    }
  });
});

describe("estimateCost, counted from the graph", () => {
  it("bills every Aurora Serverless v2 instance its minimum ACU all month, per region", () => {
    const aurora = linesOf("Aurora").filter((line) => line.price.key === "auroraAcuHour");
    const perRegion = (region: string) => aurora.filter((line) => line.region === region).length;
    expect([perRegion("us-east-1"), perRegion("us-east-2")]).toEqual([2, 1]);
    expect(total(aurora)).toBeCloseTo(
      3 * config.database.minAcu * HOURS_PER_MONTH * PRICES.auroraAcuHour.usd,
      6,
    );
  });

  it("bills interface endpoints per AZ: 5 services x 3 AZs x 2 regions", () => {
    const endpoints = linesOf("VPC endpoints");
    expect(endpoints.reduce((sum, line) => sum + line.quantity, 0)).toBe(
      5 * 3 * 2 * HOURS_PER_MONTH,
    );
    expect(total(endpoints)).toBeCloseTo(219, 6);
  });

  it("bills one public IPv4 per AZ of each internet-facing load balancer", () => {
    expect(total(linesOf("VPC public IPv4"))).toBeCloseTo(
      2 * 3 * HOURS_PER_MONTH * PRICES.publicIpv4Hour.usd,
      6,
    );
  });

  it("bills the two health checks' optional features, the base inside the free 50", () => {
    const route53 = linesOf("Route 53");
    expect(total(route53.filter((line) => line.price.key === "healthCheckFeatureAwsMonth"))).toBe(
      4,
    );
    expect(total(route53)).toBeCloseTo(4 + PRICES.hostedZoneMonth.usd, 6);
  });

  it("invokes each region's API function from the Route 53 checkers and the target health check", () => {
    const api = linesOf("Lambda").find((line) => line.item === "requests of tap-primary-app-api")!;
    const invocations = HOURS_PER_MONTH * 3600 * (ROUTE53_CHECKERS / 10 + 1 / 30);
    expect(api.quantity * 1e6).toBeCloseTo(invocations, 0);
  });

  it("adds usage with the request volume: more requests cost more, idle costs no request charges", () => {
    const idle = estimateCost(run, config);
    const busy = estimateCost(run, config, {
      ...DEFAULT_ASSUMPTIONS,
      requestsPerMonth: 10_000_000,
    });
    expect(busy.totalUsd).toBeGreaterThan(idle.totalUsd);
    expect(idle.lines.some((line) => line.item.startsWith("writes to"))).toBe(false);
    expect(busy.lines.find((line) => line.item.startsWith("writes to"))?.quantity).toBe(10);
  });

  it("drops the free allowances with freeTier off", () => {
    const paid = estimateCost(run, config, { ...DEFAULT_ASSUMPTIONS, freeTier: false });
    expect(paid.lines.filter((line) => line.region === "account")).toEqual([]);
    expect(paid.totalUsd).toBeGreaterThan(estimateCost(run, config).totalUsd);
  });
});

describe("schedules", () => {
  it.each([
    ["rate(1 minute)", 1],
    ["rate(5 minutes)", 5],
    ["rate(2 hours)", 120],
    ["cron(0 5 * * ? *)", undefined],
  ])("rateMinutes(%s) = %s", (expression, minutes) => {
    expect(rateMinutes(expression)).toBe(minutes);
  });

  it.each([
    ["cron(0 5 ? * * *)", 24],
    ["cron(0 * ? * * *)", 1],
    ["cron(0 */6 ? * * *)", 6],
    ["cron(0 5 ? * MON *)", 168],
  ])("cronIntervalHours(%s) = %s", (schedule, hours) => {
    expect(cronIntervalHours(schedule)).toBe(hours);
  });
});

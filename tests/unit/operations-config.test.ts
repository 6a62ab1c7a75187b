import {
  ALARM_THRESHOLD_DEFAULTS,
  OperationsConfig,
  RawOperationsConfig,
  parseOperationsConfig,
} from "../../lib/operations/operations-config";

const parse = (
  raw: RawOperationsConfig,
  mode: "test" | "production" = "production",
): { config: OperationsConfig; problems: string[] } => {
  const problems: string[] = [];
  return { config: parseOperationsConfig(raw, { mode }, problems), problems };
};

describe("parseOperationsConfig", () => {
  it("defaults a production stack to notify and a test stack to automatic failover", () => {
    expect(parse({}).config.failoverMode).toBe("notify");
    expect(parse({ failoverMode: "" }).config.failoverMode).toBe("notify");
    expect(parse({}, "test").config.failoverMode).toBe("automatic");
    expect(parse({ failoverMode: "automatic" }).config.failoverMode).toBe("automatic");
  });

  it("overrides single thresholds and keeps the other defaults", () => {
    const { config, problems } = parse({
      alarmThresholds: { replicationLagMs: 2000, dlqMessages: "5" },
    });
    expect(problems).toEqual([]);
    expect(config.alarmThresholds).toEqual({
      ...ALARM_THRESHOLD_DEFAULTS,
      replicationLagMs: 2000,
      dlqMessages: 5,
    });
  });

  it("names the key, the value and what is allowed for every bad value, at once", () => {
    const { problems } = parse({
      failoverMode: "auto",
      failoverWindowMinutes: "0",
      alertEmail: "oncall",
      alarmThresholds: { replicationLag: 5, dbCpuPercent: 120, lambdaErrors: "many" },
      metricStreams: "yes",
    });
    expect(problems).toEqual([
      'failoverMode: "auto" is not allowed; use one of automatic, notify',
      'failoverWindowMinutes: "0" is not allowed; use a whole number from 1 to 30 (minutes every corroborating signal must fail before the orchestrator acts)',
      'alertEmail: "oncall" is not an email address; use one address such as oncall@example.com',
      `alarmThresholds.replicationLag: is not a threshold; use one of ${Object.keys(ALARM_THRESHOLD_DEFAULTS).join(", ")}`,
      'alarmThresholds.dbCpuPercent: "120" is not allowed; use a whole number from 1 to 100',
      'alarmThresholds.lambdaErrors: "many" is not allowed; use a whole number from 1 to 100000',
      'metricStreams: "yes" is not allowed; use true or false',
    ]);
  });

  it("refuses a thresholds value that is not a map", () => {
    expect(parse({ alarmThresholds: "5000" }).problems).toEqual([
      `alarmThresholds: "5000" is not a map; set entries with \`pulumi config set --path 'alarmThresholds.<key>' <number>\``,
    ]);
  });
});

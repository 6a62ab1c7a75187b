/**
 * `npm run dr -- status`: each region is read on its own endpoints (client region asserted per
 * call), Route 53 is optional and never fails status, a dead region shows as unreachable while
 * the other still reports, and a missing output stops everything before any AWS call.
 */
import "aws-sdk-client-mock-jest";

import { DescribeAlarmsCommand, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand } from "@aws-sdk/client-rds";
import { GetHealthCheckStatusCommand } from "@aws-sdk/client-route-53";

import {
  DR,
  type Mocks,
  PRIMARY,
  T0,
  type World,
  answerRds,
  auditItem,
  callsOf,
  defaultWorld,
  mockAws,
  runDr,
  without,
} from "./support";

const mocks: Mocks = mockAws();
let world: World;

const minute = (n: number) => new Date(T0 - n * 60_000);

beforeEach(() => {
  mocks.reset();
  world = defaultWorld();
  world.drInstances = ["tap-dr-dev-0"];
  answerRds(mocks, world);
  mocks.cloudwatch.on(GetMetricDataCommand).callsFake(async (_input, getClient) => {
    const region = await getClient().config.region();
    const probes = (failing: number[]) => ({
      Timestamps: [4, 3, 2, 1].map(minute),
      Values: [4, 3, 2, 1].map((m) => (failing.includes(m) ? 1 : 0)),
    });
    return {
      MetricDataResults:
        region === DR
          ? [
              { Id: "peerapi", ...probes([1]) },
              { Id: "peerregion", ...probes([]) },
              { Id: "lag", Timestamps: [minute(3), minute(1)], Values: [1_204, 812] },
            ]
          : [
              { Id: "peerapi", ...probes([]) },
              { Id: "peerregion", ...probes([]) },
              { Id: "lag", Timestamps: [], Values: [] },
            ],
    };
  });
  mocks.cloudwatch.on(DescribeAlarmsCommand).callsFake((input: { AlarmNames: string[] }) => ({
    CompositeAlarms: [
      {
        AlarmName: input.AlarmNames[0],
        StateValue: "OK",
        StateUpdatedTimestamp: new Date("2025-02-28T09:00:00.000Z"),
      },
    ],
    MetricAlarms: [],
  }));
  mocks.dynamodb.on(QueryCommand).callsFake(async (input: { TableName: string }, getClient) => {
    const region = await getClient().config.region();
    if (input.TableName !== (region === DR ? "tap-control-dr" : "tap-control-primary")) {
      throw new Error(`table ${input.TableName} read in ${region}`);
    }
    return {
      Items:
        region === DR
          ? [
              auditItem({
                at: "2025-02-28T10:00:00.000Z",
                actionId: "s-1",
                seq: 1,
                action: "status",
                step: "status",
                outcome: "succeeded",
                message: "status read",
              }),
              auditItem({
                at: "2025-02-20T10:05:00.000Z",
                actionId: "gd-1",
                seq: 7,
                action: "switchover",
                step: "complete",
                outcome: "succeeded",
                message: "writable after 96 s",
                requestedBy: "cli:game-day",
              }),
            ]
          : [],
    };
  });
  mocks.route53.on(GetHealthCheckStatusCommand).callsFake((input: { HealthCheckId: string }) => ({
    HealthCheckObservations: [0, 1, 2].map((i) => ({
      Region: "us-east-1",
      IPAddress: `15.177.0.${i}`,
      StatusReport: {
        Status:
          input.HealthCheckId === "hc-dr"
            ? "Failure: HTTP Status Code 503, Service Unavailable"
            : "Success: HTTP Status Code 200, OK",
        CheckedTime: new Date(T0 - (3 - i) * 10_000),
      },
    })),
  }));
});

describe("dr status", () => {
  it("GIVEN a healthy stack WHEN status THEN each region is read on its own endpoints and the report shows role, cluster, lag, alarm, probes, Route 53 health and the last failover", async () => {
    const run = await runDr(["status"]);

    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.out).toEqual([
      "Global cluster tap-global-dev: writer us-east-1",
      "",
      "us-east-1 (primary region)",
      "  role              writer",
      "  cluster           tap-primary-dev: available (1 instance)",
      "  replication lag   n/a (writer)",
      "  alarm             tap-corroborating-primary: OK since 2025-02-28T09:00:00.000Z",
      "  probes of peer    us-west-2: API failing 0/4 min, region endpoint failing 0/4 min",
      "  Route 53 health   healthy (3/3 checkers; latest: Success: HTTP Status Code 200, OK)",
      "  last failover     none recorded",
      "",
      "us-west-2 (DR region)",
      "  role              secondary",
      "  cluster           tap-dr-dev: available (1 instance)",
      "  replication lag   812 ms (max 1,204 ms over 5 min)",
      "  alarm             tap-corroborating-dr: OK since 2025-02-28T09:00:00.000Z",
      "  probes of peer    us-east-1: API failing 1/4 min, region endpoint failing 0/4 min",
      "  Route 53 health   unhealthy (0/3 checkers; latest: Failure: HTTP Status Code 503, Service Unavailable)",
      "  last failover     2025-02-20T10:05:00.000Z switchover complete: succeeded - writable after 96 s (by cli:game-day)",
    ]);

    const byRegion = (calls: { region: string; input: unknown }[]) =>
      Object.fromEntries(calls.map((c) => [c.region, c.input]));
    expect(byRegion(await callsOf(mocks.rds, DescribeDBClustersCommand))).toEqual({
      [PRIMARY]: { DBClusterIdentifier: "tap-primary-dev" },
      [DR]: { DBClusterIdentifier: "tap-dr-dev" },
    });
    expect(byRegion(await callsOf(mocks.rds, DescribeGlobalClustersCommand))).toEqual({
      [PRIMARY]: { GlobalClusterIdentifier: "tap-global-dev" },
      [DR]: { GlobalClusterIdentifier: "tap-global-dev" },
    });
    expect(byRegion(await callsOf(mocks.cloudwatch, DescribeAlarmsCommand))).toEqual({
      [PRIMARY]: {
        AlarmNames: ["tap-corroborating-primary"],
        AlarmTypes: ["CompositeAlarm", "MetricAlarm"],
      },
      [DR]: { AlarmNames: ["tap-corroborating-dr"], AlarmTypes: ["CompositeAlarm", "MetricAlarm"] },
    });
    // The lag of the secondary is read in the secondary's region, on its own cluster, 5 minutes.
    const metricCalls = byRegion(await callsOf(mocks.cloudwatch, GetMetricDataCommand)) as Record<
      string,
      { StartTime: Date; EndTime: Date; MetricDataQueries: { Id: string; MetricStat: unknown }[] }
    >;
    const dr = metricCalls[DR];
    expect(dr?.EndTime).toEqual(new Date(T0));
    expect(dr?.StartTime).toEqual(minute(5));
    expect(dr?.MetricDataQueries.find((q) => q.Id === "lag")?.MetricStat).toEqual({
      Metric: {
        Namespace: "AWS/RDS",
        MetricName: "AuroraGlobalDBReplicationLag",
        Dimensions: [{ Name: "DBClusterIdentifier", Value: "tap-dr-dev" }],
      },
      Period: 60,
      Stat: "Maximum",
    });
    expect(
      (
        metricCalls[DR]?.MetricDataQueries.find((q) => q.Id === "peerapi")?.MetricStat as {
          Metric: { Dimensions: unknown };
        }
      ).Metric.Dimensions,
    ).toEqual([
      { Name: "service", Value: "health-prober" },
      { Name: "PeerRegion", Value: PRIMARY },
    ]);
    expect(
      (await callsOf(mocks.dynamodb, QueryCommand)).map((c) => [
        c.region,
        (c.input as { TableName: string }).TableName,
      ]),
    ).toEqual(
      expect.arrayContaining([
        [PRIMARY, "tap-control-primary"],
        [DR, "tap-control-dr"],
      ]),
    );
    // Route 53's control plane is in us-east-1, whatever the stack's regions.
    expect(await callsOf(mocks.route53, GetHealthCheckStatusCommand)).toEqual(
      expect.arrayContaining([
        { region: "us-east-1", input: { HealthCheckId: "hc-primary" } },
        { region: "us-east-1", input: { HealthCheckId: "hc-dr" } },
      ]),
    );
  });

  it("GIVEN Route 53's control plane does not answer WHEN status THEN health shows unknown and status still succeeds", async () => {
    mocks.route53.on(GetHealthCheckStatusCommand).rejects(
      Object.assign(new Error("connect ETIMEDOUT route53.amazonaws.com:443"), {
        name: "TimeoutError",
      }),
    );

    const run = await runDr(["status"]);

    expect(run.code).toBe(0);
    expect(run.out.filter((l) => l.startsWith("  Route 53 health"))).toEqual([
      "  Route 53 health   unknown (Route 53 control plane unreachable)",
      "  Route 53 health   unknown (Route 53 control plane unreachable)",
    ]);
  });

  it("GIVEN a stack without a domain (no health check ids) WHEN status THEN Route 53 is not called and no health line is printed", async () => {
    const run = await runDr(["status"], {
      outputs: without("primaryHealthCheckId", "drHealthCheckId"),
    });

    expect(run.code).toBe(0);
    expect(mocks.route53).toHaveReceivedCommandTimes(GetHealthCheckStatusCommand, 0);
    expect(run.regions).not.toContain("route53");
    expect(run.out.some((l) => l.includes("Route 53"))).toBe(false);
  });

  it("GIVEN the primary region's APIs are down WHEN status THEN the DR region still reports, the primary shows unreachable, and the exit code is 1", async () => {
    world.down.add(PRIMARY);
    mocks.cloudwatch.on(DescribeAlarmsCommand).callsFake(async (_input, getClient) => {
      const region = await getClient().config.region();
      if (region === PRIMARY)
        throw Object.assign(new Error("connect ETIMEDOUT"), { name: "TimeoutError" });
      return { CompositeAlarms: [{ AlarmName: "tap-corroborating-dr", StateValue: "ALARM" }] };
    });

    const run = await runDr(["status"]);

    expect(run.code).toBe(1);
    expect(run.out[0]).toBe(
      "Global cluster tap-global-dev: writer unknown (no region reports itself as the writer)",
    );
    expect(run.out).toEqual(
      expect.arrayContaining([
        "  role              unreachable: TimeoutError: connect ETIMEDOUT rds.us-east-1.amazonaws.com:443",
        "  alarm             unknown (TimeoutError: connect ETIMEDOUT)",
        "  role              secondary",
        "  alarm             tap-corroborating-dr: ALARM",
      ]),
    );
  });

  it("GIVEN a missing output WHEN status THEN exit 2 names the key and the fix, before any AWS call", async () => {
    const run = await runDr(["status"], { outputs: without("drCorroboratingAlarmName") });

    expect(run.code).toBe(2);
    expect(run.err).toEqual([
      'error: stack output "drCorroboratingAlarmName" is missing from test-outputs.json. Deploy the stack with the DR operations (pulumi up), then refresh the file: pulumi stack output --json > test-outputs.json.',
    ]);
    expect(await mocks.allCalls()).toEqual([]);
    expect(run.regions).toEqual([]);
  });
});

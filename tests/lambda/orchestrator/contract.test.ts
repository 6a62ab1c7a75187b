/**
 * The pieces other code relies on: the environment contract (infra), the event shapes (EventBridge,
 * Step Functions), RegionStatus (the CLI's `dr status`), the Route 53 reader and the audit reader.
 */
import "aws-sdk-client-mock-jest";

import { GetHealthCheckStatusCommand, Route53Client } from "@aws-sdk/client-route-53";
import { DescribeGlobalClustersCommand, RDSClient } from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";

import { readRecentAudit } from "../../../lambda/failover-orchestrator/audit";
import {
  OPTIONAL_ORCHESTRATOR_ENV_VARS,
  ORCHESTRATOR_ENV_VARS,
  readOrchestratorConfig,
} from "../../../lambda/failover-orchestrator/env";
import { ConfigurationError } from "../../../lambda/failover-orchestrator/errors";
import { parseEvent } from "../../../lambda/failover-orchestrator/events";
import {
  deriveRegionStatus,
  readRegionStatus,
} from "../../../lambda/failover-orchestrator/global-cluster";
import { readHealthCheckStatus } from "../../../lambda/failover-orchestrator/route53-health";
import {
  CLUSTER_ARN,
  CLUSTER_ID,
  type ControlTable,
  GLOBAL_CLUSTER_ID,
  PEER_REGION,
  PRIMARY_ARN,
  REGION,
  REGIONAL_OUTAGE,
  SimulatedGlobalDb,
  alarmEvent,
  createControlTable,
  installMetrics,
  makeOrchestrator,
  testConfig,
  useMocks,
} from "./support";

const mocks = useMocks();

const VALID_ENV = {
  AWS_REGION: "us-west-2",
  GLOBAL_CLUSTER_ID: "tap-dr-global",
  CLUSTER_ID: "tap-dr-dr-cluster",
  CLUSTER_ARN: "arn:aws:rds:us-west-2:123456789012:cluster:tap-dr-dr-cluster",
  PEER_REGION: "us-east-1",
  REGION_ROLE: "dr",
  CONTROL_TABLE_NAME: "tap-dr-control-us-west-2",
  ALERT_TOPIC_ARN: "arn:aws:sns:us-west-2:123456789012:tap-dr-alerts",
  STATE_MACHINE_ARN: "arn:aws:states:us-west-2:123456789012:stateMachine:tap-dr-failover",
  FAILOVER_MODE: "notify",
  CORROBORATION_WINDOW_MINUTES: "5",
  REPLICATION_LAG_THRESHOLD_MS: "60000",
  FAILOVER_INSTANCE_IDENTIFIER: "tap-dr-dr-instance-0",
  FAILOVER_INSTANCE_CLASS: "db.r6g.large",
  DB_ENGINE: "aurora-postgresql",
  DB_PARAMETER_GROUP_NAME: "tap-dr-dr-instance-params",
  CORROBORATING_ALARM_NAME: "tap-dr-us-west-2-corroborating",
};

describe("environment contract", () => {
  it("GIVEN every variable WHEN read THEN the typed config", () => {
    expect(readOrchestratorConfig(VALID_ENV)).toMatchObject({
      region: "us-west-2",
      failoverMode: "notify",
      regionRole: "dr",
      corroborationWindowMinutes: 5,
      replicationLagThresholdMs: 60_000,
      dbEngine: "aurora-postgresql",
    });
    expect([...ORCHESTRATOR_ENV_VARS].sort()).toEqual(Object.keys(VALID_ENV).sort());
  });

  it.each([
    [
      "FAILOVER_MODE",
      "auto",
      'Environment variable FAILOVER_MODE is "auto"; allowed: "automatic" | "notify"',
    ],
    [
      "CORROBORATION_WINDOW_MINUTES",
      "31",
      'CORROBORATION_WINDOW_MINUTES is "31"; allowed: an integer 1-30',
    ],
    ["CORROBORATION_WINDOW_MINUTES", "2.5", "allowed: an integer 1-30"],
    ["REGION_ROLE", "secondary", 'allowed: "primary" | "dr"'],
    [
      "STATE_MACHINE_ARN",
      "arn:aws:states:us-east-1:1:stateMachine:x",
      "allowed: an ARN of states in us-west-2",
    ],
    ["CLUSTER_ARN", "tap-dr-dr-cluster", "allowed: an ARN of rds in us-west-2"],
    ["PEER_REGION", "us-west-2", "allowed: a region other than us-west-2"],
    ["DB_ENGINE", "aurora-mysql", 'allowed: "aurora-postgresql"'],
    ["ALERT_TOPIC_ARN", undefined, "ALERT_TOPIC_ARN is not set"],
  ])(
    "GIVEN %s=%s WHEN read THEN a ConfigurationError naming the variable, value and allowed",
    (name, value, message) => {
      const env: Record<string, string | undefined> = { ...VALID_ENV, [name]: value };
      expect(() => readOrchestratorConfig(env)).toThrow(message);
    },
  );
});

/** The error `readOrchestratorConfig` throws for this environment (fails the test if none). */
function configError(env: Record<string, string | undefined>): ConfigurationError {
  try {
    readOrchestratorConfig(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error("expected a ConfigurationError");
}

describe("environment contract: the EC2 tier's app fleet (APP_FLEET_NAME + APP_FLEET_CAPACITY)", () => {
  it("GIVEN both set WHEN read THEN appFleet has the trimmed name and the integer capacity", () => {
    expect(
      readOrchestratorConfig({
        ...VALID_ENV,
        APP_FLEET_NAME: " tap-dr-us-west-2-app ",
        APP_FLEET_CAPACITY: "2",
      }).appFleet,
    ).toEqual({ name: "tap-dr-us-west-2-app", capacity: 2 });
    expect([...OPTIONAL_ORCHESTRATOR_ENV_VARS]).toEqual(["APP_FLEET_NAME", "APP_FLEET_CAPACITY"]);
  });

  it.each([
    ["1", 1],
    ["100", 100],
  ])("GIVEN APP_FLEET_CAPACITY=%s (a bound) WHEN read THEN capacity %d", (raw, capacity) => {
    expect(
      readOrchestratorConfig({ ...VALID_ENV, APP_FLEET_NAME: "app", APP_FLEET_CAPACITY: raw })
        .appFleet,
    ).toEqual({ name: "app", capacity });
  });

  it.each([
    ["neither set", {}],
    ["both empty", { APP_FLEET_NAME: "", APP_FLEET_CAPACITY: " " }],
  ])("GIVEN %s WHEN read THEN appFleet is undefined (Lambda tier)", (_, fleetEnv) => {
    const config = readOrchestratorConfig({ ...VALID_ENV, ...fleetEnv });
    expect(config.appFleet).toBeUndefined();
    expect(Object.keys(config)).toContain("appFleet");
  });

  it("GIVEN only APP_FLEET_CAPACITY WHEN read THEN a ConfigurationError naming APP_FLEET_NAME", () => {
    const error = configError({ ...VALID_ENV, APP_FLEET_CAPACITY: "2" });
    expect(error).toMatchObject({ name: "ConfigurationError", variable: "APP_FLEET_NAME" });
    expect(error.message).toBe(
      "Environment variable APP_FLEET_NAME is not set; allowed: the app Auto Scaling group's name whenever APP_FLEET_CAPACITY is set",
    );
  });

  it("GIVEN only APP_FLEET_NAME WHEN read THEN a ConfigurationError naming APP_FLEET_CAPACITY (not set)", () => {
    const error = configError({ ...VALID_ENV, APP_FLEET_NAME: "app" });
    expect(error).toMatchObject({ variable: "APP_FLEET_CAPACITY", value: undefined });
    expect(error.message).toBe(
      "Environment variable APP_FLEET_CAPACITY is not set; allowed: an integer 1-100 whenever APP_FLEET_NAME is set",
    );
  });

  it.each(["0", "101", "2x", "-1", "2.5", "1e1"])(
    "GIVEN APP_FLEET_CAPACITY=%s WHEN read THEN a ConfigurationError naming APP_FLEET_CAPACITY and the value",
    (raw) => {
      const error = configError({ ...VALID_ENV, APP_FLEET_NAME: "app", APP_FLEET_CAPACITY: raw });
      expect(error).toMatchObject({ variable: "APP_FLEET_CAPACITY", value: raw });
      expect(error.message).toBe(
        `Environment variable APP_FLEET_CAPACITY is "${raw}"; allowed: an integer 1-100`,
      );
    },
  );
});

describe("event shapes", () => {
  it("GIVEN the EventBridge alarm event WHEN parsed THEN an alarm evaluation attributed to alarm:<name>", () => {
    expect(parseEvent(alarmEvent())).toMatchObject({
      kind: "alarm",
      alarmName: "tap-dr-us-west-2-corroborating",
      state: "ALARM",
      requestedBy: "alarm:tap-dr-us-west-2-corroborating",
    });
  });

  it("GIVEN a direct request without requestedBy WHEN parsed THEN attributed to direct-invocation, dryRun false", () => {
    expect(parseEvent({ action: "status" })).toEqual({
      kind: "direct",
      action: "status",
      dryRun: false,
      requestedBy: "direct-invocation",
    });
  });

  it("GIVEN several problems WHEN parsed THEN all are named at once", () => {
    expect(() => parseEvent({ action: "go", dryRun: 1, requestedBy: "" })).toThrow(
      'Invalid orchestrator request: action="go" (allowed: "status" | "failover" | "switchover"); dryRun=1 (allowed: true | false (optional)); requestedBy="" (allowed: a string of 1-200 characters without control characters (optional))',
    );
  });

  it("GIVEN a Step Functions task with a Catch error WHEN parsed THEN the error is carried to fail", () => {
    const state = {
      actionId: "failover-1",
      action: "failover",
      requestedBy: "cli:x",
      startedAt: "2030-01-15T12:00:00.000Z",
      readerAvailable: true,
      writable: false,
      checks: 2,
    };
    expect(
      parseEvent({ step: "fail", state, error: { Error: "States.Timeout", Cause: "timed out" } }),
    ).toEqual({
      kind: "step",
      step: "fail",
      state,
      error: { Error: "States.Timeout", Cause: "timed out" },
    });
  });
});

describe("RegionStatus (what `npm run dr -- status` shows per region)", () => {
  const rds = mocks.rds;
  const target = {
    region: REGION,
    globalClusterId: GLOBAL_CLUSTER_ID,
    clusterId: CLUSTER_ID,
    clusterArn: CLUSTER_ARN,
  };
  const at = new Date("2030-01-15T12:00:00Z");

  it("GIVEN the simulated database WHEN read through this region's RDS client THEN role, writer and members", async () => {
    new SimulatedGlobalDb().install(rds);
    const status = await readRegionStatus(new RDSClient({ region: REGION }), target, {
      now: () => at,
    });
    expect(status).toEqual({
      ...target,
      role: "secondary",
      clusterStatus: "available",
      globalStatus: "available",
      inProgress: false,
      writerClusterArn: PRIMARY_ARN,
      writerRegion: PEER_REGION,
      members: [
        { clusterArn: PRIMARY_ARN, region: PEER_REGION, isWriter: true },
        { clusterArn: CLUSTER_ARN, region: REGION, isWriter: false },
      ],
      instances: ["tap-dr-dr-instance-existing"],
      observedAt: "2030-01-15T12:00:00.000Z",
    });
  });

  it.each([
    [{ members: [{ DBClusterArn: CLUSTER_ARN, IsWriter: true }], instances: ["i-0"] }, "writer"],
    [{ members: [{ DBClusterArn: CLUSTER_ARN, IsWriter: false }], instances: [] }, "headless"],
    [{ members: [{ DBClusterArn: PRIMARY_ARN, IsWriter: true }], instances: ["i-0"] }, "detached"],
  ])("GIVEN %j WHEN derived THEN role %s", (given, role) => {
    const status = deriveRegionStatus(
      target,
      {
        GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
        Status: "available",
        GlobalClusterMembers: given.members,
      },
      {
        Status: "available",
        DBClusterMembers: given.instances.map((id) => ({
          DBInstanceIdentifier: id,
          IsClusterWriter: true,
        })),
      },
      at,
    );
    expect(status.role).toBe(role);
  });

  it("GIVEN the global cluster does not exist WHEN read THEN ClusterNotFoundError naming it and the region", async () => {
    rds
      .on(DescribeGlobalClustersCommand)
      .rejects(Object.assign(new Error("not found"), { name: "GlobalClusterNotFoundFault" }));
    await expect(readRegionStatus(new RDSClient({ region: REGION }), target)).rejects.toThrow(
      `global cluster ${GLOBAL_CLUSTER_ID} not found in ${REGION}`,
    );
  });
});

describe("Route 53 health-check reader (optional input, never called by the orchestrator)", () => {
  const route53 = mockClient(Route53Client);
  afterAll(() => route53.restore());

  it("GIVEN 3 of 16 checkers report success (18.75%) WHEN read THEN healthy; 2 of 16 THEN unhealthy", async () => {
    const observations = (ok: number) =>
      Array.from({ length: 16 }, (_, i) => ({
        Region: "us-east-1" as const,
        IPAddress: `15.177.0.${i}`,
        StatusReport: {
          Status: i < ok ? "Success: HTTP Status Code 200, OK" : "Failure: Connection timed out",
          CheckedTime: new Date(Date.UTC(2030, 0, 15, 12, 0, i)),
        },
      }));
    const client = new Route53Client({ region: "us-east-1" });
    route53
      .on(GetHealthCheckStatusCommand)
      .resolvesOnce({ HealthCheckObservations: observations(3) })
      .resolvesOnce({ HealthCheckObservations: observations(2) });

    expect(await readHealthCheckStatus(client, "hc-1")).toMatchObject({
      healthy: true,
      successes: 3,
      checkers: 16,
    });
    expect(await readHealthCheckStatus(client, "hc-1")).toMatchObject({
      healthy: false,
      latestReport: "Failure: Connection timed out",
    });
    expect(route53).toHaveReceivedCommandWith(GetHealthCheckStatusCommand, {
      HealthCheckId: "hc-1",
    });
  });

  it("GIVEN an alarm evaluation WHEN the orchestrator decides THEN Route 53 is never called (static stability)", async () => {
    route53.resetHistory();
    const table = await createControlTable("orchestrator-contract");
    try {
      new SimulatedGlobalDb().install(mocks.rds);
      installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
      await makeOrchestrator(testConfig(table.name, { failoverMode: "notify" })).handler(
        alarmEvent(),
      );
      expect(route53.calls()).toHaveLength(0);
    } finally {
      await table.drop();
    }
  });
});

describe("readRecentAudit (the CLI's last failover events)", () => {
  let table: ControlTable;
  beforeAll(async () => {
    table = await createControlTable("orchestrator-audit");
  });
  afterAll(() => table.drop());

  it("GIVEN audited decisions WHEN the newest 2 are read THEN newest first, fields typed, detail parsed", async () => {
    new SimulatedGlobalDb().install(mocks.rds);
    const o = makeOrchestrator(testConfig(table.name));
    await o.handler({ action: "failover", dryRun: true, requestedBy: "cli:a" });
    o.clock.advance(1);
    await o.handler({ action: "switchover", dryRun: true, requestedBy: "cli:b" });
    o.clock.advance(1);
    await o.handler({ action: "failover", dryRun: true, requestedBy: "cli:c" });

    const recent = await readRecentAudit(table.client, table.name, 2);

    expect(recent.map((r) => r.requestedBy)).toEqual(["cli:c", "cli:b"]);
    expect(recent[0]).toMatchObject({
      action: "failover",
      step: "decide",
      outcome: "dry-run",
      region: REGION,
      at: "2030-01-15T12:00:32.000Z",
    });
    expect(Array.isArray(recent[0]?.detail?.plan)).toBe(true);
  });
});

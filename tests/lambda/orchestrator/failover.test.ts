/**
 * The orchestrator end to end in the DR region (us-west-2): an event in, the exact AWS calls out.
 * RDS, Step Functions, SNS and CloudWatch are the real SDK clients intercepted by
 * aws-sdk-client-mock (RDS answers from a simulated global database); the lock and the audit
 * trail are real conditional writes on the run's dynalite.
 */
import "aws-sdk-client-mock-jest";

import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { PublishCommand } from "@aws-sdk/client-sns";

import { InvalidRequestError } from "../../../lambda/failover-orchestrator/errors";
import {
  CLUSTER_ARN,
  CLUSTER_ID,
  type ControlTable,
  GLOBAL_CLUSTER_ID,
  HEALTHY_PEER,
  NO_MUTATING_CALLS,
  PEER_REGION,
  PRIMARY_ARN,
  REGION,
  REGIONAL_OUTAGE,
  STATE_MACHINE_ARN,
  SimulatedGlobalDb,
  TOPIC_ARN,
  alarmEvent,
  asEntry,
  createControlTable,
  executionInput,
  installMetrics,
  makeOrchestrator,
  mutatingCalls,
  published,
  regionsOf,
  runWorkflow,
  testConfig,
  useMocks,
} from "./support";

const mocks = useMocks();
let table: ControlTable;
let db: SimulatedGlobalDb;

beforeAll(async () => {
  table = await createControlTable("orchestrator-failover");
});
afterAll(() => table.drop());
beforeEach(async () => {
  // A fresh lock per test; the audit trail accumulates, tests filter it by actionId.
  await table.clearLock();
  db = new SimulatedGlobalDb();
  db.install(mocks.rds);
});

const auditOf = async (actionId: string) =>
  (await table.audit()).filter((a) => a.actionId === actionId);

describe("unplanned failover (alarm, automatic mode)", () => {
  it("GIVEN the primary region is down (both probes failing for the whole window) WHEN the corroborating alarm fires THEN the DR orchestrator takes the lock and starts ONE execution named by the actionId, with the initial state", async () => {
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("started");
    expect(answer.decision?.failingSignals).toEqual([
      "peerApiProbe",
      "peerRegionProbe",
      "replicationLag",
    ]);
    const actionId = answer.actionId ?? "";
    expect(actionId).toMatch(/^failover-20300115T120030Z-[0-9a-f]{8}$/);
    expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(mocks.sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE_ARN,
      name: actionId,
    });
    expect(executionInput(mocks)).toEqual({
      actionId,
      action: "failover",
      requestedBy: `alarm:${testConfig(table.name).corroboratingAlarmName}`,
      startedAt: "2030-01-15T12:00:30.000Z",
      readerAvailable: false,
      writable: false,
      checks: 0,
    });
    // The entry itself never promotes: that is the workflow's job.
    expect(mutatingCalls(mocks)).toEqual({ ...NO_MUTATING_CALLS, StartExecution: 1 });
    const lock = await table.lockItem();
    expect(lock?.actionId?.S).toBe(actionId);
    expect(lock?.requestedBy?.S).toBe(`alarm:${testConfig(table.name).corroboratingAlarmName}`);
    // Every call went to this region's endpoints: nothing to the failed region.
    expect(await regionsOf(mocks.rds.calls())).toEqual([REGION]);
    expect(await regionsOf(mocks.cloudwatch.calls())).toEqual([REGION]);
    expect(await regionsOf(mocks.sfn.calls())).toEqual([REGION]);
    expect(await regionsOf(mocks.sns.calls())).toEqual([REGION]);
    expect(mocks.rds).toHaveReceivedCommandWith(DescribeGlobalClustersCommand, {
      GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
    });
    expect(mocks.rds).toHaveReceivedCommandWith(DescribeDBClustersCommand, {
      DBClusterIdentifier: CLUSTER_ID,
    });
  });

  it("GIVEN the execution started WHEN the state machine runs the steps THEN FailoverGlobalCluster(AllowDataLoss, target = this cluster's ARN) is called once on us-west-2, the cluster becomes writable, the lock is released and every step is audited and published", async () => {
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));
    const started = asEntry(await o.handler(alarmEvent()));
    const actionId = started.actionId ?? "";

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(false);
    expect(run.steps).toEqual([
      "ensureReader",
      "promote",
      "checkPromotion",
      "checkPromotion",
      "checkPromotion",
      "complete",
    ]);
    expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 1);
    expect(mocks.rds.commandCalls(FailoverGlobalClusterCommand)[0]?.args[0].input).toEqual({
      GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
      TargetDbClusterIdentifier: CLUSTER_ARN,
      AllowDataLoss: true,
    });
    expect(await regionsOf(mocks.rds.commandCalls(FailoverGlobalClusterCommand))).toEqual([REGION]);
    // Static stability: no RDS client was even built for another region (the failed primary's).
    expect(o.rdsForRegions).toEqual([]);
    expect(await regionsOf(mocks.rds.calls())).toEqual([REGION]);
    expect(mocks.rds).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 0);
    expect(mocks.rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 0);
    // 3 polls x 15 s after the promotion; the decision was at 12:00:30.
    expect(run.state).toMatchObject({ writable: true, secondsToWritable: 45 });
    expect(await table.lockItem()).toBeUndefined();
    const trail = await auditOf(actionId);
    expect(trail.map((a) => `${a.step}:${a.outcome}`)).toEqual([
      "decide:recommended",
      "start:started",
      "ensureReader:succeeded",
      "promote:started",
      "complete:succeeded",
    ]);
    expect(new Set(trail.map((a) => a.requestedBy))).toEqual(
      new Set([`alarm:${testConfig(table.name).corroboratingAlarmName}`]),
    );
    expect(trail.at(-1)?.detail).toMatchObject({ secondsToWritable: 45, lockReleased: true });
    const alerts = published(mocks);
    expect(alerts.map((a) => `${a.step}:${a.outcome}`)).toEqual(
      trail.map((a) => `${a.step}:${a.outcome}`),
    );
    expect(new Set(alerts.map((a) => a.topicArn))).toEqual(new Set([TOPIC_ARN]));
    expect(alerts.at(-1)?.subject).toBe(`[tap-dr ${REGION}] failover complete: succeeded`);
    expect(alerts.at(-1)?.message).toContain("45 s from the decision to writable");
  });

  it("GIVEN the alarm decision WHEN the signals are read THEN GetMetricData asks this region for the prober's metrics (service + PeerRegion dimensions) and this cluster's replication lag, per minute", async () => {
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));

    await o.handler(alarmEvent());

    const input = mocks.cloudwatch.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    expect(input?.MetricDataQueries?.map((q) => q.MetricStat)).toEqual([
      {
        Metric: {
          Namespace: "TapDr/Failover",
          MetricName: "PeerApiProbeFailed",
          Dimensions: [
            { Name: "service", Value: "health-prober" },
            { Name: "PeerRegion", Value: PEER_REGION },
          ],
        },
        Period: 60,
        Stat: "Sum",
      },
      {
        Metric: {
          Namespace: "TapDr/Failover",
          MetricName: "PeerRegionProbeFailed",
          Dimensions: [
            { Name: "service", Value: "health-prober" },
            { Name: "PeerRegion", Value: PEER_REGION },
          ],
        },
        Period: 60,
        Stat: "Sum",
      },
      {
        Metric: {
          Namespace: "AWS/RDS",
          MetricName: "AuroraGlobalDBReplicationLag",
          Dimensions: [{ Name: "DBClusterIdentifier", Value: CLUSTER_ID }],
        },
        Period: 60,
        Stat: "Maximum",
      },
    ]);
    // Window 3 min + 2 min ingestion grace, whole minutes, ending at the current minute.
    expect(input?.StartTime).toEqual(new Date("2030-01-15T11:55:00.000Z"));
    expect(input?.EndTime).toEqual(new Date("2030-01-15T12:00:00.000Z"));
  });
});

describe("switchover (planned, direct)", () => {
  it("GIVEN both regions healthy WHEN a human asks for a switchover THEN SwitchoverGlobalCluster(target = this cluster's ARN, no AllowDataLoss) is sent to the current writer's region (us-east-1, as AWS documents) and never FailoverGlobalCluster; every other call stays on us-west-2", async () => {
    installMetrics(mocks.cloudwatch, HEALTHY_PEER);
    const o = makeOrchestrator(testConfig(table.name, { failoverMode: "notify" }));

    const answer = asEntry(await o.handler({ action: "switchover", requestedBy: "cli:alice" }));
    expect(answer.outcome).toBe("started");
    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(false);
    expect(mocks.rds).toHaveReceivedCommandTimes(SwitchoverGlobalClusterCommand, 1);
    expect(mocks.rds.commandCalls(SwitchoverGlobalClusterCommand)[0]?.args[0].input).toEqual({
      GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
      TargetDbClusterIdentifier: CLUSTER_ARN,
    });
    expect(await regionsOf(mocks.rds.commandCalls(SwitchoverGlobalClusterCommand))).toEqual([
      PEER_REGION,
    ]);
    // One client for the writer's region, built when the promote step needed it; the status
    // reads and polls before and after it stay on this region's API.
    expect(o.rdsForRegions).toEqual([PEER_REGION]);
    const others = mocks.rds
      .calls()
      .filter((c) => !(c.args[0] instanceof SwitchoverGlobalClusterCommand));
    expect(others.length).toBeGreaterThan(0);
    expect(await regionsOf(others)).toEqual([REGION]);
    expect(await regionsOf(mocks.sfn.calls())).toEqual([REGION]);
    expect(await regionsOf(mocks.sns.calls())).toEqual([REGION]);
    expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 0);
    // A human decided: no corroboration needed, so CloudWatch is not even read.
    expect(mocks.cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
    const trail = await auditOf(answer.actionId ?? "");
    expect(new Set(trail.map((a) => a.requestedBy))).toEqual(new Set(["cli:alice"]));
    expect(trail.map((a) => a.action)).toContain("switchover");
    const promoted = trail.find((a) => a.step === "promote");
    expect(promoted?.message).toBe(
      `SwitchoverGlobalCluster accepted by ${PEER_REGION}: promoting ${CLUSTER_ID} in ${REGION}`,
    );
    expect(promoted?.detail).toMatchObject({ calledRegion: PEER_REGION });
    expect(await table.lockItem()).toBeUndefined();
  });

  it("GIVEN no member is the writer WHEN the switchover's promote step runs THEN it fails with WriterUnknownError naming the problem, calls no promotion and builds no client for another region", async () => {
    installMetrics(mocks.cloudwatch, HEALTHY_PEER);
    const o = makeOrchestrator(testConfig(table.name));
    const answer = asEntry(await o.handler({ action: "switchover", requestedBy: "cli:alice" }));
    expect(answer.outcome).toBe("started");
    db.writer = "none";

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(true);
    expect(run.steps).toEqual(["ensureReader", "promote", "fail"]);
    expect(run.state.error?.Error).toBe("WriterUnknownError");
    expect(run.state.error?.Cause).toContain(
      `SwitchoverGlobalCluster must be sent to the current writer's region, but no member of global cluster ${GLOBAL_CLUSTER_ID} is the writer as ${REGION}'s RDS API reports it`,
    );
    expect(mutatingCalls(mocks)).toEqual({ ...NO_MUTATING_CALLS, StartExecution: 1 });
    expect(o.rdsForRegions).toEqual([]);
    // The failed switchover still holds the lock: nothing races it.
    expect((await table.lockItem())?.actionId?.S).toBe(answer.actionId);
  });
});

describe("nothing to do", () => {
  it("GIVEN this region's cluster is already the writer (failed over before) WHEN the alarm fires or a human asks again THEN no-op: no lock, no mutating call, audited as skipped", async () => {
    db.writer = "dr";
    db.drInstances = [{ id: "tap-dr-dr-instance-existing", status: "available", writer: true }];
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));

    const fromAlarm = asEntry(await o.handler(alarmEvent()));
    const fromHuman = asEntry(await o.handler({ action: "failover" }));

    for (const answer of [fromAlarm, fromHuman]) {
      expect(answer.outcome).toBe("noop");
      expect(answer.reason).toBe(
        `${CLUSTER_ID} in ${REGION} is already the writer of ${GLOBAL_CLUSTER_ID}`,
      );
      expect(answer.status?.role).toBe("writer");
    }
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
    // The database state alone decides: signals are not read.
    expect(mocks.cloudwatch).toHaveReceivedCommandTimes(GetMetricDataCommand, 0);
    expect(published(mocks).map((p) => p.outcome)).toEqual(["skipped", "skipped"]);
  });

  it("GIVEN a failover is already in progress (GlobalCluster.FailoverState pending) WHEN the alarm fires or a human asks THEN no-op naming the state, nothing mutated", async () => {
    db.failoverState = {
      Status: "pending",
      FromDbClusterArn: PRIMARY_ARN,
      ToDbClusterArn: CLUSTER_ARN,
      IsDataLossAllowed: true,
    };
    db.promoteAfterPolls = 1000;
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));

    const fromAlarm = asEntry(await o.handler(alarmEvent()));
    const fromHuman = asEntry(await o.handler({ action: "switchover" }));

    for (const answer of [fromAlarm, fromHuman]) {
      expect(answer.outcome).toBe("noop");
      expect(answer.reason).toBe(
        'a failover or switchover is in progress: global cluster FailoverState is "pending"',
      );
    }
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
  });

  it("GIVEN the global cluster is switching over (Status switching-over, no FailoverState yet) WHEN the alarm fires THEN no-op", async () => {
    db.globalStatus = "switching-over";
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("noop");
    expect(answer.reason).toContain('global cluster status is "switching-over"');
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
  });

  it("GIVEN the global cluster reports another status (modifying) and no FailoverState WHEN the alarm fires THEN it acts: only role-change states block (RDS refuses what it cannot do)", async () => {
    db.globalStatus = "modifying";
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("started");
    expect(answer.status).toMatchObject({ globalStatus: "modifying", inProgress: false });
  });

  it("GIVEN one signal flapping (peer API probe failing every other minute) and the other signals fine WHEN the alarm fires THEN no action, and the verdict says why", async () => {
    installMetrics(mocks.cloudwatch, {
      peerapi: (m) => (m % 2 === 0 ? 1 : 0),
      peerregion: () => 0,
      lag: () => 200,
    });
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("noop");
    expect(answer.reason).toBe("not corroborated: 0 of 2 required signals failing");
    expect(answer.decision?.signals.find((s) => s.name === "peerApiProbe")).toMatchObject({
      failing: false,
      failingMinutes: 0,
    });
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
    const trail = await auditOf(
      (await table.audit()).find(
        (a) => a.outcome === "skipped" && a.message.includes("not corroborated"),
      )?.actionId ?? "none",
    );
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ step: "decide", outcome: "skipped" });
  });

  it("GIVEN a single signal failing steadily (peer API down, RDS front door answering, replication fine) WHEN the alarm fires THEN no action: one signal is never enough", async () => {
    installMetrics(mocks.cloudwatch, { peerapi: () => 1, peerregion: () => 0, lag: () => 200 });
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("noop");
    expect(answer.reason).toBe("not corroborated: 1 of 2 required signals failing (peerApiProbe)");
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
  });

  it("GIVEN an alarm event for another alarm, or an OK transition WHEN it arrives THEN nothing is read or mutated", async () => {
    const o = makeOrchestrator(testConfig(table.name));

    const other = asEntry(await o.handler(alarmEvent("some-other-alarm")));
    const ok = asEntry(await o.handler(alarmEvent(undefined, "OK")));

    expect(other.outcome).toBe("noop");
    expect(ok).toEqual({
      outcome: "noop",
      reason: `alarm ${alarmEvent().detail.alarmName} is OK, not ALARM`,
    });
    expect(mocks.rds.calls()).toHaveLength(0);
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
  });
});

describe("dry run and notify mode", () => {
  it("GIVEN a healthy DR secondary WHEN a dry-run failover is asked THEN the plan is returned and there is no mutating call at all: no lock PutItem, no FailoverGlobalCluster/SwitchoverGlobalCluster/CreateDBInstance, no StartExecution", async () => {
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(
      await o.handler({ action: "failover", dryRun: true, requestedBy: "cli:bob" }),
    );

    expect(answer.outcome).toBe("dry-run");
    expect(answer.plan).toEqual([
      `Read global cluster ${GLOBAL_CLUSTER_ID} from ${REGION}: ${CLUSTER_ID} is a secondary, no role change in progress`,
      `Take the lock pk=LOCK sk=${GLOBAL_CLUSTER_ID} in ${table.name} (conditional PutItem, expires after 7200 s)`,
      `StartExecution ${STATE_MACHINE_ARN} named <actionId>`,
      `Check that ${CLUSTER_ID} has an available instance (DescribeDBInstances)`,
      "Wait 30 s between checks until one is available (at most 60 checks)",
      `FailoverGlobalCluster {"GlobalClusterIdentifier":"${GLOBAL_CLUSTER_ID}","TargetDbClusterIdentifier":"${CLUSTER_ARN}","AllowDataLoss":true} on ${REGION}`,
      `DescribeGlobalClusters + DescribeDBClusters every 15 s until ${CLUSTER_ID} is the writer (at most 80 checks)`,
      "Release the lock; audit and publish the time from the decision to writable",
    ]);
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
    const alerts = published(mocks);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ outcome: "dry-run", step: "decide" });
    expect(alerts[0]?.message).toContain("Requested by: cli:bob");
  });

  it("GIVEN a headless secondary WHEN a dry-run switchover is asked THEN the plan names the CreateDBInstance parameters and SwitchoverGlobalCluster, and nothing is created", async () => {
    db.headless();
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler({ action: "switchover", dryRun: true }));

    expect(answer.plan?.[3]).toBe(
      'CreateDBInstance {"DBInstanceIdentifier":"tap-dr-dr-instance-0","DBClusterIdentifier":"tap-dr-dr-cluster","Engine":"aurora-postgresql","DBInstanceClass":"db.r6g.large","DBParameterGroupName":"tap-dr-dr-instance-params","PubliclyAccessible":false,"PromotionTier":0}',
    );
    expect(answer.plan?.[5]).toBe(
      `SwitchoverGlobalCluster {"GlobalClusterIdentifier":"${GLOBAL_CLUSTER_ID}","TargetDbClusterIdentifier":"${CLUSTER_ARN}"} on ${PEER_REGION} (the current writer's region, as AWS documents for a switchover)`,
    );
    // Planning reads this region only: no client for the writer's region yet.
    expect(o.rdsForRegions).toEqual([]);
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
  });

  it("GIVEN FAILOVER_MODE=notify and a corroborated outage WHEN the alarm fires THEN the recommendation is published and audited, and nothing is mutated", async () => {
    installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
    const o = makeOrchestrator(testConfig(table.name, { failoverMode: "notify" }));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("notified");
    expect(answer.decision?.recommend).toBe(true);
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    const [alert] = published(mocks);
    expect(alert).toMatchObject({ topicArn: TOPIC_ARN, outcome: "notified" });
    expect(alert?.message).toContain("RECOMMENDED");
    expect(alert?.message).toContain("npm run dr -- failover");
    const [entry] = (await table.audit()).filter(
      (a) => a.outcome === "notified" && a.step === "decide",
    );
    expect(entry).toMatchObject({
      action: "failover",
      requestedBy: `alarm:${testConfig(table.name).corroboratingAlarmName}`,
      region: REGION,
    });
  });

  it("GIVEN FAILOVER_MODE=notify WHEN a human asks for a failover directly THEN it acts (a human decided)", async () => {
    const o = makeOrchestrator(testConfig(table.name, { failoverMode: "notify" }));

    const answer = asEntry(await o.handler({ action: "failover", requestedBy: "cli:carol" }));

    expect(answer.outcome).toBe("started");
    expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  });
});

describe("status", () => {
  it("GIVEN a running action WHEN status is asked THEN role, lock and signal verdict are returned, and nothing is written or published", async () => {
    installMetrics(mocks.cloudwatch, HEALTHY_PEER);
    const o = makeOrchestrator(testConfig(table.name));
    const started = asEntry(await o.handler({ action: "failover", requestedBy: "cli:dave" }));
    mocks.sns.resetHistory();
    const auditBefore = (await table.audit()).length;

    const answer = asEntry(await o.handler({ action: "status" }));

    expect(answer.outcome).toBe("status");
    expect(answer.status).toMatchObject({
      region: REGION,
      role: "secondary",
      writerClusterArn: PRIMARY_ARN,
      writerRegion: PEER_REGION,
      inProgress: false,
    });
    expect(answer.lock).toMatchObject({ actionId: started.actionId, requestedBy: "cli:dave" });
    expect(answer.decision?.recommend).toBe(false);
    expect((await table.audit()).length).toBe(auditBefore);
    expect(mocks.sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(mutatingCalls(mocks)).toEqual({ ...NO_MUTATING_CALLS, StartExecution: 1 });
  });
});

describe("RDS events", () => {
  it("GIVEN an RDS global-failover event WHEN it arrives THEN it is audited and published, and nothing is read or mutated", async () => {
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(
      await o.handler({
        "detail-type": "RDS DB Cluster Event",
        source: "aws.rds",
        time: "2030-01-15T12:00:00Z",
        detail: {
          EventCategories: ["global-failover"],
          SourceType: "CLUSTER",
          SourceIdentifier: CLUSTER_ID,
          EventID: "RDS-EVENT-0185",
          Message: "Global failover to DB cluster completed.",
        },
      }),
    );

    expect(answer).toEqual({ outcome: "noop", reason: "RDS event recorded and published" });
    expect(mocks.rds.calls()).toHaveLength(0);
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    const [alert] = published(mocks);
    expect(alert?.outcome).toBe("notified");
    expect(alert?.message).toContain(
      `RDS event RDS-EVENT-0185 on ${CLUSTER_ID}: Global failover to DB cluster completed.`,
    );
    const rdsAudit = (await table.audit()).filter((a) => a.action === "rds-event");
    expect(rdsAudit.at(-1)).toMatchObject({ requestedBy: "aws.rds", outcome: "notified" });
  });
});

describe("bad direct input", () => {
  it.each([
    [{ action: "failback" }, 'action="failback" (allowed: "status" | "failover" | "switchover")'],
    [{ action: "failover", dryRun: "yes" }, 'dryRun="yes" (allowed: true | false (optional))'],
    [
      { action: "failover", force: true },
      "force=true (allowed: no such field (allowed fields: action, dryRun, requestedBy))",
    ],
    [{}, "action=null"],
    ["failover", 'event="failover"'],
  ])(
    "GIVEN %j WHEN invoked THEN an InvalidRequestError naming field, value and allowed values, and nothing is read, written or published",
    async (event, expected) => {
      const o = makeOrchestrator(testConfig(table.name));
      const auditBefore = (await table.audit()).length;

      const error = await o.handler(event).then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message).toContain(expected);

      expect(mocks.rds.calls()).toHaveLength(0);
      expect(mocks.sns.calls()).toHaveLength(0);
      expect(mocks.sfn.calls()).toHaveLength(0);
      expect((await table.audit()).length).toBe(auditBefore);
      expect(await table.lockItem()).toBeUndefined();
    },
  );
});

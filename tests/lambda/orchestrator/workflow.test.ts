/**
 * The workflow steps under trouble: throttling, an RDS error midway, a headless secondary, a poll
 * that never ends, a step run twice. Same set-up as failover.test.ts: intercepted SDK clients,
 * a simulated global database, the lock and audit trail on dynalite.
 */
import "aws-sdk-client-mock-jest";

import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  FailoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { StartExecutionCommand } from "@aws-sdk/client-sfn";

import type { WorkflowState } from "../../../lambda/failover-orchestrator/workflow-state";
import {
  CLUSTER_ARN,
  CLUSTER_ID,
  type ControlTable,
  FAILOVER_INSTANCE,
  GLOBAL_CLUSTER_ID,
  NO_MUTATING_CALLS,
  REGION,
  REGIONAL_OUTAGE,
  SimulatedGlobalDb,
  alarmEvent,
  asEntry,
  awsError,
  createControlTable,
  executionInput,
  installMetrics,
  makeOrchestrator,
  mutatingCalls,
  published,
  rdsSequence,
  regionsOf,
  runWorkflow,
  testConfig,
  useMocks,
} from "./support";

const mocks = useMocks();
let table: ControlTable;
let db: SimulatedGlobalDb;

beforeAll(async () => {
  table = await createControlTable("orchestrator-workflow");
});
afterAll(() => table.drop());
beforeEach(async () => {
  await table.clearLock();
  db = new SimulatedGlobalDb();
  db.install(mocks.rds);
  installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
});

const auditOf = async (actionId: string) =>
  (await table.audit()).filter((a) => a.actionId === actionId);

describe("throttling", () => {
  it("GIVEN RDS throttles FailoverGlobalCluster twice WHEN the promote step runs THEN it backs off and calls again, and the third call is accepted (one promotion)", async () => {
    db.promotionErrors = [
      awsError("Throttling", 400, "Rate exceeded"),
      awsError("ThrottlingException", 400),
    ];
    const o = makeOrchestrator(testConfig(table.name));
    await o.handler(alarmEvent());

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(false);
    expect(run.state.writable).toBe(true);
    expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 3);
    for (const call of mocks.rds.commandCalls(FailoverGlobalClusterCommand)) {
      expect(call.args[0].input).toEqual({
        GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
        TargetDbClusterIdentifier: CLUSTER_ARN,
        AllowDataLoss: true,
      });
    }
    expect(await regionsOf(mocks.rds.commandCalls(FailoverGlobalClusterCommand))).toEqual([REGION]);
    expect(o.rdsForRegions).toEqual([]);
    // Two backoffs, full jitter within 100 ms then 200 ms.
    expect(o.sleeps).toHaveLength(2);
    expect(o.sleeps[0]).toBeLessThanOrEqual(100);
    expect(o.sleeps[1]).toBeLessThanOrEqual(200);
  });

  it("GIVEN StartExecution is throttled once WHEN the entry starts the workflow THEN it retries and ONE execution starts", async () => {
    mocks.sfn.on(StartExecutionCommand).rejectsOnce(awsError("ThrottlingException", 400)).resolves({
      executionArn: "arn:aws:states:us-west-2:123456789012:execution:x:y",
      startDate: new Date(),
    });
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler(alarmEvent()));

    expect(answer.outcome).toBe("started");
    expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    expect(o.sleeps).toHaveLength(1);
  });

  it("GIVEN RDS keeps throttling WHEN the retry bound (5 attempts) is reached THEN the step fails instead of looping", async () => {
    db.promotionErrors = Array.from({ length: 10 }, () => awsError("Throttling", 400));
    const o = makeOrchestrator(testConfig(table.name));
    await o.handler(alarmEvent());

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(true);
    expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 5);
    expect(o.sleeps).toHaveLength(4);
  });
});

describe("an RDS error midway", () => {
  it.each([
    ["InvalidGlobalClusterStateFault", 400],
    ["InternalFailure", 500],
  ])(
    "GIVEN FailoverGlobalCluster fails with %s WHEN the workflow runs THEN it is NOT retried, the failure is audited and published, the lock is KEPT, and a second alarm does not call RDS's mutating APIs or start another execution",
    async (code, status) => {
      db.promotionErrors = [awsError(code, status, `${code}: the global cluster is busy`)];
      const o = makeOrchestrator(testConfig(table.name));
      const first = asEntry(await o.handler(alarmEvent()));

      const run = await runWorkflow(o, executionInput(mocks));

      expect(run.failed).toBe(true);
      expect(run.steps).toEqual(["ensureReader", "promote", "fail"]);
      expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 1);
      expect(o.sleeps).toHaveLength(0);
      const trail = await auditOf(first.actionId ?? "");
      expect(trail.at(-1)).toMatchObject({ step: "fail", outcome: "failed", region: REGION });
      expect(trail.at(-1)?.message).toContain(`${code}: ${code}: the global cluster is busy`);
      expect(trail.at(-1)?.message).toContain("The lock is kept until it expires");
      const failedAlert = published(mocks).find((p) => p.outcome === "failed");
      expect(failedAlert?.subject).toBe(`[tap-dr ${REGION}] failover fail: failed`);
      expect((await table.lockItem())?.actionId?.S).toBe(first.actionId);

      const second = asEntry(await o.handler(alarmEvent()));

      expect(second.outcome).toBe("locked");
      expect(second.lock?.actionId).toBe(first.actionId);
      expect(mutatingCalls(mocks)).toEqual({
        ...NO_MUTATING_CALLS,
        FailoverGlobalCluster: 1,
        StartExecution: 1,
      });
      expect(published(mocks).at(-1)).toMatchObject({ step: "lock", outcome: "skipped" });
    },
  );

  it("GIVEN a failed action's lock WHEN it expires THEN the next corroborated alarm may act again (a stuck lock does not block recovery forever)", async () => {
    db.promotionErrors = [awsError("InvalidGlobalClusterStateFault", 400)];
    const o = makeOrchestrator(testConfig(table.name), { lockTtlSeconds: 600 });
    await o.handler(alarmEvent());
    await runWorkflow(o, executionInput(mocks));

    o.clock.advance(601);
    const later = asEntry(await o.handler(alarmEvent()));

    expect(later.outcome).toBe("started");
    expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 2);
    expect((await table.lockItem())?.actionId?.S).toBe(later.actionId);
  });

  it("GIVEN StartExecution fails (not throttling) WHEN the entry starts THEN the error is thrown, audited and published, and the lock stays (no second racing attempt)", async () => {
    mocks.sfn.on(StartExecutionCommand).rejects(awsError("StateMachineDoesNotExist", 400));
    const o = makeOrchestrator(testConfig(table.name));

    await expect(o.handler(alarmEvent())).rejects.toMatchObject({
      name: "StateMachineDoesNotExist",
    });

    expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    expect(published(mocks).at(-1)).toMatchObject({ step: "start", outcome: "failed" });
    // Held by the action whose start failed (the alarm's), not released.
    expect((await table.lockItem())?.requestedBy?.S).toMatch(/^alarm:/);
  });
});

describe("headless secondary (pilot light)", () => {
  it("GIVEN the DR cluster has no instance WHEN the failover runs THEN CreateDBInstance (exact parameters) comes first, DescribeDBInstances is polled until the instance is available, and only then FailoverGlobalCluster", async () => {
    db.headless();
    db.instanceReadyAfterPolls = 3;
    const o = makeOrchestrator(testConfig(table.name));
    const started = asEntry(await o.handler(alarmEvent()));
    expect(started.outcome).toBe("started");
    expect(started.decision?.failingSignals).toEqual(["peerApiProbe", "peerRegionProbe"]);

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(false);
    expect(run.steps.slice(0, 5)).toEqual([
      "ensureReader",
      "checkReader",
      "checkReader",
      "checkReader",
      "promote",
    ]);
    expect(mocks.rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    expect(mocks.rds.commandCalls(CreateDBInstanceCommand)[0]?.args[0].input).toEqual({
      DBInstanceIdentifier: FAILOVER_INSTANCE,
      DBClusterIdentifier: CLUSTER_ID,
      Engine: "aurora-postgresql",
      DBInstanceClass: "db.r6g.large",
      DBParameterGroupName: "tap-dr-dr-instance-params",
      PubliclyAccessible: false,
      PromotionTier: 0,
    });
    expect(await regionsOf(mocks.rds.commandCalls(CreateDBInstanceCommand))).toEqual([REGION]);
    expect(await regionsOf(mocks.rds.calls())).toEqual([REGION]);
    expect(o.rdsForRegions).toEqual([]);
    expect(mocks.rds).toHaveReceivedCommandWith(DescribeDBInstancesCommand, {
      Filters: [{ Name: "db-cluster-id", Values: [CLUSTER_ID] }],
    });
    const mutations = rdsSequence(mocks).filter((name) =>
      ["CreateDBInstance", "DescribeDBInstances", "FailoverGlobalCluster"].includes(name),
    );
    expect(mutations).toEqual([
      "CreateDBInstance",
      "DescribeDBInstances",
      "DescribeDBInstances",
      "DescribeDBInstances",
      "FailoverGlobalCluster",
    ]);
    const trail = await auditOf(started.actionId ?? "");
    expect(trail.map((a) => `${a.step}:${a.outcome}`)).toEqual([
      "decide:recommended",
      "start:started",
      "ensureReader:started",
      "checkReader:succeeded",
      "promote:started",
      "complete:succeeded",
    ]);
    expect(trail[2]?.message).toContain(`creating ${FAILOVER_INSTANCE} (db.r6g.large)`);
    expect(run.state.createdInstance).toBe(FAILOVER_INSTANCE);
  });

  it("GIVEN the instance never becomes available WHEN the reader poll reaches its bound THEN the step throws, fail audits it, nothing is promoted and the lock is kept", async () => {
    db.headless();
    db.instanceReadyAfterPolls = 1000;
    const o = makeOrchestrator(testConfig(table.name), { readerMaxChecks: 3 });
    await o.handler(alarmEvent());

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(true);
    expect(run.steps).toEqual([
      "ensureReader",
      "checkReader",
      "checkReader",
      "checkReader",
      "fail",
    ]);
    expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 0);
    expect(run.state.error?.Error).toBe("PollBoundExceededError");
    expect(published(mocks).at(-1)?.message).toContain(
      "checkReader: still not done after 3 checks (bound 3)",
    );
    expect((await table.lockItem())?.actionId?.S).toBe(run.state.actionId);
  });

  it("GIVEN ensureReader runs twice (a task retry after the instance was requested) WHEN the second run finds the instance THEN no second CreateDBInstance", async () => {
    db.headless();
    const o = makeOrchestrator(testConfig(table.name));
    await o.handler(alarmEvent());
    const state = executionInput(mocks);

    await o.handler({ step: "ensureReader", state });
    const again = (await o.handler({ step: "ensureReader", state })) as WorkflowState;

    expect(mocks.rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    expect(again.readerAvailable).toBe(false);
  });
});

describe("promotion poll and re-runs", () => {
  it("GIVEN promote runs twice (a task retry after RDS accepted the call) WHEN the second run sees FailoverState toward this cluster THEN it does not call FailoverGlobalCluster again", async () => {
    db.promoteAfterPolls = 1000;
    const o = makeOrchestrator(testConfig(table.name));
    await o.handler(alarmEvent());
    const state = executionInput(mocks);

    await o.handler({ step: "promote", state });
    await o.handler({ step: "promote", state });

    expect(mocks.rds).toHaveReceivedCommandTimes(FailoverGlobalClusterCommand, 1);
    expect(published(mocks).at(-1)?.message).toContain("already under way");
  });

  it("GIVEN the promotion never completes WHEN checkPromotion reaches its bound THEN it throws (the state machine fails) and the lock is kept", async () => {
    db.promoteAfterPolls = 1000;
    const o = makeOrchestrator(testConfig(table.name), { promotionMaxChecks: 4 });
    await o.handler(alarmEvent());

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(true);
    expect(run.steps.filter((s) => s === "checkPromotion")).toHaveLength(4);
    expect(run.state.error?.Error).toBe("PollBoundExceededError");
    expect((await table.lockItem())?.actionId?.S).toBe(run.state.actionId);
  });

  it("GIVEN a malformed state from the state machine WHEN a step is invoked THEN it is rejected naming the fields, and nothing is called", async () => {
    const o = makeOrchestrator(testConfig(table.name));

    await expect(
      o.handler({ step: "promote", state: { actionId: "x", action: "failback", checks: -1 } }),
    ).rejects.toThrow(
      'Invalid workflow state: state.requestedBy=null (allowed: a non-empty string); state.startedAt=null (allowed: a non-empty string); state.action="failback" (allowed: "failover" | "switchover"); state.readerAvailable=null (allowed: true | false); state.writable=null (allowed: true | false); state.checks=-1 (allowed: an integer >= 0)',
    );
    await expect(o.handler({ step: "explode", state: {} })).rejects.toMatchObject({
      name: "InvalidRequestError",
    });
    expect(mocks.rds.calls()).toHaveLength(0);
  });
});

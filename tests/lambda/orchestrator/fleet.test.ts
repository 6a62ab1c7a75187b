/**
 * The EC2 tier's app fleet: before a promotion the workflow raises this region's Auto Scaling
 * group to its failover capacity (ensureReader), a dry run only names that step, and the Lambda
 * tier (no fleet configured) never touches Auto Scaling. Same set-up as workflow.test.ts
 * (intercepted SDK clients, a simulated global database, the lock and audit trail on dynalite),
 * plus an intercepted Auto Scaling client answering for one simulated group.
 */
import "aws-sdk-client-mock-jest";

import {
  type AutoScalingGroup,
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  CreateDBInstanceCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";

import { buildContext } from "../../../lambda/failover-orchestrator/deps";
import type { AppFleet } from "../../../lambda/failover-orchestrator/env";
import {
  FleetActions,
  type FleetSizes,
  scaledSizes,
} from "../../../lambda/failover-orchestrator/fleet-actions";
import {
  type WorkflowState,
  initialWorkflowState,
} from "../../../lambda/failover-orchestrator/workflow-state";
import {
  CLUSTER_ID,
  type ControlTable,
  FAILOVER_INSTANCE,
  GLOBAL_CLUSTER_ID,
  NO_MUTATING_CALLS,
  PRIMARY_ARN,
  REGION,
  REGIONAL_OUTAGE,
  STATE_MACHINE_ARN,
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
  regionClients,
  regionsOf,
  runWorkflow,
  testConfig,
  useMocks,
} from "./support";

const FLEET_NAME = "tap-dr-us-west-2-app";

const mocks = useMocks();
const autoScaling = mockClient(AutoScalingClient);
let table: ControlTable;
let db: SimulatedGlobalDb;
let fleet: SimulatedFleet;

/** One Auto Scaling group as DescribeAutoScalingGroups reports it; Update changes it. */
class SimulatedFleet {
  /** false: DescribeAutoScalingGroups returns no group (deleted, or a wrong name). */
  exists = true;
  constructor(public sizes: FleetSizes) {}

  install(): void {
    autoScaling.on(DescribeAutoScalingGroupsCommand).callsFake(() => ({
      AutoScalingGroups: this.exists
        ? [
            {
              AutoScalingGroupName: FLEET_NAME,
              MinSize: this.sizes.min,
              DesiredCapacity: this.sizes.desired,
              MaxSize: this.sizes.max,
            },
          ]
        : [],
    }));
    autoScaling
      .on(UpdateAutoScalingGroupCommand)
      .callsFake((input: { MinSize?: number; DesiredCapacity?: number; MaxSize?: number }) => {
        this.sizes = {
          min: input.MinSize ?? this.sizes.min,
          desired: input.DesiredCapacity ?? this.sizes.desired,
          max: input.MaxSize ?? this.sizes.max,
        };
        return {};
      });
  }
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** The orchestrator of the EC2 tier: the config names the fleet, the clients include Auto Scaling. */
function ec2Orchestrator(capacity: number) {
  const appFleet: AppFleet = { name: FLEET_NAME, capacity };
  return makeOrchestrator(testConfig(table.name, { appFleet }), {
    clients: {
      ...regionClients(),
      autoScaling: new AutoScalingClient({ region: REGION, credentials, maxAttempts: 1 }),
    },
  });
}

const stateOf = (actionId: string): WorkflowState =>
  initialWorkflowState({
    actionId,
    action: "failover",
    requestedBy: "cli:alice",
    startedAt: new Date("2030-01-15T12:00:30.000Z"),
  });

const auditOf = async (actionId: string) =>
  (await table.audit()).filter((a) => a.actionId === actionId);

/** The Auto Scaling command names in the order they were sent. */
const fleetSequence = () =>
  autoScaling.calls().map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));

const updateInputs = () =>
  autoScaling.commandCalls(UpdateAutoScalingGroupCommand).map((c) => c.args[0].input);

beforeAll(async () => {
  table = await createControlTable("orchestrator-fleet");
});
afterAll(async () => {
  autoScaling.restore();
  await table.drop();
});
beforeEach(async () => {
  await table.clearLock();
  autoScaling.reset();
  db = new SimulatedGlobalDb();
  db.install(mocks.rds);
  installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
  fleet = new SimulatedFleet({ min: 0, desired: 0, max: 4 });
  fleet.install();
});

describe("ensureReader raises the fleet before the database work", () => {
  it("GIVEN a headless secondary and a pilot-light fleet at 0/0/4 with capacity 2 WHEN the failover runs THEN ONE UpdateAutoScalingGroup (min 2, desired 2, max 4) is sent before CreateDBInstance, and the raise is audited", async () => {
    db.headless();
    const o = ec2Orchestrator(2);
    const started = asEntry(await o.handler(alarmEvent()));
    expect(started.outcome).toBe("started");
    // The entry decides and starts; it never touches the fleet.
    expect(autoScaling.calls()).toHaveLength(0);

    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(false);
    expect(run.state.writable).toBe(true);
    expect(fleetSequence()).toEqual(["DescribeAutoScalingGroups", "UpdateAutoScalingGroup"]);
    expect(autoScaling.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupNames: [FLEET_NAME],
    });
    expect(updateInputs()).toEqual([
      { AutoScalingGroupName: FLEET_NAME, MinSize: 2, DesiredCapacity: 2, MaxSize: 4 },
    ]);
    expect(await regionsOf(autoScaling.calls())).toEqual([REGION]);
    // Call order across the two services: the fleet boots while the instance is created.
    const [update] = autoScaling.commandCalls(UpdateAutoScalingGroupCommand);
    const [create] = mocks.rds.commandCalls(CreateDBInstanceCommand);
    const [promote] = mocks.rds.commandCalls(FailoverGlobalClusterCommand);
    if (update === undefined || create === undefined || promote === undefined) {
      throw new Error(
        "expected UpdateAutoScalingGroup, CreateDBInstance and FailoverGlobalCluster",
      );
    }
    expect(update.calledBefore(create)).toBe(true);
    expect(create.calledBefore(update)).toBe(false);
    expect(update.calledBefore(promote)).toBe(true);
    expect(mutatingCalls(mocks)).toEqual({
      ...NO_MUTATING_CALLS,
      CreateDBInstance: 1,
      FailoverGlobalCluster: 1,
      StartExecution: 1,
    });
    expect(fleet.sizes).toEqual({ min: 2, desired: 2, max: 4 });

    const trail = await auditOf(started.actionId ?? "");
    expect(trail.map((a) => `${a.step}:${a.outcome}`)).toEqual([
      "decide:recommended",
      "start:started",
      "ensureReader:started",
      "ensureReader:started",
      "checkReader:succeeded",
      "promote:started",
      "complete:succeeded",
    ]);
    expect(trail[2]).toMatchObject({
      step: "ensureReader",
      outcome: "started",
      region: REGION,
      message: `Auto Scaling group ${FLEET_NAME} set to min 2, desired 2, max 4 (was min 0, desired 0, max 4)`,
    });
    expect(trail[2]?.detail).toEqual({
      fleet: {
        name: FLEET_NAME,
        before: { min: 0, desired: 0, max: 4 },
        after: { min: 2, desired: 2, max: 4 },
        changed: true,
      },
    });
    expect(trail[3]?.message).toContain(`creating ${FAILOVER_INSTANCE} (db.r6g.large)`);
    const fleetAlert = published(mocks).find((p) => p.message.startsWith("Auto Scaling group"));
    expect(fleetAlert).toMatchObject({ step: "ensureReader", outcome: "started" });
  });

  it("GIVEN the fleet already runs 2/3/6 and the capacity is 2 WHEN ensureReader runs THEN DescribeAutoScalingGroups only (no Update), audited as skipped", async () => {
    fleet.sizes = { min: 2, desired: 3, max: 6 };
    const o = ec2Orchestrator(2);

    const state = (await o.handler({
      step: "ensureReader",
      state: stateOf("failover-fleet-skip"),
    })) as WorkflowState;

    // A secondary with an available instance: the reader check follows as usual.
    expect(state.readerAvailable).toBe(true);
    expect(fleetSequence()).toEqual(["DescribeAutoScalingGroups"]);
    expect(autoScaling).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 0);
    expect(fleet.sizes).toEqual({ min: 2, desired: 3, max: 6 });
    const trail = await auditOf("failover-fleet-skip");
    expect(trail.map((a) => `${a.step}:${a.outcome}`)).toEqual([
      "ensureReader:skipped",
      "ensureReader:succeeded",
    ]);
    expect(trail[0]?.message).toBe(
      `Auto Scaling group ${FLEET_NAME} already runs min 2, desired 3, max 6 (at least 2)`,
    );
    expect(trail[0]?.detail).toEqual({
      fleet: {
        name: FLEET_NAME,
        before: { min: 2, desired: 3, max: 6 },
        after: { min: 2, desired: 3, max: 6 },
        changed: false,
      },
    });
  });

  it("GIVEN a capacity above the group's maximum (0/0/1, capacity 3) WHEN ensureReader runs THEN MaxSize is raised to 3 as well", async () => {
    fleet.sizes = { min: 0, desired: 0, max: 1 };
    const o = ec2Orchestrator(3);

    await o.handler({ step: "ensureReader", state: stateOf("failover-fleet-max") });

    expect(updateInputs()).toEqual([
      { AutoScalingGroupName: FLEET_NAME, MinSize: 3, DesiredCapacity: 3, MaxSize: 3 },
    ]);
    expect(fleet.sizes).toEqual({ min: 3, desired: 3, max: 3 });
  });

  it("GIVEN only the minimum is below the capacity (1/3/6, capacity 2) WHEN ensureReader runs THEN Update raises MinSize and keeps the larger desired and max", async () => {
    fleet.sizes = { min: 1, desired: 3, max: 6 };
    const o = ec2Orchestrator(2);

    await o.handler({ step: "ensureReader", state: stateOf("failover-fleet-min") });

    expect(updateInputs()).toEqual([
      { AutoScalingGroupName: FLEET_NAME, MinSize: 2, DesiredCapacity: 3, MaxSize: 6 },
    ]);
    const [entry] = await auditOf("failover-fleet-min");
    expect(entry).toMatchObject({
      outcome: "started",
      message: `Auto Scaling group ${FLEET_NAME} set to min 2, desired 3, max 6 (was min 1, desired 3, max 6)`,
    });
  });

  it("GIVEN ensureReader runs twice (a task retry) WHEN the second run finds the fleet raised THEN no second UpdateAutoScalingGroup and no second CreateDBInstance", async () => {
    db.headless();
    const o = ec2Orchestrator(2);
    const state = stateOf("failover-fleet-twice");

    await o.handler({ step: "ensureReader", state });
    await o.handler({ step: "ensureReader", state });

    expect(fleetSequence()).toEqual([
      "DescribeAutoScalingGroups",
      "UpdateAutoScalingGroup",
      "DescribeAutoScalingGroups",
    ]);
    expect(mocks.rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    const trail = await auditOf("failover-fleet-twice");
    expect(trail.map((a) => `${a.step}:${a.outcome}`)).toEqual([
      "ensureReader:started",
      "ensureReader:started",
      "ensureReader:skipped",
      "ensureReader:started",
    ]);
  });

  it("GIVEN UpdateAutoScalingGroup is throttled once WHEN ensureReader runs THEN it backs off and sends the same update again", async () => {
    autoScaling
      .on(UpdateAutoScalingGroupCommand)
      .rejectsOnce(awsError("Throttling", 400, "Rate exceeded"))
      .resolves({});
    const o = ec2Orchestrator(2);

    await o.handler({ step: "ensureReader", state: stateOf("failover-fleet-throttled") });

    expect(updateInputs()).toEqual([
      { AutoScalingGroupName: FLEET_NAME, MinSize: 2, DesiredCapacity: 2, MaxSize: 4 },
      { AutoScalingGroupName: FLEET_NAME, MinSize: 2, DesiredCapacity: 2, MaxSize: 4 },
    ]);
    expect(o.sleeps).toHaveLength(1);
  });
});

describe("when the fleet is not scaled", () => {
  it("GIVEN this cluster is already the writer WHEN ensureReader runs THEN no Auto Scaling call at all", async () => {
    db.writer = "dr";
    db.drInstances = [{ id: "tap-dr-dr-instance-existing", status: "available", writer: true }];
    const o = ec2Orchestrator(2);

    const state = (await o.handler({
      step: "ensureReader",
      state: stateOf("failover-fleet-writer"),
    })) as WorkflowState;

    expect(state.readerAvailable).toBe(true);
    expect(autoScaling.calls()).toHaveLength(0);
    const trail = await auditOf("failover-fleet-writer");
    expect(trail.map((a) => `${a.step}:${a.outcome}:${a.message}`)).toEqual([
      `ensureReader:skipped:${CLUSTER_ID} is already the writer`,
    ]);
  });

  it("GIVEN this cluster is not a member of the global cluster WHEN ensureReader runs THEN ClusterNotFoundError and no Auto Scaling call", async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).resolves({
      GlobalClusters: [
        {
          GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
          Status: "available",
          GlobalClusterMembers: [{ DBClusterArn: PRIMARY_ARN, IsWriter: true, Readers: [] }],
        },
      ],
    });
    const o = ec2Orchestrator(2);

    await expect(
      o.handler({ step: "ensureReader", state: stateOf("failover-fleet-detached") }),
    ).rejects.toMatchObject({ name: "ClusterNotFoundError" });

    expect(autoScaling.calls()).toHaveLength(0);
  });

  it("GIVEN no fleet configured (Lambda tier) WHEN the context is built without an Auto Scaling client and a headless failover runs THEN it builds, and no Auto Scaling call is made", async () => {
    const config = testConfig(table.name);
    expect(config.appFleet).toBeUndefined();
    const clients = regionClients();
    expect("autoScaling" in clients).toBe(false);
    expect(buildContext({ config, clients }).fleetActions).toBeUndefined();

    db.headless();
    const o = makeOrchestrator(config);
    const started = asEntry(await o.handler(alarmEvent()));
    const run = await runWorkflow(o, executionInput(mocks));

    expect(run.failed).toBe(false);
    expect(autoScaling.calls()).toHaveLength(0);
    expect(mocks.rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    const trail = await auditOf(started.actionId ?? "");
    expect(trail.map((a) => `${a.step}:${a.outcome}`)).toEqual([
      "decide:recommended",
      "start:started",
      "ensureReader:started",
      "checkReader:succeeded",
      "promote:started",
      "complete:succeeded",
    ]);
    expect(trail.some((a) => "fleet" in a.detail)).toBe(false);
  });

  it("GIVEN no fleet configured but an Auto Scaling client passed WHEN ensureReader runs THEN the client is never used", async () => {
    const o = makeOrchestrator(testConfig(table.name), {
      clients: { ...regionClients(), autoScaling: new AutoScalingClient({ region: REGION }) },
    });

    await o.handler({ step: "ensureReader", state: stateOf("failover-no-fleet") });

    expect(autoScaling.calls()).toHaveLength(0);
  });

  it("GIVEN a fleet configured but no Auto Scaling client WHEN the context is built THEN it throws naming the fleet", () => {
    const config = testConfig(table.name, { appFleet: { name: FLEET_NAME, capacity: 2 } });

    expect(() => buildContext({ config, clients: regionClients() })).toThrow(
      `APP_FLEET_NAME is ${FLEET_NAME}, but no Auto Scaling client was built`,
    );
  });
});

describe("a fleet that cannot be scaled does not hold up the database failover", () => {
  it.each<[string, Partial<AutoScalingGroup>[]]>([
    ["no group at all", []],
    [
      "only another group",
      [{ AutoScalingGroupName: `${FLEET_NAME}-old`, MinSize: 0, DesiredCapacity: 0, MaxSize: 4 }],
    ],
  ])(
    "GIVEN DescribeAutoScalingGroups returns %s WHEN the workflow runs THEN the fleet failure is audited and paged, nothing is updated, and the cluster is still promoted",
    async (_, groups) => {
      autoScaling
        .on(DescribeAutoScalingGroupsCommand)
        .resolves({ AutoScalingGroups: groups as AutoScalingGroup[] });
      db.headless();
      const o = ec2Orchestrator(2);
      await o.handler(alarmEvent());

      const run = await runWorkflow(o, executionInput(mocks));

      expect(run.failed).toBe(false);
      expect(run.state.writable).toBe(true);
      expect(autoScaling).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 1);
      expect(autoScaling).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 0);
      expect(mutatingCalls(mocks)).toEqual({
        ...NO_MUTATING_CALLS,
        CreateDBInstance: 1,
        FailoverGlobalCluster: 1,
        StartExecution: 1,
      });
      const trail = await auditOf(run.state.actionId);
      const fleetEntry = trail.find((a) => a.step === "ensureReader" && a.outcome === "failed");
      expect(fleetEntry?.message).toBe(
        `Auto Scaling group ${FLEET_NAME} could not be raised to 2 instances (Auto Scaling group ${FLEET_NAME} not found in this region); the database failover continues: scale the fleet by hand`,
      );
      // Paged as a failure, so someone scales the fleet by hand.
      expect(
        published(mocks)
          .filter((p) => p.step === "ensureReader" && p.outcome === "failed")
          .map((p) => p.message.includes("could not be raised to 2 instances")),
      ).toEqual([true]);
      expect(trail.at(-1)).toMatchObject({ step: "complete", outcome: "succeeded" });
    },
  );

  it("GIVEN UpdateAutoScalingGroup is refused (not throttling) WHEN ensureReader runs THEN it is not retried, the failure is audited, and the headless cluster still gets its instance", async () => {
    autoScaling
      .on(UpdateAutoScalingGroupCommand)
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDenied" }));
    db.headless();
    const o = ec2Orchestrator(2);

    const state = (await o.handler({
      step: "ensureReader",
      state: stateOf("failover-fleet-denied"),
    })) as WorkflowState;

    expect(state.createdInstance).toBe(FAILOVER_INSTANCE);
    expect(autoScaling).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 1);
    expect(mocks.rds).toHaveReceivedCommandTimes(CreateDBInstanceCommand, 1);
    const [fleetEntry] = await auditOf("failover-fleet-denied");
    expect(fleetEntry).toMatchObject({ step: "ensureReader", outcome: "failed" });
    expect(fleetEntry?.message).toContain("(not authorized)");
  });

  it("GIVEN the group is missing WHEN FleetActions is asked directly THEN the error is a FleetNotFoundError naming the group", async () => {
    fleet.exists = false;
    const actions = new FleetActions(new AutoScalingClient({ region: REGION, credentials }), {
      name: FLEET_NAME,
      capacity: 2,
    });

    await expect(actions.ensureCapacity()).rejects.toMatchObject({
      name: "FleetNotFoundError",
      fleetName: FLEET_NAME,
      message: `Auto Scaling group ${FLEET_NAME} not found in this region`,
    });
    expect(autoScaling).toHaveReceivedCommandTimes(UpdateAutoScalingGroupCommand, 0);
  });
});

describe("dry run with a fleet", () => {
  it("GIVEN a headless secondary and a fleet WHEN a dry-run failover is asked THEN the plan raises the fleet before CreateDBInstance, and there is no Auto Scaling call (neither Describe nor Update)", async () => {
    db.headless();
    const o = ec2Orchestrator(3);

    const answer = asEntry(
      await o.handler({ action: "failover", dryRun: true, requestedBy: "cli:bob" }),
    );

    expect(answer.outcome).toBe("dry-run");
    expect(answer.plan?.slice(0, 5)).toEqual([
      `Read global cluster ${GLOBAL_CLUSTER_ID} from ${REGION}: ${CLUSTER_ID} is a headless secondary, no role change in progress`,
      `Take the lock pk=LOCK sk=${GLOBAL_CLUSTER_ID} in ${table.name} (conditional PutItem, expires after 7200 s)`,
      `StartExecution ${STATE_MACHINE_ARN} named <actionId>`,
      `Raise Auto Scaling group ${FLEET_NAME} to at least 3 instances (min, desired and, if lower, max; UpdateAutoScalingGroup only if it runs fewer; best effort: the database failover does not wait on it)`,
      'CreateDBInstance {"DBInstanceIdentifier":"tap-dr-dr-instance-0","DBClusterIdentifier":"tap-dr-dr-cluster","Engine":"aurora-postgresql","DBInstanceClass":"db.r6g.large","DBParameterGroupName":"tap-dr-dr-instance-params","PubliclyAccessible":false,"PromotionTier":0}',
    ]);
    expect(answer.plan).toHaveLength(9);
    expect(autoScaling.calls()).toHaveLength(0);
    expect(mutatingCalls(mocks)).toEqual(NO_MUTATING_CALLS);
    expect(await table.lockItem()).toBeUndefined();
  });

  it("GIVEN a secondary with an instance and a fleet WHEN a dry-run switchover is asked THEN exactly one plan line names the group and the capacity, and there is no Auto Scaling call", async () => {
    const o = ec2Orchestrator(2);

    const answer = asEntry(await o.handler({ action: "switchover", dryRun: true }));

    expect(answer.plan?.filter((line) => line.includes("Auto Scaling"))).toEqual([
      `Raise Auto Scaling group ${FLEET_NAME} to at least 2 instances (min, desired and, if lower, max; UpdateAutoScalingGroup only if it runs fewer; best effort: the database failover does not wait on it)`,
    ]);
    expect(answer.plan?.[3]).toContain(FLEET_NAME);
    expect(autoScaling.calls()).toHaveLength(0);
  });

  it("GIVEN no fleet WHEN a dry run is asked THEN the plan has no Auto Scaling line", async () => {
    const o = makeOrchestrator(testConfig(table.name));

    const answer = asEntry(await o.handler({ action: "failover", dryRun: true }));

    expect(answer.plan?.filter((line) => line.includes("Auto Scaling"))).toEqual([]);
    expect(answer.plan).toHaveLength(8);
  });
});

describe("scaledSizes (pure)", () => {
  it.each<[string, FleetSizes, number, FleetSizes]>([
    ["pilot light", { min: 0, desired: 0, max: 4 }, 2, { min: 2, desired: 2, max: 4 }],
    ["capacity above max", { min: 0, desired: 0, max: 1 }, 3, { min: 3, desired: 3, max: 3 }],
    ["already enough", { min: 2, desired: 3, max: 6 }, 2, { min: 2, desired: 3, max: 6 }],
    ["exactly the capacity", { min: 2, desired: 2, max: 2 }, 2, { min: 2, desired: 2, max: 2 }],
    ["only min below", { min: 1, desired: 3, max: 6 }, 2, { min: 2, desired: 3, max: 6 }],
    ["desired below, min ok", { min: 2, desired: 1, max: 6 }, 2, { min: 2, desired: 2, max: 6 }],
    ["larger than capacity", { min: 5, desired: 8, max: 10 }, 1, { min: 5, desired: 8, max: 10 }],
    ["all zero", { min: 0, desired: 0, max: 0 }, 100, { min: 100, desired: 100, max: 100 }],
  ])("GIVEN %s %j and capacity %d THEN %j", (_, current, capacity, expected) => {
    const before = Object.freeze({ ...current });

    expect(scaledSizes(before, capacity)).toEqual(expected);
    expect(before).toEqual(current);
  });
});

describe("FleetActions.ensureCapacity", () => {
  const actions = (capacity: number) =>
    new FleetActions(new AutoScalingClient({ region: REGION, credentials }), {
      name: FLEET_NAME,
      capacity,
    });

  it("GIVEN a group that reports no sizes WHEN ensured THEN they count as 0 and are raised", async () => {
    autoScaling
      .on(DescribeAutoScalingGroupsCommand)
      // The SDK types the sizes as required; the code still reads a missing one as 0.
      .resolves({ AutoScalingGroups: [{ AutoScalingGroupName: FLEET_NAME } as AutoScalingGroup] });

    expect(await actions(2).ensureCapacity()).toEqual({
      name: FLEET_NAME,
      before: { min: 0, desired: 0, max: 0 },
      after: { min: 2, desired: 2, max: 2 },
      changed: true,
    });
    expect(updateInputs()).toEqual([
      { AutoScalingGroupName: FLEET_NAME, MinSize: 2, DesiredCapacity: 2, MaxSize: 2 },
    ]);
  });

  it("GIVEN a group with enough WHEN ensured THEN unchanged and no Update", async () => {
    fleet.sizes = { min: 4, desired: 4, max: 8 };

    expect(await actions(4).ensureCapacity()).toEqual({
      name: FLEET_NAME,
      before: { min: 4, desired: 4, max: 8 },
      after: { min: 4, desired: 4, max: 8 },
      changed: false,
    });
    expect(fleetSequence()).toEqual(["DescribeAutoScalingGroups"]);
  });
});

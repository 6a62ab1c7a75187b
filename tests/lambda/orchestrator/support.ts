/**
 * Shared fixtures of the orchestrator tests: a control table on the run's dynalite (real
 * conditional writes), SDK clients for the DR region (us-west-2) and a recording factory of RDS
 * clients for other regions, aws-sdk-client-mock stubs for
 * RDS, Step Functions, SNS and CloudWatch, and a small simulated Aurora global database that
 * answers Describe* and reacts to FailoverGlobalCluster / SwitchoverGlobalCluster /
 * CreateDBInstance the way RDS does (FailoverState while promoting, then the writer flag moves).
 */
import { randomBytes } from "node:crypto";

import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  CreateTableCommand,
  DeleteItemCommand,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
} from "@aws-sdk/client-dynamodb";
import {
  CreateDBInstanceCommand,
  type DBCluster,
  type FailoverStatus,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  type GlobalCluster,
  RDSClient,
  SwitchoverGlobalClusterCommand,
} from "@aws-sdk/client-rds";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";

import type { OrchestratorConfig } from "../../../lambda/failover-orchestrator/env";
import {
  type OrchestratorResult,
  makeOrchestratorHandler,
} from "../../../lambda/failover-orchestrator/handler";
import type { OrchestratorDeps } from "../../../lambda/failover-orchestrator/deps";
import type { EntryResponse } from "../../../lambda/failover-orchestrator/entry";
import type { WorkflowState } from "../../../lambda/failover-orchestrator/workflow-state";
import { dynamoEndpoint } from "../support/services";

export const REGION = "us-west-2";
export const PEER_REGION = "us-east-1";
export const ACCOUNT = "123456789012";
export const GLOBAL_CLUSTER_ID = "tap-dr-global";
export const CLUSTER_ID = "tap-dr-dr-cluster";
export const CLUSTER_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${CLUSTER_ID}`;
export const PRIMARY_ARN = `arn:aws:rds:${PEER_REGION}:${ACCOUNT}:cluster:tap-dr-primary-cluster`;
export const STATE_MACHINE_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:tap-dr-failover`;
export const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:tap-dr-alerts`;
export const ALARM_NAME = "tap-dr-us-west-2-corroborating";
export const FAILOVER_INSTANCE = "tap-dr-dr-instance-0";

/** A fixed clock (tests move it by hand): 12:00:30 UTC, mid-minute like a real invocation. */
export class Clock {
  constructor(public current = new Date("2030-01-15T12:00:30.000Z")) {}
  readonly now = () => new Date(this.current.getTime());
  advance(seconds: number) {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export function testConfig(
  tableName: string,
  overrides: Partial<OrchestratorConfig> = {},
): OrchestratorConfig {
  return {
    region: REGION,
    globalClusterId: GLOBAL_CLUSTER_ID,
    clusterId: CLUSTER_ID,
    clusterArn: CLUSTER_ARN,
    peerRegion: PEER_REGION,
    regionRole: "dr",
    controlTableName: tableName,
    alertTopicArn: TOPIC_ARN,
    stateMachineArn: STATE_MACHINE_ARN,
    failoverMode: "automatic",
    corroborationWindowMinutes: 3,
    replicationLagThresholdMs: 60_000,
    failoverInstanceIdentifier: FAILOVER_INSTANCE,
    failoverInstanceClass: "db.r6g.large",
    dbEngine: "aurora-postgresql",
    dbParameterGroupName: "tap-dr-dr-instance-params",
    corroboratingAlarmName: ALARM_NAME,
    ...overrides,
  };
}

/** The control table's deployed key schema (pk/sk), on the run's dynalite. */
export async function createControlTable(prefix: string) {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  const client = dynamo();
  await client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    }),
  );
  return {
    name,
    client,
    /** The lock item as stored, or undefined. */
    async lockItem() {
      const out = await client.send(
        new GetItemCommand({
          TableName: name,
          Key: { pk: { S: "LOCK" }, sk: { S: GLOBAL_CLUSTER_ID } },
          ConsistentRead: true,
        }),
      );
      return out.Item;
    },
    /** Removes the lock item (a fresh start for the next test). */
    async clearLock() {
      await client.send(
        new DeleteItemCommand({
          TableName: name,
          Key: { pk: { S: "LOCK" }, sk: { S: GLOBAL_CLUSTER_ID } },
        }),
      );
    },
    /** Audit items, oldest first, as { step, outcome, requestedBy, actionId, message }. */
    async audit() {
      const out = await client.send(
        new QueryCommand({
          TableName: name,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: "AUDIT" } },
          ConsistentRead: true,
        }),
      );
      return (out.Items ?? []).map((item) => ({
        sk: item.sk?.S ?? "",
        actionId: item.actionId?.S ?? "",
        action: item.action?.S ?? "",
        step: item.step?.S ?? "",
        outcome: item.outcome?.S ?? "",
        requestedBy: item.requestedBy?.S ?? "",
        region: item.region?.S ?? "",
        message: item.message?.S ?? "",
        detail: JSON.parse(item.detail?.S ?? "{}") as Record<string, unknown>,
        expiresAt: Number(item.expiresAt?.N ?? "0"),
      }));
    },
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: name }));
      client.destroy();
    },
  };
}

export type ControlTable = Awaited<ReturnType<typeof createControlTable>>;

export function dynamo(): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: dynamoEndpoint(),
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
}

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/**
 * Real SDK clients for the DR region; the mocks below intercept all but DynamoDB. `rdsFor`
 * builds a real RDS client for the region asked (also intercepted, so a call's client region is
 * still checked with `regionsOf`) and records the region in `rdsForRegions`.
 */
export function regionClients(rdsForRegions: string[] = []) {
  return {
    rds: new RDSClient({ region: REGION, credentials, maxAttempts: 1 }),
    rdsFor: (region: string) => {
      rdsForRegions.push(region);
      return new RDSClient({ region, credentials, maxAttempts: 1 });
    },
    cloudwatch: new CloudWatchClient({ region: REGION, credentials }),
    sns: new SNSClient({ region: REGION, credentials }),
    sfn: new SFNClient({ region: REGION, credentials }),
    dynamodb: dynamo(),
  };
}

function createMocks() {
  return {
    rds: mockClient(RDSClient),
    sfn: mockClient(SFNClient),
    sns: mockClient(SNSClient),
    cloudwatch: mockClient(CloudWatchClient),
  };
}

export type Mocks = ReturnType<typeof createMocks>;

/** Stubs every client but DynamoDB (real dynalite), then resets them before each test. */
export function useMocks(): Mocks {
  const mocks = createMocks();
  beforeEach(() => {
    mocks.rds.reset();
    mocks.sfn.reset();
    mocks.sns.reset();
    mocks.cloudwatch.reset();
    mocks.sns.on(PublishCommand).resolves({ MessageId: "m-1" });
    mocks.sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => ({
      executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:tap-dr-failover:${input.name ?? ""}`,
      startDate: new Date(),
    }));
  });
  afterAll(() => {
    mocks.rds.restore();
    mocks.sfn.restore();
    mocks.sns.restore();
    mocks.cloudwatch.restore();
  });
  return mocks;
}

/** The regions of the clients that made these calls (the stub's `this`). */
export async function regionsOf(calls: readonly { thisValue: unknown }[]): Promise<string[]> {
  const regions = await Promise.all(
    calls.map((c) =>
      (c.thisValue as { config: { region: () => Promise<string> } }).config.region(),
    ),
  );
  return [...new Set(regions)];
}

/** Every mutating call the orchestrator can make, counted. */
export function mutatingCalls(mocks: Mocks) {
  return {
    FailoverGlobalCluster: mocks.rds.commandCalls(FailoverGlobalClusterCommand).length,
    SwitchoverGlobalCluster: mocks.rds.commandCalls(SwitchoverGlobalClusterCommand).length,
    CreateDBInstance: mocks.rds.commandCalls(CreateDBInstanceCommand).length,
    StartExecution: mocks.sfn.commandCalls(StartExecutionCommand).length,
  };
}

export const NO_MUTATING_CALLS = {
  FailoverGlobalCluster: 0,
  SwitchoverGlobalCluster: 0,
  CreateDBInstance: 0,
  StartExecution: 0,
};

/** The SNS messages published, as { subject, message, attributes }. */
export function published(mocks: Mocks) {
  return mocks.sns.commandCalls(PublishCommand).map((c) => {
    const input = c.args[0].input;
    return {
      topicArn: input.TopicArn,
      subject: input.Subject ?? "",
      message: input.Message ?? "",
      outcome: input.MessageAttributes?.outcome?.StringValue,
      step: input.MessageAttributes?.step?.StringValue,
    };
  });
}

/**
 * A simulated Aurora global database as the DR region's RDS API reports it. `promoteAfterPolls`
 * DescribeGlobalClusters answers after a promotion call, the writer flag moves to this region.
 */
export class SimulatedGlobalDb {
  /** "none": no member flagged as writer (e.g. mid-detach). */
  writer: "primary" | "dr" | "none" = "primary";
  drInstances: { id: string; status: string; writer: boolean }[] = [
    { id: "tap-dr-dr-instance-existing", status: "available", writer: false },
  ];
  failoverState: GlobalCluster["FailoverState"] | undefined;
  globalStatus = "available";
  drClusterStatus = "available";
  /** DescribeDBInstances answers before a created instance turns "available". */
  instanceReadyAfterPolls = 2;
  promoteAfterPolls = 2;
  /** Errors the promotion calls throw, in order, before one is accepted. */
  promotionErrors: Error[] = [];
  private pollsSincePromotion = 0;
  private instancePolls = 0;

  headless(): this {
    this.drInstances = [];
    return this;
  }

  install(rds: Mocks["rds"]): void {
    rds.on(DescribeGlobalClustersCommand).callsFake(() => ({
      GlobalClusters: [this.globalCluster()],
    }));
    rds.on(DescribeDBClustersCommand).callsFake(() => ({ DBClusters: [this.drCluster()] }));
    rds.on(DescribeDBInstancesCommand).callsFake(() => {
      this.instancePolls++;
      for (const i of this.drInstances) {
        if (i.status === "creating" && this.instancePolls >= this.instanceReadyAfterPolls) {
          i.status = "available";
        }
      }
      return {
        DBInstances: this.drInstances.map((i) => ({
          DBInstanceIdentifier: i.id,
          DBInstanceStatus: i.status,
          DBClusterIdentifier: CLUSTER_ID,
        })),
      };
    });
    rds.on(CreateDBInstanceCommand).callsFake((input: { DBInstanceIdentifier?: string }) => {
      const id = input.DBInstanceIdentifier ?? "unnamed";
      this.drInstances.push({ id, status: "creating", writer: false });
      this.instancePolls = 0;
      return { DBInstance: { DBInstanceIdentifier: id, DBInstanceStatus: "creating" } };
    });
    const promote = (dataLoss: boolean) => () => {
      const error = this.promotionErrors.shift();
      if (error !== undefined) throw error;
      this.failoverState = {
        // "switching-over" is documented (API_FailoverState) but missing from the SDK's enum.
        Status: (dataLoss ? "failing-over" : "switching-over") as string as FailoverStatus,
        FromDbClusterArn: PRIMARY_ARN,
        ToDbClusterArn: CLUSTER_ARN,
        IsDataLossAllowed: dataLoss,
      };
      this.globalStatus = dataLoss ? "failing-over" : "switching-over";
      this.pollsSincePromotion = 0;
      return { GlobalCluster: this.globalCluster(false) };
    };
    rds.on(FailoverGlobalClusterCommand).callsFake(promote(true));
    rds.on(SwitchoverGlobalClusterCommand).callsFake(promote(false));
  }

  /** The global cluster as DescribeGlobalClusters reports it; `poll` moves the promotion on. */
  globalCluster(poll = true): GlobalCluster {
    if (poll && this.failoverState !== undefined) {
      this.pollsSincePromotion++;
      if (this.pollsSincePromotion > this.promoteAfterPolls) {
        this.writer = "dr";
        this.failoverState = undefined;
        this.globalStatus = "available";
        const first = this.drInstances.find((i) => i.status === "available");
        if (first !== undefined) first.writer = true;
      }
    }
    return {
      GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
      Status: this.globalStatus,
      Engine: "aurora-postgresql",
      GlobalClusterMembers: [
        { DBClusterArn: PRIMARY_ARN, IsWriter: this.writer === "primary", Readers: [CLUSTER_ARN] },
        { DBClusterArn: CLUSTER_ARN, IsWriter: this.writer === "dr", Readers: [] },
      ],
      ...(this.failoverState !== undefined ? { FailoverState: this.failoverState } : {}),
    };
  }

  drCluster(): DBCluster {
    return {
      DBClusterIdentifier: CLUSTER_ID,
      DBClusterArn: CLUSTER_ARN,
      Status: this.drClusterStatus,
      DBClusterMembers: this.drInstances.map((i) => ({
        DBInstanceIdentifier: i.id,
        IsClusterWriter: i.writer,
      })),
    };
  }
}

/** Per-minute datapoints for GetMetricData, from a rule per metric query id and minute. */
export type MetricRule = (minuteIndexFromEnd: number) => number | undefined;

/**
 * Answers GetMetricData with one datapoint per minute of the requested range for each query id
 * that has a rule; minute index 1 is the newest complete minute.
 */
export function installMetrics(
  cloudwatch: Mocks["cloudwatch"],
  rules: { peerapi?: MetricRule; peerregion?: MetricRule; lag?: MetricRule },
): void {
  cloudwatch
    .on(GetMetricDataCommand)
    .callsFake(
      (input: { StartTime?: Date; EndTime?: Date; MetricDataQueries?: { Id?: string }[] }) => {
        const start = input.StartTime?.getTime() ?? 0;
        const end = input.EndTime?.getTime() ?? 0;
        return {
          MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
            const rule = rules[q.Id as keyof typeof rules];
            const timestamps: Date[] = [];
            const values: number[] = [];
            for (let t = start; t < end; t += 60_000) {
              const value = rule?.((end - t) / 60_000);
              if (value !== undefined) {
                timestamps.push(new Date(t));
                values.push(value);
              }
            }
            return { Id: q.Id, Timestamps: timestamps, Values: values, StatusCode: "Complete" };
          }),
        };
      },
    );
}

/** A primary-region outage as the DR region sees it: both probes fail every minute, no lag. */
export const REGIONAL_OUTAGE = {
  peerapi: () => 1,
  peerregion: () => 1,
  lag: () => undefined,
};

/** A healthy peer: probes pass, lag small. */
export const HEALTHY_PEER = { peerapi: () => 0, peerregion: () => 0, lag: () => 120 };

export function alarmEvent(alarmName = ALARM_NAME, state = "ALARM") {
  return {
    version: "0",
    id: randomBytes(8).toString("hex"),
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account: ACCOUNT,
    time: "2030-01-15T12:00:20Z",
    region: REGION,
    resources: [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: { value: state, reason: "Composite alarm rule evaluated to ALARM" },
      previousState: { value: "OK" },
    },
  };
}

export interface Orchestrator {
  readonly handler: (event: unknown) => Promise<OrchestratorResult>;
  readonly clock: Clock;
  readonly sleeps: number[];
  /** The regions the orchestrator asked an RDS client for, in order (see `regionClients`). */
  readonly rdsForRegions: string[];
}

/** The core with the test clients, a fixed clock and a recording no-wait sleep. */
export function makeOrchestrator(
  config: OrchestratorConfig,
  overrides: Partial<OrchestratorDeps> = {},
): Orchestrator {
  const clock = new Clock();
  const sleeps: number[] = [];
  const rdsForRegions: string[] = [];
  const handler = makeOrchestratorHandler({
    config,
    clients: regionClients(rdsForRegions),
    now: clock.now,
    retry: {
      baseDelayMs: 100,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    },
    ...overrides,
  });
  return { handler, clock, sleeps, rdsForRegions };
}

/**
 * Runs the state machine's loop the way the contract defines it (ensureReader -> checkReader*
 * -> promote -> checkPromotion* -> complete; any error -> fail), invoking the handler with
 * `{ step, state }` as the Lambda task does, and returns the steps run and the final state.
 */
export async function runWorkflow(
  orchestrator: Orchestrator,
  input: WorkflowState,
  maxPolls = 200,
): Promise<{ steps: string[]; state: WorkflowState; failed: boolean }> {
  const steps: string[] = [];
  const run = async (step: string, state: WorkflowState) => {
    steps.push(step);
    return (await orchestrator.handler({ step, state })) as WorkflowState;
  };
  let state = input;
  try {
    state = await run("ensureReader", state);
    for (let i = 0; !state.readerAvailable && i < maxPolls; i++) {
      orchestrator.clock.advance(30);
      state = await run("checkReader", state);
    }
    state = await run("promote", state);
    for (let i = 0; !state.writable && i < maxPolls; i++) {
      orchestrator.clock.advance(15);
      state = await run("checkPromotion", state);
    }
    state = await run("complete", state);
    return { steps, state, failed: false };
  } catch (error) {
    // Catch States.ALL, ResultPath $.error -> fail with the execution's $.state and $.error.
    const cause = {
      Error: error instanceof Error ? error.name : "Error",
      Cause: JSON.stringify({
        errorType: error instanceof Error ? error.name : "Error",
        errorMessage: error instanceof Error ? error.message : String(error),
      }),
    };
    steps.push("fail");
    const failed = (await orchestrator.handler({
      step: "fail",
      state,
      error: cause,
    })) as WorkflowState;
    return { steps, state: failed, failed: true };
  }
}

/** The WorkflowState the entry passed to StartExecution (call `index`). */
export function executionInput(mocks: Mocks, index = 0): WorkflowState {
  const call = mocks.sfn.commandCalls(StartExecutionCommand)[index];
  if (call === undefined) throw new Error(`no StartExecution call #${index}`);
  const input = call.args[0].input as { input?: string };
  return (JSON.parse(input.input ?? "{}") as { state: WorkflowState }).state;
}

export const asEntry = (result: OrchestratorResult) => result as EntryResponse;

/** An AWS service error as the SDK raises it (name = error code, HTTP status in $metadata). */
export function awsError(name: string, httpStatusCode: number, message = name): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
  });
}

/** The RDS command names in the order they were sent. */
export function rdsSequence(mocks: Mocks): string[] {
  return mocks.rds
    .calls()
    .map((c) => (c.args[0] as object).constructor.name.replace(/Command$/, ""));
}

/**
 * Benchmark: the failover orchestrator's own decision latency (goal: <= 1 s of our code, p99),
 * from the corroborating alarm's EventBridge event to the FailoverGlobalCluster call.
 *
 * The path in production is: alarm event -> entry (DescribeGlobalClusters + DescribeDBClusters,
 * GetMetricData, decide, conditional PutItem lock, audit + SNS, StartExecution) -> state machine
 * -> ensureReader (status + DescribeDBInstances, audit) -> Choice -> promote (status, then the
 * RDS call). Each segment is timed from the handler call to the SDK call that ends it, and the
 * three are summed: our code, with AWS APIs answering instantly (aws-sdk-client-mock) except the
 * lock and audit writes, which go to a real dynalite started here (a real conditional write over
 * HTTP). Step Functions' own transition latency is not ours and not counted.
 *
 * 500 iterations after 25 warm-up ones; the lock is deleted between iterations (untimed).
 */
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteItemCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeGlobalClustersCommand,
  FailoverGlobalClusterCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";

import type { OrchestratorConfig } from "../lambda/failover-orchestrator/env";
import type { EntryResponse } from "../lambda/failover-orchestrator/entry";
import { makeOrchestratorHandler } from "../lambda/failover-orchestrator/handler";
import type { WorkflowState } from "../lambda/failover-orchestrator/workflow-state";
import { startDynalite } from "./support/dynalite";
import { runBench } from "./support/main";
import { print } from "./support/output";
import type { Figure } from "./support/report";
import { elapsedMs, summarize } from "./support/stats";

const BENCH = "decision";
const ITERATIONS = 500;
const WARMUP = 25;
const GOAL_MS = 1000;

const REGION = "us-west-2";
const ACCOUNT = "123456789012";
const CLUSTER_ID = "tap-dr-dr-cluster";
const CLUSTER_ARN = `arn:aws:rds:${REGION}:${ACCOUNT}:cluster:${CLUSTER_ID}`;
const PRIMARY_ARN = `arn:aws:rds:us-east-1:${ACCOUNT}:cluster:tap-dr-primary-cluster`;
const GLOBAL_CLUSTER_ID = "tap-dr-global";
const ALARM = "tap-dr-us-west-2-corroborating";
const credentials = { accessKeyId: "bench", secretAccessKey: "bench" };

function config(tableName: string): OrchestratorConfig {
  return {
    region: REGION,
    globalClusterId: GLOBAL_CLUSTER_ID,
    clusterId: CLUSTER_ID,
    clusterArn: CLUSTER_ARN,
    peerRegion: "us-east-1",
    regionRole: "dr",
    controlTableName: tableName,
    alertTopicArn: `arn:aws:sns:${REGION}:${ACCOUNT}:tap-dr-alerts`,
    stateMachineArn: `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:tap-dr-failover`,
    failoverMode: "automatic",
    corroborationWindowMinutes: 5,
    replicationLagThresholdMs: 60_000,
    failoverInstanceIdentifier: "tap-dr-dr-instance-0",
    failoverInstanceClass: "db.r6g.large",
    dbEngine: "aurora-postgresql",
    dbParameterGroupName: "tap-dr-dr-instance-params",
    corroboratingAlarmName: ALARM,
  };
}

/** The DR region's view during a primary outage: a secondary with one available instance. */
function installAws(marks: { startExecution?: bigint; failover?: bigint }) {
  const rds = mockClient(RDSClient);
  rds.on(DescribeGlobalClustersCommand).resolves({
    GlobalClusters: [
      {
        GlobalClusterIdentifier: GLOBAL_CLUSTER_ID,
        Status: "available",
        GlobalClusterMembers: [
          { DBClusterArn: PRIMARY_ARN, IsWriter: true },
          { DBClusterArn: CLUSTER_ARN, IsWriter: false },
        ],
      },
    ],
  });
  rds.on(DescribeDBClustersCommand).resolves({
    DBClusters: [
      {
        DBClusterIdentifier: CLUSTER_ID,
        Status: "available",
        DBClusterMembers: [
          { DBInstanceIdentifier: "tap-dr-dr-instance-0", IsClusterWriter: false },
        ],
      },
    ],
  });
  rds.on(DescribeDBInstancesCommand).resolves({
    DBInstances: [{ DBInstanceIdentifier: "tap-dr-dr-instance-0", DBInstanceStatus: "available" }],
  });
  rds.on(FailoverGlobalClusterCommand).callsFake(() => {
    marks.failover = process.hrtime.bigint();
    return {};
  });
  const sfn = mockClient(SFNClient);
  sfn.on(StartExecutionCommand).callsFake((input: { name?: string }) => {
    marks.startExecution = process.hrtime.bigint();
    return { executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:x:${input.name ?? ""}` };
  });
  mockClient(SNSClient).on(PublishCommand).resolves({ MessageId: "bench" });
  // Both probes failing every minute of the lookback; no lag reported (replication stopped).
  mockClient(CloudWatchClient)
    .on(GetMetricDataCommand)
    .callsFake((input: { StartTime?: Date; EndTime?: Date }) => {
      const timestamps: Date[] = [];
      for (
        let t = input.StartTime?.getTime() ?? 0;
        t < (input.EndTime?.getTime() ?? 0);
        t += 60_000
      ) {
        timestamps.push(new Date(t));
      }
      const ones = timestamps.map(() => 1);
      return {
        MetricDataResults: [
          { Id: "peerapi", Timestamps: timestamps, Values: ones },
          { Id: "peerregion", Timestamps: timestamps, Values: ones },
          { Id: "lag", Timestamps: [], Values: [] },
        ],
      };
    });
}

const alarmEvent = {
  source: "aws.cloudwatch",
  "detail-type": "CloudWatch Alarm State Change",
  region: REGION,
  detail: { alarmName: ALARM, state: { value: "ALARM" } },
};

runBench(BENCH, { deadlineMs: 5 * 60_000 }, async ({ defer }) => {
  const dynamo = await startDynalite("tap-dr-control-bench");
  defer(() => dynamo.close());
  const marks: { startExecution?: bigint; failover?: bigint } = {};
  installAws(marks);
  const dynamodb = new DynamoDBClient({ endpoint: dynamo.endpoint, region: REGION, credentials });
  defer(() => Promise.resolve(dynamodb.destroy()));
  const handler = makeOrchestratorHandler({
    config: config(dynamo.tableName),
    clients: {
      rds: new RDSClient({ region: REGION, credentials, maxAttempts: 1 }),
      // The bench runs failovers only, which never call another region's RDS API.
      rdsFor: (region) => {
        throw new Error(`a failover asked for an RDS client in ${region}`);
      },
      cloudwatch: new CloudWatchClient({ region: REGION, credentials }),
      sns: new SNSClient({ region: REGION, credentials }),
      sfn: new SFNClient({ region: REGION, credentials }),
      dynamodb,
    },
  });

  const entryMs: number[] = [];
  const ensureMs: number[] = [];
  const promoteMs: number[] = [];
  const totalMs: number[] = [];
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    await dynamodb.send(
      new DeleteItemCommand({
        TableName: dynamo.tableName,
        Key: { pk: { S: "LOCK" }, sk: { S: GLOBAL_CLUSTER_ID } },
      }),
    );
    marks.startExecution = undefined;
    marks.failover = undefined;

    const t0 = process.hrtime.bigint();
    const entry = (await handler(alarmEvent)) as EntryResponse;
    if (entry.outcome !== "started" || marks.startExecution === undefined) {
      throw new Error(
        `iteration ${i}: expected a started execution, got ${entry.outcome}: ${entry.reason}`,
      );
    }
    const entryLatency = Number(marks.startExecution - t0) / 1e6;
    const state: WorkflowState = {
      actionId: entry.actionId ?? "bench",
      action: "failover",
      requestedBy: `alarm:${ALARM}`,
      startedAt: new Date().toISOString(),
      readerAvailable: false,
      writable: false,
      checks: 0,
    };
    const t1 = process.hrtime.bigint();
    const afterReader = (await handler({ step: "ensureReader", state })) as WorkflowState;
    const ensureLatency = elapsedMs(t1);
    if (!afterReader.readerAvailable) throw new Error(`iteration ${i}: reader not available`);
    const t2 = process.hrtime.bigint();
    await handler({ step: "promote", state: afterReader });
    if (marks.failover === undefined) throw new Error(`iteration ${i}: no FailoverGlobalCluster`);
    const promoteLatency = Number(marks.failover - t2) / 1e6;
    if (i >= WARMUP) {
      entryMs.push(entryLatency);
      ensureMs.push(ensureLatency);
      promoteMs.push(promoteLatency);
      totalMs.push(entryLatency + ensureLatency + promoteLatency);
    }
  }

  const entry = summarize(entryMs);
  const ensure = summarize(ensureMs);
  const promote = summarize(promoteMs);
  const total = summarize(totalMs);
  print(`\n${ITERATIONS} iterations (+${WARMUP} warm-up), SDK mocked, lock + audit on dynalite`);
  print(
    `  alarm -> StartExecution      p50 ${entry.p50.toFixed(2)} ms  p99 ${entry.p99.toFixed(2)} ms`,
  );
  print(
    `  ensureReader step            p50 ${ensure.p50.toFixed(2)} ms  p99 ${ensure.p99.toFixed(2)} ms`,
  );
  print(
    `  promote -> FailoverGlobalCl. p50 ${promote.p50.toFixed(2)} ms  p99 ${promote.p99.toFixed(2)} ms`,
  );
  print(
    `  event -> FailoverGlobalCl.   p50 ${total.p50.toFixed(2)} ms  p99 ${total.p99.toFixed(2)} ms  (goal <= ${GOAL_MS} ms)`,
  );
  const figure = (name: string, value: number, max?: number): Figure => ({
    bench: BENCH,
    name,
    value,
    unit: "ms",
    ...(max !== undefined ? { max } : {}),
  });
  return [
    figure("alarm -> StartExecution p50", entry.p50),
    figure("alarm -> StartExecution p99", entry.p99),
    figure("promote step -> FailoverGlobalCluster p99", promote.p99),
    figure("event -> FailoverGlobalCluster p50 (our code)", total.p50, GOAL_MS),
    figure("event -> FailoverGlobalCluster p99 (our code)", total.p99, GOAL_MS),
  ];
});

import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { DescribeGlobalClustersCommand } from "@aws-sdk/client-rds";
import { DescribeStateMachineCommand } from "@aws-sdk/client-sfn";
import { createAwsClients } from "../../lambda/dr-cli/aws-clients";
import { loadOutputs } from "../../lambda/dr-cli/outputs";
import { READ_ATTEMPTS } from "../../lambda/dr-cli/run";
import { type Reading, collectStatus, statusComplete } from "../../lambda/dr-cli/status";
import type { EntryResponse } from "../../lambda/failover-orchestrator/entry";
import type { RegionStatus } from "../../lambda/failover-orchestrator/global-cluster";
import { clientsFor } from "./clients";
import { eventually } from "./polling";
import { StackOutputs, describeLive, stackOutputsFile } from "./stack-outputs";

type Side = "primary" | "dr";
const SIDES: readonly Side[] = ["primary", "dr"];
const otherSide = (side: Side): Side => (side === "primary" ? "dr" : "primary");

/**
 * A fresh `pulumi up`: each prober's schedule first fires up to a minute after its rule exists,
 * and CloudWatch makes the first datapoint readable a minute or two later; the wait covers that.
 */
const PROBE_WAIT_MS = 4 * 60_000;
const PROBE_TEST_TIMEOUT_MS = PROBE_WAIT_MS + 60_000;

/** Who the dry runs are attributed to in the audit trail and the alert topic. */
const REQUESTED_BY = "integration test (read-only: status and dry runs)";

/** Task states of an Amazon States Language definition, nested branches and maps included. */
function taskStates(states: unknown): { name: string; state: Record<string, unknown> }[] {
  const record = (value: unknown): Record<string, unknown> =>
    typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  return Object.entries(record(states)).flatMap(([name, raw]) => {
    const state = record(raw);
    const nested = [
      ...(Array.isArray(state.Branches) ? (state.Branches as unknown[]) : []),
      state.ItemProcessor,
      state.Iterator,
    ].flatMap((inner) => taskStates(record(inner).States));
    return state.Type === "Task" ? [{ name, state }, ...nested] : nested;
  });
}

/**
 * The function a Task invokes: Parameters.FunctionName (Arguments in JSONata) of the optimized
 * `arn:<partition>:states:::lambda:invoke` integration, else the Resource itself (a function ARN,
 * or another service, which is not the orchestrator).
 */
function invokedFunction(state: Record<string, unknown>): string {
  const resource = String(state.Resource);
  if (/^arn:[^:]+:states:::lambda:invoke(\.waitForTaskToken)?$/.test(resource)) {
    const parameters = (state.Parameters ?? state.Arguments ?? {}) as Record<string, unknown>;
    return String(parameters.FunctionName);
  }
  return resource;
}

/** A function name, full ARN or partial ARN (each with an optional qualifier) naming `name` in `region`. */
function namesFunction(target: string, region: string, name: string): boolean {
  const parts = target.split(":");
  if (target.startsWith("arn:")) {
    return (
      parts[2] === "lambda" && parts[3] === region && parts[5] === "function" && parts[6] === name
    );
  }
  const at = parts.indexOf("function");
  return (at >= 0 ? parts[at + 1] : parts[0]) === name;
}

describeLive("deployed failover automation", (outputs: StackOutputs) => {
  const regionOf = (side: Side): string => outputs.text(`${side}Region`);
  const clusterArn = (side: Side): string => outputs.text(`${side}ClusterArn`);

  /** The writer's cluster ARN, as RDS reports it in `region`. */
  const writerSeenFrom = async (region: string): Promise<string | undefined> => {
    const { GlobalClusters = [] } = await clientsFor(region).rds.send(
      new DescribeGlobalClustersCommand({
        GlobalClusterIdentifier: outputs.text("globalClusterIdentifier"),
      }),
    );
    return GlobalClusters[0]?.GlobalClusterMembers?.find((m) => m.IsWriter === true)?.DBClusterArn;
  };

  /** Lambda Invoke (RequestResponse) of one region's orchestrator, in that region. */
  const invoke = async (side: Side, request: Record<string, unknown>): Promise<EntryResponse> => {
    const functionName = outputs.text(`${side}OrchestratorFunctionName`);
    const out = await clientsFor(regionOf(side)).lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "RequestResponse",
        Payload: new TextEncoder().encode(JSON.stringify(request)),
      }),
    );
    const text = out.Payload !== undefined ? new TextDecoder().decode(out.Payload) : "";
    if (out.FunctionError !== undefined) {
      throw new Error(`${functionName} answered FunctionError ${out.FunctionError}: ${text}`);
    }
    return JSON.parse(text) as EntryResponse;
  };

  it("reports both regions with `npm run dr -- status`: one writer, the other a secondary of the same global cluster, neither corroborating alarm in ALARM", async () => {
    // What `npm run dr -- status` runs: the CLI's outputs loader on the same file, its clients,
    // its read retries.
    const drOutputs = await loadOutputs({ outputsFile: stackOutputsFile() });
    const reports = await collectStatus(drOutputs, {
      clients: createAwsClients(),
      now: () => new Date(),
      retry: { attempts: READ_ATTEMPTS },
    });
    // Every line the CLI prints could be read: role, lag and probes, alarm, health check, last event.
    const unread = reports.flatMap((r) =>
      (
        [
          ["status", r.status],
          ["signals", r.signals],
          ["alarm", r.alarm],
          ["healthCheck", r.healthCheck],
          ["lastEvent", r.lastEvent],
        ] as [string, Reading<unknown> | undefined][]
      )
        .filter(([, reading]) => reading !== undefined && !reading.ok)
        .map(
          ([what, reading]) => `${r.region} ${what}: ${reading?.ok === false ? reading.error : ""}`,
        ),
    );
    expect(unread).toEqual([]);
    expect(statusComplete(reports)).toBe(true);

    const statuses = reports
      .map((r) => r.status)
      .filter((s): s is { ok: true; value: RegionStatus } => s.ok)
      .map((s) => s.value);
    const writers = statuses.filter((s) => s.role === "writer");
    expect(writers.map((s) => `${s.region} ${s.clusterArn}`)).toHaveLength(1);
    const [writer] = writers;
    const secondary = statuses.find((s) => s !== writer);
    expect(secondary?.role).toMatch(/^(secondary|headless)$/);
    // The same global cluster, seen alike from both regions: the same members, the same writer.
    const bothClusters = [clusterArn("primary"), clusterArn("dr")].sort();
    for (const status of statuses) {
      expect([status.region, status.members.map((m) => m.clusterArn).sort()]).toEqual([
        status.region,
        bothClusters,
      ]);
      expect([status.region, status.writerClusterArn]).toEqual([status.region, writer.clusterArn]);
    }

    // Found (a missing alarm reads "not found") and not in ALARM on a healthy stack. Right after
    // `pulumi up` a composite alarm can still be INSUFFICIENT_DATA until its children's first
    // evaluation, which is not a failure.
    const alarms = reports.map((r) => [r.region, r.alarm.ok ? r.alarm.value.state : "unread"]);
    const healthy: unknown = expect.stringMatching(/^(OK|INSUFFICIENT_DATA)$/);
    expect(alarms).toEqual(reports.map((r) => [r.region, healthy]));
  });

  it.each(SIDES)(
    "answers a status request from the %s region's orchestrator about that region's cluster",
    async (side) => {
      const region = regionOf(side);
      const answer = await invoke(side, { action: "status" });
      expect(answer.outcome).toBe("status");
      expect([answer.status?.region, answer.status?.clusterArn]).toEqual([
        region,
        clusterArn(side),
      ]);
      // Its view of the writer is the one RDS gives in that region (and `dr status` reports).
      const writer = await writerSeenFrom(region);
      expect([clusterArn("primary"), clusterArn("dr")]).toContain(writer);
      expect(answer.status?.writerClusterArn).toBe(writer);
      expect(answer.status?.role === "writer").toBe(writer === clusterArn(side));
    },
  );

  it("plans a failover in a dry run only in the region that is not the writer, and changes nothing", async () => {
    const writer = await writerSeenFrom(regionOf("primary"));
    const writerSide = SIDES.find((side) => clusterArn(side) === writer);
    expect(writerSide).toBeDefined();
    const target = otherSide(writerSide ?? "primary");

    // A dry run takes no lock and makes no mutating call; it is audited and published.
    const planned = await invoke(target, {
      action: "failover",
      dryRun: true,
      requestedBy: REQUESTED_BY,
    });
    expect([planned.outcome, planned.reason]).toEqual(["dry-run", expect.any(String)]);
    const promote = (planned.plan ?? []).find((step) => step.includes("FailoverGlobalCluster"));
    expect(promote).toContain(`"TargetDbClusterIdentifier":"${clusterArn(target)}"`);
    expect(promote).toMatch(new RegExp(` on ${regionOf(target)}$`));

    const refused = await invoke(writerSide ?? "primary", {
      action: "failover",
      dryRun: true,
      requestedBy: REQUESTED_BY,
    });
    expect([refused.outcome, refused.plan]).toEqual(["noop", undefined]);

    // Nothing changed: the same writer, and neither region holds the failover lock.
    expect(await writerSeenFrom(regionOf("primary"))).toBe(writer);
    for (const side of SIDES) {
      const status = await invoke(side, { action: "status" });
      expect([side, status.lock]).toEqual([side, undefined]);
    }
  });

  it.each(SIDES)(
    "keeps the %s control table regional, under that region's key, with TTL on expiresAt and point-in-time recovery",
    async (side) => {
      const { dynamodb } = clientsFor(regionOf(side));
      const TableName = outputs.text(`${side}ControlTableName`);
      const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName }));
      expect(Table?.TableStatus).toBe("ACTIVE");
      // The orchestrator's lock and audit items (lock.ts, audit.ts) are keyed pk/sk.
      expect(Table?.KeySchema).toEqual([
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ]);
      expect(Table?.SSEDescription?.Status).toBe("ENABLED");
      expect(Table?.SSEDescription?.KMSMasterKeyArn).toBe(outputs.text(`${side}KmsKeyArn`));
      // Not a global table: a lock replicated from the failed region would decide for this one.
      expect(Table?.Replicas ?? []).toEqual([]);
      // The provider waits for TTL to be ENABLED before `pulumi up` returns.
      const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName }));
      expect(ttl.TimeToLiveDescription).toEqual({
        TimeToLiveStatus: "ENABLED",
        AttributeName: "expiresAt",
      });
      const backups = await dynamodb.send(new DescribeContinuousBackupsCommand({ TableName }));
      expect(
        backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription
          ?.PointInTimeRecoveryStatus,
      ).toBe("ENABLED");
    },
  );

  it.each(SIDES)(
    "runs every task of the %s failover workflow on that region's orchestrator, with logging and tracing on",
    async (side) => {
      const region = regionOf(side);
      const functionName = outputs.text(`${side}OrchestratorFunctionName`);
      const machine = await clientsFor(region).sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: outputs.text(`${side}StateMachineArn`),
        }),
      );
      expect(machine.status).toBe("ACTIVE");
      const definition = JSON.parse(machine.definition ?? "{}") as { States?: unknown };
      const tasks = taskStates(definition.States);
      expect(tasks.length).toBeGreaterThan(0);
      const elsewhere = tasks
        .map(({ name, state }) => [name, invokedFunction(state)])
        .filter(([, target]) => !namesFunction(target, region, functionName));
      expect(elsewhere).toEqual([]);

      expect(machine.loggingConfiguration?.level).toMatch(/^(ALL|ERROR|FATAL)$/);
      const logGroups = (machine.loggingConfiguration?.destinations ?? []).map(
        (d) => d.cloudWatchLogsLogGroup?.logGroupArn ?? "",
      );
      expect(logGroups).toEqual([expect.stringMatching(new RegExp(`^arn:[^:]+:logs:${region}:`))]);
      expect(machine.tracingConfiguration?.enabled).toBe(true);
    },
  );

  // Pilot light: the DR API answers 503 until a failover gives it a database, so the primary's
  // prober reports it failing (1), by design; the DR prober still sees the primary healthy.
  const drServes = outputs.text("drTier") !== "pilot-light";
  const proberRows: [Side, string, 0 | 1][] = [
    ["primary", drServes ? "healthy" : "failing (the DR region is pilot light)", drServes ? 0 : 1],
    ["dr", "healthy", 0],
  ];
  it.each(proberRows)(
    "publishes the %s prober's minute-by-minute probes of the other region's API, the latest %s",
    async (side, _state, expected) => {
      const region = regionOf(side);
      const peerRegion = regionOf(otherSide(side));
      const { cloudwatch } = clientsFor(region);
      // Waits for a datapoint whose newest value is the expected one (see PROBE_WAIT_MS for a
      // fresh deploy).
      const latest = await eventually(
        `a PeerApiProbeFailed datapoint of ${expected} about ${peerRegion} in ${region}`,
        async () => {
          const end = new Date();
          const { MetricDataResults = [] } = await cloudwatch.send(
            new GetMetricDataCommand({
              MetricDataQueries: [
                {
                  Id: "peerapi",
                  MetricStat: {
                    Metric: {
                      Namespace: "TapDr/Failover",
                      MetricName: "PeerApiProbeFailed",
                      Dimensions: [
                        { Name: "service", Value: "health-prober" },
                        { Name: "PeerRegion", Value: peerRegion },
                      ],
                    },
                    Period: 60,
                    Stat: "Maximum",
                  },
                  ReturnData: true,
                },
              ],
              StartTime: new Date(end.getTime() - 15 * 60_000),
              EndTime: end,
              ScanBy: "TimestampDescending",
            }),
          );
          const result = MetricDataResults.find((r) => r.Id === "peerapi");
          const [value] = result?.Values ?? [];
          const [at] = result?.Timestamps ?? [];
          if (value === undefined) throw new Error("no datapoint in the last 15 minutes");
          if (value !== expected)
            throw new Error(`the latest datapoint (${at?.toISOString()}) is ${value}`);
          return { value, at };
        },
        { timeoutMs: PROBE_WAIT_MS, intervalMs: 15_000 },
      );
      expect(latest.value).toBe(expected);
    },
    PROBE_TEST_TIMEOUT_MS,
  );
});

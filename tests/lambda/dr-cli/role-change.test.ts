/**
 * `npm run dr -- failover | switchover | failback` against the real SDK clients intercepted by
 * aws-sdk-client-mock. Asserts which region every call goes to (the client's configured region),
 * the exact parameters, what is printed while the execution is followed, and the exit code.
 * The orchestrator itself is mocked at its Lambda boundary (its own tests cover its behaviour).
 */
import "aws-sdk-client-mock-jest";

import { QueryCommand } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, type InvokeCommandOutput } from "@aws-sdk/client-lambda";
import { DescribeDBClustersCommand, DescribeGlobalClustersCommand } from "@aws-sdk/client-rds";
import { DescribeExecutionCommand, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";

import {
  ACCOUNT,
  CALLER_ARN,
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

const ACTION_ID = "act-20250301-1";
const EXECUTION_ARN = (region: string) =>
  `arn:aws:states:${region}:${ACCOUNT}:execution:tap-failover:${ACTION_ID}`;
const iso = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();

function payload(value: unknown): InvokeCommandOutput["Payload"] {
  return new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput["Payload"];
}

function invokeAnswers(response: unknown, functionError?: string): void {
  mocks.lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    Payload: payload(response),
    ...(functionError !== undefined ? { FunctionError: functionError } : {}),
  });
}

function started(region: string, action = "failover") {
  return {
    outcome: "started",
    reason: `${action} started in ${region}`,
    actionId: ACTION_ID,
    executionArn: EXECUTION_ARN(region),
  };
}

/**
 * The execution runs for `polls` DescribeExecution calls, then ends with `final`; the audit
 * trail grows one step per poll. On SUCCEEDED the world's writer becomes `newWriter`.
 */
function execution(args: {
  region: string;
  action?: string;
  final: "SUCCEEDED" | "FAILED";
  newWriter?: "primary" | "dr";
  polls?: number;
}) {
  const action = args.action ?? "failover";
  const steps = [
    auditItem({
      at: iso(1_000),
      actionId: ACTION_ID,
      seq: 1,
      action,
      step: "start",
      outcome: "started",
      message: "execution started",
      region: args.region,
    }),
    auditItem({
      at: iso(6_000),
      actionId: ACTION_ID,
      seq: 2,
      action,
      step: "promote",
      outcome: "started",
      message: "promotion requested",
      region: args.region,
    }),
    args.final === "SUCCEEDED"
      ? auditItem({
          at: iso(11_000),
          actionId: ACTION_ID,
          seq: 3,
          action,
          step: "complete",
          outcome: "succeeded",
          message: "writable after 10 s",
          region: args.region,
        })
      : auditItem({
          at: iso(11_000),
          actionId: ACTION_ID,
          seq: 3,
          action,
          step: "fail",
          outcome: "failed",
          message: "InvalidGlobalClusterStateFault",
          region: args.region,
        }),
  ];
  const other = auditItem({
    at: iso(2_000),
    actionId: "someone-else",
    seq: 1,
    step: "decide",
    outcome: "skipped",
    message: "not mine",
    region: args.region,
  });
  let polls = 0;
  mocks.sfn.on(DescribeExecutionCommand).callsFake((): DescribeExecutionCommandOutput => {
    polls++;
    const done = polls >= (args.polls ?? 3);
    if (done && args.final === "SUCCEEDED" && args.newWriter !== undefined) {
      world.writer = args.newWriter;
      if (args.newWriter === "dr") world.drInstances = ["tap-dr-dev-0"];
    }
    return {
      $metadata: {},
      executionArn: EXECUTION_ARN(args.region),
      stateMachineArn: `arn:aws:states:${args.region}:${ACCOUNT}:stateMachine:tap-failover`,
      startDate: new Date(T0),
      status: done ? args.final : "RUNNING",
      ...(done && args.final === "FAILED"
        ? { error: "States.TaskFailed", cause: "InvalidGlobalClusterStateFault: not available" }
        : {}),
    };
  });
  // Newest first, as the orchestrator's Query (ScanIndexForward false) returns them.
  mocks.dynamodb.on(QueryCommand).callsFake(() => ({
    Items: [...steps.slice(0, Math.min(polls, steps.length)), other].reverse(),
  }));
}

beforeEach(() => {
  mocks.reset();
  world = defaultWorld();
  answerRds(mocks, world);
});

async function expectOnlyRegion(region: string) {
  const calls = await mocks.allCalls();
  expect(calls.length).toBeGreaterThan(0);
  expect(calls.filter((c) => c.region !== region)).toEqual([]);
}

describe("failover", () => {
  it("GIVEN the primary region is down and the DR cluster is a headless secondary WHEN failover --yes THEN only the DR region's orchestrator is invoked, no client is ever built for the primary region, each step is printed with its elapsed time, and the final role is read in the DR region only", async () => {
    world.down.add(PRIMARY);
    execution({ region: DR, final: "SUCCEEDED", newWriter: "dr" });
    invokeAnswers(started(DR));
    const callerRegions: string[] = [];

    const run = await runDr(["failover", "--yes"], { callerArn: CALLER_ARN, callerRegions });

    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    expect(run.regions).not.toContain(PRIMARY);
    expect(callerRegions).toEqual([DR]);
    await expectOnlyRegion(DR);
    expect(await callsOf(mocks.lambda, InvokeCommand)).toEqual([
      {
        region: DR,
        input: {
          FunctionName: "tap-orchestrator-dr",
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(
            JSON.stringify({ action: "failover", dryRun: false, requestedBy: `cli:${CALLER_ARN}` }),
          ),
        },
      },
    ]);
    expect(await callsOf(mocks.sfn, DescribeExecutionCommand)).toEqual(
      Array(3).fill({ region: DR, input: { executionArn: EXECUTION_ARN(DR) } }),
    );
    expect(await callsOf(mocks.dynamodb, QueryCommand)).toEqual(
      Array(3).fill({
        region: DR,
        input: {
          TableName: "tap-control-dr",
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": { S: "AUDIT" } },
          ScanIndexForward: false,
          Limit: 50,
        },
      }),
    );
    expect(run.sleeps).toEqual([5_000, 5_000]);
    expect(run.out).toEqual([
      "Target: us-west-2, cluster tap-dr-dev, currently headless secondary",
      "FAILOVER: us-west-2 becomes the writer now (FailoverGlobalCluster with AllowDataLoss); writes not yet replicated from us-east-1 are lost.",
      `Invoking tap-orchestrator-dr in us-west-2: {"action":"failover","dryRun":false,"requestedBy":"cli:${CALLER_ARN}"}`,
      "Orchestrator: started - failover started in us-west-2",
      `  action id: ${ACTION_ID}`,
      `  execution: ${EXECUTION_ARN(DR)}`,
      `[+00:00] ${iso(1_000)} failover start: started - execution started (by cli:${CALLER_ARN})`,
      `[+00:05] ${iso(6_000)} failover promote: started - promotion requested (by cli:${CALLER_ARN})`,
      `[+00:10] ${iso(11_000)} failover complete: succeeded - writable after 10 s (by cli:${CALLER_ARN})`,
      "[+00:10] execution SUCCEEDED",
      "Final roles:",
      "  us-west-2  writer, cluster tap-dr-dev available",
    ]);
  });

  it("GIVEN the execution fails WHEN followed THEN polling stops at FAILED, the error and cause are printed, and the exit code is 1", async () => {
    execution({ region: DR, final: "FAILED", polls: 2 });
    invokeAnswers(started(DR));

    const run = await runDr(["failover", "--yes"]);

    expect(run.code).toBe(1);
    expect(mocks.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 2);
    expect(run.sleeps).toEqual([5_000]);
    expect(run.out).toEqual(
      expect.arrayContaining([
        `[+00:05] ${iso(6_000)} failover promote: started - promotion requested (by cli:${CALLER_ARN})`,
        "[+00:05] execution FAILED",
        "failover failed: States.TaskFailed: InvalidGlobalClusterStateFault: not available",
      ]),
    );
    expect(run.out).not.toContainEqual(expect.stringContaining("someone-else"));
    expect(run.out).not.toContainEqual(expect.stringContaining("not mine"));
    // Without an STS answer the audit says "cli".
    expect(mocks.lambda).toHaveReceivedCommandWith(InvokeCommand, {
      Payload: new TextEncoder().encode(
        JSON.stringify({ action: "failover", dryRun: false, requestedBy: "cli" }),
      ),
    });
  });

  it("GIVEN --dry-run WHEN failover THEN the DR orchestrator is invoked with dryRun true, its plan is printed, nothing is followed, and no confirmation is needed without a TTY", async () => {
    invokeAnswers({
      outcome: "dry-run",
      reason: "would fail over us-west-2",
      plan: ["CreateDBInstance tap-dr-dev-0", "FailoverGlobalCluster AllowDataLoss"],
    });

    const run = await runDr(["failover", "--dry-run"]);

    expect(run.code).toBe(0);
    expect(await callsOf(mocks.lambda, InvokeCommand)).toEqual([
      {
        region: DR,
        input: expect.objectContaining({
          Payload: new TextEncoder().encode(
            JSON.stringify({ action: "failover", dryRun: true, requestedBy: "cli" }),
          ),
        }) as unknown,
      },
    ]);
    expect(mocks.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
    expect(mocks.dynamodb).toHaveReceivedCommandTimes(QueryCommand, 0);
    expect(run.out.slice(-3)).toEqual([
      "Orchestrator: dry-run - would fail over us-west-2",
      "  plan: CreateDBInstance tap-dr-dev-0",
      "  plan: FailoverGlobalCluster AllowDataLoss",
    ]);
  });

  it("GIVEN the DR region already writes (roles swapped) WHEN failover THEN the target is the primary region, found from the DR region's view without reading the primary first", async () => {
    world.writer = "dr";
    world.drInstances = ["tap-dr-dev-0"];
    invokeAnswers({ outcome: "dry-run", reason: "plan" });

    const run = await runDr(["failover", "--dry-run"]);

    expect(run.code).toBe(0);
    expect(run.out[0]).toBe(
      "Target: us-east-1, cluster tap-primary-dev, currently secondary (as us-west-2 reports)",
    );
    expect((await callsOf(mocks.rds, DescribeGlobalClustersCommand)).map((c) => c.region)).toEqual([
      DR,
    ]);
    expect((await callsOf(mocks.lambda, InvokeCommand)).map((c) => c.region)).toEqual([PRIMARY]);
  });

  it("GIVEN another action holds the lock WHEN failover THEN the holder is printed, nothing is followed, and the exit code is 1", async () => {
    invokeAnswers({
      outcome: "locked",
      reason: "another action holds the lock",
      lock: {
        actionId: "act-0",
        action: "failover",
        requestedBy: "alarm:tap-corroborating-dr",
        acquiredAt: "2025-03-01T11:58:00.000Z",
        expiresAt: Date.parse("2025-03-01T13:58:00.000Z") / 1000,
      },
    });

    const run = await runDr(["failover", "--yes"]);

    expect(run.code).toBe(1);
    expect(run.out.slice(-2)).toEqual([
      "Orchestrator: locked - another action holds the lock",
      "  lock held by failover act-0 (requested by alarm:tap-corroborating-dr at 2025-03-01T11:58:00.000Z; expires 2025-03-01T13:58:00.000Z)",
    ]);
    expect(mocks.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
  });

  it.each([
    ["noop", "a failover or switchover is in progress"],
    ["notified", "recommendation published"],
  ])(
    "GIVEN the orchestrator answers %s WHEN failover THEN the reason is printed, nothing is followed, and the exit code is 1",
    async (outcome, reason) => {
      invokeAnswers({ outcome, reason });

      const run = await runDr(["failover", "--yes"]);

      expect(run.code).toBe(1);
      expect(run.out).toContain(`Orchestrator: ${outcome} - ${reason}`);
      expect(mocks.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
    },
  );

  it("GIVEN the orchestrator function throws WHEN failover THEN its error is printed and the exit code is 1", async () => {
    invokeAnswers(
      {
        errorType: "ConfigurationError",
        errorMessage: "Environment variable CLUSTER_ARN is not set",
      },
      "Unhandled",
    );

    const run = await runDr(["failover", "--yes"]);

    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      "error: tap-orchestrator-dr failed: ConfigurationError: Environment variable CLUSTER_ARN is not set",
    ]);
  });

  it("GIVEN the execution outlives the follow bound WHEN followed THEN the CLI stops with where to look, exit 1", async () => {
    execution({ region: DR, final: "SUCCEEDED", polls: 1_000 });
    invokeAnswers(started(DR));

    const run = await runDr(["failover", "--yes"], { followTimeoutMs: 20_000 });

    expect(run.code).toBe(1);
    expect(mocks.sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 5);
    expect(run.out).toContain(
      `[+00:20] still running after 0 min; it continues in AWS. Follow it with \`npm run dr -- status\` or the Step Functions console: ${EXECUTION_ARN(DR)}`,
    );
  });

  it("GIVEN no primary-region outputs for the orchestrator and table WHEN failover THEN it still runs: only the target's keys are needed", async () => {
    invokeAnswers({ outcome: "dry-run", reason: "plan" });

    const run = await runDr(["failover", "--dry-run"], {
      outputs: without("primaryOrchestratorFunctionName", "primaryControlTableName"),
    });

    expect(run.code).toBe(0);
  });

  it("GIVEN drOrchestratorFunctionName is missing WHEN failover THEN exit 2 with the key and the fix, and nothing is invoked", async () => {
    const run = await runDr(["failover", "--yes"], {
      outputs: without("drOrchestratorFunctionName"),
    });

    expect(run.code).toBe(2);
    expect(run.err).toEqual([
      'error: stack output "drOrchestratorFunctionName" is missing from test-outputs.json. Deploy the stack with the DR operations (pulumi up), then refresh the file: pulumi stack output --json > test-outputs.json.',
    ]);
    expect(mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
  });
});

describe("confirmation", () => {
  it("GIVEN no TTY and no --yes WHEN failover THEN it refuses, says how to pass --yes, and invokes nothing", async () => {
    const run = await runDr(["failover"]);

    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      "error: refusing to failover without confirmation: not a terminal. Re-run with --yes to proceed (npm run dr -- failover --yes), or with --dry-run to see the plan.",
    ]);
    expect(mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
  });

  it("GIVEN a TTY WHEN the operator types another region THEN nothing is invoked; WHEN they type the target region THEN the switchover runs", async () => {
    const questions: string[] = [];
    const wrong = await runDr(["switchover"], {
      prompt: { interactive: true, ask: (q) => (questions.push(q), Promise.resolve("us-east-1")) },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toEqual(['error: not confirmed ("us-east-1"); nothing was changed']);
    expect(questions).toEqual(["Type the target region (us-west-2) to proceed: "]);
    expect(mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);

    execution({ region: DR, action: "switchover", final: "SUCCEEDED", newWriter: "dr" });
    invokeAnswers(started(DR, "switchover"));
    const right = await runDr(["switchover"], {
      prompt: { interactive: true, ask: () => Promise.resolve(" us-west-2 ") },
    });
    expect(right.code).toBe(0);
    expect(right.out).toContain("Confirmed.");
  });
});

describe("switchover and failback", () => {
  it("GIVEN the primary writes WHEN switchover --yes THEN the DR orchestrator is invoked with switchover, and the final roles are read in both regions", async () => {
    execution({ region: DR, action: "switchover", final: "SUCCEEDED", newWriter: "dr" });
    invokeAnswers(started(DR, "switchover"));

    const run = await runDr(["switchover", "--yes"]);

    expect(run.code).toBe(0);
    expect(mocks.lambda).toHaveReceivedCommandWith(InvokeCommand, {
      FunctionName: "tap-orchestrator-dr",
      Payload: new TextEncoder().encode(
        JSON.stringify({ action: "switchover", dryRun: false, requestedBy: "cli" }),
      ),
    });
    expect(run.out.slice(-3)).toEqual([
      "Final roles:",
      "  us-east-1  secondary, cluster tap-primary-dev available",
      "  us-west-2  writer, cluster tap-dr-dev available",
    ]);
    // The final read asks each region's own RDS API for its own cluster.
    const finalReads = (await callsOf(mocks.rds, DescribeDBClustersCommand)).slice(-2);
    expect(finalReads).toEqual(
      expect.arrayContaining([
        { region: PRIMARY, input: { DBClusterIdentifier: "tap-primary-dev" } },
        { region: DR, input: { DBClusterIdentifier: "tap-dr-dev" } },
      ]),
    );
  });

  it("GIVEN the DR region writes after a failover WHEN failback --yes THEN the PRIMARY region's orchestrator is invoked with switchover and followed in the primary region", async () => {
    world.writer = "dr";
    world.drInstances = ["tap-dr-dev-0"];
    execution({ region: PRIMARY, action: "switchover", final: "SUCCEEDED", newWriter: "primary" });
    invokeAnswers(started(PRIMARY, "switchover"));

    const run = await runDr(["failback", "--yes"], { callerArn: CALLER_ARN });

    expect(run.code).toBe(0);
    expect(await callsOf(mocks.lambda, InvokeCommand)).toEqual([
      {
        region: PRIMARY,
        input: {
          FunctionName: "tap-orchestrator-primary",
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(
            JSON.stringify({
              action: "switchover",
              dryRun: false,
              requestedBy: `cli:${CALLER_ARN}`,
            }),
          ),
        },
      },
    ]);
    expect(
      new Set((await callsOf(mocks.sfn, DescribeExecutionCommand)).map((c) => c.region)),
    ).toEqual(new Set([PRIMARY]));
    expect(mocks.dynamodb).toHaveReceivedCommandWith(QueryCommand, {
      TableName: "tap-control-primary",
    });
    expect(run.out[0]).toBe("Target: us-east-1, cluster tap-primary-dev, currently secondary");
    expect(run.out).toContain(
      "SWITCHOVER (failback): us-east-1 becomes the writer with no data loss (SwitchoverGlobalCluster); us-west-2 becomes a secondary.",
    );
    expect(run.out.slice(-2)).toEqual([
      "  us-east-1  writer, cluster tap-primary-dev available",
      "  us-west-2  secondary, cluster tap-dr-dev available",
    ]);
  });

  it("GIVEN the primary region already writes WHEN failback THEN it refuses with a clear message, exit 1, and invokes nothing", async () => {
    const run = await runDr(["failback", "--yes"]);

    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      "error: failback: us-east-1 (the stack's primaryRegion) already writes; there is nothing to fail back",
    ]);
    expect(mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
    expect((await callsOf(mocks.rds, DescribeGlobalClustersCommand)).map((c) => c.region)).toEqual([
      PRIMARY,
    ]);
  });

  it("GIVEN both regions' RDS APIs are down WHEN switchover THEN it refuses naming both, exit 1", async () => {
    world.down.add(PRIMARY);
    world.down.add(DR);

    const run = await runDr(["switchover", "--yes"]);

    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      `error: neither region's RDS API answered (us-west-2: TimeoutError: connect ETIMEDOUT rds.us-west-2.amazonaws.com:443; us-east-1: TimeoutError: connect ETIMEDOUT rds.us-east-1.amazonaws.com:443); nothing was changed`,
    ]);
  });

  it("GIVEN the DR region refuses the credentials WHEN failover THEN it stops there: the primary region is not asked instead", async () => {
    mocks.rds.on(DescribeGlobalClustersCommand).rejects(
      Object.assign(new Error("The security token included in the request is invalid."), {
        name: "InvalidClientTokenId",
        $metadata: { httpStatusCode: 403 },
      }),
    );

    const run = await runDr(["failover", "--yes"]);

    expect(run.code).toBe(1);
    expect(run.err).toEqual([
      "error: cannot read the global cluster from us-west-2 (InvalidClientTokenId: The security token included in the request is invalid.); nothing was changed",
    ]);
    expect(run.regions).not.toContain(PRIMARY);
  });

  it("GIVEN the DR region is down and the primary still writes WHEN failover THEN it refuses: the secondary cannot be reached", async () => {
    world.down.add(DR);

    const run = await runDr(["failover", "--yes"]);

    expect(run.code).toBe(1);
    expect(run.err[0]).toBe(
      "error: us-west-2 holds the secondary, but its RDS API did not answer (TimeoutError: connect ETIMEDOUT rds.us-west-2.amazonaws.com:443); a region that cannot be reached cannot be promoted",
    );
    expect(mocks.lambda).toHaveReceivedCommandTimes(InvokeCommand, 0);
  });
});

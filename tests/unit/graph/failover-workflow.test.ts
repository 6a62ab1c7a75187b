import { WORKFLOW_STEPS } from "../../../lambda/failover-orchestrator/workflow-state";
import {
  PROMOTION_POLL_SECONDS,
  READER_POLL_SECONDS,
} from "../../../lib/failover/failover-settings";
import {
  LAMBDA_SERVICE_ERRORS,
  StateMachineDefinition,
  TaskState,
  WORKFLOW_TASK_STEPS,
  WorkflowState,
  failoverStateMachineDefinition,
} from "../../../lib/failover/state-machine-definition";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import { FailoverView, REGIONS, RegionCase, jsonOf } from "../../support/failover-view";
import { Graph, str } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

/** Every state a state can go to next: Next, a Choice's branches and Default, a Catch's Next. */
function successors(state: WorkflowState): string[] {
  switch (state.Type) {
    case "Task":
      return [...(state.Next ? [state.Next] : []), ...(state.Catch ?? []).map((c) => c.Next)];
    case "Choice":
      return [...state.Choices.map((c) => c.Next), state.Default];
    case "Wait":
      return [state.Next];
    case "Fail":
      return [];
  }
}

const isTerminal = (state: WorkflowState): boolean =>
  state.Type === "Fail" || (state.Type === "Task" && state.End === true);

/** States reachable from `from` by following `next`. */
function reachable(from: string[], next: (name: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (!seen.has(name)) {
      seen.add(name);
      queue.push(...next(name));
    }
  }
  return seen;
}

const tasksOf = (definition: StateMachineDefinition): [string, TaskState][] =>
  Object.entries(definition.States).filter(
    (entry): entry is [string, TaskState] => entry[1].Type === "Task",
  );

describe("the failover state machine definition (pure)", () => {
  const definition = failoverStateMachineDefinition({
    functionArn: "arn:aws:lambda:us-east-2:123456789012:function:tap-dev-orchestrator-use2",
    partition: "aws",
  });
  const names = Object.keys(definition.States);

  it("names only existing states, and reaches every state from StartAt", () => {
    const next = (name: string) => successors(definition.States[name]);
    for (const name of names) {
      for (const target of next(name)) {
        expect([name, names.includes(target)]).toEqual([name, true]);
      }
    }
    expect([...reachable([definition.StartAt], next)].sort()).toEqual([...names].sort());
  });

  it("can end from every state: no loop without a way out", () => {
    // Walk backwards from the terminal states: every state must lead to one of them.
    const predecessors = (name: string) =>
      names.filter((n) => successors(definition.States[n]).includes(name));
    const terminals = names.filter((name) => isTerminal(definition.States[name]));
    expect(terminals.sort()).toEqual(["Complete", "FailoverFailed"]);
    expect([...reachable(terminals, predecessors)].sort()).toEqual([...names].sort());
  });

  it("runs the contract's steps, each one exactly once, as the orchestrator names them", () => {
    // lib/ must not import handler code (esbuild reads it); this keeps both lists equal.
    expect([...WORKFLOW_TASK_STEPS]).toEqual([...WORKFLOW_STEPS]);
    const steps = tasksOf(definition).map(([, task]) => task.Parameters.Payload.step);
    expect([...steps].sort()).toEqual([...WORKFLOW_STEPS].sort());
  });

  it("polls the reader every 30 s and the promotion every 15 s, on the state the function returns", () => {
    expect(definition.States.WaitForReader).toEqual({
      Type: "Wait",
      Seconds: READER_POLL_SECONDS,
      Next: "CheckReader",
    });
    expect(definition.States.WaitForPromotion).toMatchObject({ Seconds: PROMOTION_POLL_SECONDS });
    expect([READER_POLL_SECONDS, PROMOTION_POLL_SECONDS]).toEqual([30, 15]);
    expect(definition.States["ReaderAvailable?"]).toMatchObject({
      Choices: [{ Variable: "$.state.readerAvailable", BooleanEquals: true, Next: "Promote" }],
      Default: "WaitForReader",
    });
    expect(definition.States["Writable?"]).toMatchObject({
      Choices: [{ Variable: "$.state.writable", BooleanEquals: true, Next: "Complete" }],
      Default: "WaitForPromotion",
    });
  });

  it("sends { step, state } and puts the returned state back at $.state", () => {
    for (const [, task] of tasksOf(definition)) {
      expect(task.Resource).toBe("arn:aws:states:::lambda:invoke");
      expect(task.Parameters.Payload["state.$"]).toBe("$.state");
      expect(task.ResultSelector).toEqual({ "state.$": "$.Payload" });
      expect(task.ResultPath).toBe("$");
    }
  });

  it("retries Lambda service errors only, and sends any other error to the fail step", () => {
    for (const [name, task] of tasksOf(definition)) {
      expect(task.Retry.flatMap((r) => r.ErrorEquals)).toEqual([...LAMBDA_SERVICE_ERRORS]);
      for (const error of task.Retry.flatMap((r) => r.ErrorEquals)) {
        expect(error).toMatch(/^Lambda\./);
      }
      if (task.Parameters.Payload.step === "fail") {
        // The error a Catch put beside the state reaches the fail step; nothing catches its own.
        expect(task.Parameters.Payload["error.$"]).toBe("$.error");
        expect(task.Catch).toBeUndefined();
        expect(task.Next).toBe("FailoverFailed");
      } else {
        expect([name, task.Catch]).toEqual([
          name,
          [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "Fail" }],
        ]);
      }
    }
  });
});

describe.each([
  ["test mode", { environmentSuffix: "dev", mode: "test" }, 7],
  [
    "production mode",
    {
      environmentSuffix: "dev",
      mode: "production",
      domainName: "payments.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      albIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    },
    365,
  ],
])("the failover state machines (%s)", (_label, config, retentionDays) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(config));
  });

  it.each(REGIONS)(
    "runs the $role region's workflow there, invoking only that region's orchestrator",
    (side: RegionCase) => {
      const v = new FailoverView(graph, side);
      const machine = v.stateMachine;
      expect([machine.region, machine.inputs.type]).toEqual([side.region, "STANDARD"]);
      expect(str(machine, "name").length).toBeLessThanOrEqual(80);
      const definition = jsonOf<StateMachineDefinition>(machine, "definition");
      const orchestratorArn = `arn:aws:lambda:${side.region}:${TEST_ACCOUNT_ID}:function:${str(v.orchestrator, "name")}`;
      expect(definition).toEqual(
        failoverStateMachineDefinition({ functionArn: orchestratorArn, partition: "aws" }),
      );
      for (const [, task] of tasksOf(definition)) {
        const target = graph.byArn(task.Parameters.FunctionName);
        expect([target.urn, target.region]).toEqual([v.orchestrator.urn, side.region]);
      }
    },
  );

  it.each(REGIONS)(
    "logs every $role state without execution data to an encrypted group, and traces",
    (side: RegionCase) => {
      const machine = new FailoverView(graph, side).stateMachine;
      const logging = machine.inputs.loggingConfiguration as {
        level: string;
        includeExecutionData: boolean;
        logDestination: string;
      };
      expect(logging).toMatchObject({ level: "ALL", includeExecutionData: false });
      expect(logging.logDestination).toMatch(/:\*$/);
      const group = graph.byArn(logging.logDestination.replace(/:\*$/, ""));
      expect([group.type, group.region, group.inputs.retentionInDays]).toEqual([
        "aws:cloudwatch/logGroup:LogGroup",
        side.region,
        retentionDays,
      ]);
      const key = graph.byArn(group.inputs.kmsKeyId);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", side.region]);
      // Under /aws/vendedlogs/: Step Functions then leaves the account's 5,120-character
      // CloudWatch Logs resource policy alone, which every PR stack would otherwise grow.
      expect(group.inputs.name).toBe(`/aws/vendedlogs/states/${String(machine.inputs.name)}`);
      expect(machine.inputs.tracingConfiguration).toEqual({ enabled: true });
    },
  );
});

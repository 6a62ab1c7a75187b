/**
 * The failover workflow in Amazon States Language, as a pure function of the orchestrator's ARN,
 * so it is tested without the Pulumi runtime. The steps that can outlast one Lambda invocation
 * (adding an instance to a headless cluster, waiting for the promotion) are wait-and-poll loops
 * here; every decision and every AWS call stays in the orchestrator, which each Task invokes
 * with `{ step, state }` and which returns the next state.
 *
 *   EnsureReader -> ReaderAvailable? -(no)-> WaitForReader -> CheckReader -> ReaderAvailable?
 *                                    -(yes)-> Promote -> WaitForPromotion -> CheckPromotion
 *   CheckPromotion -> Writable? -(no)-> WaitForPromotion; -(yes)-> Complete (end)
 *   any error in a step -> Fail (the `fail` step) -> FailoverFailed
 */
import {
  PROMOTION_POLL_SECONDS,
  READER_POLL_SECONDS,
  WORKFLOW_TASK_TIMEOUT_SECONDS,
  WORKFLOW_TIMEOUT_SECONDS,
} from "./failover-settings";

/** The orchestrator's workflow steps, as lambda/failover-orchestrator names them (WORKFLOW_STEPS). */
export const WORKFLOW_TASK_STEPS = [
  "ensureReader",
  "checkReader",
  "promote",
  "checkPromotion",
  "complete",
  "fail",
] as const;
export type WorkflowTaskStep = (typeof WORKFLOW_TASK_STEPS)[number];

/**
 * Errors of the Lambda service itself, not of the function: retried with back-off. An error the
 * function throws is never retried here; it goes to the `fail` step, because a step that failed
 * half-way (an RDS call rejected) must be reported, not raced by a second attempt.
 * TooManyRequestsException is a throttle against the function's small reserved concurrency.
 */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;

interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly IntervalSeconds: number;
  readonly MaxAttempts: number;
  readonly BackoffRate: number;
}

interface Catcher {
  readonly ErrorEquals: readonly string[];
  readonly ResultPath: string;
  readonly Next: string;
}

export interface TaskState {
  readonly Type: "Task";
  readonly Comment: string;
  readonly Resource: string;
  readonly Parameters: {
    readonly FunctionName: string;
    readonly Payload: {
      readonly step: WorkflowTaskStep;
      readonly "state.$": string;
      /** Only the `fail` step: the error a Catch put at ERROR_RESULT_PATH. */
      readonly "error.$"?: string;
    };
  };
  readonly ResultSelector: Readonly<Record<string, string>>;
  readonly ResultPath: string;
  readonly TimeoutSeconds: number;
  readonly Retry: readonly Retrier[];
  readonly Catch?: readonly Catcher[];
  readonly Next?: string;
  readonly End?: true;
}

export interface ChoiceState {
  readonly Type: "Choice";
  readonly Comment: string;
  readonly Choices: readonly {
    readonly Variable: string;
    readonly BooleanEquals: boolean;
    readonly Next: string;
  }[];
  readonly Default: string;
}

export interface WaitState {
  readonly Type: "Wait";
  readonly Seconds: number;
  readonly Next: string;
}

export interface FailState {
  readonly Type: "Fail";
  readonly Error: string;
  readonly Cause: string;
}

export type WorkflowState = TaskState | ChoiceState | WaitState | FailState;

export interface StateMachineDefinition {
  readonly Comment: string;
  readonly StartAt: string;
  readonly TimeoutSeconds: number;
  readonly States: Readonly<Record<string, WorkflowState>>;
}

export interface DefinitionArgs {
  /** The orchestrator function the tasks invoke (unqualified ARN). */
  readonly functionArn: string;
  /** The partition ("aws"): the Lambda integration's ARN is partition-specific. */
  readonly partition: string;
}

/**
 * Where the catchers put the error: beside the state, which it leaves intact; the `fail` step
 * receives both (`{ step, state, error }`).
 */
export const ERROR_RESULT_PATH = "$.error";
export const FAIL_STATE = "Fail";

/** Retries of the invoke itself, on Lambda service errors only (see LAMBDA_SERVICE_ERRORS). */
const LAMBDA_RETRY: Retrier = {
  ErrorEquals: [...LAMBDA_SERVICE_ERRORS],
  IntervalSeconds: 2,
  MaxAttempts: 6,
  BackoffRate: 2,
};

/**
 * The failover workflow. Its execution input is `{ "state": <WorkflowState> }`; every task sends
 * `{ step, state }` and puts the state the function returns back at `$.state`, so the Choice
 * states read `$.state.readerAvailable` and `$.state.writable`.
 */
export function failoverStateMachineDefinition(args: DefinitionArgs): StateMachineDefinition {
  const task = (
    step: WorkflowTaskStep,
    comment: string,
    next: { readonly Next: string } | { readonly End: true },
  ): TaskState => {
    // The `fail` step is the one catcher: it gets the error, and nothing catches its own.
    const failing = step === "fail";
    return {
      Type: "Task",
      Comment: comment,
      Resource: `arn:${args.partition}:states:::lambda:invoke`,
      Parameters: {
        FunctionName: args.functionArn,
        Payload: {
          step,
          "state.$": "$.state",
          ...(failing ? { "error.$": ERROR_RESULT_PATH } : {}),
        },
      },
      // The integration's result is { Payload, StatusCode, ... }: keep only the returned state.
      ResultSelector: { "state.$": "$.Payload" },
      ResultPath: "$",
      TimeoutSeconds: WORKFLOW_TASK_TIMEOUT_SECONDS,
      Retry: [LAMBDA_RETRY],
      ...(failing
        ? {}
        : {
            Catch: [
              { ErrorEquals: ["States.ALL"], ResultPath: ERROR_RESULT_PATH, Next: FAIL_STATE },
            ],
          }),
      ...next,
    };
  };
  const flag = (
    variable: "readerAvailable" | "writable",
    comment: string,
    ifTrue: string,
    ifFalse: string,
  ): ChoiceState => ({
    Type: "Choice",
    Comment: comment,
    Choices: [{ Variable: `$.state.${variable}`, BooleanEquals: true, Next: ifTrue }],
    Default: ifFalse,
  });

  return {
    Comment:
      "Promotes this region's Aurora cluster: adds a reader to a headless cluster and waits for it, promotes, waits until writable",
    StartAt: "EnsureReader",
    TimeoutSeconds: WORKFLOW_TIMEOUT_SECONDS,
    States: {
      EnsureReader: task("ensureReader", "Adds the failover instance when the cluster has none", {
        Next: "ReaderAvailable?",
      }),
      "ReaderAvailable?": flag(
        "readerAvailable",
        "A headless cluster cannot be promoted until its new instance is available",
        "Promote",
        "WaitForReader",
      ),
      WaitForReader: { Type: "Wait", Seconds: READER_POLL_SECONDS, Next: "CheckReader" },
      CheckReader: task("checkReader", "Reads the failover instance's status", {
        Next: "ReaderAvailable?",
      }),
      Promote: task(
        "promote",
        "FailoverGlobalCluster (failover) or SwitchoverGlobalCluster (switchover) to this region",
        { Next: "WaitForPromotion" },
      ),
      WaitForPromotion: { Type: "Wait", Seconds: PROMOTION_POLL_SECONDS, Next: "CheckPromotion" },
      CheckPromotion: task("checkPromotion", "Reads whether this region's cluster is the writer", {
        Next: "Writable?",
      }),
      "Writable?": flag(
        "writable",
        "Done once this region's cluster is the global writer",
        "Complete",
        "WaitForPromotion",
      ),
      Complete: task("complete", "Reports the time to writable and releases the lock", {
        End: true,
      }),
      // Not caught: an error in the `fail` step itself fails the execution, visibly.
      [FAIL_STATE]: task(
        "fail",
        "Reports the error; the lock is kept until it expires, so nothing races a half-done action",
        { Next: "FailoverFailed" },
      ),
      FailoverFailed: {
        Type: "Fail",
        Error: "FailoverFailed",
        Cause: "A workflow step failed; see the audit trail and the alert topic",
      },
    },
  };
}

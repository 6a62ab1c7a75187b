/**
 * The state one failover/switchover carries through its Step Functions execution. Every task
 * receives it (`{ step, state }`) and returns the next one, which replaces `$.state`; so it is
 * plain JSON, and each step validates it before acting on it.
 */
import type { FieldError } from "../shared/errors";
import { InvalidWorkflowStateError } from "./errors";

/** The steps the state machine invokes, in the order of a run (ensureReader/checkReader loop first). */
export const WORKFLOW_STEPS = [
  "ensureReader",
  "checkReader",
  "promote",
  "checkPromotion",
  "complete",
  "fail",
] as const;

export type WorkflowStep = (typeof WORKFLOW_STEPS)[number];

/** The two role changes; failback is a switchover (or failover) run in the other region. */
export const ACTIONS = ["failover", "switchover"] as const;
export type RoleChange = (typeof ACTIONS)[number];

/** The error Step Functions puts at `$.error` when a Catch fires. */
export interface WorkflowError {
  readonly Error?: string;
  readonly Cause?: string;
}

export interface WorkflowState {
  /** Also the execution name and the lock's owner. */
  readonly actionId: string;
  readonly action: RoleChange;
  /** Who or what asked: "alarm:<name>", "cli:<user>", "direct-invocation". */
  readonly requestedBy: string;
  /** ISO time the entry took the lock; the time to writable is measured from here. */
  readonly startedAt: string;
  readonly readerAvailable: boolean;
  readonly writable: boolean;
  /** Polls so far in the current wait loop (reset when the promotion is requested). */
  readonly checks: number;
  /** ISO time the promotion call was accepted (or found already under way). */
  readonly promotedAt?: string;
  /** The instance the workflow added to a headless cluster, if it added one. */
  readonly createdInstance?: string;
  /** Seconds from startedAt to writable, set by `complete`. */
  readonly secondsToWritable?: number;
  readonly completedAt?: string;
  readonly error?: WorkflowError;
}

/** The first state of an execution. */
export function initialWorkflowState(args: {
  actionId: string;
  action: RoleChange;
  requestedBy: string;
  startedAt: Date;
}): WorkflowState {
  return {
    actionId: args.actionId,
    action: args.action,
    requestedBy: args.requestedBy,
    startedAt: args.startedAt.toISOString(),
    readerAvailable: false,
    writable: false,
    checks: 0,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Validates a state handed over by Step Functions; throws naming every bad field. */
export function parseWorkflowState(value: unknown): WorkflowState {
  if (!isRecord(value)) {
    throw new InvalidWorkflowStateError([
      { field: "state", value: value ?? null, allowed: "an object (WorkflowState)" },
    ]);
  }
  const errors: FieldError[] = [];
  const str = (field: string) => {
    const v = value[field];
    if (typeof v !== "string" || v === "") {
      errors.push({ field: `state.${field}`, value: v ?? null, allowed: "a non-empty string" });
    }
  };
  const bool = (field: string) => {
    if (typeof value[field] !== "boolean") {
      errors.push({
        field: `state.${field}`,
        value: value[field] ?? null,
        allowed: "true | false",
      });
    }
  };
  str("actionId");
  str("requestedBy");
  str("startedAt");
  if (!(ACTIONS as readonly unknown[]).includes(value.action)) {
    errors.push({
      field: "state.action",
      value: value.action ?? null,
      allowed: ACTIONS.map((a) => `"${a}"`).join(" | "),
    });
  }
  if (typeof value.startedAt === "string" && Number.isNaN(Date.parse(value.startedAt))) {
    errors.push({ field: "state.startedAt", value: value.startedAt, allowed: "an ISO timestamp" });
  }
  bool("readerAvailable");
  bool("writable");
  const checks = value.checks;
  if (typeof checks !== "number" || !Number.isInteger(checks) || checks < 0) {
    errors.push({ field: "state.checks", value: checks ?? null, allowed: "an integer >= 0" });
  }
  if (errors.length > 0) throw new InvalidWorkflowStateError(errors);
  return value as unknown as WorkflowState;
}

/** The readable message of a Step Functions error (a Lambda error's Cause is JSON). */
export function describeWorkflowError(error: WorkflowError | undefined): string {
  if (error === undefined) return "unknown error";
  const cause = error.Cause;
  if (typeof cause === "string") {
    try {
      const parsed = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
      if (typeof parsed.errorMessage === "string") {
        const type = typeof parsed.errorType === "string" ? parsed.errorType : error.Error;
        return `${type ?? "Error"}: ${parsed.errorMessage}`;
      }
    } catch {
      // Not JSON (a States.* error): the Cause is already text.
    }
    return `${error.Error ?? "Error"}: ${cause}`;
  }
  return error.Error ?? "unknown error";
}

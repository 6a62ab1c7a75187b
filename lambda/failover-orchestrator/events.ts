/**
 * The four event shapes the one orchestrator handler receives, told apart by shape:
 * 1. a direct request `{ action, dryRun?, requestedBy? }` (CLI, console, game day);
 * 2. an EventBridge CloudWatch alarm state change (the corroborating composite alarm);
 * 3. an EventBridge RDS event (global-failover / failover / failure categories);
 * 4. a Step Functions task `{ step, state, error? }`.
 * Parsing never reads or writes anything; a bad direct request is rejected with every problem
 * named (field, value, allowed) before any AWS call.
 */
import type { FieldError } from "../shared/errors";
import { InvalidRequestError } from "./errors";
import {
  WORKFLOW_STEPS,
  type WorkflowError,
  type WorkflowState,
  type WorkflowStep,
  parseWorkflowState,
} from "./workflow-state";

export const DIRECT_ACTIONS = ["status", "failover", "switchover"] as const;
export type DirectAction = (typeof DIRECT_ACTIONS)[number];

/** Who a direct request is attributed to when it does not say. */
export const DEFAULT_REQUESTED_BY = "direct-invocation";

export interface DirectRequest {
  readonly kind: "direct";
  readonly action: DirectAction;
  readonly dryRun: boolean;
  readonly requestedBy: string;
}

export interface AlarmEvent {
  readonly kind: "alarm";
  readonly alarmName: string;
  /** "ALARM" | "OK" | "INSUFFICIENT_DATA". */
  readonly state: string;
  readonly reason?: string;
  readonly time?: string;
  readonly requestedBy: string;
}

export interface RdsEvent {
  readonly kind: "rds";
  readonly detailType: string;
  readonly sourceIdentifier?: string;
  readonly eventId?: string;
  readonly message?: string;
  readonly categories: readonly string[];
  readonly time?: string;
}

export interface StepTask {
  readonly kind: "step";
  readonly step: WorkflowStep;
  readonly state: WorkflowState;
  /** `$.error` of a Catch, when the state machine passes it (see lambda/README.md). */
  readonly error?: WorkflowError;
}

export type OrchestratorEvent = DirectRequest | AlarmEvent | RdsEvent | StepTask;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const DIRECT_FIELDS = ["action", "dryRun", "requestedBy"] as const;
const MAX_REQUESTED_BY = 200;

/** Dispatches on shape; throws InvalidRequestError for anything that is none of the four. */
export function parseEvent(event: unknown): OrchestratorEvent {
  if (isRecord(event)) {
    if ("step" in event) return parseStepTask(event);
    if (event.source === "aws.cloudwatch") return parseAlarmEvent(event);
    if (event.source === "aws.rds") return parseRdsEvent(event);
  }
  return parseDirectRequest(event);
}

/** `{ action, dryRun?, requestedBy? }`, every problem reported at once; unknown fields refused. */
export function parseDirectRequest(event: unknown): DirectRequest {
  if (!isRecord(event)) {
    throw new InvalidRequestError([
      {
        field: "event",
        value: event ?? null,
        allowed: `an object { action: ${DIRECT_ACTIONS.map((a) => `"${a}"`).join(" | ")}, dryRun?: boolean, requestedBy?: string }`,
      },
    ]);
  }
  const errors: FieldError[] = [];
  const { action, dryRun, requestedBy } = event;
  if (!(DIRECT_ACTIONS as readonly unknown[]).includes(action)) {
    errors.push({
      field: "action",
      value: action ?? null,
      allowed: DIRECT_ACTIONS.map((a) => `"${a}"`).join(" | "),
    });
  }
  if (dryRun !== undefined && typeof dryRun !== "boolean") {
    errors.push({ field: "dryRun", value: dryRun, allowed: "true | false (optional)" });
  }
  if (
    requestedBy !== undefined &&
    (typeof requestedBy !== "string" ||
      requestedBy.trim() === "" ||
      requestedBy.length > MAX_REQUESTED_BY ||
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u001f\u007f]/.test(requestedBy))
  ) {
    errors.push({
      field: "requestedBy",
      value: requestedBy,
      allowed: `a string of 1-${MAX_REQUESTED_BY} characters without control characters (optional)`,
    });
  }
  for (const key of Object.keys(event)) {
    if (!(DIRECT_FIELDS as readonly string[]).includes(key)) {
      errors.push({
        field: key,
        value: event[key] ?? null,
        allowed: `no such field (allowed fields: ${DIRECT_FIELDS.join(", ")})`,
      });
    }
  }
  if (errors.length > 0) throw new InvalidRequestError(errors);
  return {
    kind: "direct",
    action: action as DirectAction,
    dryRun: dryRun === true,
    requestedBy: typeof requestedBy === "string" ? requestedBy.trim() : DEFAULT_REQUESTED_BY,
  };
}

function parseAlarmEvent(event: Record<string, unknown>): AlarmEvent {
  const detail = isRecord(event.detail) ? event.detail : {};
  const state = isRecord(detail.state) ? detail.state : {};
  const errors: FieldError[] = [];
  if (event["detail-type"] !== "CloudWatch Alarm State Change") {
    errors.push({
      field: "detail-type",
      value: event["detail-type"] ?? null,
      allowed: '"CloudWatch Alarm State Change"',
    });
  }
  if (typeof detail.alarmName !== "string" || detail.alarmName === "") {
    errors.push({
      field: "detail.alarmName",
      value: detail.alarmName ?? null,
      allowed: "a string",
    });
  }
  if (typeof state.value !== "string") {
    errors.push({
      field: "detail.state.value",
      value: state.value ?? null,
      allowed: '"ALARM" | "OK" | "INSUFFICIENT_DATA"',
    });
  }
  if (errors.length > 0) throw new InvalidRequestError(errors);
  const alarmName = detail.alarmName as string;
  return {
    kind: "alarm",
    alarmName,
    state: state.value as string,
    ...(typeof state.reason === "string" ? { reason: state.reason } : {}),
    ...(typeof event.time === "string" ? { time: event.time } : {}),
    requestedBy: `alarm:${alarmName}`,
  };
}

function parseRdsEvent(event: Record<string, unknown>): RdsEvent {
  const detail = isRecord(event.detail) ? event.detail : {};
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const sourceIdentifier = str(detail.SourceIdentifier);
  const eventId = str(detail.EventID);
  const message = str(detail.Message);
  const time = str(event.time);
  return {
    kind: "rds",
    detailType: str(event["detail-type"]) ?? "RDS event",
    categories: Array.isArray(detail.EventCategories)
      ? detail.EventCategories.filter((c): c is string => typeof c === "string")
      : [],
    ...(sourceIdentifier !== undefined ? { sourceIdentifier } : {}),
    ...(eventId !== undefined ? { eventId } : {}),
    ...(message !== undefined ? { message } : {}),
    ...(time !== undefined ? { time } : {}),
  };
}

function parseStepTask(event: Record<string, unknown>): StepTask {
  if (!(WORKFLOW_STEPS as readonly unknown[]).includes(event.step)) {
    throw new InvalidRequestError([
      {
        field: "step",
        value: event.step ?? null,
        allowed: WORKFLOW_STEPS.map((s) => `"${s}"`).join(" | "),
      },
    ]);
  }
  const state = parseWorkflowState(event.state);
  const error = isRecord(event.error) ? (event.error as WorkflowError) : undefined;
  return { kind: "step", step: event.step as WorkflowStep, state, ...(error ? { error } : {}) };
}

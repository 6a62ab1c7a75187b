/**
 * Direct invocation of one region's orchestrator (Lambda Invoke, RequestResponse): the CLI
 * drives the same code path as the alarms do, so a CLI failover takes the same lock, writes the
 * same audit trail and runs the same state machine.
 */
import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";

import type { EntryOutcome, EntryResponse } from "../failover-orchestrator/entry";
import type { LockHolder } from "../failover-orchestrator/lock";
import type { RoleChange } from "../failover-orchestrator/workflow-state";

/** Every outcome of the orchestrator entry; a Record, so a new outcome fails to compile here. */
const OUTCOMES: Readonly<Record<EntryOutcome, true>> = {
  noop: true,
  "dry-run": true,
  notified: true,
  started: true,
  locked: true,
  status: true,
};
export const ENTRY_OUTCOMES = Object.keys(OUTCOMES) as readonly EntryOutcome[];

export interface OrchestratorRequest {
  readonly action: RoleChange;
  readonly dryRun: boolean;
  readonly requestedBy: string;
}

/** The part of the entry's answer the CLI uses. */
export type InvokeResult = Pick<
  EntryResponse,
  "outcome" | "reason" | "actionId" | "executionArn" | "plan" | "lock"
>;

/** The function failed, or answered something that is not an entry response: exit 1. */
export class OrchestratorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrchestratorError";
  }
}

export async function invokeOrchestrator(
  lambda: LambdaClient,
  functionName: string,
  request: OrchestratorRequest,
): Promise<InvokeResult> {
  const out = await lambda.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: "RequestResponse",
      Payload: new TextEncoder().encode(JSON.stringify(request)),
    }),
  );
  const text = out.Payload !== undefined ? new TextDecoder().decode(out.Payload) : "";
  if (out.FunctionError !== undefined) {
    throw new OrchestratorError(
      `${functionName} failed: ${functionErrorText(text, out.FunctionError)}`,
    );
  }
  return parseEntryResponse(text, functionName);
}

/** Lambda's error payload is `{ errorType, errorMessage, trace }`. */
function functionErrorText(payload: string, functionError: string): string {
  try {
    const parsed = JSON.parse(payload) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorMessage === "string") {
      return `${typeof parsed.errorType === "string" ? parsed.errorType : functionError}: ${parsed.errorMessage}`;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return `${functionError}${payload !== "" ? `: ${payload}` : ""}`;
}

export function parseEntryResponse(text: string, functionName: string): InvokeResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const record =
    typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  const outcome = record?.outcome;
  if (
    record === undefined ||
    !(ENTRY_OUTCOMES as readonly unknown[]).includes(outcome) ||
    typeof record.reason !== "string"
  ) {
    throw new OrchestratorError(
      `${functionName} answered ${JSON.stringify(text.slice(0, 300))}, not { outcome: ${ENTRY_OUTCOMES.join(" | ")}, reason }`,
    );
  }
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const actionId = str(record.actionId);
  const executionArn = str(record.executionArn);
  const plan = Array.isArray(record.plan)
    ? record.plan.filter((p): p is string => typeof p === "string")
    : undefined;
  const lock = lockOf(record.lock);
  return {
    outcome: outcome as EntryOutcome,
    reason: record.reason,
    ...(actionId !== undefined ? { actionId } : {}),
    ...(executionArn !== undefined ? { executionArn } : {}),
    ...(plan !== undefined ? { plan } : {}),
    ...(lock !== undefined ? { lock } : {}),
  };
}

/** The lock holder of a "locked" answer, when it is well formed (it is only printed). */
function lockOf(value: unknown): LockHolder | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.actionId === "string" &&
    typeof v.action === "string" &&
    typeof v.requestedBy === "string" &&
    typeof v.acquiredAt === "string" &&
    typeof v.expiresAt === "number"
    ? {
        actionId: v.actionId,
        action: v.action,
        requestedBy: v.requestedBy,
        acquiredAt: v.acquiredAt,
        expiresAt: v.expiresAt,
      }
    : undefined;
}

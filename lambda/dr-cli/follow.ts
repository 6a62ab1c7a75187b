/**
 * Follows a started failover/switchover until its Step Functions execution ends: every few
 * seconds, DescribeExecution on the executionArn and the newest audit records of the TARGET
 * region's control table, printing each new step of this action with the elapsed time. Only the
 * target region is called (its state machine and table), so following works with the other
 * region down.
 *
 * A failed poll (throttling, a blip) is printed and retried on the next tick; the loop is bounded
 * by `timeoutMs`, after which the execution keeps running in AWS and the CLI says where to look.
 */
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";

import { readRecentAudit } from "../failover-orchestrator/audit";
import { auditLine, elapsedText } from "./render";
import { errorText } from "./status";

/** Audit records read per poll; one action writes a few dozen at most. */
const AUDIT_RECORDS_PER_POLL = 50;

export interface FollowOptions {
  readonly sfn: SFNClient;
  readonly dynamodb: DynamoDBClient;
  readonly controlTableName: string;
  readonly executionArn: string;
  readonly actionId: string;
  /** Epoch ms the action was requested (elapsed times count from here). */
  readonly startedAt: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly print: (line: string) => void;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /**
   * Adding an instance to a headless cluster takes 10-20 min, a promotion a few more.
   * @default 3_600_000 (60 min)
   */
  readonly timeoutMs?: number;
}

export interface FollowResult {
  /** SUCCEEDED | FAILED | TIMED_OUT | ABORTED | ..., or "FOLLOW_TIMEOUT" when the CLI gave up. */
  readonly status: string;
  readonly error?: string;
  readonly cause?: string;
}

export async function followExecution(options: FollowOptions): Promise<FollowResult> {
  const pollMs = options.pollIntervalMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 3_600_000;
  const seen = new Set<string>();
  const stamp = () => `[${elapsedText(options.now() - options.startedAt)}]`;

  const printNewSteps = async (): Promise<void> => {
    try {
      const records = await readRecentAudit(
        options.dynamodb,
        options.controlTableName,
        AUDIT_RECORDS_PER_POLL,
      );
      records
        .filter((r) => r.actionId === options.actionId && !seen.has(r.sk))
        .sort((a, b) => (a.sk < b.sk ? -1 : 1))
        .forEach((r) => {
          seen.add(r.sk);
          options.print(`${stamp()} ${auditLine(r)}`);
        });
    } catch (error) {
      options.print(`${stamp()} (audit trail not readable this time: ${errorText(error)})`);
    }
  };

  for (;;) {
    let execution: FollowResult | undefined;
    try {
      const out = await options.sfn.send(
        new DescribeExecutionCommand({ executionArn: options.executionArn }),
      );
      const status = out.status ?? "UNKNOWN";
      execution = {
        status,
        ...(out.error !== undefined ? { error: out.error } : {}),
        ...(out.cause !== undefined ? { cause: out.cause } : {}),
      };
    } catch (error) {
      options.print(`${stamp()} (execution status not readable this time: ${errorText(error)})`);
    }
    // Read the audit after the execution status: steps written before the execution ended are
    // then all visible when the loop stops.
    await printNewSteps();
    if (
      execution !== undefined &&
      execution.status !== "RUNNING" &&
      execution.status !== "PENDING_REDRIVE"
    ) {
      options.print(`${stamp()} execution ${execution.status}`);
      return execution;
    }
    if (options.now() - options.startedAt >= timeoutMs) {
      options.print(
        `${stamp()} still running after ${Math.round(timeoutMs / 60_000)} min; it continues in AWS. ` +
          `Follow it with \`npm run dr -- status\` or the Step Functions console: ${options.executionArn}`,
      );
      return { status: "FOLLOW_TIMEOUT" };
    }
    await options.sleep(pollMs);
  }
}

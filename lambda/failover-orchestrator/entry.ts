/**
 * The entry: decides, and starts at most one action. Fast and short (no waiting here): the long
 * steps run in the state machine.
 *
 * - status (direct): read-only; the region's status, the lock, and the current signal verdict.
 * - failover | switchover (direct; a human decided, so it acts in either FAILOVER_MODE and needs
 *   no corroboration): read the global cluster; no-op when this cluster already writes, is not a
 *   member, or a role change is in progress; dry run returns the plan (no lock, no mutating
 *   call, no execution); else lock + StartExecution.
 * - alarm (automatic evaluation): only the configured corroborating alarm entering ALARM; the
 *   same no-op checks, then the signals (decide.ts). FAILOVER_MODE=notify publishes and audits
 *   the recommendation and never acts; automatic takes the lock and starts the execution.
 * - RDS event: audited and published, nothing else.
 *
 * Every decision (except status) is audited and published with who or what triggered it.
 */
import { StartExecutionCommand } from "@aws-sdk/client-sfn";

import { describeError, logger } from "../shared/observability";
import type { AuditOutcome } from "./audit";
import { type Decision, decide, lookbackMinutes } from "./decide";
import type { OrchestratorContext } from "./deps";
import { WriterUnknownError } from "./errors";
import type { AlarmEvent, DirectRequest, RdsEvent } from "./events";
import type { RegionStatus } from "./global-cluster";
import { type LockHolder, acquireLock, readLock } from "./lock";
import { OrchestratorMetricNames, countOrchestratorMetric } from "./observability";
import { failoverInstanceParams, promotionParams, promotionRegion } from "./rds-actions";
import { withThrottlingRetry } from "./retry";
import { readSignals } from "./signals";
import { PROMOTION_CALL } from "./workflow";
import { type RoleChange, initialWorkflowState } from "./workflow-state";

export type EntryOutcome = "noop" | "dry-run" | "notified" | "started" | "locked" | "status";

export interface EntryResponse {
  readonly outcome: EntryOutcome;
  readonly reason: string;
  readonly actionId?: string;
  readonly executionArn?: string;
  readonly status?: RegionStatus;
  readonly plan?: readonly string[];
  /** The signal verdict (alarm evaluations, and status when CloudWatch answered). */
  readonly decision?: Decision;
  /** The current lock (status), or the holder that refused this request (locked). */
  readonly lock?: LockHolder;
}

/** Wait states of the state machine (contract), quoted in the plan. */
const READER_WAIT_SECONDS = 30;
const PROMOTION_WAIT_SECONDS = 15;

export function makeEntry(ctx: OrchestratorContext) {
  const { config } = ctx;

  const record = (
    actionId: string,
    action: string,
    step: string,
    outcome: AuditOutcome,
    message: string,
    requestedBy: string,
    detail?: Record<string, unknown>,
  ) =>
    ctx.audit.record({
      actionId,
      action,
      step,
      outcome,
      message,
      requestedBy,
      ...(detail !== undefined ? { detail } : {}),
    });

  /** Why this region must not act now, or undefined. */
  const blocker = (status: RegionStatus): string | undefined => {
    if (status.role === "writer") {
      return `${config.clusterId} in ${config.region} is already the writer of ${config.globalClusterId}`;
    }
    if (status.role === "detached") {
      return `${config.clusterId} is not a member of global cluster ${config.globalClusterId}`;
    }
    if (status.inProgress) {
      return `a failover or switchover is in progress: ${status.inProgressReason ?? "unknown"}`;
    }
    return undefined;
  };

  const evaluateSignals = async (status: RegionStatus): Promise<Decision> => {
    const now = ctx.now();
    const series = await readSignals(
      ctx.clients.cloudwatch,
      {
        peerRegion: config.peerRegion,
        clusterId: config.clusterId,
        windowMinutes: config.corroborationWindowMinutes,
        now,
        ...(ctx.graceMinutes !== undefined ? { graceMinutes: ctx.graceMinutes } : {}),
      },
      ctx.retry,
    );
    return decide({
      now,
      windowMinutes: config.corroborationWindowMinutes,
      ...(ctx.graceMinutes !== undefined ? { graceMinutes: ctx.graceMinutes } : {}),
      replicationLagThresholdMs: config.replicationLagThresholdMs,
      series,
      region: status,
    });
  };

  /** The steps a run would take, for a dry run (and the audit of one). */
  const planFor = (action: RoleChange, status: RegionStatus): string[] => {
    const headless = status.role === "headless";
    return [
      `Read global cluster ${config.globalClusterId} from ${config.region}: ${config.clusterId} is a ${headless ? "headless " : ""}secondary, no role change in progress`,
      `Take the lock pk=LOCK sk=${config.globalClusterId} in ${config.controlTableName} (conditional PutItem, expires after ${ctx.lockTtlSeconds} s)`,
      `StartExecution ${config.stateMachineArn} named <actionId>`,
      ...(config.appFleet === undefined
        ? []
        : [
            `Raise Auto Scaling group ${config.appFleet.name} to at least ${config.appFleet.capacity} instances (min, desired and, if lower, max; UpdateAutoScalingGroup only if it runs fewer; best effort: the database failover does not wait on it)`,
          ]),
      headless
        ? `CreateDBInstance ${JSON.stringify(failoverInstanceParams(config))}`
        : `Check that ${config.clusterId} has an available instance (DescribeDBInstances)`,
      headless
        ? `DescribeDBInstances every ${READER_WAIT_SECONDS} s until ${config.failoverInstanceIdentifier} is available (at most ${ctx.readerMaxChecks} checks)`
        : `Wait ${READER_WAIT_SECONDS} s between checks until one is available (at most ${ctx.readerMaxChecks} checks)`,
      `${PROMOTION_CALL[action]} ${JSON.stringify(promotionParams(config, action))} on ${promotionRegionText(action, status)}`,
      `DescribeGlobalClusters + DescribeDBClusters every ${PROMOTION_WAIT_SECONDS} s until ${config.clusterId} is the writer (at most ${ctx.promotionMaxChecks} checks)`,
      "Release the lock; audit and publish the time from the decision to writable",
    ];
  };

  /** Where the promote step will send the call (rds-actions.ts `promotionRegion`), for the plan. */
  const promotionRegionText = (action: RoleChange, status: RegionStatus): string => {
    if (action === "failover") return config.region;
    try {
      const region = promotionRegion(config, action, status.writerRegion);
      return `${region} (the current writer's region, as AWS documents for a switchover)`;
    } catch (error) {
      if (!(error instanceof WriterUnknownError)) throw error;
      return "the current writer's region (none known now: the promote step would fail)";
    }
  };

  /** `actionId` is the decision's: the decision, the lock and the execution share it. */
  const lockAndStart = async (
    actionId: string,
    action: RoleChange,
    requestedBy: string,
    detail: Record<string, unknown>,
  ): Promise<EntryResponse> => {
    const now = ctx.now();
    const lock = await acquireLock(
      ctx.lockTable,
      { actionId, action, requestedBy },
      now,
      ctx.lockTtlSeconds,
    );
    if (!lock.acquired) {
      const reason = lock.holder
        ? `another action holds the lock: ${lock.holder.action} ${lock.holder.actionId} requested by ${lock.holder.requestedBy} at ${lock.holder.acquiredAt}`
        : "the lock was taken concurrently";
      await record(actionId, action, "lock", "skipped", reason, requestedBy, {
        ...detail,
        holder: lock.holder ?? null,
      });
      return { outcome: "locked", reason, actionId, ...(lock.holder ? { lock: lock.holder } : {}) };
    }
    const state = initialWorkflowState({ actionId, action, requestedBy, startedAt: now });
    let executionArn: string | undefined;
    try {
      const out = await withThrottlingRetry(
        () =>
          ctx.clients.sfn.send(
            new StartExecutionCommand({
              stateMachineArn: config.stateMachineArn,
              name: actionId,
              input: JSON.stringify({ state }),
            }),
          ),
        ctx.retry,
      );
      executionArn = out.executionArn;
    } catch (error) {
      countOrchestratorMetric(OrchestratorMetricNames.ActionsFailed);
      await record(
        actionId,
        action,
        "start",
        "failed",
        `Could not start the ${action} workflow: ${describeError(error).message}. The lock is kept until it expires; act with npm run dr after checking the state machine.`,
        requestedBy,
        { ...detail, error: describeError(error) },
      );
      throw error;
    }
    countOrchestratorMetric(OrchestratorMetricNames.ActionsStarted);
    await record(
      actionId,
      action,
      "start",
      "started",
      `${action} of ${config.clusterId} in ${config.region} started (execution ${executionArn ?? actionId})`,
      requestedBy,
      { ...detail, executionArn: executionArn ?? null },
    );
    return {
      outcome: "started",
      reason: `${action} workflow started`,
      actionId,
      ...(executionArn !== undefined ? { executionArn } : {}),
    };
  };

  const status = async (): Promise<EntryResponse> => {
    const regionStatus = await ctx.readStatus();
    const [lock, decision] = await Promise.all([
      readLock(ctx.lockTable, ctx.now()),
      // Informational: a CloudWatch problem must not hide the database's status.
      evaluateSignals(regionStatus).catch((error: unknown) => {
        logger.warn("Signals unavailable for status", { error: describeError(error) });
        return undefined;
      }),
    ]);
    return {
      outcome: "status",
      reason: `${config.clusterId} in ${config.region} is ${regionStatus.role}${regionStatus.inProgress ? ` (${regionStatus.inProgressReason ?? "in progress"})` : ""}`,
      status: regionStatus,
      ...(decision !== undefined ? { decision } : {}),
      ...(lock !== undefined ? { lock } : {}),
    };
  };

  const direct = async (request: DirectRequest): Promise<EntryResponse> => {
    if (request.action === "status") return status();
    const action: RoleChange = request.action;
    const regionStatus = await ctx.readStatus();
    const noop = blocker(regionStatus);
    const actionId = ctx.newActionId(action, ctx.now());
    const detail = { status: regionStatus, dryRun: request.dryRun, trigger: "direct" };
    if (noop !== undefined) {
      await record(
        actionId,
        action,
        "decide",
        request.dryRun ? "dry-run" : "skipped",
        `No ${action}: ${noop}`,
        request.requestedBy,
        detail,
      );
      return { outcome: "noop", reason: noop, status: regionStatus };
    }
    if (request.dryRun) {
      const plan = planFor(action, regionStatus);
      await record(
        actionId,
        action,
        "decide",
        "dry-run",
        `Dry run of ${action}: nothing was changed`,
        request.requestedBy,
        { ...detail, plan },
      );
      return {
        outcome: "dry-run",
        reason: `dry run: ${action} would start now`,
        status: regionStatus,
        plan,
      };
    }
    return lockAndStart(actionId, action, request.requestedBy, detail);
  };

  const alarm = async (event: AlarmEvent): Promise<EntryResponse> => {
    if (event.state !== "ALARM") {
      logger.info("Alarm state change ignored", { alarmName: event.alarmName, state: event.state });
      return { outcome: "noop", reason: `alarm ${event.alarmName} is ${event.state}, not ALARM` };
    }
    const actionId = ctx.newActionId("failover", ctx.now());
    if (event.alarmName !== config.corroboratingAlarmName) {
      const reason = `alarm ${event.alarmName} is not the corroborating alarm ${config.corroboratingAlarmName}`;
      await record(actionId, "failover", "decide", "skipped", reason, event.requestedBy);
      return { outcome: "noop", reason };
    }
    const regionStatus = await ctx.readStatus();
    const noop = blocker(regionStatus);
    if (noop !== undefined) {
      await record(
        actionId,
        "failover",
        "decide",
        "skipped",
        `No failover: ${noop}`,
        event.requestedBy,
        {
          status: regionStatus,
        },
      );
      return { outcome: "noop", reason: noop, status: regionStatus };
    }
    const decision = await evaluateSignals(regionStatus);
    countOrchestratorMetric(OrchestratorMetricNames.FailoverDecision, decision.recommend ? 1 : 0);
    const detail = {
      status: regionStatus,
      decision,
      trigger: "alarm",
      alarmReason: event.reason ?? null,
      windowMinutes: config.corroborationWindowMinutes,
      lookbackMinutes: lookbackMinutes(config.corroborationWindowMinutes, ctx.graceMinutes),
    };
    if (!decision.recommend) {
      await record(
        actionId,
        "failover",
        "decide",
        "skipped",
        `No failover: ${decision.reason}`,
        event.requestedBy,
        detail,
      );
      return { outcome: "noop", reason: decision.reason, status: regionStatus, decision };
    }
    if (config.failoverMode === "notify") {
      await record(
        actionId,
        "failover",
        "decide",
        "notified",
        `Failover of ${config.clusterId} to ${config.region} RECOMMENDED (${decision.reason}). FAILOVER_MODE is notify: nothing was changed. To act: npm run dr -- failover`,
        event.requestedBy,
        detail,
      );
      return {
        outcome: "notified",
        reason: `failover recommended; FAILOVER_MODE=notify, not acting: ${decision.reason}`,
        status: regionStatus,
        decision,
      };
    }
    await record(
      actionId,
      "failover",
      "decide",
      "recommended",
      `Failover of ${config.clusterId} to ${config.region} decided: ${decision.reason}`,
      event.requestedBy,
      detail,
    );
    const started = await lockAndStart(actionId, "failover", event.requestedBy, detail);
    return { ...started, status: regionStatus, decision };
  };

  const rds = async (event: RdsEvent): Promise<EntryResponse> => {
    const actionId = ctx.newActionId("rds-event", ctx.now());
    const message = `RDS event ${event.eventId ?? ""} on ${event.sourceIdentifier ?? "unknown source"}: ${event.message ?? event.detailType}`;
    await record(actionId, "rds-event", "observe", "notified", message, "aws.rds", {
      categories: event.categories,
      eventId: event.eventId ?? null,
      sourceIdentifier: event.sourceIdentifier ?? null,
      time: event.time ?? null,
    });
    return { outcome: "noop", reason: "RDS event recorded and published" };
  };

  return { direct, alarm, rds };
}

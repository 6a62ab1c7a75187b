/**
 * The long-running steps, one Lambda invocation each, driven by this region's Step Functions
 * state machine (a durable workflow: adding an instance to a headless cluster takes longer than
 * one invocation may run). Each step re-reads the global cluster from this region's RDS API and
 * calls this region's APIs only, except a switchover's SwitchoverGlobalCluster, which AWS
 * documents on the current writer's region (rds-actions.ts `promotionRegion`). Each step is
 * safe to run twice (a task retry after a timeout): it recognises work already done instead of
 * repeating a mutating call.
 *
 *   ensureReader (EC2 tier: raise this region's fleet first; fleet-actions.ts)
 *     -> [readerAvailable? no: Wait 30 s -> checkReader ...] -> promote
 *     -> Wait 15 s -> checkPromotion -> [writable? no: Wait 15 s -> checkPromotion ...]
 *     -> complete;  any error -> fail
 *
 * Polls are bounded (`checks`): past the bound the step throws, the state machine goes to `fail`.
 * `complete` releases the lock; `fail` keeps it until it expires (no second, racing attempt).
 * Polls are logged; the audit trail and SNS get the transitions (instance requested, instance
 * available, promotion requested, writable, failed), not every poll.
 */
import { describeError, logger } from "../shared/observability";
import type { OrchestratorContext } from "./deps";
import { ClusterNotFoundError, PollBoundExceededError } from "./errors";
import type { StepTask } from "./events";
import type { RegionStatus } from "./global-cluster";
import { releaseLock } from "./lock";
import { OrchestratorMetricNames, countOrchestratorMetric, recordSeconds } from "./observability";
import type { FleetSizes } from "./fleet-actions";
import { failoverInstanceParams, promotionParams } from "./rds-actions";
import {
  type WorkflowError,
  type WorkflowState,
  type WorkflowStep,
  describeWorkflowError,
} from "./workflow-state";

export { WORKFLOW_STEPS } from "./workflow-state";

/** This region's cluster accepts writes: global writer, cluster available, a writer instance. */
export function isWritable(status: RegionStatus): boolean {
  return (
    status.role === "writer" &&
    status.clusterStatus === "available" &&
    status.writerInstance !== undefined
  );
}

/** The API call a promotion makes, by action. */
export const PROMOTION_CALL = {
  failover: "FailoverGlobalCluster",
  switchover: "SwitchoverGlobalCluster",
} as const;

export function makeWorkflow(ctx: OrchestratorContext) {
  const { config } = ctx;

  const audit = (
    state: WorkflowState,
    step: WorkflowStep,
    outcome: "started" | "succeeded" | "failed" | "skipped",
    message: string,
    detail?: Record<string, unknown>,
  ) =>
    ctx.audit.record({
      actionId: state.actionId,
      action: state.action,
      step,
      outcome,
      message,
      requestedBy: state.requestedBy,
      ...(detail !== undefined ? { detail } : {}),
    });

  /**
   * EC2 tier: the app fleet boots while the database instance is added or the promotion runs.
   * Best effort: a fleet that cannot be scaled is audited and paged, and the database failover
   * goes on; writes must not wait on the app tier, which a person can scale by hand.
   */
  const ensureFleet = async (state: WorkflowState): Promise<void> => {
    const fleet = ctx.fleetActions;
    if (fleet === undefined) return;
    try {
      const outcome = await fleet.ensureCapacity();
      const sizes = (s: FleetSizes) => `min ${s.min}, desired ${s.desired}, max ${s.max}`;
      await audit(
        state,
        "ensureReader",
        outcome.changed ? "started" : "skipped",
        outcome.changed
          ? `Auto Scaling group ${outcome.name} set to ${sizes(outcome.after)} (was ${sizes(outcome.before)})`
          : `Auto Scaling group ${outcome.name} already runs ${sizes(outcome.before)} (at least ${fleet.fleet.capacity})`,
        { fleet: outcome },
      );
    } catch (error) {
      logger.error("Fleet not scaled", { error: describeError(error) });
      await audit(
        state,
        "ensureReader",
        "failed",
        `Auto Scaling group ${fleet.fleet.name} could not be raised to ${fleet.fleet.capacity} instances (${describeError(error).message}); the database failover continues: scale the fleet by hand`,
        { fleet: { name: fleet.fleet.name, error: describeError(error) } },
      );
    }
  };

  const ensureReader = async (state: WorkflowState): Promise<WorkflowState> => {
    const status = await ctx.readStatus();
    if (status.role === "writer") {
      await audit(state, "ensureReader", "skipped", `${config.clusterId} is already the writer`);
      return { ...state, readerAvailable: true, checks: 0 };
    }
    if (status.role === "detached") {
      throw new ClusterNotFoundError("DB cluster", config.clusterArn, config.region);
    }
    await ensureFleet(state);
    if (status.role === "headless") {
      const params = failoverInstanceParams(config);
      const result = await ctx.rdsActions.createFailoverInstance();
      await audit(
        state,
        "ensureReader",
        "started",
        `${config.clusterId} has no instance: ${result === "created" ? "creating" : "found existing"} ${params.DBInstanceIdentifier} (${params.DBInstanceClass}); promotion waits until it is available`,
        { createDBInstance: params, result },
      );
      return {
        ...state,
        readerAvailable: false,
        checks: 0,
        createdInstance: config.failoverInstanceIdentifier,
      };
    }
    const reader = await ctx.rdsActions.readerAvailability();
    await audit(
      state,
      "ensureReader",
      reader.available ? "succeeded" : "started",
      reader.available
        ? `${config.clusterId} has an available instance`
        : `${config.clusterId} has no available instance yet; waiting`,
      { instances: reader.instances },
    );
    return { ...state, readerAvailable: reader.available, checks: 0 };
  };

  const checkReader = async (state: WorkflowState): Promise<WorkflowState> => {
    const checks = state.checks + 1;
    const reader = await ctx.rdsActions.readerAvailability();
    logger.info("Reader poll", { actionId: state.actionId, checks, instances: reader.instances });
    if (reader.available) {
      await audit(
        state,
        "checkReader",
        "succeeded",
        `${config.clusterId} has an available instance after ${checks} checks`,
        { instances: reader.instances },
      );
      return { ...state, readerAvailable: true, checks };
    }
    if (checks >= ctx.readerMaxChecks) {
      throw new PollBoundExceededError("checkReader", checks, ctx.readerMaxChecks);
    }
    return { ...state, readerAvailable: false, checks };
  };

  const promote = async (state: WorkflowState): Promise<WorkflowState> => {
    const status = await ctx.readStatus();
    const promotedAt = ctx.now().toISOString();
    if (status.role === "writer") {
      await audit(state, "promote", "skipped", `${config.clusterId} is already the writer`);
      return { ...state, checks: 0, promotedAt };
    }
    if (status.inProgress) {
      // A re-run of this step after the call was accepted: the promotion we asked for is running.
      if (status.failoverState?.toClusterArn === config.clusterArn) {
        await audit(
          state,
          "promote",
          "skipped",
          `promotion of ${config.clusterId} already under way (${status.inProgressReason ?? ""})`,
        );
        return { ...state, checks: 0, promotedAt };
      }
      throw new Error(
        `Refusing to promote ${config.clusterId}: ${status.inProgressReason ?? "a role change is in progress"}`,
      );
    }
    if (status.role === "detached") {
      throw new ClusterNotFoundError("DB cluster", config.clusterArn, config.region);
    }
    const params = promotionParams(config, state.action);
    // A switchover goes to the writer's region as just read through this region's API; a
    // failover ignores it and stays on this region.
    const calledRegion = await ctx.rdsActions.promote(state.action, status.writerRegion);
    await audit(
      state,
      "promote",
      "started",
      `${PROMOTION_CALL[state.action]} accepted by ${calledRegion}: promoting ${config.clusterId} in ${config.region}`,
      { call: PROMOTION_CALL[state.action], params, calledRegion },
    );
    return { ...state, checks: 0, promotedAt };
  };

  const checkPromotion = async (state: WorkflowState): Promise<WorkflowState> => {
    const checks = state.checks + 1;
    const status = await ctx.readStatus();
    const writable = isWritable(status);
    logger.info("Promotion poll", {
      actionId: state.actionId,
      checks,
      writable,
      role: status.role,
      clusterStatus: status.clusterStatus,
      failoverState: status.failoverState,
    });
    if (writable) return { ...state, writable: true, checks };
    if (checks >= ctx.promotionMaxChecks) {
      throw new PollBoundExceededError("checkPromotion", checks, ctx.promotionMaxChecks);
    }
    return { ...state, writable: false, checks };
  };

  const complete = async (state: WorkflowState): Promise<WorkflowState> => {
    const now = ctx.now();
    const seconds = Math.round((now.getTime() - Date.parse(state.startedAt)) / 100) / 10;
    // The promotion is done whatever happens to the lock: a failed release (the lock then
    // expires on its own) must not turn a successful failover into a failed execution.
    const released = await releaseLock(ctx.lockTable, state.actionId).catch((error: unknown) => {
      logger.error("Lock release failed; it expires on its own", {
        actionId: state.actionId,
        error: describeError(error),
      });
      return false;
    });
    recordSeconds(OrchestratorMetricNames.TimeToWritable, seconds);
    await audit(
      state,
      "complete",
      "succeeded",
      `${config.clusterId} in ${config.region} is the writer: ${seconds} s from the decision to writable`,
      {
        secondsToWritable: seconds,
        startedAt: state.startedAt,
        promotedAt: state.promotedAt,
        lockReleased: released,
      },
    );
    return { ...state, writable: true, secondsToWritable: seconds, completedAt: now.toISOString() };
  };

  const fail = async (state: WorkflowState, error?: WorkflowError): Promise<WorkflowState> => {
    const cause = error ?? state.error;
    countOrchestratorMetric(OrchestratorMetricNames.ActionsFailed);
    await audit(
      state,
      "fail",
      "failed",
      `${state.action} of ${config.clusterId} in ${config.region} failed: ${describeWorkflowError(cause)}. The lock is kept until it expires, so nothing retries automatically; investigate, then act with npm run dr.`,
      { error: cause ?? null, checks: state.checks, promotedAt: state.promotedAt ?? null },
    );
    return { ...state, ...(cause !== undefined ? { error: cause } : {}) };
  };

  return async (task: StepTask): Promise<WorkflowState> => {
    logger.info("Workflow step", { step: task.step, actionId: task.state.actionId });
    switch (task.step) {
      case "ensureReader":
        return ensureReader(task.state);
      case "checkReader":
        return checkReader(task.state);
      case "promote":
        return promote(task.state);
      case "checkPromotion":
        return checkPromotion(task.state);
      case "complete":
        return complete(task.state);
      case "fail":
        return fail(task.state, task.error);
    }
  };
}

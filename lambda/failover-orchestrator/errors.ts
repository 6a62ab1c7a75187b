/**
 * Typed errors of the orchestrator. Each names what was wrong and what would have been right, so
 * a page or a CLI run says what to fix without reading the code.
 */
import type { FieldError } from "../shared/errors";

/** A direct invocation that is not a valid request; nothing was read or written. */
export class InvalidRequestError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(
      `Invalid orchestrator request: ${errors
        .map((e) => `${e.field}=${JSON.stringify(e.value) ?? "undefined"} (allowed: ${e.allowed})`)
        .join("; ")}`,
    );
    this.name = "InvalidRequestError";
  }
}

/** An environment variable is missing or malformed: a deployment bug, fails the cold start. */
export class ConfigurationError extends Error {
  constructor(
    readonly variable: string,
    readonly value: string | undefined,
    readonly allowed: string,
  ) {
    super(
      `Environment variable ${variable} is ${value === undefined ? "not set" : `"${value}"`}; allowed: ${allowed}`,
    );
    this.name = "ConfigurationError";
  }
}

/** DescribeGlobalClusters / DescribeDBClusters did not return the cluster this region expects. */
export class ClusterNotFoundError extends Error {
  constructor(
    readonly kind: "global cluster" | "DB cluster",
    readonly identifier: string,
    readonly region: string,
  ) {
    super(`${kind} ${identifier} not found in ${region}`);
    this.name = "ClusterNotFoundError";
  }
}

/** DescribeAutoScalingGroups did not return this region's app fleet. */
export class FleetNotFoundError extends Error {
  constructor(readonly fleetName: string) {
    super(`Auto Scaling group ${fleetName} not found in this region`);
    this.name = "FleetNotFoundError";
  }
}

/** A workflow poll ran more times than its bound: the state machine fails instead of looping. */
export class PollBoundExceededError extends Error {
  constructor(
    readonly step: string,
    readonly checks: number,
    readonly maxChecks: number,
  ) {
    super(`${step}: still not done after ${checks} checks (bound ${maxChecks})`);
    this.name = "PollBoundExceededError";
  }
}

/** The state handed to a workflow step is not a WorkflowState (a state machine definition bug). */
export class InvalidWorkflowStateError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(
      `Invalid workflow state: ${errors
        .map((e) => `${e.field}=${JSON.stringify(e.value) ?? "undefined"} (allowed: ${e.allowed})`)
        .join("; ")}`,
    );
    this.name = "InvalidWorkflowStateError";
  }
}

/**
 * A switchover found no writer to send SwitchoverGlobalCluster to: AWS documents the call on the
 * current primary's region, and with no member flagged as writer there is no region to call.
 */
export class WriterUnknownError extends Error {
  constructor(
    readonly globalClusterId: string,
    readonly observedFrom: string,
  ) {
    super(
      `SwitchoverGlobalCluster must be sent to the current writer's region, but no member of global cluster ${globalClusterId} is the writer as ${observedFrom}'s RDS API reports it; a switchover needs a healthy writer (for an unreachable primary, use failover)`,
    );
    this.name = "WriterUnknownError";
  }
}

/**
 * `failover`, `switchover` and `failback`: choose the target region (target.ts), confirm, invoke
 * ONLY that region's orchestrator, follow its execution, print the final roles. Every AWS call
 * after the choice goes to the target region: its orchestrator, state machine, control table and
 * RDS API. Failback is a switchover that targets the stack's primaryRegion.
 */
import { type RegionStatus, readRegionStatus } from "../failover-orchestrator/global-cluster";
import type { RetryOptions } from "../failover-orchestrator/retry";
import type { RoleChange } from "../failover-orchestrator/workflow-state";
import type { AwsClients } from "./aws-clients";
import { type CallerIdentity, requestedByOf } from "./caller-identity";
import { followExecution } from "./follow";
import { type InvokeResult, OrchestratorError, invokeOrchestrator } from "./invoke";
import type { DrOutputs } from "./outputs";
import { type StackRegion, stackRegions } from "./regions";
import { roleText } from "./render";
import { errorText } from "./status";
import { RefusedError, type RoleChangeCommand, type TargetChoice, chooseTarget } from "./target";

/** How the CLI asks a person; `interactive` is false without a terminal. */
export interface Prompt {
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
}

export interface RoleChangeDeps {
  readonly clients: AwsClients;
  readonly callerIdentity: CallerIdentity;
  readonly prompt: Prompt;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly print: (line: string) => void;
  /** Passed to the orchestrator's readers (their explicit retry, with the injected sleep). */
  readonly retry: RetryOptions;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /** @default 60 min */
  readonly followTimeoutMs?: number;
}

export interface RoleChangeOptions {
  readonly dryRun: boolean;
  readonly yes: boolean;
}

/** Returns the exit code: 0 when the role change (or the dry run) succeeded. */
export async function runRoleChange(
  command: RoleChangeCommand,
  options: RoleChangeOptions,
  outputs: DrOutputs,
  deps: RoleChangeDeps,
): Promise<number> {
  const regions = stackRegions(outputs);
  const action: RoleChange = command === "failover" ? "failover" : "switchover";
  const now = () => new Date(deps.now());
  const choice = await chooseTarget(command, regions, {
    clients: deps.clients,
    now,
    print: deps.print,
    retry: deps.retry,
  });
  const { target } = choice;
  // Only the target's keys: a failover must not need anything of the other region.
  const functionName = outputs.regional(target.designRole, "OrchestratorFunctionName");
  if (!options.dryRun) outputs.regional(target.designRole, "ControlTableName");

  describePlan(command, choice, deps.print);
  if (!options.dryRun && !options.yes) await confirm(command, choice, deps.prompt, deps.print);

  const startedAt = deps.now();
  const requestedBy = requestedByOf(await deps.callerIdentity(target.region));
  const clients = deps.clients.forRegion(target.region);
  deps.print(
    `Invoking ${functionName} in ${target.region}: ${JSON.stringify({ action, dryRun: options.dryRun, requestedBy })}`,
  );
  const response = await invokeOrchestrator(clients.lambda, functionName, {
    action,
    dryRun: options.dryRun,
    requestedBy,
  });
  printResponse(response, deps.print);

  if (options.dryRun) return response.outcome === "dry-run" ? 0 : 1;
  if (response.outcome !== "started") return 1;
  if (response.executionArn === undefined || response.actionId === undefined) {
    throw new OrchestratorError(
      `${functionName} answered "started" without an executionArn and actionId to follow`,
    );
  }
  const result = await followExecution({
    sfn: clients.sfn,
    dynamodb: clients.dynamodb,
    controlTableName: outputs.regional(target.designRole, "ControlTableName"),
    executionArn: response.executionArn,
    actionId: response.actionId,
    startedAt,
    now: deps.now,
    sleep: deps.sleep,
    print: deps.print,
    ...(deps.pollIntervalMs !== undefined ? { pollIntervalMs: deps.pollIntervalMs } : {}),
    ...(deps.followTimeoutMs !== undefined ? { timeoutMs: deps.followTimeoutMs } : {}),
  });
  if (result.status !== "SUCCEEDED") {
    if (result.error !== undefined || result.cause !== undefined) {
      deps.print(`${command} failed: ${[result.error, result.cause].filter(Boolean).join(": ")}`);
    }
    if (result.status !== "FOLLOW_TIMEOUT") {
      deps.print(
        "The lock is kept until it expires, so no second attempt races this one; read the audit trail (status) before retrying.",
      );
    }
  }
  // After a failover only the target is asked: the old primary may still be unreachable.
  await printFinalRoles(command === "failover" ? [target] : [regions.primary, regions.dr], deps);
  return result.status === "SUCCEEDED" ? 0 : 1;
}

async function printFinalRoles(regions: readonly StackRegion[], deps: RoleChangeDeps) {
  const now = () => new Date(deps.now());
  const lines = await Promise.all(
    regions.map(async (region) => {
      try {
        const status = await readRegionStatus(deps.clients.forRegion(region.region).rds, region, {
          now,
          retry: deps.retry,
        });
        return `  ${region.region}  ${finalRoleText(status)}`;
      } catch (error) {
        return `  ${region.region}  unknown (${errorText(error)})`;
      }
    }),
  );
  deps.print("Final roles:");
  lines.forEach((line) => deps.print(line));
}

function finalRoleText(status: RegionStatus): string {
  return `${roleText(status)}, cluster ${status.clusterId} ${status.clusterStatus ?? "unknown"}`;
}

function describePlan(
  command: RoleChangeCommand,
  choice: TargetChoice,
  print: (l: string) => void,
) {
  const { target, other } = choice;
  const current =
    choice.targetStatus !== undefined
      ? roleText(choice.targetStatus)
      : `secondary (as ${choice.observedIn} reports)`;
  print(`Target: ${target.region}, cluster ${target.clusterId}, currently ${current}`);
  if (choice.targetStatus?.inProgress === true) {
    print(
      `Note: a role change is already under way (${choice.targetStatus.inProgressReason ?? "in progress"}); the orchestrator will not start another.`,
    );
  }
  print(
    command === "failover"
      ? `FAILOVER: ${target.region} becomes the writer now (FailoverGlobalCluster with AllowDataLoss); writes not yet replicated from ${other.region} are lost.`
      : `SWITCHOVER${command === "failback" ? " (failback)" : ""}: ${target.region} becomes the writer with no data loss (SwitchoverGlobalCluster); ${other.region} becomes a secondary.`,
  );
}

async function confirm(
  command: RoleChangeCommand,
  choice: TargetChoice,
  prompt: Prompt,
  print: (l: string) => void,
): Promise<void> {
  if (!prompt.interactive) {
    throw new RefusedError(
      `refusing to ${command} without confirmation: not a terminal. Re-run with --yes to proceed (npm run dr -- ${command} --yes), or with --dry-run to see the plan.`,
    );
  }
  const answer = await prompt.ask(`Type the target region (${choice.target.region}) to proceed: `);
  if (answer.trim() !== choice.target.region) {
    throw new RefusedError(`not confirmed ("${answer.trim()}"); nothing was changed`);
  }
  print("Confirmed.");
}

function printResponse(response: InvokeResult, print: (l: string) => void) {
  print(`Orchestrator: ${response.outcome} - ${response.reason}`);
  if (response.lock !== undefined) {
    const { actionId, action, requestedBy, acquiredAt, expiresAt } = response.lock;
    print(
      `  lock held by ${action} ${actionId} (requested by ${requestedBy} at ${acquiredAt}; expires ${new Date(expiresAt * 1000).toISOString()})`,
    );
  }
  if (response.actionId !== undefined) print(`  action id: ${response.actionId}`);
  if (response.executionArn !== undefined) print(`  execution: ${response.executionArn}`);
  for (const step of response.plan ?? []) print(`  plan: ${step}`);
}

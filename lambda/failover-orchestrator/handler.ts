/**
 * The orchestrator core: one handler for the four event shapes (events.ts), built from ports so
 * the tests and the bench run it with intercepted SDK clients. A direct request that is not
 * valid throws InvalidRequestError before any AWS call (the caller sees field, value, allowed).
 */
import { describeError, logger } from "../shared/observability";
import { type OrchestratorDeps, buildContext } from "./deps";
import { type EntryResponse, makeEntry } from "./entry";
import { parseEvent } from "./events";
import { flushOrchestratorMetrics } from "./observability";
import { makeWorkflow } from "./workflow";
import type { WorkflowState } from "./workflow-state";

export type OrchestratorResult = EntryResponse | WorkflowState;

export function makeOrchestratorHandler(
  deps: OrchestratorDeps,
): (event: unknown) => Promise<OrchestratorResult> {
  const ctx = buildContext(deps);
  const entry = makeEntry(ctx);
  const workflow = makeWorkflow(ctx);
  return async (event: unknown) => {
    try {
      const parsed = parseEvent(event);
      switch (parsed.kind) {
        case "step":
          return await workflow(parsed);
        case "direct":
          return await entry.direct(parsed);
        case "alarm":
          return await entry.alarm(parsed);
        case "rds":
          return await entry.rds(parsed);
      }
    } catch (error) {
      logger.error("Orchestrator invocation failed", { error: describeError(error, true) });
      throw error;
    } finally {
      flushOrchestratorMetrics();
    }
  };
}

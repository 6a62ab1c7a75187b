/**
 * `npm run plan`: what a stack would deploy, whether it passes the guardrails and AWS's own
 * constraints, how fast it recovers per DR tier, and what it costs a month. It loads the
 * stack's config as the Pulumi CLI would, runs the real program under the mock engine the
 * tests use (tools/graph/capture.ts), and reads everything else off the captured graph.
 */
import { policyPackConfigOf } from "../../policy/pack-adapter";
import type * as pulumi from "@pulumi/pulumi";
import { ConfigError, TapConfig, loadConfig } from "../../lib/config";
import { DrTier, drTierOf } from "../../lib/operations/rto-budget";
import { PolicyEvaluation, evaluateResources } from "../../policy/evaluate";
import { PROJECT, ProgramFailure, ProgramRun, captureProgram } from "../graph/capture";
import { DeployabilityReport, checkDeployability } from "../graph/deployability";
import {
  CostAssumptions,
  CostEstimate,
  DEFAULT_ASSUMPTIONS,
  TierCostComparison,
  compareTiers,
  estimateCost,
} from "./cost";
import { DrBudget, drBudget } from "./dr-budget";
import { PlannedOutput, ResourceSummary, classifyOutputs, summarizeResources } from "./resources";
import { PulumiConfigError, StackConfig, StackConfigSource, loadStackConfig } from "./stack-config";

/** Runs the program with a config (namespaced keys, values as text) and captures its graph. */
export type CaptureFn = (config: Record<string, string>) => Promise<ProgramRun>;

/** Changes a captured graph before the checks run. */
export type ProgramRunTransform = (run: ProgramRun) => ProgramRun;

export interface PlanOptions extends StackConfigSource {
  /** @default DEFAULT_ASSUMPTIONS */
  readonly assumptions?: Partial<CostAssumptions>;
  /** @default a fresh captureProgram; the tests pass their cached runner */
  readonly capture?: CaptureFn;
  /** Changes the captured graph before the checks run (the tests inject a violation this way). */
  readonly transformRun?: ProgramRunTransform;
}

export interface Guardrails {
  readonly evaluation: PolicyEvaluation;
  /** Mandatory violations plus waivers that name no rule. */
  readonly failures: number;
}

export interface Plan {
  readonly project: string;
  readonly stack: string;
  readonly stackFile: string;
  readonly mode: string;
  readonly regions: { readonly primary: string; readonly dr: string };
  readonly tier: DrTier;
  /** Project keys whose value came from a Pulumi.yaml default. */
  readonly defaultedKeys: readonly string[];
  readonly resources: ResourceSummary;
  readonly outputs: PlannedOutput[];
  readonly guardrails: Guardrails;
  /**
   * The stack's `policyWaivers` in the form `pulumi preview --policy-pack-config` takes, so the
   * pack on a real preview waives exactly what the plan waived.
   */
  readonly policyPackConfig: ReturnType<typeof policyPackConfigOf>;
  readonly deployability: DeployabilityReport;
  readonly drBudget: DrBudget;
  readonly cost: {
    readonly estimate: CostEstimate;
    /** The config keys that make the other tier, for the comparison. */
    readonly otherTierConfig: Readonly<Record<string, string>>;
    readonly tiers: TierCostComparison;
  };
  /** 0: deployable; 1: a mandatory guardrail or an AWS constraint fails. */
  readonly exitCode: 0 | 1;
}

/** The config is invalid: the Pulumi CLI or the program refuses it before anything deploys. */
export class PlanConfigError extends Error {
  constructor(
    message: string,
    /** pulumi: the CLI's own check of Pulumi.yaml types; program: the program's ConfigError. */
    readonly source: "pulumi" | "program",
  ) {
    super(message);
    this.name = "PlanConfigError";
  }
}

/** The program failed for another reason than its config. */
export class PlanProgramError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PlanProgramError";
  }
}

/** A pulumi.Config over the engine's config map, for lib/config.ts's loadConfig. */
function configReader(values: Readonly<Record<string, string>>, namespace: string): pulumi.Config {
  const reader = { get: (key: string): string | undefined => values[`${namespace}:${key}`] };
  // loadConfig only calls get(); the rest of pulumi.Config needs a running engine.
  return reader as unknown as pulumi.Config;
}

/** The program's own view of the config: the same loadConfig and ConfigError as index.ts. */
export function tapConfigOf(values: Readonly<Record<string, string>>): TapConfig {
  try {
    return loadConfig(configReader(values, PROJECT), configReader(values, "aws"));
  } catch (error) {
    if (error instanceof ConfigError) throw new PlanConfigError(error.message, "program");
    throw error;
  }
}

/** The config keys that turn the stack into the other DR tier. */
export function otherTierConfig(config: TapConfig): Record<string, string> {
  const pilotLight = drTierOf(config.database.drInstances) === "pilot-light";
  const keys: Record<string, string> = { [`${PROJECT}:drDbInstances`]: pilotLight ? "1" : "0" };
  if (config.app.tier === "ec2") {
    const { desired, max } = config.app.drCapacity;
    if (!pilotLight) keys[`${PROJECT}:drAppCapacity`] = `0/0/${max}`;
    else if (desired === 0) keys[`${PROJECT}:drAppCapacity`] = `1/1/${Math.max(1, max)}`;
  }
  return keys;
}

async function capture(fn: CaptureFn, values: Record<string, string>): Promise<ProgramRun> {
  try {
    return await fn(values);
  } catch (error) {
    if (error instanceof ProgramFailure) {
      const cause = error.error;
      if (cause instanceof Error && cause.name === "ConfigError") {
        throw new PlanConfigError(cause.message, "program");
      }
      throw new PlanProgramError(`the program failed under the mock engine: ${error.message}`);
    }
    throw error;
  }
}

const freshCapture: CaptureFn = (config) => captureProgram(config);

/**
 * Builds the plan of a stack. Throws PlanConfigError for a config Pulumi or the program
 * refuses (its message is theirs, word for word) and PlanProgramError when the program fails
 * otherwise.
 */
export async function buildPlan(options: PlanOptions): Promise<Plan> {
  let stackConfig: StackConfig;
  try {
    stackConfig = loadStackConfig(options);
  } catch (error) {
    if (error instanceof PulumiConfigError) throw new PlanConfigError(error.message, "pulumi");
    throw error;
  }
  const config = tapConfigOf(stackConfig.values);
  const run = options.capture ?? freshCapture;
  const transform = options.transformRun ?? ((r: ProgramRun) => r);
  const graph = transform(await capture(run, stackConfig.values));

  const variant = otherTierConfig(config);
  const otherGraph = await capture(run, { ...stackConfig.values, ...variant });
  const assumptions: CostAssumptions = { ...DEFAULT_ASSUMPTIONS, ...options.assumptions };
  const estimate = estimateCost(graph, config, assumptions);
  const otherEstimate = estimateCost(otherGraph, config, assumptions);
  const tier = drTierOf(config.database.drInstances);
  const tiers =
    tier === "warm-standby"
      ? compareTiers(estimate, otherEstimate)
      : compareTiers(otherEstimate, estimate);

  const evaluation = evaluateResources(
    graph.resources,
    { mode: config.mode },
    config.policyWaivers,
  );
  const unknownRules = evaluation.waiverProblems.filter((p) => p.kind === "unknown-rule").length;
  const guardrails = { evaluation, failures: evaluation.mandatoryCount + unknownRules };
  const deployability = checkDeployability(graph, {
    primaryRegion: config.primaryRegion,
    drRegion: config.drRegion,
  });

  return {
    project: stackConfig.project,
    stack: stackConfig.stack,
    stackFile: stackConfig.stackFile,
    mode: config.mode,
    regions: { primary: config.primaryRegion, dr: config.drRegion },
    tier,
    defaultedKeys: stackConfig.defaulted,
    resources: summarizeResources(graph),
    outputs: classifyOutputs(graph),
    guardrails,
    policyPackConfig: policyPackConfigOf(config.policyWaivers),
    deployability,
    drBudget: drBudget(config, graph, Number(variant[`${PROJECT}:drDbInstances`])),
    cost: { estimate, otherTierConfig: variant, tiers },
    exitCode: guardrails.failures > 0 || deployability.findings.length > 0 ? 1 : 0,
  };
}

/**
 * Runs every rule over a stack's resources and applies the waivers. `npm run plan` and the tests
 * call this over the mock graph; policy/index.ts runs the same rules inside `pulumi preview`.
 */
import { BUILT_IN_WAIVERS } from "./built-in-waivers";
import { PolicyContextInput, buildPolicyContext } from "./context";
import {
  Enforcement,
  GraphResource,
  PolicyContext,
  PolicyRule,
  Severity,
  StackMode,
} from "./model";
import { ALL_RULES } from "./rules";
import { unsecretDeep } from "./values";
import {
  BuiltInWaiver,
  PolicyWaiver,
  builtInWaiverApplies,
  waiverMatchesResource,
} from "./waivers";

export type { GraphResource, PolicyContext, PolicyContextInput, PolicyRule, PolicyWaiver };
export type { BuiltInWaiver, Enforcement, Severity, StackMode };
export { ALL_RULES, BUILT_IN_WAIVERS, buildPolicyContext };

/** A rule that fails on a resource. */
export interface PolicyViolation {
  readonly ruleId: string;
  readonly title: string;
  /** The baseline controls the rule implements. */
  readonly baseline: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  readonly urn: string;
  /** The resource's logical name. */
  readonly name: string;
  readonly type: string;
  readonly region: string;
  readonly message: string;
}

/** A violation that a waiver covers, with the waiver's reason. */
export interface WaivedViolation extends PolicyViolation {
  readonly reason: string;
  /** built-in: by design (policy/built-in-waivers.ts); config: the stack's `policyWaivers`. */
  readonly source: "built-in" | "config";
}

/** A `policyWaivers` entry that names no rule, or waives nothing in this graph. */
export interface WaiverProblem {
  readonly waiver: PolicyWaiver;
  /** unknown-rule: no rule has that id (an error); unused: it waives no violation (stale). */
  readonly kind: "unknown-rule" | "unused";
  readonly message: string;
}

export interface PolicyEvaluation {
  /** Violations no waiver covers, mandatory first, then by severity, rule and resource. */
  readonly violations: PolicyViolation[];
  readonly waived: WaivedViolation[];
  readonly waiverProblems: WaiverProblem[];
  /** How many of `violations` are mandatory: the plan and the pack fail when this is not 0. */
  readonly mandatoryCount: number;
}

export interface EvaluationOptions {
  /** @default ALL_RULES */
  readonly rules?: readonly PolicyRule[];
  /** @default BUILT_IN_WAIVERS */
  readonly builtInWaivers?: readonly BuiltInWaiver[];
}

/**
 * Evaluates every rule on every resource of its types, then applies the built-in waivers and the
 * stack's `waivers`. `context` is derived from the graph where not given (regions from the AWS
 * providers, keys from the KMS key resources, mode from the providers' StackMode tag).
 */
export function evaluateResources(
  resources: readonly GraphResource[],
  context: PolicyContextInput | PolicyContext = {},
  waivers: readonly PolicyWaiver[] = [],
  options: EvaluationOptions = {},
): PolicyEvaluation {
  const rules = options.rules ?? ALL_RULES;
  const builtIns = options.builtInWaivers ?? BUILT_IN_WAIVERS;
  const plain = resources.map(normalizeResource);
  const full = "graph" in context ? context : buildPolicyContext(plain, context);

  const found = runRules(plain, full, rules);
  const violations: PolicyViolation[] = [];
  const waived: WaivedViolation[] = [];
  const used = new Set<PolicyWaiver>();
  for (const { violation, resource } of found) {
    const builtIn = builtIns.find(
      (waiver) =>
        waiver.rule === violation.ruleId &&
        builtInWaiverApplies(waiver, resource, violation.message, full.mode),
    );
    if (builtIn !== undefined) {
      waived.push({ ...violation, reason: builtIn.reason, source: "built-in" });
      continue;
    }
    const own = waivers.find(
      (waiver) =>
        waiver.rule === violation.ruleId && waiverMatchesResource(waiver.resource, resource),
    );
    if (own !== undefined) {
      used.add(own);
      waived.push({ ...violation, reason: own.reason, source: "config" });
      continue;
    }
    violations.push(violation);
  }

  const ids = rules.map((rule) => rule.id);
  const waiverProblems: WaiverProblem[] = [];
  for (const waiver of waivers) {
    if (!ids.includes(waiver.rule)) {
      waiverProblems.push({
        waiver,
        kind: "unknown-rule",
        message: `policyWaivers: rule "${waiver.rule}" does not exist; the rules are ${ids.join(", ")}`,
      });
    } else if (!used.has(waiver)) {
      const matches = plain.some((resource) => waiverMatchesResource(waiver.resource, resource));
      waiverProblems.push({
        waiver,
        kind: "unused",
        message: matches
          ? `policyWaivers: ${waiver.rule} passes on "${waiver.resource}"; the waiver is no longer needed`
          : `policyWaivers: "${waiver.resource}" matches no resource of this stack (waiver of ${waiver.rule})`,
      });
    }
  }

  violations.sort(byImportance);
  waived.sort(byImportance);
  return {
    violations,
    waived,
    waiverProblems,
    mandatoryCount: violations.filter((v) => v.enforcement === "mandatory").length,
  };
}

/** Every rule's violations, unwaived, with the resource each is about. */
export function runRules(
  resources: readonly GraphResource[],
  context: PolicyContext,
  rules: readonly PolicyRule[] = ALL_RULES,
): { violation: PolicyViolation; resource: GraphResource }[] {
  const found: { violation: PolicyViolation; resource: GraphResource }[] = [];
  for (const resource of resources) {
    for (const rule of rules) {
      if (!rule.resourceTypes.includes(resource.type)) continue;
      let messages: string[];
      try {
        messages = rule.validate(resource, context);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(`policy rule ${rule.id} failed on ${resource.urn}: ${detail}`, {
          cause: error,
        });
      }
      for (const message of messages) {
        found.push({ violation: violationOf(rule, resource, message), resource });
      }
    }
  }
  return found;
}

export function violationOf(
  rule: PolicyRule,
  resource: GraphResource,
  message: string,
): PolicyViolation {
  return {
    ruleId: rule.id,
    title: rule.title,
    baseline: rule.baseline,
    severity: rule.severity,
    enforcement: rule.enforcement,
    urn: resource.urn,
    name: resource.name,
    type: resource.type,
    region: resource.region,
    message,
  };
}

/**
 * The resource as the rules read it: secret wrappers (as the mocks capture secret inputs)
 * removed, and its region the per-resource `region` input where one is set (@pulumi/aws 7),
 * else its provider's.
 */
export function normalizeResource(resource: GraphResource): GraphResource {
  const inputs = unsecretDeep(resource.inputs) as Record<string, unknown>;
  const own = inputs.region;
  const region =
    resource.type !== "pulumi:providers:aws" && typeof own === "string" && own !== ""
      ? own
      : resource.region;
  return { ...resource, inputs, region };
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

function byImportance(a: PolicyViolation, b: PolicyViolation): number {
  return (
    Number(a.enforcement === "advisory") - Number(b.enforcement === "advisory") ||
    SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
    compareIds(a.ruleId, b.ruleId) ||
    a.urn.localeCompare(b.urn)
  );
}

/** TAP-S3-2 before TAP-S3-10. */
const compareIds = (a: string, b: string): number => a.localeCompare(b, "en", { numeric: true });

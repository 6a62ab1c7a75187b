/**
 * The shapes the policy rules work on. Nothing here imports @pulumi/policy: the rules run over
 * the mock graph in jest and `npm run plan`, and over a real preview through policy/index.ts.
 */
import type { StackMode } from "../lib/config";
import type { ResourceIndex } from "./resource-index";

export type { StackMode };

export type Severity = "critical" | "high" | "medium" | "low";

/** mandatory fails `npm run plan` and `pulumi preview --policy-pack policy`; advisory only warns. */
export type Enforcement = "mandatory" | "advisory";

/**
 * One resource of the stack as the rules see it. tests/support's CapturedResource satisfies it,
 * and policy/index.ts builds it from what the policy engine passes during a real preview.
 */
export interface GraphResource {
  readonly urn: string;
  readonly type: string;
  /** The logical name. */
  readonly name: string;
  /**
   * The resource's inputs. During a real preview a value that is not known yet is UNKNOWN
   * (see below); rules pass on what they cannot know.
   */
  readonly inputs: Readonly<Record<string, unknown>>;
  /** The region of the resource's provider; "" when unknown. */
  readonly region: string;
  /** Pulumi `protect`; undefined when the caller cannot tell. */
  readonly protect?: boolean;
  /** Pulumi `retainOnDelete`; undefined when the caller cannot tell (the policy engine does not pass it). */
  readonly retainOnDelete?: boolean;
  /** URN of the parent; "" for none. */
  readonly parent: string;
  /** URNs of the resources this one depends on (explicit and through its inputs). */
  readonly dependencies?: readonly string[];
  /** The same, per input property, where known (the policy engine passes them; the mocks do not). */
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/** What a rule knows about the stack besides the resource it checks. */
export interface PolicyContext {
  readonly mode: StackMode;
  /** The regions the stack deploys to (those of its AWS providers). */
  readonly regions: readonly string[];
  /**
   * ARNs of the customer-managed KMS keys each region's key resources have in the graph. undefined
   * when the caller cannot know them (a resource-at-a-time check during a real preview): the
   * encryption rules then check that the key is a key ARN of the resource's own region.
   */
  readonly regionKeys?: Readonly<Record<string, readonly string[]>>;
  /** Every resource of the stack, for rules that relate resources (scope "stack"). */
  readonly graph: ResourceIndex;
}

export interface PolicyRule {
  /** Stable id, "TAP-<AREA>-<n>"; waivers name it. */
  readonly id: string;
  readonly title: string;
  /** The public baseline controls the rule implements (Security Hub FSBP, cdk-nag AwsSolutions, checkov). */
  readonly baseline: string;
  readonly severity: Severity;
  readonly enforcement: Enforcement;
  /** The Pulumi type tokens the rule checks. */
  readonly resourceTypes: readonly string[];
  /**
   * resource: decided by the resource's own inputs (the policy pack checks it before the
   * resource is created). stack: needs other resources of the graph (context.graph), so the pack
   * checks it once over the whole stack.
   */
  readonly scope: "resource" | "stack";
  /** What to change when the rule fails. */
  readonly remediation: string;
  /** One message per problem; [] when the resource passes. */
  validate(resource: GraphResource, context: PolicyContext): string[];
}

/**
 * A value that is not known yet (during a real preview, for example the ARN of a key that does not
 * exist yet). Rules treat it as "cannot tell" and report nothing about it.
 */
export const UNKNOWN: unique symbol = Symbol.for("tap-dr.policy.unknown");

export const isUnknown = (value: unknown): value is typeof UNKNOWN => value === UNKNOWN;

/**
 * Waivers: a rule that does not apply to a resource, with the reason written down. Built-in
 * waivers are the ones this stack needs by design (the README's waiver table lists them); a
 * stack adds its own with the `policyWaivers` config key (lib/policy-waivers-config.ts).
 */
import type { PolicyWaiver } from "../lib/policy-waivers-config";
import { GraphResource, StackMode } from "./model";

export type { PolicyWaiver };

/** A waiver the stack needs by design. */
export interface BuiltInWaiver extends PolicyWaiver {
  /**
   * Only violations whose message contains one of these (for IAM rules, the statement's Sid:
   * `statement "ReadCorroboratingMetrics"`), so a new statement on the same policy is not waived.
   */
  readonly messageContains?: readonly string[];
  /** Only in these stack modes. @default both */
  readonly modes?: readonly StackMode[];
}

/**
 * Whether a waiver's `resource` names the resource: its logical name, or the end of its URN
 * (after "::" or "$", or the whole URN); `*` matches any run of characters.
 */
export function waiverMatchesResource(pattern: string, resource: GraphResource): boolean {
  if (!pattern.includes("*")) {
    return (
      resource.name === pattern ||
      resource.urn === pattern ||
      resource.urn.endsWith(`::${pattern}`) ||
      resource.urn.endsWith(`$${pattern}`)
    );
  }
  const body = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return (
    new RegExp(`^${body}$`).test(resource.name) ||
    new RegExp(`(^|::|\\$)${body}$`).test(resource.urn)
  );
}

export function builtInWaiverApplies(
  waiver: BuiltInWaiver,
  resource: GraphResource,
  message: string,
  mode: StackMode,
): boolean {
  return (
    waiverMatchesResource(waiver.resource, resource) &&
    (waiver.modes === undefined || waiver.modes.includes(mode)) &&
    (waiver.messageContains === undefined ||
      waiver.messageContains.some((part) => message.includes(part)))
  );
}

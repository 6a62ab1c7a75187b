/**
 * The `policyWaivers` config key: a stack's written exceptions to the policy pack's rules
 * (policy/). The program itself does not use them; `npm run plan` and the pack do. They are
 * validated with the rest of the config so a malformed waiver fails before anything deploys.
 * Whether a waiver's rule exists and matches a resource is decided by the policy evaluation
 * (policy/evaluate.ts), which knows the rules and the graph.
 */

/** One waiver: the rule, the resource it exempts, and why. */
export interface PolicyWaiver {
  /** A rule id as `npm run plan` prints it, for example "TAP-S3-5". */
  readonly rule: string;
  /**
   * The resource: its logical name (for example "tap-primary-data-documents") or the end of its
   * URN; `*` matches any run of characters ("tap-*-data-documents" covers both regions).
   */
  readonly resource: string;
  /** Why the rule does not apply; printed with every plan. Required. */
  readonly reason: string;
}

export interface RawPolicyWaiversConfig {
  /** A list of {rule, resource, reason} maps; Pulumi hands a structured key over as JSON. */
  readonly policyWaivers?: unknown;
}

/** The form of a rule id: TAP-<AREA>-<n>. */
export const POLICY_RULE_ID_PATTERN = /^TAP-[A-Z0-9]+-[1-9][0-9]*$/;

const FIELDS = ["rule", "resource", "reason"] as const;

const HOW_TO_SET =
  "set entries with `pulumi config set --path 'policyWaivers[0].rule' TAP-S3-5` (and `.resource`, `.reason`)";

/** Validates `policyWaivers`; every problem names the entry, the field, the value and what is allowed. */
export function parsePolicyWaivers(
  raw: RawPolicyWaiversConfig,
  problems: string[],
): PolicyWaiver[] {
  const value = raw.policyWaivers;
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    problems.push(
      `policyWaivers: ${JSON.stringify(value)} is not a list of {rule, resource, reason}; ${HOW_TO_SET}`,
    );
    return [];
  }
  const waivers: PolicyWaiver[] = [];
  const seen = new Map<string, number>();
  value.forEach((entry: unknown, index) => {
    const at = `policyWaivers[${index}]`;
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      problems.push(
        `${at}: ${JSON.stringify(entry)} is not a map; a waiver has rule, resource and reason`,
      );
      return;
    }
    const fields = entry as Record<string, unknown>;
    const before = problems.length;
    for (const key of Object.keys(fields)) {
      if (!(FIELDS as readonly string[]).includes(key)) {
        problems.push(`${at}.${key}: is not a waiver field; use rule, resource and reason`);
      }
    }
    const rule = textField(fields, "rule", at, problems);
    if (rule !== undefined && !POLICY_RULE_ID_PATTERN.test(rule)) {
      problems.push(
        `${at}.rule: "${rule}" is not a policy rule id; use an id as \`npm run plan\` prints it, TAP-<AREA>-<n> (for example TAP-S3-5)`,
      );
    }
    const resource = textField(fields, "resource", at, problems);
    const reason = textField(fields, "reason", at, problems);
    if (problems.length > before || rule === undefined || resource === undefined) return;
    if (reason === undefined) return;
    const key = `${rule}\u0000${resource}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push(
        `${at}: waives ${rule} for "${resource}" again (policyWaivers[${first}] already does); keep one`,
      );
      return;
    }
    seen.set(key, index);
    waivers.push({ rule, resource, reason });
  });
  return waivers;
}

const FIELD_HELP: Record<(typeof FIELDS)[number], string> = {
  rule: "the rule id as `npm run plan` prints it (for example TAP-S3-5)",
  resource:
    'the resource\'s logical name or the end of its URN; * matches any characters (for example "tap-*-data-documents")',
  reason: "why the rule does not apply to this resource; it is printed with every plan",
};

function textField(
  fields: Record<string, unknown>,
  field: (typeof FIELDS)[number],
  at: string,
  problems: string[],
): string | undefined {
  const value = fields[field];
  if (value === undefined || (typeof value === "string" && value.trim() === "")) {
    problems.push(`${at}.${field}: is required; give ${FIELD_HELP[field]}`);
    return undefined;
  }
  if (typeof value !== "string") {
    problems.push(
      `${at}.${field}: ${JSON.stringify(value)} is not text; give ${FIELD_HELP[field]}`,
    );
    return undefined;
  }
  return value.trim();
}

/**
 * The ephemeral stack of a pull request: its Pulumi stack name and its environmentSuffix, both
 * "pr-<number>". Pure, so a test proves every PR number up to 7 digits gives a suffix the
 * program accepts; the pull-request workflow computes the names by running this module's CLI
 * (tools/ci/pr-stack.ts), so the workflow and the test cannot disagree.
 */
import { ENVIRONMENT_SUFFIX_PATTERN, MAX_ENVIRONMENT_SUFFIX_LENGTH } from "../../lib/naming";

/** Prefix of every ephemeral stack and suffix; the bootstrap's "pr-*" deploy role is scoped to it. */
export const PR_STACK_PREFIX = "pr-";

/** The largest PR number the derivation is proven for here: 7 digits. */
export const MAX_PROVEN_PR_NUMBER = 9_999_999;

export interface PrStack {
  /** Pulumi stack name, e.g. "pr-123". */
  readonly stack: string;
  /** The stack's environmentSuffix config, e.g. "pr-123": part of every physical name. */
  readonly environmentSuffix: string;
}

/**
 * The stack name and environmentSuffix of pull request `prNumber`. Throws for anything but a
 * positive integer, and for a number so large that "pr-<number>" would not fit the suffix
 * length limit (14 digits and more).
 */
export function prStack(prNumber: number): PrStack {
  if (!Number.isSafeInteger(prNumber) || prNumber < 1) {
    throw new Error(`PR number must be a positive integer (1, 2, ...); got ${String(prNumber)}`);
  }
  const suffix = `${PR_STACK_PREFIX}${prNumber}`;
  if (suffix.length > MAX_ENVIRONMENT_SUFFIX_LENGTH) {
    throw new Error(
      `PR number ${prNumber} gives environmentSuffix "${suffix}" (${suffix.length} characters); at most ${MAX_ENVIRONMENT_SUFFIX_LENGTH} are allowed`,
    );
  }
  if (!ENVIRONMENT_SUFFIX_PATTERN.test(suffix)) {
    // Unreachable for decimal digits; kept so a change to the pattern fails here, not in AWS.
    throw new Error(
      `environmentSuffix "${suffix}" does not match ${String(ENVIRONMENT_SUFFIX_PATTERN)}`,
    );
  }
  return { stack: suffix, environmentSuffix: suffix };
}

/**
 * A PR number as the workflow passes it (github.event.pull_request.number, as text): decimal
 * digits only, no sign, no leading zero, no whitespace.
 */
export function parsePrNumber(text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) {
    throw new Error(
      `PR number "${text}" is not a positive decimal integer (digits only, no leading zero)`,
    );
  }
  return Number(text);
}

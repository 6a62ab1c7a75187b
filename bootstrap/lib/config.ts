/**
 * The bootstrap's configuration: which GitHub repository deploys tap-dr, which stacks it
 * deploys (each with its GitHub environment), and where Pulumi keeps its state. Parsing and
 * every check are pure, so each message is tested with its exact text.
 */
import { ENVIRONMENT_SUFFIX_PATTERN, MAX_ENVIRONMENT_SUFFIX_LENGTH } from "../../lib/naming";
import { isAwsRegion } from "../../lib/util/aws-regions";

/** tap-dr's Pulumi project name: the self-managed backend keeps its stacks under it. */
export const TAP_DR_PROJECT = "tap-dr";

/** Prefix of every name the bootstrap creates. It never starts with "tap-", so no tap-dr stack's
 * `tap-<suffix>-*` grants can ever match a bootstrap role, policy, key or bucket. */
export const CI_PREFIX = "ci-tap-dr";

export type StateBackend = "s3" | "pulumi-cloud";
export const STATE_BACKENDS: readonly StateBackend[] = ["s3", "pulumi-cloud"];

/** One tap-dr stack (or family of ephemeral stacks) that the pipeline deploys. */
export interface CiTarget {
  /** tap-dr stack name, or a prefix ending in "*" for ephemeral stacks ("pr-*"). */
  readonly stack: string;
  /** GitHub environment whose jobs may assume the deploy role (required reviewers, main only). */
  readonly environment: string;
  /** The stack's environmentSuffix, or a prefix ending in "*" ("pr-*"). Scopes the deploy role. */
  readonly environmentSuffix: string;
  /** The stack's primaryRegion and drRegion: regional services are allowed only there. */
  readonly regions: readonly [string, string];
  /**
   * GitHub environment of the read-only jobs (PR preview, `npm run dr -- status`). undefined:
   * no read role. @default "<environment>-read" for a single stack, none for a pattern
   */
  readonly readEnvironment?: string;
  /** The stack's domainName: Route 53 record changes are limited to it and its subdomains. */
  readonly domainName?: string;
}

export interface BootstrapConfig {
  /** "owner/name" of the GitHub repository, spelled exactly as GitHub does (the claim is case-sensitive). */
  readonly githubRepository: string;
  /** Region of the state bucket, its keys and the secrets keys. @default "us-east-1" */
  readonly region: string;
  /** Where tap-dr's pipeline keeps state. @default "s3" */
  readonly stateBackend: StateBackend;
  readonly targets: readonly CiTarget[];
  /** An account has one provider per URL: give its ARN to reuse one. @default creates it */
  readonly existingOidcProviderArn?: string;
  /** The CI roles' maximum session: GitHub's credentials are never renewed. @default 14400 (4 h) */
  readonly maxSessionDurationSeconds: number;
}

/** Thrown for an invalid configuration; lists every problem, one per line. */
export class BootstrapConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid tap-dr-bootstrap configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "BootstrapConfigError";
  }
}

/** The raw config values, as `pulumi config` holds them (keys without the namespace). */
export interface RawBootstrapConfig {
  readonly githubRepository?: string;
  readonly region?: string;
  readonly stateBackend?: string;
  readonly targets?: unknown;
  readonly existingOidcProviderArn?: string;
  readonly maxSessionDurationSeconds?: number;
}

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;
/** GitHub environment names; no wildcard characters, since the name goes into an exact claim. */
const GITHUB_ENVIRONMENT = /^[A-Za-z0-9._-]{1,255}$/;
const STACK = /^[a-z0-9][a-z0-9-]*$/;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const OIDC_PROVIDER_ARN =
  /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;
/** Room left in a 64-character role name: "ci-tap-dr-" + id + "-deploy". */
const MAX_TARGET_ID_LENGTH = 40;

/** "pr-*" -> "pr", "staging" -> "staging": the target's part of the bootstrap's names. */
export function targetId(stack: string): string {
  return stack.endsWith("*") ? stack.slice(0, -1).replace(/-$/, "") : stack;
}

const isPattern = (value: string): boolean => value.endsWith("*");

function checkSuffix(index: number, value: string, problems: string[]): void {
  const key = `targets[${index}].environmentSuffix`;
  const pattern = value.endsWith("-*");
  const fixed = pattern ? value.slice(0, -2) : value;
  if (!ENVIRONMENT_SUFFIX_PATTERN.test(fixed) || (!pattern && value.includes("*"))) {
    problems.push(
      `${key}: "${value}" is not an environmentSuffix (lowercase letters, digits and single inner hyphens) or such a prefix followed by "-*" (for example "staging" or "pr-*")`,
    );
    return;
  }
  // The shortest suffix a pattern admits is "<prefix>-<one digit>".
  const shortest = pattern ? fixed.length + 2 : fixed.length;
  if (shortest > MAX_ENVIRONMENT_SUFFIX_LENGTH) {
    problems.push(
      `${key}: "${value}" is longer than the ${MAX_ENVIRONMENT_SUFFIX_LENGTH}-character environmentSuffix limit`,
    );
  }
}

function parseTarget(index: number, raw: unknown, problems: string[]): CiTarget | undefined {
  const at = `targets[${index}]`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problems.push(
      `${at}: must be an object with stack, environment, environmentSuffix and regions`,
    );
    return undefined;
  }
  const t = raw as Record<string, unknown>;
  const text = (key: string): string | undefined => {
    const value = t[key];
    if (value === undefined) return undefined;
    if (typeof value !== "string") {
      problems.push(`${at}.${key}: must be a string; got ${JSON.stringify(value)}`);
      return undefined;
    }
    return value;
  };
  const stack = text("stack");
  const environment = text("environment");
  const environmentSuffix = text("environmentSuffix");
  const domainName = text("domainName");
  const rawRead = t.readEnvironment;
  for (const [key, value] of [
    ["stack", stack],
    ["environment", environment],
    ["environmentSuffix", environmentSuffix],
  ] as const) {
    if (value === undefined && t[key] === undefined) problems.push(`${at}.${key}: is required`);
  }
  if (stack !== undefined) {
    const id = targetId(stack);
    if (!STACK.test(id) || (isPattern(stack) && !stack.endsWith("-*"))) {
      problems.push(
        `${at}.stack: "${stack}" must be a stack name (lowercase letters, digits, hyphens) or a prefix ending in "-*" (for example "pr-*")`,
      );
    } else if (id.length > MAX_TARGET_ID_LENGTH) {
      problems.push(`${at}.stack: "${stack}" is longer than ${MAX_TARGET_ID_LENGTH} characters`);
    }
  }
  for (const [key, value] of [
    ["environment", environment],
    ["readEnvironment", typeof rawRead === "string" ? rawRead : undefined],
  ] as const) {
    if (value !== undefined && !GITHUB_ENVIRONMENT.test(value)) {
      problems.push(
        `${at}.${key}: "${value}" must be a GitHub environment name of letters, digits, ".", "_" and "-" (no wildcards: it is matched exactly)`,
      );
    }
  }
  if (rawRead !== undefined && rawRead !== null && typeof rawRead !== "string") {
    problems.push(`${at}.readEnvironment: must be a string, or null for no read role`);
  }
  if (environmentSuffix !== undefined) checkSuffix(index, environmentSuffix, problems);
  if (
    stack !== undefined &&
    environmentSuffix !== undefined &&
    isPattern(stack) !== isPattern(environmentSuffix)
  ) {
    problems.push(
      `${at}: stack "${stack}" and environmentSuffix "${environmentSuffix}" must both be patterns ending in "*" (ephemeral stacks) or both plain names`,
    );
  }
  const regions = t.regions;
  let pair: [string, string] | undefined;
  if (
    !Array.isArray(regions) ||
    regions.length !== 2 ||
    !regions.every((region): region is string => typeof region === "string")
  ) {
    problems.push(
      `${at}.regions: must list the stack's primaryRegion and drRegion, for example ["us-east-1", "us-east-2"]`,
    );
  } else {
    for (const region of regions.filter((region) => !isAwsRegion(region))) {
      problems.push(`${at}.regions: "${region}" is not an AWS commercial region`);
    }
    if (regions[0] === regions[1]) {
      problems.push(
        `${at}.regions: primaryRegion and drRegion must differ (both are "${regions[0]}")`,
      );
    }
    pair = [regions[0], regions[1]];
  }
  if (domainName !== undefined && !DOMAIN.test(domainName)) {
    problems.push(
      `${at}.domainName: "${domainName}" is not a lowercase DNS name such as payments.example.com`,
    );
  }
  if (
    stack === undefined ||
    environment === undefined ||
    environmentSuffix === undefined ||
    !pair
  ) {
    return undefined;
  }
  const readEnvironment =
    rawRead === null
      ? undefined
      : typeof rawRead === "string"
        ? rawRead
        : isPattern(stack)
          ? undefined
          : `${environment}-read`;
  return {
    stack,
    environment,
    environmentSuffix,
    regions: pair,
    ...(readEnvironment !== undefined ? { readEnvironment } : {}),
    ...(domainName !== undefined ? { domainName } : {}),
  };
}

/** Parses and checks the whole configuration; throws a BootstrapConfigError listing every problem. */
export function parseBootstrapConfig(raw: RawBootstrapConfig): BootstrapConfig {
  const problems: string[] = [];
  const githubRepository = raw.githubRepository ?? "";
  if (!REPOSITORY.test(githubRepository)) {
    problems.push(
      `githubRepository: ${githubRepository === "" ? "is required" : `"${githubRepository}" is not of the form owner/name`}; set it with \`pulumi config set githubRepository <owner>/<name>\``,
    );
  }
  const region = raw.region ?? "us-east-1";
  if (!isAwsRegion(region)) problems.push(`region: "${region}" is not an AWS commercial region`);
  const stateBackend = (raw.stateBackend ?? "s3") as StateBackend;
  if (!STATE_BACKENDS.includes(stateBackend)) {
    problems.push(
      `stateBackend: "${String(raw.stateBackend)}" must be one of ${STATE_BACKENDS.join(", ")}`,
    );
  }
  const maxSessionDurationSeconds = raw.maxSessionDurationSeconds ?? 14_400;
  if (
    !Number.isInteger(maxSessionDurationSeconds) ||
    maxSessionDurationSeconds < 3_600 ||
    maxSessionDurationSeconds > 43_200
  ) {
    problems.push(
      `maxSessionDurationSeconds: ${String(maxSessionDurationSeconds)} must be a whole number of seconds from 3600 to 43200 (IAM's MaxSessionDuration range)`,
    );
  }
  if (
    raw.existingOidcProviderArn !== undefined &&
    !OIDC_PROVIDER_ARN.test(raw.existingOidcProviderArn)
  ) {
    problems.push(
      `existingOidcProviderArn: "${raw.existingOidcProviderArn}" is not the ARN of a token.actions.githubusercontent.com OIDC provider`,
    );
  }
  const targets: CiTarget[] = [];
  if (!Array.isArray(raw.targets) || raw.targets.length === 0) {
    problems.push(
      "targets: list at least one stack, for example [{stack: staging, environment: staging, environmentSuffix: staging, regions: [us-east-1, us-east-2]}]",
    );
  } else {
    (raw.targets as unknown[]).forEach((entry, index) => {
      const target = parseTarget(index, entry, problems);
      if (target !== undefined) targets.push(target);
    });
    checkDistinct(targets, problems);
  }
  if (problems.length > 0) throw new BootstrapConfigError(problems);
  return {
    githubRepository,
    region,
    stateBackend,
    targets,
    maxSessionDurationSeconds,
    ...(raw.existingOidcProviderArn !== undefined
      ? { existingOidcProviderArn: raw.existingOidcProviderArn }
      : {}),
  };
}

/** "tap-<suffix>-" of a suffix or pattern ("pr-*" -> "tap-pr-"): the start of its names. */
const namePrefix = (suffix: string): string =>
  `tap-${suffix.endsWith("-*") ? suffix.slice(0, -2) : suffix}-`;

/**
 * Two targets with one id would share role names; two with one environment, one trust; and a
 * suffix whose names start with another's ("staging" and "staging-eu") would let one target's
 * `tap-<suffix>-*` grants reach the other's resources.
 */
function checkDistinct(targets: readonly CiTarget[], problems: string[]): void {
  targets.forEach((a, i) => {
    for (const b of targets.slice(i + 1)) {
      const [pa, pb] = [namePrefix(a.environmentSuffix), namePrefix(b.environmentSuffix)];
      if (pa.startsWith(pb) || pb.startsWith(pa)) {
        problems.push(
          `targets: the environmentSuffix "${a.environmentSuffix}" of "${a.stack}" and "${b.environmentSuffix}" of "${b.stack}" overlap (names starting "${pa.length < pb.length ? pa : pb}" belong to both); choose suffixes where neither is the other followed by "-"`,
        );
      }
    }
  });
  const seen = new Map<string, string>();
  for (const target of targets) {
    const claims = [
      [`id ${targetId(target.stack)}`, target.stack],
      [`environment ${target.environment}`, target.stack],
      ...(target.readEnvironment !== undefined
        ? [[`environment ${target.readEnvironment}`, target.stack] as const]
        : []),
    ] as const;
    for (const [claim, stack] of claims) {
      const other = seen.get(claim);
      if (other !== undefined) {
        problems.push(`targets: "${other}" and "${stack}" share the ${claim}; each needs its own`);
      }
      seen.set(claim, stack);
    }
  }
}

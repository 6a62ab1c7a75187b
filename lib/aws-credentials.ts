/**
 * The stack's AWS credential settings (the `aws:` config namespace), validated once and handed
 * to every provider this program creates.
 *
 * Why this exists: every resource here uses an explicit `aws.Provider` (one per region), and an
 * explicit provider is configured independently of any `aws:*` stack config; it reads only the
 * environment (AWS_PROFILE and friends). Pulumi's answer in pulumi/pulumi-aws#1307: "It is
 * currently by design that an explicit provider is configured independent of any `aws:*`
 * config". So `pulumi config set aws:profile prod` would otherwise be ignored and the stack
 * would deploy with whatever the default credential chain finds.
 *
 * Pure: no Pulumi calls. lib/config.ts reads the values and lib/aws-provider.ts applies them.
 */
import { scalarText } from "./util/config-checks";

/** One role in the provider's assume-role chain (`aws:assumeRoles[i]`, @pulumi/aws 7). */
export interface AssumeRole {
  /** The role to assume: arn:<partition>:iam::<account>:role/<name>. */
  readonly roleArn: string;
  readonly sessionName?: string;
  readonly externalId?: string;
  /** Session length as a duration ("1h", "15m"); the provider checks its range (15 min - 12 h). */
  readonly duration?: string;
  /** Session policy JSON that narrows the role's permissions. */
  readonly policy?: string;
  readonly policyArns?: readonly string[];
  readonly sourceIdentity?: string;
  /** Session tags. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly transitiveTagKeys?: readonly string[];
}

/**
 * What every provider gets besides its region. Every field is optional: an empty object
 * means the environment's default credential chain, as before.
 */
export interface AwsCredentials {
  /** Named profile from the shared config/credentials files. */
  readonly profile?: string;
  /** Roles assumed in order after the base credentials are found (role chaining). */
  readonly assumeRoles?: readonly AssumeRole[];
  /**
   * The provider refuses credentials of any other account, when it is configured and before
   * any resource operation (the Terraform AWS provider's ConfigureProvider calls
   * VerifyAccountIDAllowed right after it resolves the account: "AWS account ID not allowed").
   */
  readonly allowedAccountIds?: readonly string[];
  /** The provider refuses credentials of these accounts. */
  readonly forbiddenAccountIds?: readonly string[];
  readonly sharedConfigFiles?: readonly string[];
  readonly sharedCredentialsFiles?: readonly string[];
}

/**
 * Raw `aws:` config values. Scalars arrive as text; lists and maps as parsed JSON (or the text,
 * when it is not JSON). The keys the program does not pass on are read only to refuse them.
 */
export interface RawAwsConfig {
  readonly profile?: string;
  readonly region?: string;
  readonly assumeRoles?: unknown;
  readonly allowedAccountIds?: unknown;
  readonly forbiddenAccountIds?: unknown;
  readonly sharedConfigFiles?: unknown;
  readonly sharedCredentialsFiles?: unknown;
  /** @pulumi/aws 6's single role; @pulumi/aws 7 replaced it with the list assumeRoles. */
  readonly assumeRole?: unknown;
  /** Static keys and web identity: only whether they are set matters; values are never shown. */
  readonly accessKey?: unknown;
  readonly secretKey?: unknown;
  readonly token?: unknown;
  readonly assumeRoleWithWebIdentity?: unknown;
}

/** Set in the stack but not passed on: refused, so that they are never silently ignored. */
const NOT_PASSED_ON = ["accessKey", "secretKey", "token", "assumeRoleWithWebIdentity"] as const;

const ASSUME_ROLE_FIELDS = [
  "roleArn",
  "sessionName",
  "externalId",
  "duration",
  "policy",
  "policyArns",
  "sourceIdentity",
  "tags",
  "transitiveTagKeys",
] as const satisfies readonly (keyof AssumeRole)[];

/** The commercial partition only, like the regions (lib/util/aws-regions.ts). */
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]+$/;
/** STS AssumeRole RoleSessionName: 2-64 characters of [\w+=,.@-] (STS API Reference). */
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const ACCOUNT_ID = /^\d{12}$/;

const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A non-empty list, or undefined (unset or refused, with a problem). */
function list(
  key: string,
  value: unknown,
  what: string,
  setExample: string,
  problems: string[],
): unknown[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.push(
      `${key}: ${show(value)} is not a list of ${what}; set entries with ${setExample}`,
    );
    return undefined;
  }
  if (value.length === 0) {
    problems.push(
      `${key}: [] is empty; add an entry or remove the key (\`pulumi config rm ${key}\`)`,
    );
    return undefined;
  }
  return value as unknown[];
}

/**
 * An account id list. An id set with `--path` arrives as a number (scalarText): a 12-digit
 * number is unambiguous; a shorter one has lost its leading zeros and is refused.
 */
function accountIds(key: string, value: unknown, problems: string[]): string[] | undefined {
  const entries = list(
    key,
    value,
    "account ids",
    `\`pulumi config set --path '${key}[0]' --type string 123456789012\``,
    problems,
  );
  if (entries === undefined) return undefined;
  const ids: string[] = [];
  entries.forEach((entry, index) => {
    const text = typeof entry === "number" ? scalarText(entry) : entry;
    if (typeof text !== "string" || !ACCOUNT_ID.test(text)) {
      problems.push(
        `${key}[${index}]: ${show(entry)} is not a 12-digit AWS account id; set ids as text, since a number loses leading zeros: \`pulumi config set --path '${key}[${index}]' --type string <id>\``,
      );
      return;
    }
    ids.push(text);
  });
  return ids.length === entries.length ? ids : undefined;
}

function filePaths(key: string, value: unknown, problems: string[]): string[] | undefined {
  const entries = list(
    key,
    value,
    "file paths",
    `\`pulumi config set --path '${key}[0]' <path>\``,
    problems,
  );
  if (entries === undefined) return undefined;
  const paths: string[] = [];
  entries.forEach((entry, index) => {
    if (typeof entry !== "string" || entry.trim() === "") {
      problems.push(`${key}[${index}]: ${show(entry)} is not a file path`);
      return;
    }
    paths.push(entry);
  });
  return paths.length === entries.length ? paths : undefined;
}

function optionalString(key: string, value: unknown, problems: string[]): string | undefined {
  if (value === undefined || typeof value === "string") return value;
  problems.push(`${key}: ${show(value)} is not a string`);
  return undefined;
}

function optionalStrings(key: string, value: unknown, problems: string[]): string[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((entry): entry is string => typeof entry === "string")) {
    return value;
  }
  problems.push(`${key}: ${show(value)} is not a list of strings`);
  return undefined;
}

function sessionTags(
  key: string,
  value: unknown,
  problems: string[],
): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value)) {
    problems.push(`${key}: ${show(value)} is not a map of session tags`);
    return undefined;
  }
  const tags: Record<string, string> = {};
  for (const [tagKey, tagValue] of Object.entries(value)) {
    const text = scalarText(tagValue);
    if (text === undefined) {
      problems.push(`${key}.${tagKey}: ${show(tagValue)} is not a string, number or boolean`);
    } else {
      tags[tagKey] = text;
    }
  }
  return tags;
}

function assumeRole(key: string, value: unknown, problems: string[]): AssumeRole | undefined {
  if (!isRecord(value)) {
    problems.push(
      `${key}: ${show(value)} is not a role; give at least roleArn: \`pulumi config set --path '${key}.roleArn' arn:aws:iam::123456789012:role/<name>\``,
    );
    return undefined;
  }
  const before = problems.length;
  for (const field of Object.keys(value)) {
    if (!(ASSUME_ROLE_FIELDS as readonly string[]).includes(field)) {
      problems.push(
        `${key}.${field}: is not a field of an assumed role; use ${ASSUME_ROLE_FIELDS.join(", ")}`,
      );
    }
  }
  const roleArn = value.roleArn;
  if (typeof roleArn !== "string" || !ROLE_ARN.test(roleArn)) {
    const what = roleArn === undefined ? "is missing" : `${show(roleArn)} is not an IAM role ARN`;
    problems.push(`${key}.roleArn: ${what}; use the form arn:aws:iam::123456789012:role/<name>`);
  }
  const sessionName = value.sessionName;
  if (
    sessionName !== undefined &&
    (typeof sessionName !== "string" || !SESSION_NAME.test(sessionName))
  ) {
    problems.push(
      `${key}.sessionName: ${show(sessionName)} is not allowed; use 2 to 64 letters, digits and _+=,.@- (STS RoleSessionName)`,
    );
  }
  const role: AssumeRole = {
    roleArn: typeof roleArn === "string" ? roleArn : "",
    sessionName: typeof sessionName === "string" ? sessionName : undefined,
    externalId: optionalString(`${key}.externalId`, value.externalId, problems),
    duration: optionalString(`${key}.duration`, value.duration, problems),
    policy: optionalString(`${key}.policy`, value.policy, problems),
    policyArns: optionalStrings(`${key}.policyArns`, value.policyArns, problems),
    sourceIdentity: optionalString(`${key}.sourceIdentity`, value.sourceIdentity, problems),
    tags: sessionTags(`${key}.tags`, value.tags, problems),
    transitiveTagKeys: optionalStrings(
      `${key}.transitiveTagKeys`,
      value.transitiveTagKeys,
      problems,
    ),
  };
  // Unset fields stay undefined: the provider's JSON input drops them.
  return problems.length === before ? role : undefined;
}

function assumeRoles(value: unknown, problems: string[]): AssumeRole[] | undefined {
  const entries = list(
    "aws:assumeRoles",
    value,
    "roles",
    "`pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>`",
    problems,
  );
  if (entries === undefined) return undefined;
  const roles = entries.map((entry, index) =>
    assumeRole(`aws:assumeRoles[${index}]`, entry, problems),
  );
  return roles.every((role): role is AssumeRole => role !== undefined) ? roles : undefined;
}

/** The last role's account must pass the account lists: the provider checks the final identity. */
function checkRoleAccount(
  roles: readonly AssumeRole[] | undefined,
  allowed: readonly string[] | undefined,
  forbidden: readonly string[] | undefined,
  problems: string[],
): void {
  if (roles === undefined) return;
  const index = roles.length - 1;
  const account = ROLE_ARN.exec(roles[index].roleArn)?.[1];
  if (account === undefined) return;
  const key = `aws:assumeRoles[${index}].roleArn`;
  if (allowed !== undefined && !allowed.includes(account)) {
    problems.push(
      `${key}: the role is in account ${account}, which aws:allowedAccountIds (${allowed.join(", ")}) does not list; the provider would refuse it`,
    );
  }
  if (forbidden?.includes(account)) {
    problems.push(
      `${key}: the role is in account ${account}, which aws:forbiddenAccountIds lists; the provider would refuse it`,
    );
  }
}

/**
 * Validates the stack's `aws:` settings, adding one line per problem to `problems` (each names
 * the key, the value and what is allowed); returns what every provider gets.
 *
 * `aws:region` is not passed on: each component's provider has its own region (primaryRegion or
 * drRegion). It is tolerated when it equals primaryRegion (project templates and Pulumi ESC
 * environments often set it) and refused otherwise: a stack that says `aws:region: eu-west-1`
 * but deploys to us-east-1 is the surprise this check exists to stop.
 */
export function parseAwsCredentials(
  raw: RawAwsConfig,
  regions: { readonly primaryRegion: string; readonly drRegion: string },
  problems: string[],
): AwsCredentials {
  const { primaryRegion, drRegion } = regions;
  if (raw.region !== undefined && raw.region !== primaryRegion) {
    problems.push(
      `aws:region: "${raw.region}" is not used: each region's provider takes its region from primaryRegion ("${primaryRegion}") or drRegion ("${drRegion}"); set primaryRegion instead, or remove aws:region (\`pulumi config rm aws:region\`)`,
    );
  }
  if (raw.assumeRole !== undefined) {
    // @pulumi/aws 7 migration guide, "Provider role chaining": aws:assumeRole becomes the list
    // aws:assumeRoles.
    problems.push(
      "aws:assumeRole: @pulumi/aws 7 replaced it with the list aws:assumeRoles; run `pulumi config rm aws:assumeRole` and `pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>`",
    );
  }
  for (const key of NOT_PASSED_ON) {
    if (raw[key] !== undefined) {
      problems.push(
        `aws:${key}: is set, but this program passes only aws:profile, aws:assumeRoles, aws:allowedAccountIds, aws:forbiddenAccountIds, aws:sharedConfigFiles and aws:sharedCredentialsFiles to its providers; remove it and supply the credentials through the environment (AWS_PROFILE, or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN)`,
      );
    }
  }

  let profile: string | undefined;
  if (raw.profile !== undefined) {
    if (raw.profile.trim() === "") {
      problems.push(
        `aws:profile: ${show(raw.profile)} is blank; set a profile name from your AWS config (\`pulumi config set aws:profile <name>\`) or remove the key`,
      );
    } else {
      profile = raw.profile;
    }
  }
  const roles = assumeRoles(raw.assumeRoles, problems);
  const allowed = accountIds("aws:allowedAccountIds", raw.allowedAccountIds, problems);
  const forbidden = accountIds("aws:forbiddenAccountIds", raw.forbiddenAccountIds, problems);
  if (allowed !== undefined && forbidden !== undefined) {
    // "allowedAccountIds ... Conflicts with forbiddenAccountIds" (@pulumi/aws configuration docs).
    problems.push(
      "aws:forbiddenAccountIds: conflicts with aws:allowedAccountIds (the AWS provider takes one or the other); keep aws:allowedAccountIds",
    );
  }
  checkRoleAccount(roles, allowed, forbidden, problems);
  const configFiles = filePaths("aws:sharedConfigFiles", raw.sharedConfigFiles, problems);
  const credentialFiles = filePaths(
    "aws:sharedCredentialsFiles",
    raw.sharedCredentialsFiles,
    problems,
  );

  // Unset keys stay undefined, which leaves the provider's input unset (as before this existed).
  return {
    profile,
    assumeRoles: roles,
    allowedAccountIds: allowed,
    forbiddenAccountIds: forbidden,
    sharedConfigFiles: configFiles,
    sharedCredentialsFiles: credentialFiles,
  };
}

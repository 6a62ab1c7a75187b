import * as pulumi from "@pulumi/pulumi";
import { AWS_COMMERCIAL_REGIONS, isAwsRegion } from "./util/aws-regions";
import { ENVIRONMENT_SUFFIX_PATTERN, MAX_ENVIRONMENT_SUFFIX_LENGTH } from "./naming";
import {
  LARGEST_AWS_VPC_PREFIX,
  MAX_AZ_COUNT,
  MIN_AZ_COUNT,
  SMALLEST_VPC_PREFIX,
} from "./network/subnet-layout";
import {
  Ipv4Cidr,
  alignedNetwork,
  cidrContains,
  cidrsOverlap,
  formatCidr,
  isNetworkAligned,
  parseCidr,
} from "./util/cidr";
import {
  BackupConfig,
  DatabaseConfig,
  RawDataTierConfig,
  RetentionLockConfig,
  parseDataTierConfig,
} from "./data/data-tier-config";
import { AppConfig, DnsConfig, RawAppConfig, parseAppConfig } from "./app/app-config";
import { oneOf, scalarText } from "./util/config-checks";
import { AwsCredentials, RawAwsConfig, parseAwsCredentials } from "./aws-credentials";
import { LookupPins, RawLookupPins, parseLookupPins } from "./region/lookup-pins";
import {
  OperationsConfig,
  RawOperationsConfig,
  parseOperationsConfig,
} from "./operations/operations-config";
import { PolicyWaiver, RawPolicyWaiversConfig, parsePolicyWaivers } from "./policy-waivers-config";

/** NAT layout for the private (app) subnets. */
export const NAT_GATEWAY_MODES = ["none", "single", "perAz"] as const;
export type NatGatewayMode = (typeof NAT_GATEWAY_MODES)[number];

/**
 * test: every resource destroys cleanly (no deletion protection, no final snapshots, no retain).
 * production: deletion protection, final snapshots, retain-on-delete where data lives.
 */
export const STACK_MODES = ["test", "production"] as const;
export type StackMode = (typeof STACK_MODES)[number];

/** The validated, typed configuration of one stack. */
export interface TapConfig {
  readonly environmentSuffix: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  readonly primaryVpcCidr: string;
  readonly drVpcCidr: string;
  readonly azCount: number;
  readonly natGateways: NatGatewayMode;
  readonly mode: StackMode;
  /**
   * Pulumi `protect` on a production stack's data and outage-critical resources; false lifts
   * it for a deliberate teardown and changes nothing else. Test mode protects nothing.
   */
  readonly protectResources: boolean;
  readonly tags: Readonly<Record<string, string>>;
  /**
   * The stack's `aws:` credential settings (profile, assumed roles, allowed or forbidden
   * accounts), passed to every provider (lib/aws-credentials.ts). The region is not among them.
   */
  readonly credentials: AwsCredentials;
  /** Aurora global database capacity, RPO and automated backups (lib/data/data-tier-config.ts). */
  readonly database: DatabaseConfig;
  /** AWS Backup plan retention. */
  readonly backup: BackupConfig;
  /** Production-only Object Lock on the txlogs buckets and Vault Lock on the vaults. */
  readonly locks: RetentionLockConfig;
  /** The transaction API: Lambda or EC2, concurrency, ingress (lib/app/app-config.ts). */
  readonly app: AppConfig;
  /** The API's domain, zone, health checks and routing between regions. */
  readonly dns: DnsConfig;
  /** Failover mode and window, alert email, alarm thresholds (lib/operations/operations-config.ts). */
  readonly operations: OperationsConfig;
  /**
   * The account and AZs pinned instead of looked up, and the region not to call during its
   * outage (lib/region/lookup-pins.ts).
   */
  readonly lookups: LookupPins;
  /**
   * Written exceptions to the policy pack's rules (lib/policy-waivers-config.ts); read by
   * `npm run plan` and the policy pack, not by the program.
   */
  readonly policyWaivers: readonly PolicyWaiver[];
}

/** Raw values as the stack config holds them: strings, or a parsed object for tags. */
export interface RawConfig
  extends
    RawDataTierConfig,
    RawAppConfig,
    RawOperationsConfig,
    RawLookupPins,
    RawPolicyWaiversConfig {
  readonly environmentSuffix?: string;
  readonly primaryRegion?: string;
  readonly drRegion?: string;
  readonly primaryVpcCidr?: string;
  readonly drVpcCidr?: string;
  readonly azCount?: string;
  readonly natGateways?: string;
  readonly mode?: string;
  readonly protectResources?: string;
  readonly tags?: unknown;
}

export const CONFIG_DEFAULTS = {
  primaryRegion: "us-east-1",
  drRegion: "us-east-2",
  primaryVpcCidr: "10.0.0.0/16",
  drVpcCidr: "10.1.0.0/16",
  azCount: 3,
  natGateways: "none",
  mode: "production",
} as const satisfies Partial<Record<keyof TapConfig, string | number>>;

/** RFC 1918 private ranges: the only ranges AWS recommends for VPCs, and the only ones we accept. */
const PRIVATE_RANGES: readonly Ipv4Cidr[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map(
  (text) => parseCidr(text) as Ipv4Cidr,
);

const TAG_KEY_MAX = 128;
const TAG_VALUE_MAX = 256;

/** Thrown when the stack config is invalid; lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid tap-dr configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

function checkSuffix(value: string | undefined, problems: string[]): string {
  if (value === undefined || value === "") {
    problems.push(
      `environmentSuffix: is required; set it with \`pulumi config set environmentSuffix <suffix>\` (lowercase letters, digits and inner hyphens, at most ${MAX_ENVIRONMENT_SUFFIX_LENGTH} characters)`,
    );
    return "";
  }
  if (!ENVIRONMENT_SUFFIX_PATTERN.test(value)) {
    problems.push(
      `environmentSuffix: "${value}" has characters AWS names reject; use lowercase letters, digits and single inner hyphens (for example "dev" or "pr-123")`,
    );
  }
  if (value.length > MAX_ENVIRONMENT_SUFFIX_LENGTH) {
    problems.push(
      `environmentSuffix: "${value}" is ${value.length} characters; at most ${MAX_ENVIRONMENT_SUFFIX_LENGTH} are allowed so that every physical name fits its AWS length limit`,
    );
  }
  return value;
}

function checkRegion(key: string, value: string, problems: string[]): void {
  if (!isAwsRegion(value)) {
    problems.push(
      `${key}: "${value}" is not an AWS commercial region; use one of ${AWS_COMMERCIAL_REGIONS.join(", ")}`,
    );
  }
}

function checkVpcCidr(key: string, value: string, problems: string[]): Ipv4Cidr | undefined {
  const cidr = parseCidr(value);
  if (!cidr) {
    problems.push(`${key}: "${value}" is not an IPv4 CIDR block; use the form 10.0.0.0/16`);
    return undefined;
  }
  const before = problems.length;
  if (!isNetworkAligned(cidr)) {
    problems.push(
      `${key}: "${value}" has host bits set; use the network address ${formatCidr(alignedNetwork(cidr))}`,
    );
  }
  if (cidr.prefix < LARGEST_AWS_VPC_PREFIX) {
    problems.push(
      `${key}: "${value}" is larger than AWS allows for a VPC; use a prefix from /${LARGEST_AWS_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}`,
    );
  }
  if (cidr.prefix > SMALLEST_VPC_PREFIX) {
    problems.push(
      `${key}: "${value}" is too small for the subnets: the VPC is cut into 16 subnet slots, which must be /28 (AWS's smallest subnet) or larger; use a prefix from /${LARGEST_AWS_VPC_PREFIX} to /${SMALLEST_VPC_PREFIX}`,
    );
  }
  if (!PRIVATE_RANGES.some((range) => cidrContains(range, alignedNetwork(cidr)))) {
    problems.push(
      `${key}: "${value}" is not a private (RFC 1918) range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16`,
    );
  }
  return problems.length === before ? cidr : undefined;
}

function checkAzCount(value: string, problems: string[]): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count < MIN_AZ_COUNT || count > MAX_AZ_COUNT) {
    problems.push(
      `azCount: "${value}" is not allowed; use a whole number from ${MIN_AZ_COUNT} (Aurora needs two AZs) to ${MAX_AZ_COUNT}`,
    );
    return CONFIG_DEFAULTS.azCount;
  }
  return count;
}

function checkTags(value: unknown, problems: string[]): Record<string, string> {
  if (value === undefined) {
    return {};
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(
      `tags: ${JSON.stringify(value)} is not a map; set entries with \`pulumi config set --path 'tags.<Key>' <value>\``,
    );
    return {};
  }
  const tags: Record<string, string> = {};
  for (const [key, rawValue] of Object.entries(value as Record<string, unknown>)) {
    // `--path 'tags.CostCenter' 1234` stores a number: numbers and booleans become their text.
    const tagValue = scalarText(rawValue);
    if (tagValue === undefined) {
      problems.push(
        `tags.${key}: ${JSON.stringify(rawValue)} is not a string, number or boolean; a tag value is text`,
      );
      continue;
    }
    if (key.length === 0 || key.length > TAG_KEY_MAX || key.toLowerCase().startsWith("aws:")) {
      problems.push(
        `tags.${key}: the key is not allowed; tag keys are 1-${TAG_KEY_MAX} characters and must not start with "aws:"`,
      );
      continue;
    }
    if (tagValue.length > TAG_VALUE_MAX) {
      problems.push(
        `tags.${key}: the value is ${tagValue.length} characters; AWS allows at most ${TAG_VALUE_MAX}`,
      );
      continue;
    }
    tags[key] = tagValue;
  }
  return tags;
}

/** true unless set to "false"; Pulumi hands a boolean key over as the text "true" or "false". */
function checkProtectResources(value: string | undefined, problems: string[]): boolean {
  if (value === undefined || value === "true") {
    return true;
  }
  if (value !== "false") {
    problems.push(
      `protectResources: "${value}" is not allowed; use true (production data is protected) or false (lifts the protection for a deliberate teardown)`,
    );
    return true;
  }
  return false;
}

/**
 * Validates raw stack config and applies defaults. Pure: throws one ConfigError
 * that names every bad key, its value and what is allowed, before any resource
 * is registered. `aws` holds the stack's `aws:` keys (credentials; see lib/aws-credentials.ts).
 */
export function parseConfig(raw: RawConfig, aws: RawAwsConfig = {}): TapConfig {
  const problems: string[] = [];
  const environmentSuffix = checkSuffix(raw.environmentSuffix, problems);

  const primaryRegion = raw.primaryRegion ?? CONFIG_DEFAULTS.primaryRegion;
  const drRegion = raw.drRegion ?? CONFIG_DEFAULTS.drRegion;
  checkRegion("primaryRegion", primaryRegion, problems);
  checkRegion("drRegion", drRegion, problems);
  if (primaryRegion === drRegion) {
    problems.push(
      `drRegion: must differ from primaryRegion (both are "${primaryRegion}"); a DR copy in the same region does not survive a regional outage`,
    );
  }

  const credentials = parseAwsCredentials(aws, { primaryRegion, drRegion }, problems);

  const primaryVpcCidr = raw.primaryVpcCidr ?? CONFIG_DEFAULTS.primaryVpcCidr;
  const drVpcCidr = raw.drVpcCidr ?? CONFIG_DEFAULTS.drVpcCidr;
  const primaryCidr = checkVpcCidr("primaryVpcCidr", primaryVpcCidr, problems);
  const drCidr = checkVpcCidr("drVpcCidr", drVpcCidr, problems);
  if (primaryCidr && drCidr && cidrsOverlap(primaryCidr, drCidr)) {
    problems.push(
      `drVpcCidr: "${drVpcCidr}" overlaps primaryVpcCidr "${primaryVpcCidr}"; VPC peering needs non-overlapping blocks`,
    );
  }

  const azCount = checkAzCount(raw.azCount ?? String(CONFIG_DEFAULTS.azCount), problems);
  const natGateways = oneOf(
    "natGateways",
    raw.natGateways ?? CONFIG_DEFAULTS.natGateways,
    NAT_GATEWAY_MODES,
    problems,
  );
  const mode = oneOf("mode", raw.mode ?? CONFIG_DEFAULTS.mode, STACK_MODES, problems);
  const protectResources = checkProtectResources(raw.protectResources, problems);
  const tags = checkTags(raw.tags, problems);
  const { database, backup, locks } = parseDataTierConfig(raw, problems);
  const { app, dns } = parseAppConfig(raw, { natGateways, mode }, problems);
  const operations = parseOperationsConfig(raw, { mode }, problems);
  const lookups = parseLookupPins(
    raw,
    { primaryRegion, drRegion, azCount, allowedAccountIds: credentials.allowedAccountIds },
    problems,
  );
  const policyWaivers = parsePolicyWaivers(raw, problems);

  if (problems.length > 0) {
    throw new ConfigError(problems);
  }
  return {
    environmentSuffix,
    primaryRegion,
    drRegion,
    primaryVpcCidr,
    drVpcCidr,
    azCount,
    natGateways,
    mode,
    protectResources,
    tags,
    credentials,
    database,
    backup,
    locks,
    app,
    dns,
    operations,
    lookups,
    policyWaivers,
  };
}

/**
 * Reads the project's stack config (namespace "tap-dr") and the stack's `aws:` credential keys,
 * and validates both.
 */
export function loadConfig(
  config: pulumi.Config = new pulumi.Config(),
  awsConfig: pulumi.Config = new pulumi.Config("aws"),
): TapConfig {
  const raw: RawConfig = {
    environmentSuffix: config.get("environmentSuffix"),
    primaryRegion: config.get("primaryRegion"),
    drRegion: config.get("drRegion"),
    primaryVpcCidr: config.get("primaryVpcCidr"),
    drVpcCidr: config.get("drVpcCidr"),
    azCount: config.get("azCount"),
    natGateways: config.get("natGateways"),
    mode: config.get("mode"),
    protectResources: config.get("protectResources"),
    tags: readJson(config, "tags"),
    dbCapacity: config.get("dbCapacity"),
    dbInstanceClass: config.get("dbInstanceClass"),
    dbMinAcu: config.get("dbMinAcu"),
    dbMaxAcu: config.get("dbMaxAcu"),
    primaryDbInstances: config.get("primaryDbInstances"),
    drDbInstances: config.get("drDbInstances"),
    dbRpoSeconds: config.get("dbRpoSeconds"),
    dbBackupRetentionDays: config.get("dbBackupRetentionDays"),
    dbSecretRotationDays: config.get("dbSecretRotationDays"),
    backupDailyRetentionDays: config.get("backupDailyRetentionDays"),
    backupHourlyRetentionDays: config.get("backupHourlyRetentionDays"),
    txlogsLockMode: config.get("txlogsLockMode"),
    txlogsRetentionDays: config.get("txlogsRetentionDays"),
    vaultLockMode: config.get("vaultLockMode"),
    vaultLockCoolingOffDays: config.get("vaultLockCoolingOffDays"),
    appTier: config.get("appTier"),
    apiReservedConcurrency: config.get("apiReservedConcurrency"),
    workerReservedConcurrency: config.get("workerReservedConcurrency"),
    albIngressCidrs: readJson(config, "albIngressCidrs"),
    appInstanceType: config.get("appInstanceType"),
    primaryAppCapacity: config.get("primaryAppCapacity"),
    drAppCapacity: config.get("drAppCapacity"),
    domainName: config.get("domainName"),
    hostedZoneId: config.get("hostedZoneId"),
    routingPolicy: config.get("routingPolicy"),
    dnsRecordType: config.get("dnsRecordType"),
    dnsTtlSeconds: config.get("dnsTtlSeconds"),
    healthCheckFailureThreshold: config.get("healthCheckFailureThreshold"),
    primaryTrafficWeight: config.get("primaryTrafficWeight"),
    drTrafficWeight: config.get("drTrafficWeight"),
    failoverMode: config.get("failoverMode"),
    failoverWindowMinutes: config.get("failoverWindowMinutes"),
    alertEmail: config.get("alertEmail"),
    alarmThresholds: readJson(config, "alarmThresholds"),
    metricStreams: config.get("metricStreams"),
    accountId: config.get("accountId"),
    primaryAvailabilityZones: readJson(config, "primaryAvailabilityZones"),
    drAvailabilityZones: readJson(config, "drAvailabilityZones"),
    unreachableRegion: config.get("unreachableRegion"),
    policyWaivers: readJson(config, "policyWaivers"),
  };
  return parseConfig(raw, readAwsConfig(awsConfig));
}

/** The `aws:` keys, read once; explicit providers never read them on their own. */
function readAwsConfig(config: pulumi.Config): RawAwsConfig {
  return {
    profile: config.get("profile"),
    region: config.get("region"),
    assumeRoles: readJson(config, "assumeRoles"),
    allowedAccountIds: readJson(config, "allowedAccountIds"),
    forbiddenAccountIds: readJson(config, "forbiddenAccountIds"),
    sharedConfigFiles: readJson(config, "sharedConfigFiles"),
    sharedCredentialsFiles: readJson(config, "sharedCredentialsFiles"),
    assumeRole: readJson(config, "assumeRole"),
    accessKey: config.get("accessKey"),
    secretKey: config.get("secretKey"),
    token: config.get("token"),
    assumeRoleWithWebIdentity: readJson(config, "assumeRoleWithWebIdentity"),
  };
}

/** A structured key (a map or a list): Pulumi hands it over as JSON text. */
function readJson(config: pulumi.Config, key: string): unknown {
  const text = config.get(key);
  if (text === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Plain text is not a map or list; the key's check reports it with the expected form.
    return text;
  }
}

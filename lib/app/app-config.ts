/**
 * Config of the application tier and of traffic failover: where the API is
 * served (domain, zone), what runs it (Lambda or an EC2 Auto Scaling group),
 * how much concurrency it may take, who may reach its load balancers, and how
 * Route 53 moves clients between regions. Validated here, before `pulumi up`
 * registers anything, against the limits AWS enforces.
 */
import { alignedNetwork, formatCidr, isNetworkAligned, parseCidr } from "../util/cidr";
import { oneOf, wholeNumber } from "../util/config-checks";

/** What runs the transaction API behind each region's load balancer. */
export const APP_TIERS = ["lambda", "ec2"] as const;
export type AppTier = (typeof APP_TIERS)[number];

/** failover: PRIMARY/SECONDARY records; weighted: a weight per region, for gradual shifting. */
export const ROUTING_POLICIES = ["failover", "weighted"] as const;
export type RoutingPolicy = (typeof ROUTING_POLICIES)[number];

/**
 * cname: a CNAME per region with our own TTL (dnsTtlSeconds), so resolvers drop a failed
 * region quickly. alias: alias A records; free queries, but Route 53 answers them with the
 * load balancer's fixed 60 s TTL (Route 53 FAQ, "Do I need to adjust the TTL for my records
 * to use DNS Failover?"), which alone uses the whole 60 s failover budget.
 */
export const DNS_RECORD_TYPES = ["cname", "alias"] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/** Auto Scaling sizes of one region's EC2 app tier. */
export interface FleetCapacity {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

export interface AppConfig {
  /** Lambda functions (default) or EC2 instances behind the same load balancer. */
  readonly tier: AppTier;
  /** Reserved concurrency of the API function in each region; undefined (config 0) reserves none. */
  readonly apiReservedConcurrency: number | undefined;
  /** Reserved concurrency of the queue worker in each region; undefined (config 0) reserves none. */
  readonly workerReservedConcurrency: number | undefined;
  /** CIDR blocks that may reach the load balancers on 80/443. */
  readonly ingressCidrs: readonly string[];
  /** EC2 tier: instance type (its architecture picks the AMI). */
  readonly instanceType: string;
  /** EC2 tier: Auto Scaling sizes per region. The DR region may be 0 (pilot light). */
  readonly primaryCapacity: FleetCapacity;
  readonly drCapacity: FleetCapacity;
}

export interface DnsConfig {
  /** The API's domain; undefined means no DNS records and HTTP-only load balancers (test mode only). */
  readonly domainName: string | undefined;
  /** An existing public hosted zone for domainName; undefined creates one. */
  readonly hostedZoneId: string | undefined;
  readonly routingPolicy: RoutingPolicy;
  readonly recordType: DnsRecordType;
  /** TTL of the CNAME records (recordType cname). */
  readonly ttlSeconds: number;
  /** Consecutive failed checks (10 s apart) before Route 53 marks a region unhealthy. */
  readonly healthCheckFailureThreshold: number;
  /** Weighted routing only: relative share of each region (0-255). */
  readonly primaryWeight: number;
  readonly drWeight: number;
}

export interface RawAppConfig {
  readonly appTier?: string;
  readonly apiReservedConcurrency?: string;
  readonly workerReservedConcurrency?: string;
  readonly albIngressCidrs?: unknown;
  readonly appInstanceType?: string;
  readonly primaryAppCapacity?: string;
  readonly drAppCapacity?: string;
  readonly domainName?: string;
  readonly hostedZoneId?: string;
  readonly routingPolicy?: string;
  readonly dnsRecordType?: string;
  readonly dnsTtlSeconds?: string;
  readonly healthCheckFailureThreshold?: string;
  readonly primaryTrafficWeight?: string;
  readonly drTrafficWeight?: string;
}

export const APP_DEFAULTS = {
  appTier: "lambda",
  apiReservedConcurrency: 50,
  workerReservedConcurrency: 10,
  albIngressCidrs: ["0.0.0.0/0"],
  appInstanceType: "t4g.small",
  primaryAppCapacity: "2/2/6",
  drAppCapacity: "1/1/6",
  domainName: "",
  hostedZoneId: "",
  routingPolicy: "failover",
  dnsRecordType: "cname",
  // 10 s keeps even a hanging region (every check timing out) inside the 60 s budget:
  // 3 x (10 s + 6 s timeout) + 10 s = 58 s (lib/dns/failover-budget.ts).
  dnsTtlSeconds: 10,
  healthCheckFailureThreshold: 3,
  primaryTrafficWeight: 100,
  drTrafficWeight: 0,
} as const;

/** APP_DEFAULTS' fleet sizes, parsed (a stand-in after a bad value, so checks go on). */
const DEFAULT_PRIMARY_CAPACITY: FleetCapacity = { min: 2, desired: 2, max: 6 };
const DEFAULT_DR_CAPACITY: FleetCapacity = { min: 1, desired: 1, max: 6 };

/** Route 53 health checks run every 10 s (the "fast" interval); the other choice is 30. */
export const HEALTH_CHECK_INTERVAL_SECONDS = 10;
/** Route 53 FailureThreshold bounds. */
export const MIN_FAILURE_THRESHOLD = 1;
export const MAX_FAILURE_THRESHOLD = 10;
/** Route 53 weights. */
export const MAX_TRAFFIC_WEIGHT = 255;
/** Below 5 s resolvers may ignore the TTL; above 300 s a failover takes minutes. */
export const MIN_DNS_TTL_SECONDS = 5;
export const MAX_DNS_TTL_SECONDS = 300;
/** Lambda's default account concurrency quota; reserving more fails (the account keeps 100 unreserved). */
export const MAX_RESERVED_CONCURRENCY = 900;
/** An Auto Scaling group this stack sizes; larger fleets are a capacity-planning decision. */
export const MAX_FLEET_SIZE = 100;

/** Route 53 hosted zone ids: "Z" then upper-case letters and digits. */
const HOSTED_ZONE_ID = /^Z[A-Z0-9]{1,31}$/;
/** A lowercase DNS name with at least two labels, each 1-63 characters, 253 in all. */
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** EC2 instance types such as t4g.small or m7i.large; burstable classes allowed for the app. */
const INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** "0" means "reserve none": a reserved concurrency of 0 would throttle every request. */
function reservedConcurrency(key: string, value: string, problems: string[]): number | undefined {
  const parsed = wholeNumber(
    key,
    value,
    0,
    MAX_RESERVED_CONCURRENCY,
    " (0 reserves none; Lambda keeps 100 of the account's default 1000 unreserved)",
    problems,
  );
  return parsed === 0 ? undefined : parsed;
}

function isDnsName(value: string): boolean {
  const labels = value.split(".");
  return (
    value.length <= 253 && labels.length >= 2 && labels.every((label) => DNS_LABEL.test(label))
  );
}

function ingressCidrs(value: unknown, problems: string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(
      `albIngressCidrs: ${JSON.stringify(value)} is not allowed; use a non-empty list of IPv4 CIDR blocks, for example ["0.0.0.0/0"] or ["203.0.113.0/24"]`,
    );
    return [...APP_DEFAULTS.albIngressCidrs];
  }
  const valid: string[] = [];
  for (const entry of value as unknown[]) {
    const cidr = typeof entry === "string" ? parseCidr(entry) : undefined;
    if (!cidr) {
      problems.push(
        `albIngressCidrs: ${JSON.stringify(entry)} is not an IPv4 CIDR block; use the form 203.0.113.0/24`,
      );
    } else if (!isNetworkAligned(cidr)) {
      problems.push(
        `albIngressCidrs: "${String(entry)}" has host bits set; AWS rejects it, use ${formatCidr(alignedNetwork(cidr))}`,
      );
    } else {
      valid.push(String(entry));
    }
  }
  return valid;
}

function fleetCapacity(
  key: string,
  value: string,
  minimumMin: number,
  problems: string[],
): FleetCapacity | undefined {
  const match = /^(\d+)\/(\d+)\/(\d+)$/.exec(value);
  const [min, desired, max] = match ? match.slice(1).map(Number) : [];
  if (
    min === undefined ||
    desired === undefined ||
    max === undefined ||
    min < minimumMin ||
    !(min <= desired && desired <= max) ||
    max < 1 ||
    max > MAX_FLEET_SIZE
  ) {
    problems.push(
      `${key}: "${value}" is not allowed; use "min/desired/max" with ${minimumMin} <= min <= desired <= max <= ${MAX_FLEET_SIZE} and max >= 1${minimumMin === 0 ? " (min and desired 0 is a pilot-light fleet)" : " (the primary region serves traffic)"}`,
    );
    return undefined;
  }
  return { min, desired, max };
}

const optional = (value: string | undefined): string | undefined =>
  value === undefined || value === "" ? undefined : value;

/**
 * Validates the application and DNS keys, adding one line per problem.
 * `natGateways` and `mode` decide which combinations AWS can deploy.
 */
export function parseAppConfig(
  raw: RawAppConfig,
  context: { natGateways: string; mode: string },
  problems: string[],
): { app: AppConfig; dns: DnsConfig } {
  const d = APP_DEFAULTS;
  const tier = oneOf("appTier", raw.appTier ?? d.appTier, APP_TIERS, problems);
  if (tier === "ec2" && context.natGateways === "none") {
    problems.push(
      `appTier: "ec2" needs natGateways "single" or "perAz" (natGateways is "none"): instances install Node.js and the RDS CA bundle at boot and register with Systems Manager, which the private endpoints of this VPC do not cover`,
    );
  }
  const apiReserved = reservedConcurrency(
    "apiReservedConcurrency",
    raw.apiReservedConcurrency ?? String(d.apiReservedConcurrency),
    problems,
  );
  const workerReserved = reservedConcurrency(
    "workerReservedConcurrency",
    raw.workerReservedConcurrency ?? String(d.workerReservedConcurrency),
    problems,
  );
  const cidrs = ingressCidrs(raw.albIngressCidrs ?? [...d.albIngressCidrs], problems);

  const instanceType = raw.appInstanceType ?? d.appInstanceType;
  if (!INSTANCE_TYPE.test(instanceType)) {
    problems.push(
      `appInstanceType: "${instanceType}" is not an EC2 instance type; use a name such as t4g.small or m7i.large`,
    );
  }
  const primaryCapacity =
    fleetCapacity(
      "primaryAppCapacity",
      raw.primaryAppCapacity ?? d.primaryAppCapacity,
      1,
      problems,
    ) ?? DEFAULT_PRIMARY_CAPACITY;
  const drCapacity =
    fleetCapacity("drAppCapacity", raw.drAppCapacity ?? d.drAppCapacity, 0, problems) ??
    DEFAULT_DR_CAPACITY;

  const domainName = optional(raw.domainName);
  if (domainName !== undefined && !isDnsName(domainName)) {
    problems.push(
      `domainName: "${domainName}" is not a domain name; use lowercase labels of letters, digits and inner hyphens, such as payments.example.com`,
    );
  }
  if (domainName === undefined && context.mode === "production") {
    problems.push(
      `domainName: is required in production mode: the API is served over HTTPS only, with an ACM certificate for api.<domainName>; set it, or use mode "test" for an HTTP-only stack`,
    );
  }
  const hostedZoneId = optional(raw.hostedZoneId);
  if (hostedZoneId !== undefined && !HOSTED_ZONE_ID.test(hostedZoneId)) {
    problems.push(
      `hostedZoneId: "${hostedZoneId}" is not a Route 53 hosted zone id; use the id of a public zone, such as Z0123456789ABCDEFGHIJ`,
    );
  }
  if (hostedZoneId !== undefined && domainName === undefined) {
    problems.push(
      `hostedZoneId: "${hostedZoneId}" is set without domainName; set domainName to the zone's domain`,
    );
  }

  const routingPolicy = oneOf(
    "routingPolicy",
    raw.routingPolicy ?? d.routingPolicy,
    ROUTING_POLICIES,
    problems,
  );
  const recordType = oneOf(
    "dnsRecordType",
    raw.dnsRecordType ?? d.dnsRecordType,
    DNS_RECORD_TYPES,
    problems,
  );
  const ttlSeconds =
    wholeNumber(
      "dnsTtlSeconds",
      raw.dnsTtlSeconds ?? String(d.dnsTtlSeconds),
      MIN_DNS_TTL_SECONDS,
      MAX_DNS_TTL_SECONDS,
      "",
      problems,
    ) ?? d.dnsTtlSeconds;
  const healthCheckFailureThreshold =
    wholeNumber(
      "healthCheckFailureThreshold",
      raw.healthCheckFailureThreshold ?? String(d.healthCheckFailureThreshold),
      MIN_FAILURE_THRESHOLD,
      MAX_FAILURE_THRESHOLD,
      " (Route 53's range)",
      problems,
    ) ?? d.healthCheckFailureThreshold;
  const primaryWeight =
    wholeNumber(
      "primaryTrafficWeight",
      raw.primaryTrafficWeight ?? String(d.primaryTrafficWeight),
      0,
      MAX_TRAFFIC_WEIGHT,
      "",
      problems,
    ) ?? d.primaryTrafficWeight;
  const drWeight =
    wholeNumber(
      "drTrafficWeight",
      raw.drTrafficWeight ?? String(d.drTrafficWeight),
      0,
      MAX_TRAFFIC_WEIGHT,
      "",
      problems,
    ) ?? d.drTrafficWeight;
  if (routingPolicy === "weighted" && primaryWeight === 0 && drWeight === 0) {
    problems.push(
      `drTrafficWeight: "0" with primaryTrafficWeight "0" is not allowed for weighted routing; give at least one region a weight above 0`,
    );
  }

  return {
    app: {
      tier,
      apiReservedConcurrency: apiReserved,
      workerReservedConcurrency: workerReserved,
      ingressCidrs: cidrs,
      instanceType,
      primaryCapacity,
      drCapacity,
    },
    dns: {
      domainName,
      hostedZoneId,
      routingPolicy,
      recordType,
      ttlSeconds,
      healthCheckFailureThreshold,
      primaryWeight,
      drWeight,
    },
  };
}

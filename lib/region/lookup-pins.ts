/**
 * What the program would otherwise look up through a region's provider: the account and the
 * region's AZs. While a region is down, any lookup there fails the whole `pulumi up`, so an
 * operator who must scale the surviving region pins them in config (values from the stack's
 * outputs) and names the unreachable region. Pure, so every check is tested without Pulumi.
 */

/** Pinned lookups and the region that must not be called. */
export interface LookupPins {
  /**
   * The deploying account; undefined looks it up (sts:GetCallerIdentity through each provider).
   * @default undefined
   */
  readonly accountId: string | undefined;
  /** Each region's AZs, in order; a region without a list looks them up. @default {} */
  readonly availabilityZones: Readonly<Record<string, readonly string[]>>;
  /**
   * A region that cannot be reached (an outage): its provider skips credential validation and
   * account lookup, and the program makes no lookup there. @default undefined
   */
  readonly unreachableRegion: string | undefined;
}

export interface RawLookupPins {
  readonly accountId?: string;
  readonly primaryAvailabilityZones?: unknown;
  readonly drAvailabilityZones?: unknown;
  readonly unreachableRegion?: string;
}

const ACCOUNT_ID = /^\d{12}$/;

/** An AZ name of the region: the region's name and one letter (for example us-east-1a). */
export const isAvailabilityZoneOf = (region: string, zone: string): boolean =>
  new RegExp(`^${region.replace(/[-]/g, "\\-")}[a-z]$`).test(zone);

function checkZones(
  key: string,
  value: unknown,
  region: string,
  azCount: number,
  problems: string[],
): string[] | undefined {
  if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0)) {
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((zone): zone is string => typeof zone === "string")) {
    problems.push(
      `${key}: ${JSON.stringify(value)} is not a list of AZ names; set it from the stack output of the same name, for example \`pulumi config set --path '${key}[0]' ${region}a\``,
    );
    return undefined;
  }
  const foreign = value.filter((zone) => !isAvailabilityZoneOf(region, zone));
  if (foreign.length > 0) {
    problems.push(
      `${key}: ${foreign.map((zone) => `"${zone}"`).join(", ")} ${foreign.length === 1 ? "is not an AZ" : "are not AZs"} of ${region}; use names such as ${region}a`,
    );
  }
  if (new Set(value).size !== value.length) {
    problems.push(
      `${key}: ${JSON.stringify(value)} names an AZ twice; each subnet tier needs distinct AZs`,
    );
  }
  if (value.length < azCount) {
    problems.push(
      `${key}: ${JSON.stringify(value)} has ${value.length} AZs but azCount is ${azCount}; list at least ${azCount} (the subnets' AZs, in order, from the stack output ${key})`,
    );
  }
  return value;
}

/** Validates the pins; adds one line per problem to `problems`. */
export function parseLookupPins(
  raw: RawLookupPins,
  context: {
    readonly primaryRegion: string;
    readonly drRegion: string;
    readonly azCount: number;
    readonly allowedAccountIds: readonly string[] | undefined;
  },
  problems: string[],
): LookupPins {
  const accountId = raw.accountId === "" ? undefined : raw.accountId;
  if (accountId !== undefined && !ACCOUNT_ID.test(accountId)) {
    problems.push(
      `accountId: "${accountId}" is not an AWS account id; use the 12 digits of the deploying account`,
    );
  }
  const allowed = context.allowedAccountIds;
  if (accountId !== undefined && allowed !== undefined && !allowed.includes(accountId)) {
    problems.push(
      `accountId: "${accountId}" is not among aws:allowedAccountIds (${allowed.join(", ")}); pin the account the stack deploys to`,
    );
  }
  const primaryZones = checkZones(
    "primaryAvailabilityZones",
    raw.primaryAvailabilityZones,
    context.primaryRegion,
    context.azCount,
    problems,
  );
  const drZones = checkZones(
    "drAvailabilityZones",
    raw.drAvailabilityZones,
    context.drRegion,
    context.azCount,
    problems,
  );
  const availabilityZones: Record<string, readonly string[]> = {};
  if (primaryZones !== undefined) availabilityZones[context.primaryRegion] = primaryZones;
  if (drZones !== undefined) availabilityZones[context.drRegion] = drZones;

  const unreachableRegion = raw.unreachableRegion === "" ? undefined : raw.unreachableRegion;
  if (unreachableRegion !== undefined) {
    const regions = [context.primaryRegion, context.drRegion];
    if (!regions.includes(unreachableRegion)) {
      problems.push(
        `unreachableRegion: "${unreachableRegion}" is not one of the stack's regions; use ${regions.join(" or ")}, or leave it empty`,
      );
    } else {
      // Without these pins the program would still call the unreachable region.
      if (accountId === undefined) {
        problems.push(
          `accountId: is required while unreachableRegion is set ("${unreachableRegion}"); set it to the stack output accountId`,
        );
      }
      if (availabilityZones[unreachableRegion] === undefined) {
        const key =
          unreachableRegion === context.primaryRegion
            ? "primaryAvailabilityZones"
            : "drAvailabilityZones";
        problems.push(
          `${key}: is required while unreachableRegion is set ("${unreachableRegion}"); set it to the stack output ${key}`,
        );
      }
    }
  }
  return { accountId, availabilityZones, unreachableRegion };
}

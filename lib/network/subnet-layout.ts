import { Ipv4Cidr, formatCidr, parseCidr, subdivide } from "../util/cidr";

/**
 * Subnet tiers, in slot order.
 * - public: NAT gateways and (later) internet-facing load balancers.
 * - private: the app tier (Lambda ENIs, interface endpoints); egress only via NAT or endpoints.
 * - isolated: the data tier (Aurora); no route to the internet at all.
 */
export const SUBNET_TIERS = ["public", "private", "isolated"] as const;
export type SubnetTier = (typeof SUBNET_TIERS)[number];

/** Aurora needs subnets in at least two AZs for its DB subnet group. */
export const MIN_AZ_COUNT = 2;
/** Most regions have 3 or 4 AZs; 4 slots per tier keep every CIDR stable when azCount changes. */
export const MAX_AZ_COUNT = 4;
/**
 * The VPC is cut into 16 equal slots: slot = tier * MAX_AZ_COUNT + azIndex.
 * 12 are used, 4 stay spare for a future tier. Because the slot of a subnet
 * never depends on azCount, raising azCount adds subnets without renumbering
 * (and so replacing) the existing ones.
 */
export const SLOT_BITS = 4;
/** AWS's smallest subnet is a /28 (16 addresses, 11 usable). */
export const SMALLEST_AWS_SUBNET_PREFIX = 28;
/** AWS VPCs are /16 at the largest. */
export const LARGEST_AWS_VPC_PREFIX = 16;
/** The smallest VPC whose 16 slots are still /28 or larger. */
export const SMALLEST_VPC_PREFIX = SMALLEST_AWS_SUBNET_PREFIX - SLOT_BITS;

export interface PlannedSubnet {
  readonly tier: SubnetTier;
  readonly azIndex: number;
  readonly cidr: string;
}

export function subnetSlot(tier: SubnetTier, azIndex: number): number {
  return SUBNET_TIERS.indexOf(tier) * MAX_AZ_COUNT + azIndex;
}

/** Every subnet of the VPC, tier by tier, AZ by AZ. The config loader has already validated the inputs. */
export function planSubnets(vpcCidr: string, azCount: number): PlannedSubnet[] {
  const vpc: Ipv4Cidr | undefined = parseCidr(vpcCidr);
  if (!vpc) {
    throw new Error(`"${vpcCidr}" is not an IPv4 CIDR block`);
  }
  if (azCount < MIN_AZ_COUNT || azCount > MAX_AZ_COUNT) {
    throw new Error(`azCount must be ${MIN_AZ_COUNT} to ${MAX_AZ_COUNT}, got ${azCount}`);
  }
  return SUBNET_TIERS.flatMap((tier) =>
    Array.from({ length: azCount }, (_, azIndex) => ({
      tier,
      azIndex,
      cidr: formatCidr(subdivide(vpc, SLOT_BITS, subnetSlot(tier, azIndex))),
    })),
  );
}

/**
 * The first `azCount` of the region's AZs. Runs at deploy time, on the AZ
 * lookup's result, so a region with too few AZs fails with this message instead
 * of an AWS error on a subnet.
 */
export function selectAvailabilityZones(
  region: string,
  available: readonly string[],
  azCount: number,
): string[] {
  if (available.length < azCount) {
    throw new Error(
      `azCount: ${azCount} AZs requested but ${region} has only ${available.length} available (${available.join(", ")}); lower azCount`,
    );
  }
  return available.slice(0, azCount);
}

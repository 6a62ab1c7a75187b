/**
 * AWS commercial-partition regions ("aws"). GovCloud and China use other
 * partitions, credentials and endpoints, so a stack in them is a different
 * product decision rather than a config value.
 *
 * Opt-in regions (for example af-south-1, ap-east-1, me-south-1) are listed:
 * they are valid, but the account must enable them before `pulumi up`.
 */
export const AWS_COMMERCIAL_REGIONS: readonly string[] = [
  "af-south-1",
  "ap-east-1",
  "ap-east-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-southeast-4",
  "ap-southeast-5",
  "ap-southeast-6",
  "ap-southeast-7",
  "ca-central-1",
  "ca-west-1",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "il-central-1",
  "me-central-1",
  "me-south-1",
  "mx-central-1",
  "sa-east-1",
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
];

export function isAwsRegion(region: string): boolean {
  return AWS_COMMERCIAL_REGIONS.includes(region);
}

const DIRECTION_CODES: Readonly<Record<string, string>> = {
  north: "n",
  south: "s",
  east: "e",
  west: "w",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/**
 * Short, unique code for a region ("us-east-1" -> "use1", "ap-southeast-2" ->
 * "apse2"). Physical names carry it so that names of global services (IAM)
 * never collide between the two regions, while staying inside tight AWS
 * length limits.
 */
export function regionCode(region: string): string {
  const match = /^([a-z]{2})-([a-z]+)-(\d+)$/.exec(region);
  const direction = match ? DIRECTION_CODES[match[2]] : undefined;
  if (!match || direction === undefined) {
    throw new Error(
      `region "${region}" is not an AWS region name of the form <geo>-<direction>-<number> (for example us-east-1)`,
    );
  }
  return `${match[1]}${direction}${match[3]}`;
}

/**
 * The partition of a region this program accepts: always "aws", since the config refuses
 * GovCloud and China. Known without a lookup, so nothing calls a region for it.
 */
export function partitionOf(region: string): "aws" {
  if (!isAwsRegion(region)) {
    throw new Error(
      `region "${region}" is not an AWS commercial region; its partition is not "aws"`,
    );
  }
  return "aws";
}

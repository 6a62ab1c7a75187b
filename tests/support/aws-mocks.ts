/**
 * Fake AWS state for the mock graph: ids, ARNs and lookups that look like what
 * AWS returns, per region, so dependent inputs (ARNs in policies, AZ names in
 * subnets) are realistic and region-correct.
 */
export const TEST_ACCOUNT_ID = "123456789012";
export const TEST_PARTITION = "aws";

/** AZs per region as AWS reports them (opt-in-not-required zones); others get three. */
const AVAILABILITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  "us-east-1": ["a", "b", "c", "d", "e", "f"],
  "us-west-2": ["a", "b", "c", "d"],
  "us-west-1": ["a", "c"],
};

export function availabilityZones(region: string): string[] {
  return (AVAILABILITY_ZONES[region] ?? ["a", "b", "c"]).map((letter) => `${region}${letter}`);
}

/** Physical name the mock gives a resource: its explicit name, or Pulumi-style autoname. */
export function physicalNameOf(logicalName: string, inputs: Record<string, unknown>): string {
  return typeof inputs.name === "string" ? inputs.name : `${logicalName}-1234567`;
}

/** A plausible ARN for the resource type, in the region of its provider. */
export function fakeArn(type: string, physicalName: string, id: string, region: string): string {
  const [, moduleName] = /^aws:([a-z0-9]+)\//.exec(type) ?? [];
  switch (type) {
    case "aws:iam/role:Role":
      return `arn:aws:iam::${TEST_ACCOUNT_ID}:role/${physicalName}`;
    case "aws:kms/key:Key":
      return `arn:aws:kms:${region}:${TEST_ACCOUNT_ID}:key/${id}`;
    case "aws:kms/alias:Alias":
      return `arn:aws:kms:${region}:${TEST_ACCOUNT_ID}:${physicalName}`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `arn:aws:logs:${region}:${TEST_ACCOUNT_ID}:log-group:${physicalName}`;
    default:
      return `arn:aws:${moduleName ?? "unknown"}:${region}:${TEST_ACCOUNT_ID}:${physicalName}`;
  }
}

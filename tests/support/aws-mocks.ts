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

/** Inputs that carry a resource's own physical name, by the name each API gives it. */
const OWN_NAME_FIELDS = [
  "name",
  "bucket",
  "clusterIdentifier",
  "identifier",
  "globalClusterIdentifier",
];

/** Physical name the mock gives a resource: its explicit name, or Pulumi-style autoname. */
export function physicalNameOf(
  type: string,
  logicalName: string,
  inputs: Record<string, unknown>,
): string {
  // Sub-resources (versioning, instances) reference their parent by these fields; only the
  // resource that owns the name counts.
  const fields =
    type === "aws:s3/bucket:Bucket"
      ? ["bucket"]
      : type === "aws:rds/clusterInstance:ClusterInstance"
        ? ["identifier"]
        : OWN_NAME_FIELDS.filter((field) => field !== "bucket" && field !== "identifier");
  const explicit = fields.map((field) => inputs[field]).find((value) => typeof value === "string");
  return typeof explicit === "string" ? explicit : `${logicalName}-1234567`;
}

/** What every RandomPassword "generates" under mocks. */
export const MOCK_PASSWORD = "Mock-Password-0123456789abcdefgh";

/** Attributes AWS computes that the program reads back: endpoints and URLs, per type. */
export function computedAttributes(
  type: string,
  physicalName: string,
  region: string,
): Record<string, string> {
  switch (type) {
    case "aws:sqs/queue:Queue":
      return { url: `https://sqs.${region}.amazonaws.com/${TEST_ACCOUNT_ID}/${physicalName}` };
    case "aws:rds/cluster:Cluster":
      return {
        endpoint: `${physicalName}.cluster-c0ffee.${region}.rds.amazonaws.com`,
        readerEndpoint: `${physicalName}.cluster-ro-c0ffee.${region}.rds.amazonaws.com`,
      };
    case "aws:rds/globalCluster:GlobalCluster":
      return { endpoint: `${physicalName}.global-c0ffee.global.rds.amazonaws.com` };
    case "aws:s3/bucket:Bucket":
      return { bucket: physicalName };
    case "random:index/randomPassword:RandomPassword":
      return { result: MOCK_PASSWORD };
    default:
      return {};
  }
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
    case "aws:s3/bucket:Bucket":
      return `arn:aws:s3:::${physicalName}`;
    case "aws:rds/cluster:Cluster":
      return `arn:aws:rds:${region}:${TEST_ACCOUNT_ID}:cluster:${physicalName}`;
    case "aws:rds/globalCluster:GlobalCluster":
      return `arn:aws:rds::${TEST_ACCOUNT_ID}:global-cluster:${physicalName}`;
    case "aws:dynamodb/table:Table":
      return `arn:aws:dynamodb:${region}:${TEST_ACCOUNT_ID}:table/${physicalName}`;
    case "aws:secretsmanager/secret:Secret":
      return `arn:aws:secretsmanager:${region}:${TEST_ACCOUNT_ID}:secret:${physicalName}-AbCdEf`;
    case "aws:backup/vault:Vault":
      return `arn:aws:backup:${region}:${TEST_ACCOUNT_ID}:backup-vault:${physicalName}`;
    default:
      return `arn:aws:${moduleName ?? "unknown"}:${region}:${TEST_ACCOUNT_ID}:${physicalName}`;
  }
}

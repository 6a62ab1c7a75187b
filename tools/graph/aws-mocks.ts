import { createHash } from "node:crypto";

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

/**
 * The names each mocked ACM certificate covers, by its physical name. The harness
 * passes inputs to physicalNameOf but not to computedAttributes, and ACM returns one
 * validation record per name, SANs included.
 */
const certificateNames = new Map<string, string[]>();

const CERTIFICATE = "aws:acm/certificate:Certificate";

/** Physical name the mock gives a resource: its explicit name, or Pulumi-style autoname. */
export function physicalNameOf(
  type: string,
  logicalName: string,
  inputs: Record<string, unknown>,
): string {
  const name = ownPhysicalName(type, logicalName, inputs);
  if (type === CERTIFICATE && typeof inputs.domainName === "string") {
    const sans = Array.isArray(inputs.subjectAlternativeNames)
      ? inputs.subjectAlternativeNames.filter((san): san is string => typeof san === "string")
      : [];
    certificateNames.set(name, [inputs.domainName, ...sans]);
  }
  return name;
}

function ownPhysicalName(
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

/** The id Route 53 gives a created zone ("Z" and upper-case letters and digits), derived from its name. */
export const hostedZoneIdOf = (zoneName: string): string =>
  `Z${zoneName.replace(/[^a-z0-9]/gi, "").toUpperCase()}`.slice(0, 32);

/** A stable fake hex token for a string, like the random parts AWS puts in names. */
function token(text: string, length = 32): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** Fake canonical hosted zone id of a region's load balancers ("Z" + upper case). */
export function elbHostedZoneId(region: string): string {
  return `Z${token(`elb-${region}`, 12).toUpperCase()}`;
}

/**
 * ACM's DNS validation record of a domain name: the same for every certificate of the
 * account that names it, in any region (ACM User Guide, DNS validation).
 */
export function acmValidationRecord(domainName: string): {
  domainName: string;
  resourceRecordName: string;
  resourceRecordType: string;
  resourceRecordValue: string;
} {
  return {
    domainName,
    resourceRecordName: `_${token(domainName)}.${domainName}.`,
    resourceRecordType: "CNAME",
    resourceRecordValue: `_${token(`value-${domainName}`)}.acm-validations.aws.`,
  };
}

/** Attributes AWS computes that the program reads back: endpoints and URLs, per type. */
export function computedAttributes(
  type: string,
  physicalName: string,
  region: string,
): Record<string, unknown> {
  switch (type) {
    case "aws:route53/zone:Zone":
      return { zoneId: hostedZoneIdOf(physicalName) };
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        dnsName: `${physicalName}-1234567890.${region}.elb.amazonaws.com`,
        zoneId: elbHostedZoneId(region),
        arnSuffix: `app/${physicalName}/0123456789abcdef`,
      };
    case "aws:lb/targetGroup:TargetGroup":
      return { arnSuffix: `targetgroup/${physicalName}/0123456789abcdef` };
    case CERTIFICATE:
      return {
        domainValidationOptions: (certificateNames.get(physicalName) ?? []).map(
          acmValidationRecord,
        ),
      };
    case "aws:route53/record:Record":
      // Route 53 reports names without the trailing dot.
      return { fqdn: physicalName.replace(/\.$/, "") };
    case "aws:lambda/function:Function":
      return {
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${TEST_ACCOUNT_ID}:function:${physicalName}/invocations`,
        qualifiedArn: `arn:aws:lambda:${region}:${TEST_ACCOUNT_ID}:function:${physicalName}:$LATEST`,
        version: "$LATEST",
      };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return { prefixListId: `pl-${token(physicalName, 17)}` };
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
    case "aws:iam/policy:Policy":
      return `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/${physicalName}`;
    case "aws:lambda/function:Function":
      return `arn:aws:lambda:${region}:${TEST_ACCOUNT_ID}:function:${physicalName}`;
    case "aws:lb/loadBalancer:LoadBalancer":
      return `arn:aws:elasticloadbalancing:${region}:${TEST_ACCOUNT_ID}:loadbalancer/app/${physicalName}/0123456789abcdef`;
    case "aws:lb/targetGroup:TargetGroup":
      return `arn:aws:elasticloadbalancing:${region}:${TEST_ACCOUNT_ID}:targetgroup/${physicalName}/0123456789abcdef`;
    case CERTIFICATE:
      return `arn:aws:acm:${region}:${TEST_ACCOUNT_ID}:certificate/${id}`;
    case "aws:cloudwatch/eventRule:EventRule":
      return `arn:aws:events:${region}:${TEST_ACCOUNT_ID}:rule/${physicalName}`;
    case "aws:sfn/stateMachine:StateMachine":
      return `arn:aws:states:${region}:${TEST_ACCOUNT_ID}:stateMachine:${physicalName}`;
    case "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream":
      return `arn:aws:firehose:${region}:${TEST_ACCOUNT_ID}:deliverystream/${physicalName}`;
    case "aws:cloudwatch/metricStream:MetricStream":
      return `arn:aws:cloudwatch:${region}:${TEST_ACCOUNT_ID}:metric-stream/${physicalName}`;
    default:
      return `arn:aws:${moduleName ?? "unknown"}:${region}:${TEST_ACCOUNT_ID}:${physicalName}`;
  }
}

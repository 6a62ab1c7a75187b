/**
 * AWS constraints a captured graph must meet before `pulumi up` can succeed: physical names
 * within AWS's limits, every resource and lookup in an explicit region, each region component
 * on its own provider, customer-managed keys in the region where the data lives, and the
 * prerequisites AWS enforces for S3 replication, DynamoDB replicas and an Aurora secondary.
 * Pure over a ProgramRun, so `npm run plan` runs them on the stack's actual config and the
 * graph tests assert the same functions on theirs.
 */
import {
  AWS_NAME_RULES,
  EC2_APP_TIER_NAME_RULES,
  METRIC_STREAM_NAME_RULES,
  NameRule,
  TAG_VALUE_MAX,
} from "./aws-name-limits";
import type { CapturedResource, ProgramRun } from "./capture";
import { GraphIndex, isCloudResource, mockIdOf } from "./graph-index";

export const DEPLOYABILITY_CHECKS = {
  "region-placement":
    "every resource and lookup runs through an explicit provider, each region component on its own",
  "name-limits": "physical names fit AWS's length limit and character set for their type",
  "iam-global-names": "IAM names are unique across regions (IAM is global)",
  "key-region": "customer-managed keys are in the region where the data they encrypt lives",
  "s3-replication-prerequisites":
    "S3 replication starts after versioning is on in both buckets (AWS rejects it otherwise)",
  "dynamodb-replica-prerequisites":
    "a table with replicas streams NEW_AND_OLD_IMAGES and has at most one replica per other region",
  "aurora-secondary-order": "the secondary cluster joins after the primary cluster has a writer",
  "log-group-key-policy":
    "each encrypted log group's key policy lets CloudWatch Logs in its region use the key for that group",
} as const;

export type DeployabilityCheck = keyof typeof DEPLOYABILITY_CHECKS;

export interface DeployabilityFinding {
  readonly check: DeployabilityCheck;
  /** "<type> <logical name>", or "" for a finding about the graph as a whole. */
  readonly resource: string;
  readonly region: string;
  readonly message: string;
}

export interface DeployabilityReport {
  /** Every check that ran, and how many findings it had. */
  readonly checks: {
    readonly id: DeployabilityCheck;
    readonly description: string;
    readonly findings: number;
  }[];
  readonly findings: DeployabilityFinding[];
  /** Named resource types that have no AWS name rule: their names are not checked. */
  readonly uncheckedNameTypes: string[];
}

/** The name rules of every type this stack may deploy. */
export const ALL_NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  ...AWS_NAME_RULES,
  ...METRIC_STREAM_NAME_RULES,
  ...EC2_APP_TIER_NAME_RULES,
};

const label = (resource: CapturedResource): string => `${resource.type} ${resource.name}`;

const finding = (
  check: DeployabilityCheck,
  resource: CapturedResource | undefined,
  message: string,
): DeployabilityFinding => ({
  check,
  resource: resource === undefined ? "" : label(resource),
  region: resource?.region ?? "",
  message,
});

/**
 * Names outside AWS's limit or character set, and Name tags over the tag-value limit. A ruled
 * field the resource leaves unset (a test-mode cluster has no final snapshot) passes, unless
 * `requireEveryField` (a graph test's stack that sets them all).
 */
export function nameFindings(
  resources: readonly CapturedResource[],
  options: {
    readonly rules?: Readonly<Record<string, readonly NameRule[]>>;
    readonly requireEveryField?: boolean;
  } = {},
): DeployabilityFinding[] {
  const rules = options.rules ?? ALL_NAME_RULES;
  const findings: DeployabilityFinding[] = [];
  for (const resource of resources.filter(isCloudResource)) {
    for (const rule of rules[resource.type] ?? []) {
      const name = resource.inputs[rule.field];
      if (name === undefined && options.requireEveryField !== true) continue;
      if (typeof name !== "string") {
        findings.push(finding("name-limits", resource, `${rule.field} is not a string`));
      } else if (name.length > rule.max) {
        findings.push(
          finding(
            "name-limits",
            resource,
            `${rule.field} "${name}" is ${name.length} characters; AWS allows at most ${rule.max}`,
          ),
        );
      } else if (!rule.pattern.test(name)) {
        findings.push(
          finding(
            "name-limits",
            resource,
            `${rule.field} "${name}" has characters or a form AWS rejects (${String(rule.pattern)})`,
          ),
        );
      }
    }
    const tags = resource.inputs.tags as Record<string, unknown> | undefined;
    const nameTag = tags?.Name;
    if (typeof nameTag === "string" && nameTag.length > TAG_VALUE_MAX) {
      findings.push(
        finding(
          "name-limits",
          resource,
          `Name tag is ${nameTag.length} characters; tag values are at most ${TAG_VALUE_MAX}`,
        ),
      );
    }
  }
  return findings;
}

/** Types with a string `name` input but no rule: a new type must add its AWS rule. */
export function uncheckedNameTypes(
  resources: readonly CapturedResource[],
  rules: Readonly<Record<string, readonly NameRule[]>> = ALL_NAME_RULES,
): string[] {
  const types = resources
    .filter((resource) => isCloudResource(resource) && typeof resource.inputs.name === "string")
    .map((resource) => resource.type)
    .filter((type) => rules[type] === undefined);
  return [...new Set(types)].sort();
}

const IAM_NAMED_TYPES = [
  "aws:iam/role:Role",
  "aws:iam/rolePolicy:RolePolicy",
  "aws:iam/policy:Policy",
];

/** IAM is global: two roles (or policies) with one name in two regions collide. */
export function iamNameFindings(resources: readonly CapturedResource[]): DeployabilityFinding[] {
  const findings: DeployabilityFinding[] = [];
  for (const type of IAM_NAMED_TYPES) {
    const seen = new Map<string, CapturedResource>();
    for (const resource of resources.filter((r) => r.type === type)) {
      const name = resource.inputs.name;
      // A role policy's name is unique per role only.
      const key =
        type === "aws:iam/rolePolicy:RolePolicy"
          ? `${String(resource.inputs.role)}/${String(name)}`
          : name;
      if (typeof key !== "string" || typeof name !== "string") continue;
      const first = seen.get(key);
      if (first !== undefined) {
        findings.push(
          finding(
            "iam-global-names",
            resource,
            `name "${name}" is also used by ${first.name} (${first.region}); IAM names are account-wide`,
          ),
        );
      } else {
        seen.set(key, resource);
      }
    }
  }
  return findings;
}

/**
 * Resources and lookups without a region, region components that do not own exactly one
 * provider in their region, and resources under a region component placed in another region.
 */
export function regionFindings(
  run: ProgramRun,
  regions: { readonly primaryRegion: string; readonly drRegion: string },
): DeployabilityFinding[] {
  const graph = new GraphIndex(run);
  const findings: DeployabilityFinding[] = [];
  for (const resource of graph.cloudResources.filter((r) => r.region === "")) {
    findings.push(
      finding(
        "region-placement",
        resource,
        "has no provider: it would be created in the ambient region (pass `provider` or `providers`)",
      ),
    );
  }
  for (const lookup of run.lookups.filter((l) => l.region === "")) {
    findings.push({
      check: "region-placement",
      resource: "",
      region: "",
      message: `lookup ${lookup.token} ran without a provider (ambient region)`,
    });
  }
  const providers = graph.ofType("pulumi:providers:aws");
  const expectations: [string, string][] = [
    ["tap:region:PrimaryRegion", regions.primaryRegion],
    ["tap:region:DrRegion", regions.drRegion],
  ];
  for (const [componentType, region] of expectations) {
    for (const component of graph.ofType(componentType)) {
      const own = providers.filter((provider) => provider.parent === component.urn);
      if (own.length !== 1 || own[0].region !== region) {
        findings.push(
          finding(
            "region-placement",
            component,
            `owns providers in [${own.map((p) => p.region).join(", ")}]; expected exactly one, in ${region}`,
          ),
        );
      }
      const elsewhere = graph.cloudResources.filter(
        (resource) =>
          resource.region !== "" &&
          resource.region !== region &&
          graph.ancestorsOf(resource).some((ancestor) => ancestor.urn === component.urn),
      );
      for (const resource of elsewhere) {
        findings.push(
          finding(
            "region-placement",
            resource,
            `is under ${componentType} but in ${resource.region}, not ${region}`,
          ),
        );
      }
    }
  }
  for (const component of graph.ofType("tap:global:GlobalResources")) {
    const own = providers.filter((provider) => provider.parent === component.urn);
    const perRegion = new Map<string, number>();
    for (const provider of own)
      perRegion.set(provider.region, (perRegion.get(provider.region) ?? 0) + 1);
    for (const [region, count] of perRegion) {
      if (count > 1) {
        findings.push(
          finding(
            "region-placement",
            component,
            `owns ${count} providers in ${region}; one per region is expected`,
          ),
        );
      }
    }
  }
  return findings;
}

const KMS_KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):\d{12}:key\//;
const S3_BUCKET_ARN = /^arn:aws:s3:::[^/]+$/;

/** One KMS key reference in a resource's inputs, and the region of the data it encrypts. */
export interface KeyUse {
  readonly type: string;
  readonly resource: string;
  readonly path: string;
  readonly keyRegion: string;
  readonly expectedRegion: string;
}

/**
 * Every KMS key ARN in a resource's inputs, with the region the data it encrypts lives in:
 * the resource's own region, or, inside a replica block, the replica's region
 * (`region`/`regionName`), or, inside an S3 replication destination, the destination bucket's.
 */
export function keyUsesOf(graph: GraphIndex, resource: CapturedResource): KeyUse[] {
  const uses: KeyUse[] = [];
  const walk = (value: unknown, path: string, region: string): void => {
    if (typeof value === "string") {
      const match = KMS_KEY_ARN.exec(value);
      if (match) {
        uses.push({
          type: resource.type,
          resource: resource.name,
          path,
          keyRegion: match[1],
          expectedRegion: region,
        });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`, region));
      return;
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      let here = region;
      for (const field of ["regionName", "region"]) {
        const named = record[field];
        if (typeof named === "string" && path !== "") here = named;
      }
      if (typeof record.bucket === "string" && S3_BUCKET_ARN.test(record.bucket)) {
        here = graph.byArn(record.bucket)?.region ?? here;
      }
      for (const [key, child] of Object.entries(record)) {
        walk(child, path === "" ? key : `${path}.${key}`, here);
      }
    }
  };
  walk(resource.inputs, "", resource.region);
  return uses;
}

/** Keys used outside the region of the data: AWS rejects a key from another region. */
export function keyRegionFindings(run: ProgramRun): DeployabilityFinding[] {
  const graph = new GraphIndex(run);
  // A resource without a region is the region check's finding, not this one's.
  return graph.cloudResources
    .filter((resource) => resource.region !== "")
    .flatMap((resource) =>
      keyUsesOf(graph, resource)
        .filter((use) => use.keyRegion !== use.expectedRegion)
        .map((use) =>
          finding(
            "key-region",
            resource,
            `${use.path} is a key in ${use.keyRegion}, but the data lives in ${use.expectedRegion}`,
          ),
        ),
    );
}

const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";

/** Replication configs created before versioning is on in their source or destination bucket. */
export function s3ReplicationFindings(run: ProgramRun): DeployabilityFinding[] {
  const graph = new GraphIndex(run);
  const findings: DeployabilityFinding[] = [];
  const bucketNamed = (name: unknown) =>
    graph.ofType("aws:s3/bucket:Bucket").find((bucket) => bucket.inputs.bucket === name);
  for (const config of graph.ofType(REPLICATION)) {
    const rules = (config.inputs.rules ?? []) as { destination?: { bucket?: string } }[];
    const buckets = [
      bucketNamed(config.inputs.bucket),
      ...rules.map((rule) => graph.byArn(rule.destination?.bucket)),
    ];
    for (const bucket of buckets) {
      if (bucket === undefined) continue;
      const versioning = graph
        .ofType(VERSIONING)
        .find(
          (v) => v.inputs.bucket === mockIdOf(bucket) || v.inputs.bucket === bucket.inputs.bucket,
        );
      const status = (versioning?.inputs.versioningConfiguration as { status?: string } | undefined)
        ?.status;
      if (versioning === undefined || status !== "Enabled") {
        findings.push(
          finding(
            "s3-replication-prerequisites",
            config,
            `bucket ${String(bucket.inputs.bucket)} has no enabled versioning`,
          ),
        );
      } else if (!graph.dependsOn(config, versioning)) {
        findings.push(
          finding(
            "s3-replication-prerequisites",
            config,
            `does not wait for the versioning of ${String(bucket.inputs.bucket)}; AWS rejects replication on an unversioned bucket`,
          ),
        );
      }
    }
  }
  return findings;
}

/** Tables with replicas that lack the stream global tables replicate through. */
export function dynamoReplicaFindings(run: ProgramRun): DeployabilityFinding[] {
  const findings: DeployabilityFinding[] = [];
  for (const table of run.resources.filter((r) => r.type === "aws:dynamodb/table:Table")) {
    const replicas = (table.inputs.replicas ?? []) as { regionName?: string }[];
    if (replicas.length === 0) continue;
    if (
      table.inputs.streamEnabled !== true ||
      table.inputs.streamViewType !== "NEW_AND_OLD_IMAGES"
    ) {
      findings.push(
        finding(
          "dynamodb-replica-prerequisites",
          table,
          "has replicas but no NEW_AND_OLD_IMAGES stream; global tables replicate through it",
        ),
      );
    }
    const regions = replicas.map((replica) => replica.regionName);
    if (regions.includes(table.region) || new Set(regions).size !== regions.length) {
      findings.push(
        finding(
          "dynamodb-replica-prerequisites",
          table,
          `replica regions [${regions.join(", ")}] must be distinct and differ from the table's ${table.region}`,
        ),
      );
    }
  }
  return findings;
}

/** A secondary Aurora cluster that may be created before the primary has a writer. */
export function auroraOrderFindings(
  run: ProgramRun,
  regions: { readonly primaryRegion: string },
): DeployabilityFinding[] {
  const graph = new GraphIndex(run);
  const clusters = graph
    .ofType("aws:rds/cluster:Cluster")
    .filter((cluster) => typeof cluster.inputs.globalClusterIdentifier === "string");
  const primary = clusters.find((cluster) => cluster.region === regions.primaryRegion);
  if (primary === undefined) return [];
  const writers = graph
    .ofType("aws:rds/clusterInstance:ClusterInstance")
    .filter((instance) => instance.inputs.clusterIdentifier === mockIdOf(primary));
  return clusters
    .filter((cluster) => cluster !== primary)
    .filter((secondary) => !writers.some((writer) => graph.dependsOn(secondary, writer)))
    .map((secondary) =>
      finding(
        "aurora-secondary-order",
        secondary,
        "joins the global cluster without waiting for a primary instance; AWS rejects a secondary until the primary has a writer",
      ),
    );
}

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY_ARN_PARTS = /^arn:([a-z-]+):kms:[a-z0-9-]+:(\d{12}):key\//;
const LOGS_ARN_CONTEXT = "kms:EncryptionContext:aws:logs:arn";

interface PolicyStatement {
  readonly Effect?: string;
  readonly Principal?: { readonly Service?: string | string[] };
  readonly Action?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM's ArnLike: `*` any run of characters, `?` any one. */
function arnLike(pattern: string, arn: string): boolean {
  const source = pattern
    .split("")
    .map((ch) => (ch === "*" ? ".*" : ch === "?" ? "." : ch.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${source}$`).test(arn);
}

/**
 * Encrypted log groups the key's policy does not open to CloudWatch Logs. Logs checks the key
 * when the group is created with it, and refuses one whose policy does not allow
 * `logs.<region>.amazonaws.com` to generate data keys for that group's ARN (CloudWatch Logs User
 * Guide, "Encrypt log data in CloudWatch Logs using AWS KMS", step 2: the key policy's
 * `kms:EncryptionContext:aws:logs:arn` condition). A group renamed outside the stack's prefixes
 * would fail `pulumi up` here.
 */
export function logGroupKeyFindings(run: ProgramRun): DeployabilityFinding[] {
  const graph = new GraphIndex(run);
  const findings: DeployabilityFinding[] = [];
  for (const group of graph.ofType(LOG_GROUP)) {
    const keyArn = group.inputs.kmsKeyId;
    const key = graph.byArn(keyArn);
    const parts = typeof keyArn === "string" ? KEY_ARN_PARTS.exec(keyArn) : null;
    if (key?.type !== "aws:kms/key:Key" || parts === null) continue;
    if (typeof key.inputs.policy !== "string") continue;
    const [, partition, accountId] = parts;
    const groupArn = `arn:${partition}:logs:${group.region}:${accountId}:log-group:${String(group.inputs.name)}`;
    const statements = (JSON.parse(key.inputs.policy) as { Statement: PolicyStatement[] })
      .Statement;
    const allowed = statements.some((statement) => {
      if (statement.Effect !== "Allow") return false;
      if (!asList(statement.Principal?.Service).includes(`logs.${group.region}.amazonaws.com`)) {
        return false;
      }
      const actions = asList(statement.Action);
      if (
        !actions.some((a) => ["kms:GenerateDataKey*", "kms:GenerateDataKey", "kms:*"].includes(a))
      ) {
        return false;
      }
      const patterns = Object.values(statement.Condition ?? {}).flatMap((operator) =>
        asList(operator[LOGS_ARN_CONTEXT]),
      );
      return patterns.length === 0 || patterns.some((pattern) => arnLike(pattern, groupArn));
    });
    if (!allowed) {
      findings.push(
        finding(
          "log-group-key-policy",
          group,
          `${String(group.inputs.name)} is encrypted with ${key.name}, whose policy does not let logs.${group.region}.amazonaws.com use it for ${groupArn}; CloudWatch Logs refuses to create the group`,
        ),
      );
    }
  }
  return findings;
}

/** Every deployability check over a captured run. */
export function checkDeployability(
  run: ProgramRun,
  regions: { readonly primaryRegion: string; readonly drRegion: string },
): DeployabilityReport {
  const findings = [
    ...regionFindings(run, regions),
    ...nameFindings(run.resources),
    ...iamNameFindings(run.resources),
    ...keyRegionFindings(run),
    ...s3ReplicationFindings(run),
    ...dynamoReplicaFindings(run),
    ...auroraOrderFindings(run, regions),
    ...logGroupKeyFindings(run),
  ];
  const checks = (Object.keys(DEPLOYABILITY_CHECKS) as DeployabilityCheck[]).map((id) => ({
    id,
    description: DEPLOYABILITY_CHECKS[id],
    findings: findings.filter((f) => f.check === id).length,
  }));
  return { checks, findings, uncheckedNameTypes: uncheckedNameTypes(run.resources) };
}

/** S3: public access, TLS, encryption with the region's key, versioning, logging, replication. */
import { GraphResource, PolicyContext, PolicyRule, isUnknown } from "../model";
import {
  deniesInsecureTransport,
  flag,
  objectOf,
  objectsOf,
  publicAllowStatements,
  regionalKeyProblems,
  shown,
  statementLabel,
  statementsOf,
} from "../values";
import { BUCKET_TYPES, TYPES } from "./types";

/** The bucket's configuration resources of these types (they name it in their `bucket` input). */
function configsOf(
  bucket: GraphResource,
  context: PolicyContext,
  types: readonly string[],
): GraphResource[] {
  return types.flatMap((type) => context.graph.referencing(bucket, type, "bucket"));
}

const PUBLIC_ACCESS_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

export const s3PublicAccessBlocked: PolicyRule = {
  id: "TAP-S3-1",
  title: "S3 buckets block public access (all four settings)",
  baseline: "FSBP S3.8, AwsSolutions-S2, CKV2_AWS_6",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation: "Add an aws.s3.BucketPublicAccessBlock for the bucket with all four settings true.",
  validate(bucket, context) {
    const blocks = configsOf(bucket, context, [TYPES.publicAccessBlock]);
    if (blocks.length === 0) {
      return ["has no BucketPublicAccessBlock; add one with all four settings true"];
    }
    const off = PUBLIC_ACCESS_FLAGS.filter((name) =>
      blocks.every((block) => !isUnknown(block.inputs[name]) && flag(block.inputs[name]) !== true),
    );
    return off.length === 0
      ? []
      : [`BucketPublicAccessBlock leaves ${off.join(", ")} off; set all four to true`];
  },
};

/** The bucket's policy documents: its BucketPolicy resources' and an inline `policy`. */
function bucketPolicies(bucket: GraphResource, context: PolicyContext): unknown[] {
  const documents = configsOf(bucket, context, [TYPES.bucketPolicy]).map((p) => p.inputs.policy);
  return bucket.inputs.policy === undefined ? documents : [...documents, bucket.inputs.policy];
}

export const s3TlsOnly: PolicyRule = {
  id: "TAP-S3-2",
  title: "S3 bucket policies deny requests without TLS",
  baseline: "FSBP S3.5, AwsSolutions-S10, CKV_AWS_379",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation:
    'Add a bucket policy statement: Deny, Principal "*", Action "s3:*" on the bucket and its objects, Condition Bool aws:SecureTransport "false".',
  validate(bucket, context) {
    const documents = bucketPolicies(bucket, context);
    if (documents.some(isUnknown)) return [];
    const denies = documents.some((document) => {
      const statements = statementsOf(document);
      return Array.isArray(statements) && statements.some((s) => deniesInsecureTransport(s, "s3"));
    });
    return denies
      ? []
      : [
          'no bucket policy denies requests without TLS (Deny s3:* when aws:SecureTransport is "false")',
        ];
  },
};

/** The default-encryption rules of a bucket: standalone resources' `rules` and the inline form. */
function encryptionRules(
  bucket: GraphResource,
  context: PolicyContext,
): Record<string, unknown>[] | undefined {
  const configs = configsOf(bucket, context, [TYPES.bucketEncryption, TYPES.bucketEncryptionV2]);
  const rules = configs.flatMap((config) => {
    const list = objectsOf(config.inputs.rules);
    return isUnknown(list) ? [] : list;
  });
  const inline = objectOf(bucket.inputs.serverSideEncryptionConfiguration);
  const inlineRule = isUnknown(inline) ? undefined : objectOf(inline?.rule);
  if (inlineRule !== undefined && !isUnknown(inlineRule)) rules.push(inlineRule);
  return configs.length === 0 && inlineRule === undefined ? undefined : rules;
}

export const s3EncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-S3-3",
  title: "S3 buckets encrypt by default with SSE-KMS and the bucket's own region's key",
  baseline: "Security Hub S3.17 (NIST 800-53), CKV_AWS_145, CKV_AWS_19",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation:
    'Add an aws.s3.BucketServerSideEncryptionConfiguration with sseAlgorithm "aws:kms" and kmsMasterKeyId the ARN of the region\'s key.',
  validate(bucket, context) {
    const rules = encryptionRules(bucket, context);
    if (rules === undefined) {
      return ["has no default encryption configuration; use SSE-KMS with the region's key"];
    }
    const problems: string[] = [];
    for (const rule of rules) {
      const byDefault = objectOf(rule.applyServerSideEncryptionByDefault);
      if (isUnknown(byDefault)) continue;
      const algorithm = byDefault?.sseAlgorithm;
      if (isUnknown(algorithm)) continue;
      if (algorithm !== "aws:kms" && algorithm !== "aws:kms:dsse") {
        problems.push(`default encryption is ${shown(algorithm)}, not SSE-KMS ("aws:kms")`);
        continue;
      }
      problems.push(
        ...regionalKeyProblems(byDefault?.kmsMasterKeyId, "kmsMasterKeyId", bucket.region, context),
      );
    }
    return problems;
  },
};

export const s3Versioned: PolicyRule = {
  id: "TAP-S3-4",
  title: "S3 buckets are versioned",
  baseline: "Security Hub S3.14 (NIST 800-53), CKV_AWS_21",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation: 'Add an aws.s3.BucketVersioning with versioningConfiguration.status "Enabled".',
  validate(bucket, context) {
    const statuses = configsOf(bucket, context, [TYPES.bucketVersioning, TYPES.bucketVersioningV2])
      .map((config) => objectOf(config.inputs.versioningConfiguration))
      .map((configuration) => (isUnknown(configuration) ? configuration : configuration?.status));
    const inline = objectOf(bucket.inputs.versioning);
    if (!isUnknown(inline) && flag(inline?.enabled) === true) statuses.push("Enabled");
    if (statuses.some((status) => status === "Enabled" || isUnknown(status))) return [];
    return statuses.length === 0
      ? ["has no BucketVersioning; enable versioning"]
      : [`versioning is ${statuses.map(shown).join(", ")}, not "Enabled"`];
  },
};

export const s3AccessLogged: PolicyRule = {
  id: "TAP-S3-5",
  title: "S3 buckets log server access to a log bucket",
  baseline: "FSBP S3.9, AwsSolutions-S1, CKV_AWS_18",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation: "Add an aws.s3.BucketLogging with targetBucket the region's access-log bucket.",
  validate(bucket, context) {
    const logging = configsOf(bucket, context, [TYPES.bucketLogging, TYPES.bucketLoggingV2]);
    const inline = objectOf(bucket.inputs.logging);
    const hasInline = !isUnknown(inline) && inline?.targetBucket !== undefined;
    return logging.length > 0 || hasInline || isUnknown(inline)
      ? []
      : ["has no server access logging (BucketLogging)"];
  },
};

export const s3Lifecycle: PolicyRule = {
  id: "TAP-S3-6",
  title:
    "S3 buckets expire noncurrent versions and abort incomplete multipart uploads (lifecycle rules)",
  baseline: "FSBP S3.13, CKV2_AWS_61, CKV_AWS_300",
  severity: "low",
  enforcement: "advisory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation:
    "Add an aws.s3.BucketLifecycleConfiguration with a noncurrentVersionExpiration rule and an abortIncompleteMultipartUpload rule.",
  validate(bucket, context) {
    const configs = configsOf(bucket, context, [TYPES.bucketLifecycle, TYPES.bucketLifecycleV2]);
    const rules = configs.flatMap((config) => {
      const list = objectsOf(config.inputs.rules);
      return isUnknown(list) ? [] : list;
    });
    const enabled = rules.filter((rule) => rule.status === "Enabled");
    const problems: string[] = [];
    if (!enabled.some((rule) => rule.noncurrentVersionExpiration !== undefined)) {
      problems.push("no enabled lifecycle rule expires noncurrent versions");
    }
    if (!enabled.some((rule) => rule.abortIncompleteMultipartUpload !== undefined)) {
      problems.push("no enabled lifecycle rule aborts incomplete multipart uploads");
    }
    return problems;
  },
};

export const s3AclsDisabled: PolicyRule = {
  id: "TAP-S3-7",
  title: "S3 buckets disable ACLs (object ownership BucketOwnerEnforced)",
  baseline: "FSBP S3.12, CKV2_AWS_65",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: BUCKET_TYPES,
  scope: "stack",
  remediation:
    'Add an aws.s3.BucketOwnershipControls with rule.objectOwnership "BucketOwnerEnforced".',
  validate(bucket, context) {
    const owners = configsOf(bucket, context, [TYPES.bucketOwnership]).map((config) => {
      const rule = objectOf(config.inputs.rule);
      return isUnknown(rule) ? rule : rule?.objectOwnership;
    });
    if (owners.some((owner) => owner === "BucketOwnerEnforced" || isUnknown(owner))) return [];
    return owners.length === 0
      ? ['has no BucketOwnershipControls; set objectOwnership "BucketOwnerEnforced"']
      : [`object ownership is ${owners.map(shown).join(", ")}, not "BucketOwnerEnforced"`];
  },
};

export const s3PolicyNotPublic: PolicyRule = {
  id: "TAP-S3-8",
  title: "S3 bucket policies grant nothing to anyone (no unconditioned Principal *)",
  baseline: "FSBP S3.2, FSBP S3.3, CKV_AWS_70",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [...BUCKET_TYPES, TYPES.bucketPolicy],
  scope: "resource",
  remediation:
    'Name the principals an Allow statement is for, or add a condition; never Allow "*".',
  validate(resource) {
    const statements = statementsOf(resource.inputs.policy);
    if (!Array.isArray(statements)) return [];
    return publicAllowStatements(statements).map(
      (statement) =>
        `statement ${statementLabel(statement, statements.indexOf(statement))} allows anyone (Principal "*") without a condition`,
    );
  },
};

export const s3ReplicaEncryption: PolicyRule = {
  id: "TAP-S3-9",
  title:
    "S3 replication replicates SSE-KMS objects and encrypts replicas with the destination region's key",
  baseline: "Security Hub S3.7 (NIST 800-53), CKV_AWS_144",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.bucketReplication],
  scope: "stack",
  remediation:
    'In each enabled rule set sourceSelectionCriteria.sseKmsEncryptedObjects.status "Enabled" and destination.encryptionConfiguration.replicaKmsKeyId to the destination region\'s key.',
  validate(replication, context) {
    const rules = objectsOf(replication.inputs.rules);
    if (isUnknown(rules)) return [];
    const problems: string[] = [];
    for (const rule of rules.filter((r) => r.status === "Enabled")) {
      const label = typeof rule.id === "string" ? `rule "${rule.id}"` : "a rule";
      const criteria = objectOf(rule.sourceSelectionCriteria);
      const sseKms = isUnknown(criteria) ? criteria : objectOf(criteria?.sseKmsEncryptedObjects);
      if (!isUnknown(sseKms) && sseKms?.status !== "Enabled") {
        problems.push(
          `${label} does not replicate SSE-KMS objects (sourceSelectionCriteria.sseKmsEncryptedObjects)`,
        );
      }
      const destination = objectOf(rule.destination);
      if (isUnknown(destination)) continue;
      const target = context.graph.named(TYPES.bucket, destination?.bucket);
      const encryption = objectOf(destination?.encryptionConfiguration);
      const keyId = isUnknown(encryption) ? encryption : encryption?.replicaKmsKeyId;
      problems.push(
        ...regionalKeyProblems(
          keyId,
          `${label} destination.encryptionConfiguration.replicaKmsKeyId`,
          target?.region ?? "",
          context,
        ),
      );
    }
    return problems;
  },
};

export const S3_RULES: readonly PolicyRule[] = [
  s3PublicAccessBlocked,
  s3TlsOnly,
  s3EncryptedWithRegionalKey,
  s3Versioned,
  s3AccessLogged,
  s3Lifecycle,
  s3AclsDisabled,
  s3PolicyNotPublic,
  s3ReplicaEncryption,
];

/**
 * The self-managed Pulumi backend for tap-dr's pipeline: one state bucket (versioned, SSE-KMS
 * under a dedicated rotating key, TLS only, public access blocked, access-logged), its log
 * bucket, and one rotating KMS key per CI target for the stacks' secrets (`awskms://`).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionCode } from "../../lib/util/aws-regions";
import { accessLogBucketPolicy } from "../../lib/security/resource-policies";
import { CI_PREFIX } from "./config";
import { stateBucketPolicy } from "./state-policies";

export interface StateBackendArgs {
  /** Region of the buckets and keys (the provider's). */
  readonly region: string;
  /** The deploying account, from a lookup through the provider. */
  readonly accountId: pulumi.Input<string>;
  /** Ids of the CI targets ("staging", "pr"): each gets its own secrets key. */
  readonly targetIds: readonly string[];
  /** Days the state keeps noncurrent versions of each object. @default 365 */
  readonly noncurrentVersionDays?: number;
  /** Days the access logs are kept. @default 365 */
  readonly accessLogDays?: number;
  /** The explicit AWS provider; passed to every child. */
  readonly provider: aws.Provider;
}

/** "ci-tap-dr-<purpose>-<account>-<region code>": bucket names are global. */
export function backendBucketName(purpose: string, accountId: string, region: string): string {
  return `${CI_PREFIX}-${purpose}-${accountId}-${regionCode(region)}`;
}

/** The `pulumi login` URL of the state bucket. */
export function backendUrl(bucket: string, region: string): string {
  return `s3://${bucket}?region=${region}`;
}

/** The `--secrets-provider` of a CI target's stacks. */
export function secretsProviderUrl(targetId: string, region: string): string {
  return `awskms://${secretsKeyAlias(targetId)}?region=${region}`;
}

export const secretsKeyAlias = (targetId: string): string =>
  `alias/${CI_PREFIX}-${targetId}-secrets`;
export const STATE_KEY_ALIAS = `alias/${CI_PREFIX}-state`;

/** Where the DIY backend keeps its layout version, and the version of the project-scoped layout. */
export const PULUMI_META_KEY = ".pulumi/meta.yaml";
export const PULUMI_META_CONTENT = "version: 1\n";

export class StateBackend extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;
  public readonly bucketKeyArn: pulumi.Output<string>;
  public readonly logBucketArn: pulumi.Output<string>;
  /** `pulumi login` URL: the workflows' PULUMI_BACKEND_URL. */
  public readonly backendUrl: pulumi.Output<string>;
  /** Secrets key ARN per target id. */
  public readonly secretsKeyArns: Record<string, pulumi.Output<string>>;
  /** `--secrets-provider` URL per target id. */
  public readonly secretsProviders: Record<string, string>;

  constructor(name: string, args: StateBackendArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("tap-dr-bootstrap:index:StateBackend", name, {}, opts);
    const provider = args.provider;
    const child = { parent: this, provider };
    // Losing the state bucket or a key loses every stack's state or secrets: protected.
    const kept = { ...child, protect: true };
    const noncurrentDays = args.noncurrentVersionDays ?? 365;
    const logDays = args.accessLogDays ?? 365;
    const accountId = pulumi.output(args.accountId);

    const bucketKey = new aws.kms.Key(
      `${name}-bucket-key`,
      {
        description: "tap-dr pipeline: SSE-KMS of the Pulumi state bucket",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      },
      kept,
    );
    new aws.kms.Alias(
      `${name}-bucket-key`,
      { name: STATE_KEY_ALIAS, targetKeyId: bucketKey.keyId },
      child,
    );

    /**
     * Both buckets start alike: named per account and region, ACLs off (bucket-owner-enforced
     * ownership) and all four public access blocks on. `bucketOpts` protects the state bucket.
     */
    const privateBucket = (
      logicalName: string,
      purpose: string,
      bucketOpts: pulumi.CustomResourceOptions,
    ) => {
      const bucket = new aws.s3.Bucket(
        logicalName,
        { bucket: accountId.apply((id) => backendBucketName(purpose, id, args.region)) },
        bucketOpts,
      );
      const ownership = new aws.s3.BucketOwnershipControls(
        `${logicalName}-ownership`,
        { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
        child,
      );
      const publicAccess = new aws.s3.BucketPublicAccessBlock(
        `${logicalName}-public-access`,
        {
          bucket: bucket.id,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
        child,
      );
      return { bucket, ownership, publicAccess };
    };

    // Access logs: SSE-S3, the encryption S3 server access log delivery always supports; the
    // logs hold request metadata (who read or wrote which state object), not state.
    const {
      bucket: logBucket,
      ownership: logOwnership,
      publicAccess: logPublicAccess,
    } = privateBucket(`${name}-logs`, "state-logs", child);
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-encryption`,
      {
        bucket: logBucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-logs-lifecycle`,
      {
        bucket: logBucket.id,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: logDays },
          },
        ],
      },
      child,
    );

    const { bucket, publicAccess } = privateBucket(`${name}-state`, "state", kept);
    new aws.s3.BucketVersioning(
      `${name}-state-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-state-encryption`,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: "aws:kms",
              kmsMasterKeyId: bucketKey.arn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      child,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-state-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            // Every checkpoint write leaves a noncurrent version: the history to roll back to.
            id: "expire-old-state-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      child,
    );
    new aws.s3.BucketLogging(
      `${name}-state-logging`,
      { bucket: bucket.id, targetBucket: logBucket.id, targetPrefix: "state/" },
      { ...child, dependsOn: [logOwnership] },
    );
    // The DIY backend's layout version (pulumi/pulumi pkg/backend/diy/meta.go: version 1, the
    // project-scoped layout). The first `pulumi login` would write it; written here, no CI role
    // needs write access outside its own stack's objects.
    new aws.s3.BucketObjectv2(
      `${name}-state-meta`,
      {
        bucket: bucket.id,
        key: PULUMI_META_KEY,
        content: PULUMI_META_CONTENT,
        contentType: "application/yaml",
      },
      { ...child, dependsOn: [encryption] },
    );
    // After the public access blocks, so neither policy is ever put on an unblocked bucket.
    new aws.s3.BucketPolicy(
      `${name}-state-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, bucketKey.arn])
          .apply(([bucketArn, keyArn]) => JSON.stringify(stateBucketPolicy(bucketArn, keyArn))),
      },
      { ...child, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketPolicy(
      `${name}-logs-policy`,
      {
        bucket: logBucket.id,
        policy: pulumi
          .all([logBucket.arn, bucket.arn, accountId])
          .apply(([logArn, stateArn, id]) =>
            JSON.stringify(accessLogBucketPolicy(logArn, id, stateArn)),
          ),
      },
      { ...child, dependsOn: [logPublicAccess] },
    );

    const secretsKeyArns: Record<string, pulumi.Output<string>> = {};
    const secretsProviders: Record<string, string> = {};
    for (const id of args.targetIds) {
      const key = new aws.kms.Key(
        `${name}-secrets-${id}`,
        {
          description: `tap-dr pipeline: Pulumi secrets of the ${id} stacks`,
          enableKeyRotation: true,
          deletionWindowInDays: 30,
        },
        kept,
      );
      new aws.kms.Alias(
        `${name}-secrets-${id}`,
        { name: secretsKeyAlias(id), targetKeyId: key.keyId },
        child,
      );
      secretsKeyArns[id] = key.arn;
      secretsProviders[id] = secretsProviderUrl(id, args.region);
    }

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.bucketKeyArn = bucketKey.arn;
    this.logBucketArn = logBucket.arn;
    this.backendUrl = bucket.bucket.apply((b) => backendUrl(b, args.region));
    this.secretsKeyArns = secretsKeyArns;
    this.secretsProviders = secretsProviders;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      bucketKeyArn: this.bucketKeyArn,
      logBucketArn: this.logBucketArn,
      backendUrl: this.backendUrl,
      secretsKeyArns: this.secretsKeyArns,
      secretsProviders: this.secretsProviders,
    });
  }
}

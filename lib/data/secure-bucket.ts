import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** How a bucket encrypts its objects at rest. */
export type BucketEncryption =
  /** SSE-KMS with the region's customer-managed key and S3 Bucket Keys (fewer KMS calls). */
  | { readonly kind: "kms"; readonly keyArn: pulumi.Input<string> }
  /**
   * SSE-S3. Only for the access-log bucket: S3 server access logging cannot
   * deliver to a bucket whose default encryption is SSE-KMS.
   */
  | { readonly kind: "s3-managed" };

export interface SecureBucketArgs {
  /** The bucket's globally unique name (see bucketName in lib/naming.ts). */
  readonly bucketName: pulumi.Input<string>;
  /** SSE-KMS with the region's key, or SSE-S3 for the access-log bucket. */
  readonly encryption: BucketEncryption;
  /** Builds the bucket policy; every policy denies non-TLS requests. */
  readonly policy: (context: BucketPolicyContext) => aws.iam.PolicyDocument;
  /** The owning account and partition, from lookups in the bucket's region. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
  /** Days before a noncurrent version is deleted. */
  readonly noncurrentVersionDays: number;
  /** Days before current objects expire; undefined keeps them (data buckets). */
  readonly expireCurrentAfterDays?: number;
  /** Where server access logs go; undefined for the log bucket itself. */
  readonly accessLogBucket?: SecureBucket;
  /** Delete every object version on destroy (test mode). @default false */
  readonly forceDestroy?: boolean;
  /** Keep the bucket in AWS when the stack deletes it (production). @default true */
  readonly retainOnDelete?: boolean;
  /**
   * Pulumi `protect` on the bucket (production data and log buckets): destroy refuses before
   * it starts. Off for buckets the program rebuilds, like the EC2 artifacts. @default false
   */
  readonly protect?: boolean;
  /** Name tag. */
  readonly nameTag: string;
  /**
   * S3 Object Lock with a default retention (production txlogs buckets). Never on the
   * access-log bucket: S3 cannot deliver server access logs into an Object Lock bucket.
   * Irreversible: once on, neither Object Lock nor versioning can be turned off.
   * @default none
   */
  readonly objectLock?: {
    readonly mode: "governance" | "compliance";
    readonly retentionDays: number;
  };
}

/** What a bucket policy is built from, once known. */
export interface BucketPolicyContext {
  readonly bucketArn: string;
  readonly accountId: string;
  readonly partition: string;
}

/** Days an incomplete multipart upload may linger before S3 aborts it. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * A private, versioned, encrypted bucket: all four public access blocks,
 * bucket-owner-enforced ownership (ACLs off), a TLS-only policy, lifecycle
 * rules for old versions and abandoned uploads, and server access logging.
 */
export class SecureBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:SecureBucket", name, {}, opts);
    const bucket = new aws.s3.Bucket(
      name,
      {
        bucket: args.bucketName,
        forceDestroy: args.forceDestroy ?? false,
        tags: { Name: args.nameTag },
      },
      { parent: this, retainOnDelete: args.retainOnDelete ?? true, protect: args.protect ?? false },
    );
    const child = { parent: this };

    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      child,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      child,
    );
    const versioning = new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } },
      child,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        rules: [
          args.encryption.kind === "kms"
            ? {
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: "aws:kms",
                  kmsMasterKeyId: args.encryption.keyArn,
                },
                bucketKeyEnabled: true,
              }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      child,
    );
    // After the public access block, so a policy can never be put on an unblocked bucket.
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket: bucket.id,
        policy: pulumi
          .all([bucket.arn, args.accountId, args.partition])
          .apply(([bucketArn, accountId, partition]) =>
            JSON.stringify(args.policy({ bucketArn, accountId, partition })),
          ),
      },
      { parent: this, dependsOn: [publicAccessBlock] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            ...(args.expireCurrentAfterDays === undefined
              ? {}
              : { expiration: { days: args.expireCurrentAfterDays } }),
          },
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: {
              daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS,
            },
          },
        ],
      },
      // A lifecycle rule on an unversioned bucket would not see noncurrent versions.
      { parent: this, dependsOn: [versioning] },
    );
    if (args.accessLogBucket !== undefined) {
      new aws.s3.BucketLogging(
        `${name}-logging`,
        {
          bucket: bucket.id,
          targetBucket: args.accessLogBucket.bucketName,
          targetPrefix: pulumi.interpolate`${bucket.id}/`,
        },
        // Waits for the log bucket's policy, which is what lets S3 deliver the logs.
        { parent: this, dependsOn: [args.accessLogBucket] },
      );
    }

    // The standalone resource enables Object Lock on the existing, versioned bucket
    // (PutObjectLockConfiguration, allowed on existing buckets since November 2023), so no
    // bucket is replaced: see docs/aws-constraints-data-tier.md, "Object Lock and vault lock".
    const objectLock =
      args.objectLock === undefined
        ? undefined
        : new aws.s3.BucketObjectLockConfiguration(
            `${name}-object-lock`,
            {
              bucket: bucket.id,
              objectLockEnabled: "Enabled",
              rule: {
                defaultRetention: {
                  mode: args.objectLock.mode === "compliance" ? "COMPLIANCE" : "GOVERNANCE",
                  days: args.objectLock.retentionDays,
                },
              },
            },
            // S3 requires versioning before Object Lock can be enabled on an existing bucket.
            // Retained and protected like the bucket: removing the resource must not drop the
            // default retention.
            {
              parent: this,
              dependsOn: [versioning],
              retainOnDelete: args.retainOnDelete ?? true,
              protect: args.protect ?? false,
            },
          );

    // Consumers outside (replication in particular, which S3 rejects on an unversioned
    // bucket, and which needs Object Lock on a destination when the source has it) get the
    // name and ARN only once versioning, and Object Lock if any, are on.
    const ready = [versioning.id, ...(objectLock ? [objectLock.id] : [])];
    this.bucketName = pulumi.all([bucket.bucket, ...ready]).apply(([bucketName]) => bucketName);
    this.bucketArn = pulumi.all([bucket.arn, ...ready]).apply(([arn]) => arn);
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

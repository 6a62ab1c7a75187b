import * as aws from "@pulumi/aws";

/**
 * S3 replication needs permissions on both sides. Each region's component
 * grants its replication role the source side (read its own buckets, decrypt
 * with its own key); GlobalResources, which sees both regions, adds the
 * destination side. The KMS statements are limited to S3 in the key's region
 * (kms:ViaService), the same condition the key policies delegate under.
 */

/** Source side: read the objects and versions to replicate, and decrypt them. */
export function replicationSourcePolicy(
  sourceBucketArns: readonly string[],
  sourceKeyArn: string,
  sourceRegion: string,
): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadReplicationConfiguration",
        Effect: "Allow",
        Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"],
        Resource: [...sourceBucketArns],
      },
      {
        Sid: "ReadObjectVersionsToReplicate",
        Effect: "Allow",
        Action: [
          "s3:GetObjectVersionForReplication",
          "s3:GetObjectVersionAcl",
          "s3:GetObjectVersionTagging",
          // Object Lock (the production txlogs buckets): S3 needs these two on the source to
          // replicate a version's retention and legal hold (S3 FAQ, "Do I need additional
          // permissions to replicate objects from buckets with S3 Object Lock enabled?"; S3 User
          // Guide, "Object Lock considerations", Using Object Lock with S3 Replication). Granted
          // in both modes: harmless on a bucket without Object Lock.
          "s3:GetObjectRetention",
          "s3:GetObjectLegalHold",
        ],
        Resource: sourceBucketArns.map((arn) => `${arn}/*`),
      },
      {
        Sid: "DecryptSourceObjects",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: sourceKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${sourceRegion}.amazonaws.com` } },
      },
    ],
  };
}

/** Destination side: write replicas, delete markers and tags, and encrypt with the destination key. */
export function replicationDestinationPolicy(
  destinationBucketArns: readonly string[],
  destinationKeyArn: string,
  destinationRegion: string,
): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: destinationBucketArns.map((arn) => `${arn}/*`),
      },
      {
        Sid: "EncryptReplicas",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: destinationKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${destinationRegion}.amazonaws.com` },
        },
      },
    ],
  };
}

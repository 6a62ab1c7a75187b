import * as aws from "@pulumi/aws";

/** Denies every request that does not arrive over TLS (aws:SecureTransport is false). */
export function denyInsecureTransport(
  action: string,
  resources: string[],
): aws.iam.PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: action,
    Resource: resources,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/** A data bucket's policy: TLS only, for the bucket and every object in it. */
export function tlsOnlyBucketPolicy(bucketArn: string): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [denyInsecureTransport("s3:*", [bucketArn, `${bucketArn}/*`])],
  };
}

/**
 * The access-log bucket's policy: TLS only, and S3 server access logging may
 * write, but only for this account's buckets. With BucketOwnerEnforced, ACLs
 * are off, so the logging service is allowed by policy rather than the old
 * log-delivery ACL grant.
 */
export function accessLogBucketPolicy(
  logBucketArn: string,
  accountId: string,
  sourceBucketArnPattern: string,
): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport("s3:*", [logBucketArn, `${logBucketArn}/*`]),
      {
        Sid: "S3ServerAccessLogDelivery",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `${logBucketArn}/*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": sourceBucketArnPattern },
        },
      },
    ],
  };
}

/** A queue's policy: TLS only. Access itself comes from IAM policies in this account. */
export function tlsOnlyQueuePolicy(queueArn: string): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [denyInsecureTransport("sqs:*", [queueArn])],
  };
}

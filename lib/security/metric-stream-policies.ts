import * as aws from "@pulumi/aws";

/**
 * The two roles of a region's metric stream (lib/monitoring/metric-stream.ts), each limited to
 * that region's resources. KMS statements are held to the service the key is used through
 * (kms:ViaService), the same condition the key policy delegates under.
 */

/**
 * What CloudWatch needs to write into the delivery stream: PutRecord and PutRecordBatch on that
 * one stream ("Trust between CloudWatch and Firehose" allows `deliverystream/*`; one ARN is
 * enough), and, because the stream is encrypted with a customer managed key, kms:GenerateDataKey
 * and kms:Decrypt through Firehose, which Firehose requires of every PutRecord(Batch) caller on
 * such a stream (AWS notice "Enhanced security controls for Amazon Data Firehose", April 2026).
 */
export function metricStreamWritePolicy(
  deliveryStreamArn: string,
  keyArn: string,
  region: string,
): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PutRecordsIntoOwnDeliveryStream",
        Effect: "Allow",
        Action: ["firehose:PutRecord", "firehose:PutRecordBatch"],
        Resource: deliveryStreamArn,
      },
      {
        Sid: "EncryptRecordsThroughFirehose",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: keyArn,
        Condition: { StringEquals: { "kms:ViaService": `firehose.${region}.amazonaws.com` } },
      },
    ],
  };
}

/** The resources a metric stream's delivery stream writes to, all in one region. */
export interface DeliveryTargets {
  /** The region's metrics bucket. */
  readonly bucketArn: string;
  /** The region's key: the bucket's default encryption and the objects Firehose writes. */
  readonly keyArn: string;
  /** The region of both, for kms:ViaService. */
  readonly region: string;
  /** The error log group, without the ":*" suffix. */
  readonly logGroupArn: string;
  /** The log stream Firehose writes delivery errors to. */
  readonly logStreamName: string;
}

/**
 * What Firehose needs to deliver into the bucket ("Grant Firehose access to an Amazon S3
 * destination", Firehose Developer Guide): the six S3 actions on the bucket and its objects,
 * kms:GenerateDataKey and kms:Decrypt through S3 in the bucket's region, and logs:PutLogEvents
 * on its error log stream. No Kinesis or Lambda statements: the source is Direct PUT and nothing
 * transforms the records. The encryption context allows the bucket ARN as well as object ARNs:
 * with an S3 Bucket Key (SecureBucket turns them on) S3 asks KMS for a data key under the
 * bucket's ARN, not the object's.
 */
export function firehoseDeliveryPolicy(targets: DeliveryTargets): aws.iam.PolicyDocument {
  const { bucketArn, keyArn, region, logGroupArn, logStreamName } = targets;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteMetricsBucket",
        Effect: "Allow",
        Action: [
          "s3:AbortMultipartUpload",
          "s3:GetBucketLocation",
          "s3:GetObject",
          "s3:ListBucket",
          "s3:ListBucketMultipartUploads",
          "s3:PutObject",
        ],
        Resource: [bucketArn, `${bucketArn}/*`],
      },
      {
        Sid: "EncryptObjectsThroughS3",
        Effect: "Allow",
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
        },
      },
      {
        Sid: "WriteDeliveryErrors",
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: `${logGroupArn}:log-stream:${logStreamName}`,
      },
    ],
  };
}

/** CloudWatch log groups and Firehose delivery streams: the region's key, retention. */
import { PolicyRule, isUnknown } from "../model";
import { flag, objectOf, regionalKeyProblems, shown } from "../values";
import { BUCKET_TYPES, TYPES } from "./types";

export const logGroupEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-LOG-1",
  title: "CloudWatch log groups are encrypted with their region's key",
  baseline: "CKV_AWS_158",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.logGroup],
  scope: "resource",
  remediation:
    "Set kmsKeyId to the ARN of the region's key (its key policy must allow logs.<region>.amazonaws.com).",
  validate(group, context) {
    return regionalKeyProblems(group.inputs.kmsKeyId, "kmsKeyId", group.region, context);
  },
};

/** CKV_AWS_338 and Security Hub CloudWatch.16 ask for a year; PCI DSS 10.5.1 too. */
const PRODUCTION_RETENTION_DAYS = 365;

export const logGroupRetention: PolicyRule = {
  id: "TAP-LOG-2",
  title: `CloudWatch log groups set a retention; in production at least ${PRODUCTION_RETENTION_DAYS} days, retained on delete`,
  baseline: "CKV_AWS_66, CKV_AWS_338, Security Hub CloudWatch.16 (NIST 800-53)",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.logGroup],
  scope: "resource",
  remediation: `Set retentionInDays (lib/modes.ts: ${PRODUCTION_RETENTION_DAYS} in production) and retainOnDelete in production.`,
  validate(group, context) {
    const days = group.inputs.retentionInDays;
    if (isUnknown(days)) return [];
    const problems: string[] = [];
    if (typeof days !== "number" || days <= 0) {
      problems.push(`retentionInDays is ${shown(days)}; the logs would be kept forever, unplanned`);
    } else if (context.mode === "production" && days < PRODUCTION_RETENTION_DAYS) {
      problems.push(
        `retentionInDays is ${days}; production keeps logs at least ${PRODUCTION_RETENTION_DAYS} days`,
      );
    }
    if (context.mode === "production" && group.retainOnDelete === false) {
      problems.push("is not retained on delete; production logs must outlive the stack");
    }
    return problems;
  },
};

export const firehoseEncryptedWithRegionalKeys: PolicyRule = {
  id: "TAP-FH-1",
  title:
    "Firehose streams encrypt with their region's key, and S3 deliveries with the destination bucket's region's key",
  baseline: "FSBP DataFirehose.1, CKV_AWS_240, CKV_AWS_241",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.firehose],
  scope: "stack",
  remediation:
    "Set serverSideEncryption { enabled: true, keyType: \"CUSTOMER_MANAGED_CMK\", keyArn: the region's key }, and extendedS3Configuration.kmsKeyArn to the key of the bucket's region.",
  validate(stream, context) {
    const problems: string[] = [];
    // A stream fed by a Kinesis stream is encrypted by that stream; SSE applies to direct PUT.
    if (stream.inputs.kinesisSourceConfiguration === undefined) {
      const sse = objectOf(stream.inputs.serverSideEncryption);
      if (!isUnknown(sse)) {
        if (flag(sse?.enabled) !== true || sse?.keyType !== "CUSTOMER_MANAGED_CMK") {
          problems.push(
            "serverSideEncryption is not enabled with a customer-managed key (CUSTOMER_MANAGED_CMK)",
          );
        } else {
          problems.push(
            ...regionalKeyProblems(
              sse.keyArn,
              "serverSideEncryption.keyArn",
              stream.region,
              context,
            ),
          );
        }
      }
    }
    const s3 = objectOf(stream.inputs.extendedS3Configuration);
    if (s3 !== undefined && !isUnknown(s3) && s3.kmsKeyArn !== undefined) {
      const bucket = BUCKET_TYPES.map((type) =>
        context.graph.named(type, bucketName(s3.bucketArn)),
      ).find((found) => found !== undefined);
      // S3 only accepts a key in the bucket's own region.
      problems.push(
        ...regionalKeyProblems(
          s3.kmsKeyArn,
          "extendedS3Configuration.kmsKeyArn",
          bucket?.region ?? "",
          context,
        ),
      );
    }
    return problems;
  },
};

/** `arn:aws:s3:::name` -> name. */
const bucketName = (arn: unknown): unknown =>
  typeof arn === "string" && arn.startsWith("arn:") ? arn.split(":").pop() : arn;

export const LOG_RULES: readonly PolicyRule[] = [
  logGroupEncryptedWithRegionalKey,
  logGroupRetention,
  firehoseEncryptedWithRegionalKeys,
];

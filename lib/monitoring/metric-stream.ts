import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName, physicalName } from "../naming";
import { serviceTrustPolicy } from "../security/iam-documents";
import {
  firehoseDeliveryPolicy,
  metricStreamWritePolicy,
} from "../security/metric-stream-policies";
import {
  DELIVERY_BUFFER_MIB,
  DELIVERY_BUFFER_SECONDS,
  DELIVERY_ERROR_LOG_STREAM,
  METRIC_STREAM_OUTPUT_FORMAT,
  deliveryPrefix,
  errorOutputPrefix,
  streamedNamespaces,
} from "./metric-stream-settings";

export interface MetricStreamArgs {
  /** Region of every resource here (the provider's), and of the bucket and key below. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's customer managed key: the delivery stream, the objects and the error logs. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * The region's metrics bucket (RegionalDataTier, operations.metricStreams), which S3
   * replicates to the other region's. It must be in this region: Firehose's S3 key "must belong
   * to the same region as the destination S3 bucket" (KMSEncryptionConfig).
   */
  readonly bucketArn: pulumi.Input<string>;
  /** Days the error log group keeps Firehose's delivery errors. */
  readonly logRetentionDays: number;
  /** Keep the error log group when the stack deletes it. @default true */
  readonly retainLogsOnDelete?: boolean;
  /** The deploying account, for the Firehose role's trust policy (sts:ExternalId). */
  readonly accountId: pulumi.Input<string>;
}

/**
 * A region's CloudWatch metric stream (the namespaces its alarms and dashboards read) into a
 * Firehose delivery stream in the SAME region, which writes JSON, compressed, to the region's
 * metrics bucket. S3 Cross-Region Replication with Replication Time Control then copies every
 * object to the other region's metrics bucket (GlobalResources, BucketReplication), so the metrics
 * survive the loss of this region.
 *
 * Why not Firehose straight into the other region's bucket: Firehose documents cross-Region
 * delivery for HTTP endpoint destinations only ("Understand delivery across AWS accounts and
 * regions"); an S3 destination in another region is undocumented, and its KMS key "must belong
 * to the same region as the destination S3 bucket". Everything here is same-region; the only
 * cross-region hop is S3 replication, which is documented, metered (RTC metrics) and alarmed.
 *
 * RPO of the metrics in the other region: up to ~3 minutes from data point to object (metric
 * streams send every minute; Firehose's 60 s / 1 MiB buffer, "within 3 minutes" per AWS), plus
 * RTC's 15 minutes for 99.99% of objects: about 18 minutes. What is still in Firehose's buffer,
 * or written but not yet replicated, when the region fails stays in that region; everything
 * older is readable in the other region.
 *
 * Give it the region's provider (`providers: { aws }`).
 */
export class MetricStream extends pulumi.ComponentResource {
  public readonly metricStreamName: pulumi.Output<string>;
  public readonly metricStreamArn: pulumi.Output<string>;
  public readonly deliveryStreamName: pulumi.Output<string>;
  public readonly deliveryStreamArn: pulumi.Output<string>;

  constructor(name: string, args: MetricStreamArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:MetricStream", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };

    // Under the stack's "/tap/<suffix>/" prefix, the one the region's key lets Logs use.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-delivery-logs`,
      {
        name: logGroupName("metric-stream-delivery", scope),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      { parent: this, retainOnDelete: args.retainLogsOnDelete ?? true },
    );
    const logStream = new aws.cloudwatch.LogStream(
      `${name}-delivery-errors`,
      { name: DELIVERY_ERROR_LOG_STREAM, logGroupName: logGroup.name },
      child,
    );

    const firehoseRole = new aws.iam.Role(
      `${name}-firehose-role`,
      {
        name: physicalName("iamRole", "metric-delivery", scope),
        description: `Firehose delivery of ${args.region}'s metric stream into its metrics bucket`,
        assumeRolePolicy: pulumi
          .output(args.accountId)
          .apply((accountId) =>
            JSON.stringify(serviceTrustPolicy("firehose.amazonaws.com", accountId)),
          ),
      },
      child,
    );
    const firehosePolicy = new aws.iam.RolePolicy(
      `${name}-firehose-policy`,
      {
        name: physicalName("iamPolicy", "metric-delivery", scope),
        role: firehoseRole.id,
        policy: pulumi
          .all([args.bucketArn, args.kmsKeyArn, logGroup.arn, logStream.name])
          .apply(([bucketArn, keyArn, logGroupArn, logStreamName]) =>
            JSON.stringify(
              firehoseDeliveryPolicy({
                bucketArn,
                keyArn,
                region: args.region,
                logGroupArn,
                logStreamName,
              }),
            ),
          ),
      },
      child,
    );

    const deliveryStream = new aws.kinesis.FirehoseDeliveryStream(
      `${name}-delivery`,
      {
        name: physicalName("firehoseDeliveryStream", "metrics-delivery", scope),
        destination: "extended_s3",
        // Records at rest in Firehose are encrypted under the region's key; Firehose creates
        // and manages the grant it needs (DeliveryStreamEncryptionConfigurationInput).
        serverSideEncryption: {
          enabled: true,
          keyType: "CUSTOMER_MANAGED_CMK",
          keyArn: args.kmsKeyArn,
        },
        extendedS3Configuration: {
          roleArn: firehoseRole.arn,
          bucketArn: args.bucketArn,
          prefix: deliveryPrefix(args.region),
          errorOutputPrefix: errorOutputPrefix(args.region),
          bufferingInterval: DELIVERY_BUFFER_SECONDS,
          bufferingSize: DELIVERY_BUFFER_MIB,
          // JSON compresses well; Athena reads gzip objects as they are.
          compressionFormat: "GZIP",
          kmsKeyArn: args.kmsKeyArn,
          cloudwatchLoggingOptions: {
            enabled: true,
            logGroupName: logGroup.name,
            logStreamName: logStream.name,
          },
        },
      },
      // Firehose checks that it can assume the role and write on creation.
      { parent: this, dependsOn: [firehosePolicy] },
    );

    const streamRole = new aws.iam.Role(
      `${name}-stream-role`,
      {
        name: physicalName("iamRole", "metric-stream", scope),
        description: `CloudWatch metric stream of ${args.region} into its delivery stream`,
        assumeRolePolicy: pulumi
          .output(args.accountId)
          .apply((accountId) =>
            JSON.stringify(
              serviceTrustPolicy("streams.metrics.cloudwatch.amazonaws.com", accountId),
            ),
          ),
      },
      child,
    );
    const streamPolicy = new aws.iam.RolePolicy(
      `${name}-stream-policy`,
      {
        name: physicalName("iamPolicy", "metric-stream-write", scope),
        role: streamRole.id,
        policy: pulumi
          .all([deliveryStream.arn, args.kmsKeyArn])
          .apply(([streamArn, keyArn]) =>
            JSON.stringify(metricStreamWritePolicy(streamArn, keyArn, args.region)),
          ),
      },
      child,
    );

    const metricStream = new aws.cloudwatch.MetricStream(
      `${name}-stream`,
      {
        name: physicalName("metricStream", "metrics", scope),
        firehoseArn: deliveryStream.arn,
        roleArn: streamRole.arn,
        outputFormat: METRIC_STREAM_OUTPUT_FORMAT,
        includeFilters: streamedNamespaces(args.region).map((namespace) => ({ namespace })),
      },
      // The stream starts running on creation; its role must already be able to write.
      { parent: this, dependsOn: [streamPolicy] },
    );

    this.metricStreamName = metricStream.name;
    this.metricStreamArn = metricStream.arn;
    this.deliveryStreamName = deliveryStream.name;
    this.deliveryStreamArn = deliveryStream.arn;
    this.registerOutputs({
      metricStreamName: this.metricStreamName,
      metricStreamArn: this.metricStreamArn,
      deliveryStreamName: this.deliveryStreamName,
      deliveryStreamArn: this.deliveryStreamArn,
    });
  }
}

/**
 * What the metric streams (operations.metricStreams) stream and how Firehose delivers it. Pure,
 * so the choices are tested without the Pulumi runtime. Sources: docs/aws-constraints-failover.md
 * ("Metric streams to another region").
 */
import {
  ALB_NAMESPACE,
  DYNAMODB_NAMESPACE,
  FAILOVER_NAMESPACE,
  LAMBDA_NAMESPACE,
  RDS_NAMESPACE,
  ROUTE53_METRICS_REGION,
  ROUTE53_NAMESPACE,
  S3_NAMESPACE,
  SQS_NAMESPACE,
} from "./metric-contract";

/**
 * json: each Firehose record holds newline-separated JSON objects, one data point each, a format
 * AWS calls "fully compatible with AWS Glue and with Amazon Athena" ("Metric streams output
 * formats"). After losing a region, the archive is read with Athena or a text tool in the other
 * region; OpenTelemetry (protobuf, length-delimited) would need an OTel decoder for that.
 */
export const METRIC_STREAM_OUTPUT_FORMAT = "json";

/**
 * Namespaces every region streams: the ones its alarms and dashboards read
 * (lib/monitoring/metric-contract.ts), the prober's and orchestrator's own included.
 */
export const STREAMED_NAMESPACES = [
  RDS_NAMESPACE,
  LAMBDA_NAMESPACE,
  ALB_NAMESPACE,
  DYNAMODB_NAMESPACE,
  SQS_NAMESPACE,
  S3_NAMESPACE,
  FAILOVER_NAMESPACE,
] as const;

/**
 * The namespaces a region's stream includes, in a stable order. AWS/Route53 only in us-east-1,
 * the one region Route 53 publishes health-check metrics in: elsewhere the filter would match
 * nothing.
 */
export function streamedNamespaces(region: string): string[] {
  const namespaces: string[] = [...STREAMED_NAMESPACES];
  if (region === ROUTE53_METRICS_REGION) {
    namespaces.push(ROUTE53_NAMESPACE);
  }
  return namespaces;
}

/**
 * Firehose's smallest buffer, 60 s or 1 MiB, whichever comes first: with it AWS expects metric
 * data at the destination "within 3 minutes" ("Set up a metric stream").
 */
export const DELIVERY_BUFFER_SECONDS = 60;
export const DELIVERY_BUFFER_MIB = 1;

/**
 * Where a region's metrics land in the bucket, Hive-style for Athena partitions. The source
 * region is in the key, so a bucket holding its own objects and the other region's replicas
 * never mixes the two. Firehose fills the timestamp from the records' arrival, in UTC.
 */
export function deliveryPrefix(region: string): string {
  return `metrics/region=${region}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/`;
}

/**
 * Where records Firehose could not deliver go. A prefix with expressions needs an error output
 * prefix, and that one must hold `!{firehose:error-output-type}` ("Custom Prefixes for Amazon S3
 * Objects").
 */
export function errorOutputPrefix(region: string): string {
  return `errors/region=${region}/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/`;
}

/**
 * The error log stream. Firehose set up through the API writes into a group and stream that must
 * already exist ("Monitoring with Amazon CloudWatch Logs"); the name is the one the console gives
 * an S3 destination's stream.
 */
export const DELIVERY_ERROR_LOG_STREAM = "S3Delivery";

/**
 * The metrics the alarms and dashboards read, by the exact namespace, name and dimension names
 * AWS (or our own prober) publishes them under. An alarm whose dimension set differs in one key
 * matches no series and never fires, so every name is written once, here.
 * Sources: docs/aws-constraints-failover.md ("Metrics the alarms use").
 */

/** Our own metrics: the health prober's (Powertools EMF) and the orchestrator's. */
export const FAILOVER_NAMESPACE = "TapDr/Failover";
/** Powertools adds `service=<serviceName>` to every metric; the prober's service name. */
export const PROBER_SERVICE = "health-prober";
export const PROBER_METRICS = {
  /** Count, 0 or 1 per probe: the peer's API health URL did not answer 200. */
  apiProbeFailed: "PeerApiProbeFailed",
  /** Count, 0 or 1 per probe: the peer region's RDS endpoint did not answer below 500. */
  regionProbeFailed: "PeerRegionProbeFailed",
  /** Milliseconds to the peer API's response. */
  apiProbeLatency: "PeerApiProbeLatency",
} as const;
/** The prober's dimensions: exactly these two, or the alarm matches nothing. */
export function proberDimensions(peerRegion: string): Record<string, string> {
  return { service: PROBER_SERVICE, PeerRegion: peerRegion };
}
/** The orchestrator's own metric (optional): one data point per decision. */
export const FAILOVER_DECISION_METRIC = "FailoverDecision";

export const RDS_NAMESPACE = "AWS/RDS";
/** Milliseconds; published only in a secondary cluster's region, under DBClusterIdentifier. */
export const AURORA_REPLICATION_LAG = "AuroraGlobalDBReplicationLag";
/** Milliseconds; the lag AWS tells Aurora PostgreSQL users to watch before a failover. */
export const AURORA_RPO_LAG = "AuroraGlobalDBRPOLag";

export const LAMBDA_NAMESPACE = "AWS/Lambda";
export const ALB_NAMESPACE = "AWS/ApplicationELB";
export const DYNAMODB_NAMESPACE = "AWS/DynamoDB";
export const SQS_NAMESPACE = "AWS/SQS";
export const S3_NAMESPACE = "AWS/S3";
/** Route 53 publishes health-check metrics in us-east-1 only, whatever the checked region. */
export const ROUTE53_NAMESPACE = "AWS/Route53";
export const ROUTE53_METRICS_REGION = "us-east-1";

/** The last path segment of an SQS queue URL is the queue's name (the QueueName dimension). */
export function queueNameOfUrl(queueUrl: string): string {
  const name = queueUrl.split("/").pop() ?? "";
  if (name === "") {
    throw new Error(`queue URL "${queueUrl}" has no queue name after its last "/"`);
  }
  return name;
}

/**
 * The waivers this stack needs by design, each with its reason. The README's waiver table lists
 * the same ones; a test fails when one no longer waives anything (a stale waiver). Resources are
 * named by logical name; "tap-*-" covers the primary and the DR region's copy.
 */
import { BuiltInWaiver } from "./waivers";

/** `statement "<Sid>"`, as the IAM rules name a statement in their messages. */
const sid = (...sids: string[]): string[] => sids.map((name) => `statement "${name}"`);

export const BUILT_IN_WAIVERS: readonly BuiltInWaiver[] = [
  {
    rule: "TAP-S3-3",
    resource: "tap-*-data-access-logs",
    reason:
      "the region's S3 server access log bucket: log delivery needs SSE-S3 default encryption on the destination bucket (S3 User Guide, enabling server access logging; lib/data/secure-bucket.ts)",
  },
  {
    rule: "TAP-S3-3",
    resource: "tap-*-app-lb-access-logs",
    reason:
      "the load balancer's access log bucket: ALB access logs support only SSE-S3 on the destination bucket (ELB User Guide, enable access logs for your Application Load Balancer)",
  },
  {
    rule: "TAP-S3-5",
    resource: "tap-*-data-access-logs",
    reason:
      "it is the region's access-log bucket; logging it into itself would log every log delivery",
  },
  {
    rule: "TAP-S3-5",
    resource: "tap-*-app-lb-access-logs",
    reason:
      "it is a log bucket: its only writes are the load balancer's own log deliveries (like the data tier's access-log bucket)",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-runtime-policy",
    messageContains: sid("VpcNetworkInterfaces"),
    reason:
      "Lambda's VPC attachment (ec2:*NetworkInterface*, DescribeSubnets) has no resource-level permissions; AWS's own AWSLambdaVPCAccessExecutionRole grants it on *",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-runtime-policy",
    messageContains: sid("XRayTraceUpload"),
    reason:
      "xray:PutTraceSegments and PutTelemetryRecords have no resource-level permissions; AWS's own AWSXRayDaemonWriteAccess grants them on *",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-failover-orchestrator-policy",
    messageContains: sid("ReadCorroboratingMetrics"),
    reason:
      "cloudwatch:GetMetricData has no resource types; the orchestrator only reads the metrics that corroborate an outage",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-failover-orchestrator-policy",
    messageContains: sid("ReadAppFleet"),
    reason:
      "autoscaling:DescribeAutoScalingGroups has no resource types; the orchestrator only reads its own fleet's sizes (EC2 tier), and may update only that group",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-failover-workflow-policy",
    messageContains: sid("DeliverWorkflowLogs", "WorkflowTraceUpload"),
    reason:
      "Step Functions' log delivery (logs:*LogDelivery, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray actions have no resource-level permissions; AWS's examples grant *",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-network-flow-logs-role-policy",
    messageContains: sid("FindOwnGroup"),
    reason:
      "the flow-log delivery role's logs:DescribeLogGroups (as in the VPC User Guide's flow-log role) only lists group names; writing is scoped to the flow-log group's ARN",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-*-app-fleet-policy",
    messageContains: sid("SessionManager"),
    reason:
      "Session Manager's ssmmessages channel actions and ssm:UpdateInstanceInformation have no resource to scope to; the statement is pinned to the region (aws:RequestedRegion)",
  },
  {
    rule: "TAP-IAM-3",
    resource: "tap-primary-db-rotation-data-plane",
    messageContains: sid("GenerateRandomPassword"),
    reason:
      "secretsmanager:GetRandomPassword has no resource types (Service Authorization Reference, AWS Secrets Manager); it only generates a string and reads no secret",
  },
  {
    rule: "TAP-ALB-5",
    resource: "tap-*-app-lb-http",
    modes: ["test"],
    reason:
      "a test stack without domainName has no certificate, so its load balancers serve HTTP; production refuses a stack without a domain at config time",
  },
  {
    rule: "TAP-LMB-5",
    resource: "tap-*-app-api",
    reason:
      "the load balancer invokes the API synchronously and returns every error to the caller; there is no asynchronous invocation to dead-letter",
  },
  {
    rule: "TAP-LMB-5",
    resource: "tap-primary-db-rotation-fn",
    reason:
      "Secrets Manager drives the rotation step by step and records a failed rotation itself (the RotationFailed event, a pending version left in place); the function's Errors alarm reports it, and a dead-letter record would hold nothing to replay",
  },
  {
    rule: "TAP-LMB-5",
    resource: "tap-*-failover-prober",
    reason:
      "its scheduled invocations have no retries and a 60 s maximum age: the next minute probes again, and the prober's Errors alarm covers one that keeps failing",
  },
];

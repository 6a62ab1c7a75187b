/**
 * The IAM documents of the failover automation, as pure functions (STYLE 14). Every ARN is of
 * the acting region, except the global cluster's, which has no region, and the peer's cluster
 * for a planned switchover only (see SwitchOverFromPeerWriter); the failover path names nothing
 * in the peer region, so a region's orchestrator can act while the other region is gone.
 */
import * as aws from "@pulumi/aws";
import { keyUseStatements, policyDocument } from "../security/lambda-grants";
import { denyInsecureTransport } from "../security/resource-policies";
import { FailoverArnScope, globalClusterArn, rdsArn, stateMachineArn } from "./failover-names";

/** What the orchestrator of one region may reach: all of it resolved, all in that region. */
export interface OrchestratorPlane {
  readonly scope: FailoverArnScope;
  readonly globalClusterIdentifier: string;
  readonly clusterArn: string;
  /**
   * The other region's cluster: the writer a planned switchover demotes. Its identifier is
   * deterministic, so no Output crosses between the regions.
   */
  readonly peerClusterArn: string;
  /** The instance the orchestrator may create: the failover instance. */
  readonly failoverInstanceIdentifier: string;
  readonly parameterGroupName: string;
  readonly subnetGroupName: string;
  readonly controlTableArn: string;
  readonly alertTopicArn: string;
  readonly stateMachineName: string;
  /** Records of the function's failed asynchronous invocations (its on-failure destination). */
  readonly failureQueueArn: string;
  readonly keyArn: string;
  /** EC2 tier: this region's app Auto Scaling group, which the workflow scales before promoting. */
  readonly appFleetName?: string;
}

/** Sids of the statements that need Resource "*" (waivers of I-2, see each statement). */
export const ORCHESTRATOR_WILDCARD_RESOURCE_SIDS = [
  "ReadCorroboratingMetrics",
  "ReadAppFleet",
] as const;
export const WORKFLOW_WILDCARD_RESOURCE_SIDS = [
  "DeliverWorkflowLogs",
  "WorkflowTraceUpload",
] as const;

/**
 * The orchestrator reads through the key: its environment (lambda), the control table
 * (dynamodb), and it writes through it: the table, the alert topic (sns) and the failure queue
 * (sqs), which SNS and SQS encrypt with data keys generated for the caller.
 */
const ORCHESTRATOR_KEY_USE = {
  decryptVia: ["lambda", "dynamodb", "sns", "sqs"],
  generateDataKeyVia: ["dynamodb", "sns", "sqs"],
} as const;

/**
 * The orchestrator's data-plane policy: every action it calls, each on the exact ARNs it calls
 * it on, except the filtered instance poll (this region's "db:*") and GetMetricData ("*").
 */
export function orchestratorPolicy(plane: OrchestratorPlane): aws.iam.PolicyDocument {
  const { scope } = plane;
  const globalArn = globalClusterArn(scope, plane.globalClusterIdentifier);
  const machineName = plane.stateMachineName;
  return policyDocument([
    {
      Sid: "ReadGlobalDatabase",
      Effect: "Allow",
      Action: "rds:DescribeGlobalClusters",
      Resource: globalArn,
    },
    {
      Sid: "ReadOwnCluster",
      Effect: "Allow",
      Action: "rds:DescribeDBClusters",
      Resource: plane.clusterArn,
    },
    {
      // The instance poll filters on the cluster (db-cluster-id), and RDS authorizes a filtered
      // DescribeDBInstances against every instance ARN of the region, so "db:*" of this region
      // and account: read-only, and still nothing in the peer region.
      Sid: "ReadOwnInstances",
      Effect: "Allow",
      Action: "rds:DescribeDBInstances",
      Resource: rdsArn(scope, "db", "*"),
    },
    {
      // The RDS service authorization reference lists both the global cluster and the target
      // cluster as resources of these actions; the target is always this region's cluster.
      Sid: "PromoteOwnCluster",
      Effect: "Allow",
      Action: ["rds:FailoverGlobalCluster", "rds:SwitchoverGlobalCluster"],
      Resource: [globalArn, plane.clusterArn],
    },
    {
      // A switchover is sent to the current writer's region (as the Aurora User Guide documents
      // it) and demotes that region's cluster, which RDS may authorize as well. Planned only:
      // both regions are healthy then, and FailoverGlobalCluster never needs the peer.
      Sid: "SwitchOverFromPeerWriter",
      Effect: "Allow",
      Action: "rds:SwitchoverGlobalCluster",
      Resource: plane.peerClusterArn,
    },
    {
      // Only the failover instance, in this cluster, with its parameter group, and the cluster's
      // subnet group, which the instance inherits. No iam:PassRole: the instance is created
      // without an enhanced-monitoring role, and no rds:AddTagsToResource: it passes no tags.
      Sid: "AddFailoverInstance",
      Effect: "Allow",
      Action: "rds:CreateDBInstance",
      Resource: [
        plane.clusterArn,
        rdsArn(scope, "db", plane.failoverInstanceIdentifier),
        rdsArn(scope, "pg", plane.parameterGroupName),
        rdsArn(scope, "subgrp", plane.subnetGroupName),
      ],
    },
    {
      // The lock (conditional put and delete) and the audit trail (put, query).
      Sid: "ControlTableItems",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"],
      Resource: plane.controlTableArn,
    },
    {
      Sid: "PublishAlerts",
      Effect: "Allow",
      Action: "sns:Publish",
      Resource: plane.alertTopicArn,
    },
    {
      Sid: "StartWorkflow",
      Effect: "Allow",
      Action: "states:StartExecution",
      Resource: stateMachineArn(scope, machineName),
    },
    {
      // Waiver of I-2: GetMetricData has no resource types in the CloudWatch service
      // authorization reference, so it is granted on "*", and it only reads metrics.
      Sid: "ReadCorroboratingMetrics",
      Effect: "Allow",
      Action: "cloudwatch:GetMetricData",
      Resource: "*",
    },
    {
      // Lambda sends the record of an invocation that failed every retry with this role.
      Sid: "RecordFailedInvocations",
      Effect: "Allow",
      Action: "sqs:SendMessage",
      Resource: plane.failureQueueArn,
    },
    ...(plane.appFleetName === undefined ? [] : appFleetStatements(scope, plane.appFleetName)),
    ...keyUseStatements(plane.keyArn, scope.region, ORCHESTRATOR_KEY_USE),
  ]);
}

/**
 * The EC2 tier's fleet: read its sizes, and set them on this group only (the ARN pattern of the
 * autoScalingGroup resource type, whose group id the name does not give). Waiver of I-2:
 * DescribeAutoScalingGroups has no resource types in the Auto Scaling service authorization
 * reference, so it is granted on "*"; it only reads.
 */
function appFleetStatements(scope: FailoverArnScope, fleetName: string) {
  return [
    {
      Sid: "ReadAppFleet",
      Effect: "Allow" as const,
      Action: "autoscaling:DescribeAutoScalingGroups",
      Resource: "*",
    },
    {
      Sid: "ScaleAppFleet",
      Effect: "Allow" as const,
      Action: "autoscaling:UpdateAutoScalingGroup",
      Resource: `arn:${scope.partition}:autoscaling:${scope.region}:${scope.accountId}:autoScalingGroup:*:autoScalingGroupName/${fleetName}`,
    },
  ];
}

/** What the state machine's role may reach. */
export interface WorkflowPlane {
  /** The orchestrator function, unqualified: the tasks invoke $LATEST. */
  readonly functionArn: string;
}

/**
 * The state machine's role: invoke the orchestrator and nothing else, plus its logs and traces.
 * Waivers of I-2: Step Functions' log delivery actions (logs:*LogDelivery*, resource policies,
 * DescribeLogGroups) "don't support resource-level permissions" and X-Ray's upload and sampling
 * actions have no resource types; AWS's own examples grant both on "*" (Step Functions
 * Developer Guide, "Logging using CloudWatch Logs" and "IAM policies for using AWS X-Ray").
 */
export function workflowPolicy(plane: WorkflowPlane): aws.iam.PolicyDocument {
  return policyDocument([
    {
      Sid: "InvokeOrchestrator",
      Effect: "Allow",
      Action: "lambda:InvokeFunction",
      Resource: plane.functionArn,
    },
    {
      Sid: "DeliverWorkflowLogs",
      Effect: "Allow",
      Action: [
        "logs:CreateLogDelivery",
        "logs:GetLogDelivery",
        "logs:UpdateLogDelivery",
        "logs:DeleteLogDelivery",
        "logs:ListLogDeliveries",
        "logs:PutResourcePolicy",
        "logs:DescribeResourcePolicies",
        "logs:DescribeLogGroups",
      ],
      Resource: "*",
    },
    {
      Sid: "WorkflowTraceUpload",
      Effect: "Allow",
      Action: [
        "xray:PutTraceSegments",
        "xray:PutTelemetryRecords",
        "xray:GetSamplingRules",
        "xray:GetSamplingTargets",
      ],
      Resource: "*",
    },
  ]);
}

/**
 * The orchestrator's failure queue: TLS only, and EventBridge may send to it only for the
 * orchestrator's own rules (aws:SourceArn), as their dead-letter queue. Lambda's on-failure
 * destination sends with the function's role, which its IAM policy allows.
 */
export function failureQueuePolicy(
  queueArn: string,
  deadLetterSourceRuleArns: readonly string[],
): aws.iam.PolicyDocument {
  return policyDocument([
    denyInsecureTransport("sqs:*", [queueArn]),
    {
      Sid: "UndeliveredOrchestratorEvents",
      Effect: "Allow",
      Principal: { Service: "events.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": [...deadLetterSourceRuleArns] } },
    },
  ]);
}

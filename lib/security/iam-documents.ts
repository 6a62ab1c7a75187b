import * as aws from "@pulumi/aws";

/**
 * Trust policy for a role that one AWS service assumes, limited to this
 * account's resources (aws:SourceAccount) and, where given, to source ARNs,
 * which closes the confused-deputy hole.
 */
export function serviceTrustPolicy(
  servicePrincipal: string,
  accountId: string,
  sourceArnPattern?: string,
): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: servicePrincipal },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ...(sourceArnPattern === undefined
            ? {}
            : { ArnLike: { "aws:SourceArn": sourceArnPattern } }),
        },
      },
    ],
  };
}

/**
 * Lets VPC Flow Logs write into one existing log group. The group is created
 * by the stack, so the role needs no logs:CreateLogGroup.
 */
export function flowLogDeliveryPolicy(logGroupArn: string): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogsToOwnGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [logGroupArn, `${logGroupArn}:*`],
      },
      {
        // DescribeLogGroups does not support resource-level permissions.
        Sid: "FindOwnGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: "*",
      },
    ],
  };
}

import * as aws from "@pulumi/aws";

/**
 * Services documented to send aws:SourceAccount when they assume a role, so the
 * trust policy can be limited to this account (confused-deputy protection).
 * S3 replication and AWS Backup document a plain trust policy; a condition the
 * service does not send would silently break replication or backups.
 *
 * Lambda: AWS's own Lambda trust-policy template conditions on aws:SourceAccount
 * (aws/agent-toolkit-for-aws, deploying-custom-domain-rest-api/scripts/lambda-trust-policy.json;
 * also aws-samples/serverless-patterns#69). Only the account, not aws:SourceArn: the function
 * ARN would tie one role to one function and is not what those templates use.
 */
export const SERVICES_SENDING_SOURCE_ACCOUNT = [
  "vpc-flow-logs.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "lambda.amazonaws.com",
  // Step Functions Developer Guide, "Creating an IAM role for your state machine", "Prevent
  // cross-service confused deputy issue": aws:SourceAccount and an aws:SourceArn of the
  // account's state machines in the role's trust policy.
  "states.amazonaws.com",
] as const;

/**
 * Services documented to assume a role with the owning account's id as sts:ExternalId, so the
 * trust policy can require it. Firehose: the trust policy of "Step 1: Create a Firehose delivery
 * stream" (CloudWatch Logs User Guide) conditions firehose.amazonaws.com on
 * `sts:ExternalId` = the account id. CloudWatch metric streams (streams.metrics.cloudwatch)
 * document a plain trust policy ("Trust between CloudWatch and Firehose") and so get none.
 */
export const SERVICES_SENDING_ACCOUNT_EXTERNAL_ID = ["firehose.amazonaws.com"] as const;

/**
 * Trust policy for a role that one AWS service assumes. For services that send
 * them, it is limited to this account's resources (aws:SourceAccount) and,
 * where given, to source ARNs, or to this account's external id.
 */
export function serviceTrustPolicy(
  servicePrincipal: string,
  accountId: string,
  sourceArnPattern?: string,
): aws.iam.PolicyDocument {
  const scoped = (SERVICES_SENDING_SOURCE_ACCOUNT as readonly string[]).includes(servicePrincipal);
  if ((SERVICES_SENDING_ACCOUNT_EXTERNAL_ID as readonly string[]).includes(servicePrincipal)) {
    return {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: servicePrincipal },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "sts:ExternalId": accountId } },
        },
      ],
    };
  }
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: servicePrincipal },
        Action: "sts:AssumeRole",
        ...(scoped
          ? {
              Condition: {
                StringEquals: { "aws:SourceAccount": accountId },
                ...(sourceArnPattern === undefined
                  ? {}
                  : { ArnLike: { "aws:SourceArn": sourceArnPattern } }),
              },
            }
          : {}),
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
        // Stays "*": the Service Authorization Reference ("Actions, resources, and condition keys
        // for Amazon CloudWatch Logs") lists no resource type for DescribeLogGroups, so it takes
        // no resource-level permission (cloud-gov/terraform-provision#1811 cites that row;
        // maxbanton/cwh#83 shows AccessDenied with a log-group ARN). It only lists group names;
        // writing is scoped to the one group above. Waived as FindOwnGroup (TAP-IAM-3).
        Sid: "FindOwnGroup",
        Effect: "Allow",
        Action: "logs:DescribeLogGroups",
        Resource: "*",
      },
    ],
  };
}

import * as aws from "@pulumi/aws";

/**
 * AWS services that publish to a region's alert topic as themselves: CloudWatch alarm actions,
 * EventBridge rule targets and RDS event subscriptions (whose principal is events.rds, not rds).
 */
export const TOPIC_PUBLISHING_SERVICES = [
  "cloudwatch.amazonaws.com",
  "events.amazonaws.com",
  "events.rds.amazonaws.com",
] as const;

/** What the account's own principals may do on the topic, through their IAM policies. */
export const TOPIC_OWNER_ACTIONS = [
  "sns:GetTopicAttributes",
  "sns:SetTopicAttributes",
  "sns:AddPermission",
  "sns:RemovePermission",
  "sns:DeleteTopic",
  "sns:Subscribe",
  "sns:ListSubscriptionsByTopic",
  "sns:Publish",
] as const;

export interface TopicPolicyScope {
  readonly topicArn: string;
  readonly accountId: string;
  readonly partition: string;
}

/**
 * The alert topic's access policy. It replaces SNS's default policy, so it restates the owner
 * account's access (delegated to IAM), lets the publishing services in only for this account's
 * resources (aws:SourceAccount: the confused-deputy guard), and denies every request not made
 * over TLS, which SNS otherwise accepts on its HTTP endpoint. Pure, so it is tested statement
 * by statement.
 */
export function alertTopicPolicy(scope: TopicPolicyScope): aws.iam.PolicyDocument {
  const { topicArn, accountId, partition } = scope;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OwnerAccountThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
        Action: [...TOPIC_OWNER_ACTIONS],
        Resource: topicArn,
      },
      {
        Sid: "AwsServicesPublishForThisAccount",
        Effect: "Allow",
        Principal: { Service: [...TOPIC_PUBLISHING_SERVICES] },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
      {
        Sid: "DenyRequestsWithoutTls",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: [...TOPIC_OWNER_ACTIONS],
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

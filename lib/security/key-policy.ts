import * as aws from "@pulumi/aws";

/**
 * Services that use the regional key on behalf of a caller in this account.
 * Each gets the key only through its own regional endpoint (kms:ViaService).
 */
export const KEY_USER_SERVICES = [
  "sns",
  "sqs",
  "s3",
  "rds",
  "dynamodb",
  "backup",
  "secretsmanager",
  "lambda",
] as const;

/**
 * Key users that only some stacks have, added to the list above when they do. Firehose: the
 * metric streams' delivery streams (operations.metricStreams) are encrypted under the key. Firehose
 * creates its grant with the caller's permission when the stream is created
 * (DeliveryStreamEncryptionConfigurationInput, KeyType), and callers of PutRecord(Batch) on a
 * stream encrypted with a customer managed key need kms:GenerateDataKey and kms:Decrypt (AWS's
 * Firehose notice of April 2026, "Enhanced security controls for Amazon Data Firehose"); both
 * reach KMS through Firehose in the key's region.
 */
export const OPTIONAL_KEY_USER_SERVICES = ["firehose"] as const;
export type OptionalKeyUserService = (typeof OPTIONAL_KEY_USER_SERVICES)[number];

/**
 * Services that act as themselves on encrypted resources: CloudWatch alarms and RDS event
 * subscriptions (principal events.rds, as the RDS User Guide's "Granting permissions to publish
 * notifications to an Amazon SNS topic" names it) publish to the encrypted alert topics, SNS
 * delivers to encrypted SQS queues. SNS asks the key for a data key on their behalf ("Enable
 * compatibility between event sources from AWS services and encrypted topics", SNS Developer
 * Guide); each is held to this account by aws:SourceAccount.
 */
export const KEY_SERVICE_PRINCIPALS = [
  "cloudwatch.amazonaws.com",
  "sns.amazonaws.com",
  "events.rds.amazonaws.com",
] as const;

/**
 * EventBridge, publishing rule targets to the encrypted alert topic. Its statement carries no
 * aws:SourceAccount: the same SNS page says the source keys are not supported in the key policy
 * for EventBridge to encrypted topics, and a condition that is never met drops every
 * notification silently. The confused-deputy guard for it is the topic policy
 * (lib/monitoring/topic-policy.ts), whose sns:Publish grant is conditioned on aws:SourceAccount;
 * these two actions only wrap the topic's data keys.
 */
export const KEY_EVENT_SOURCE_PRINCIPALS = ["events.amazonaws.com"] as const;

/** Cryptographic use of a key: what a service (or a service-linked role) needs for data. */
export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
] as const;

/**
 * Key administration without cryptographic use: the account root (and so IAM
 * admins) can manage, rotate, re-policy and schedule deletion, which avoids a
 * lockout, but cannot Encrypt/Decrypt directly; data is only ever decrypted
 * through the services above.
 */
export const KEY_ADMIN_ACTIONS = [
  // Not "kms:Create*": that includes kms:CreateGrant, with which an admin could grant
  // themselves Decrypt and step around the service-only rule below.
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

export interface KeyPolicyScope {
  readonly accountId: string;
  readonly partition: string;
  /** The key's region; the CloudWatch Logs principal and every kms:ViaService must be in it. */
  readonly region: string;
  /**
   * Log groups allowed to use the key, by name prefix: the stack's own ("/tap/dev/")
   * and the ones AWS services write to under fixed names ("/aws/rds/cluster/tap-dev-").
   */
  readonly logGroupNamePrefixes: readonly string[];
  /**
   * Names of the Auto Scaling service-linked roles (AWSServiceRoleForAutoScaling_<suffix>) that
   * launch instances whose EBS volumes this key encrypts: the EC2 app tier's fleet. Empty adds
   * no statement. @default []
   */
  readonly autoScalingServiceLinkedRoleNames?: readonly string[];
  /**
   * Key users beyond KEY_USER_SERVICES, for resources only some stacks have (Firehose for metric
   * streams). Appended to the kms:ViaService list of the use and grant statements. @default []
   */
  readonly optionalKeyUserServices?: readonly OptionalKeyUserService[];
}

/** Where IAM puts Amazon EC2 Auto Scaling's service-linked roles. */
export const AUTO_SCALING_SERVICE_ROLE_PATH = "/aws-service-role/autoscaling.amazonaws.com/";

/** The ARN AWS gives an Auto Scaling service-linked role of this account. */
export function autoScalingServiceLinkedRoleArn(
  partition: string,
  accountId: string,
  roleName: string,
): string {
  return `arn:${partition}:iam::${accountId}:role${AUTO_SCALING_SERVICE_ROLE_PATH}${roleName}`;
}

/**
 * The two statements "Required AWS KMS key policy for use with encrypted volumes" (EC2 Auto
 * Scaling User Guide) asks for: the service-linked role may use the key, and may create grants
 * for the EBS volumes it attaches. Auto Scaling's own permissions do not cover customer managed
 * keys, and its role has no IAM policy we could extend, so the key policy must allow it directly.
 *
 * The role is matched by aws:PrincipalArn under Principal "*", not named in Principal: KMS
 * rejects a key policy whose Principal does not exist yet ("invalid principals"), and the key
 * is created before the app tier creates the role. A condition is not resolved when the policy
 * is saved, so the first `pulumi up` on a fresh account works, and a role deleted and created
 * again (appTier switched off and on) still matches, where a Principal ARN would have been
 * bound to the old role's unique id. kms:CallerAccount keeps it to this account (K-3: the
 * wildcard principal is always conditioned).
 */
function autoScalingStatements(
  partition: string,
  accountId: string,
  roleNames: readonly string[],
): aws.iam.PolicyStatement[] {
  const condition = {
    StringEquals: { "kms:CallerAccount": accountId },
    ArnEquals: {
      "aws:PrincipalArn": roleNames.map((name) =>
        autoScalingServiceLinkedRoleArn(partition, accountId, name),
      ),
    },
  };
  return [
    {
      Sid: "AutoScalingServiceLinkedRoleUse",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [...KEY_USE_ACTIONS],
      Resource: "*",
      Condition: condition,
    },
    {
      Sid: "AutoScalingServiceLinkedRoleGrantsForVolumes",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: "kms:CreateGrant",
      Resource: "*",
      Condition: { ...condition, Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ];
}

/** The key policy of a regional customer-managed key. Pure, so it is tested statement by statement. */
export function buildKeyPolicy(scope: KeyPolicyScope): aws.iam.PolicyDocument {
  const { accountId, partition, region } = scope;
  const accountRoot = `arn:${partition}:iam::${accountId}:root`;
  const viaServices = [...KEY_USER_SERVICES, ...(scope.optionalKeyUserServices ?? [])].map(
    (service) => `${service}.${region}.amazonaws.com`,
  );
  const autoScalingRoles = scope.autoScalingServiceLinkedRoleNames ?? [];
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "KeyAdministrationByAccount",
        Effect: "Allow",
        Principal: { AWS: accountRoot },
        Action: [...KEY_ADMIN_ACTIONS],
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsForStackLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": scope.logGroupNamePrefixes.map(
              (prefix) => `arn:${partition}:logs:${region}:${accountId}:log-group:${prefix}*`,
            ),
          },
        },
      },
      {
        Sid: "UseThroughListedServicesOnly",
        Effect: "Allow",
        Principal: { AWS: accountRoot },
        Action: [...KEY_USE_ACTIONS],
        Resource: "*",
        Condition: {
          StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": viaServices },
        },
      },
      {
        Sid: "GrantsForAwsResourcesOfListedServices",
        Effect: "Allow",
        Principal: { AWS: accountRoot },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: {
          Bool: { "kms:GrantIsForAWSResource": "true" },
          StringEquals: { "kms:CallerAccount": accountId, "kms:ViaService": viaServices },
        },
      },
      {
        Sid: "ServicePublishersToEncryptedTopicsAndQueues",
        Effect: "Allow",
        Principal: { Service: [...KEY_SERVICE_PRINCIPALS] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
      {
        Sid: "EventBridgeToEncryptedAlertTopics",
        Effect: "Allow",
        Principal: { Service: [...KEY_EVENT_SOURCE_PRINCIPALS] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      },
      ...(autoScalingRoles.length > 0
        ? autoScalingStatements(partition, accountId, autoScalingRoles)
        : []),
    ],
  };
}

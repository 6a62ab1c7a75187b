/**
 * What a CI role may do to one tap-dr stack. Pure documents, so the tests read every statement.
 *
 * The deploy role's policies are split by kind, each under IAM's 6,144-character limit:
 * - `regional`: the services whose resources tap-dr creates in its two regions, service-wide
 *   (ec2:*, rds:*, ...), but only in the stack's regions (aws:RequestedRegion);
 * - `data`: the services that hold data or secrets, limited to the stack's own names
 *   (`tap-<suffix>-*`): S3, Secrets Manager, DynamoDB, SQS, SNS; KMS keys by their
 *   `Environment` tag, which tap-dr puts on every resource;
 * - `identity`: IAM limited to the stack's roles, policies and instance profiles; PassRole only
 *   to the services that use them; managed policies attachable only if they are the stack's own
 *   or AWS's service-role policies; service-linked roles only for the services that need them;
 *   Route 53 (global), with record changes limited to the stack's domain when one is given.
 * The read role gets what a preview (lookups) and `npm run dr -- status` read.
 */
import { PROJECT_PREFIX } from "../../lib/naming";
import { type PolicyDocument, type PolicyStatement, policy } from "./policy-document";

/** IAM, Route 53 and the Route 53 health-check alarms are served from us-east-1. */
export const GLOBAL_CONTROL_REGION = "us-east-1";

/** The AWS tag tap-dr puts on every resource with the stack's environmentSuffix (lib/tags.ts). */
export const ENVIRONMENT_TAG = "Environment";

/** Services with regional resources that tap-dr creates, granted service-wide in its regions. */
export const REGIONAL_SERVICES = [
  "acm",
  "autoscaling",
  "backup",
  // AWS Backup creates vaults through this service (CreateBackupVault needs MountCapsule).
  "backup-storage",
  "cloudwatch",
  "ec2",
  "elasticloadbalancing",
  "events",
  "firehose",
  "lambda",
  "logs",
  "rds",
  "states",
] as const;

/** Services tap-dr hands its roles to (iam:PassedToService), one per role it creates. */
export const PASSED_TO_SERVICES = [
  "backup.amazonaws.com",
  "ec2.amazonaws.com",
  "firehose.amazonaws.com",
  "lambda.amazonaws.com",
  "monitoring.rds.amazonaws.com",
  "s3.amazonaws.com",
  "states.amazonaws.com",
  "streams.metrics.cloudwatch.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
] as const;

/** Service-linked roles a first deploy creates (README "IAM rights and service-linked roles"). */
export const SERVICE_LINKED_ROLE_SERVICES = [
  "autoscaling.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "rds.amazonaws.com",
  "replication.dynamodb.amazonaws.com",
] as const;

export interface StackScope {
  readonly partition: string;
  readonly accountId: string;
  /** The stack's environmentSuffix, or a pattern ending in "-*" for ephemeral stacks. */
  readonly environmentSuffix: string;
  /** primaryRegion and drRegion. */
  readonly regions: readonly string[];
  /** Limits Route 53 record changes to this domain and its subdomains. */
  readonly domainName?: string;
}

/** "tap-<suffix>-*": every physical name of the stack starts so (lib/naming.ts physicalName). */
export function stackNamePattern(scope: Pick<StackScope, "environmentSuffix">): string {
  return `${PROJECT_PREFIX}-${scope.environmentSuffix}-*`;
}

/** The regions a stack's calls may go to: its two, and us-east-1 for the global services. */
export function requestedRegions(scope: Pick<StackScope, "regions">): string[] {
  return [...new Set([...scope.regions, GLOBAL_CONTROL_REGION])];
}

const inRegions = (scope: StackScope) => ({
  StringEquals: { "aws:RequestedRegion": requestedRegions(scope) },
});

/** The deploy role's three policies, by name part: regional, data, identity. */
export function deployPolicies(
  scope: StackScope,
): Record<"regional" | "data" | "identity", PolicyDocument> {
  return {
    regional: regionalPolicy(scope),
    data: dataPolicy(scope),
    identity: identityPolicy(scope),
  };
}

function regionalPolicy(scope: StackScope): PolicyDocument {
  const { partition } = scope;
  return policy(
    {
      Sid: "RegionalServicesInTheStackRegions",
      Effect: "Allow",
      Action: REGIONAL_SERVICES.map((service) => `${service}:*`),
      Resource: "*",
      Condition: inRegions(scope),
    },
    {
      // The EC2 tier's launch template names a public AL2023 parameter (resolve:ssm:...).
      Sid: "PublicAmiParameters",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:GetParameters"],
      Resource: `arn:${partition}:ssm:*::parameter/aws/service/*`,
      Condition: inRegions(scope),
    },
  );
}

function dataPolicy(scope: StackScope): PolicyDocument {
  const { partition: p, accountId: a } = scope;
  const names = stackNamePattern(scope);
  const suffix = scope.environmentSuffix;
  return policy(
    {
      Sid: "StackBuckets",
      Effect: "Allow",
      Action: "s3:*",
      Resource: [`arn:${p}:s3:::${names}`, `arn:${p}:s3:::${names}/*`],
    },
    {
      Sid: "StackSecrets",
      Effect: "Allow",
      Action: "secretsmanager:*",
      Resource: `arn:${p}:secretsmanager:*:${a}:secret:${names}`,
      Condition: inRegions(scope),
    },
    {
      Sid: "StackTables",
      Effect: "Allow",
      Action: "dynamodb:*",
      Resource: [
        `arn:${p}:dynamodb:*:${a}:table/${names}`,
        `arn:${p}:dynamodb:*:${a}:table/${names}/*`,
      ],
      Condition: inRegions(scope),
    },
    {
      Sid: "StackQueuesAndTopics",
      Effect: "Allow",
      Action: ["sqs:*", "sns:*"],
      Resource: [`arn:${p}:sqs:*:${a}:${names}`, `arn:${p}:sns:*:${a}:${names}`],
      Condition: inRegions(scope),
    },
    {
      // Calls that name no resource: listing, and the random password of the master secret.
      Sid: "DataServiceAccountCalls",
      Effect: "Allow",
      Action: [
        "secretsmanager:GetRandomPassword",
        "secretsmanager:ListSecrets",
        "dynamodb:ListTables",
        "dynamodb:DescribeLimits",
        "dynamodb:DescribeEndpoints",
        "sqs:ListQueues",
        "sns:ListTopics",
        "kms:ListAliases",
        "kms:ListKeys",
      ],
      Resource: "*",
      Condition: inRegions(scope),
    },
    {
      Sid: "CreateKeysTaggedForTheStack",
      Effect: "Allow",
      Action: ["kms:CreateKey", "kms:TagResource"],
      Resource: "*",
      Condition: {
        ...inRegions(scope),
        StringLike: { [`aws:RequestTag/${ENVIRONMENT_TAG}`]: suffix },
      },
    },
    {
      // Keys are named by id, not name: the stack's own carry its Environment tag.
      Sid: "StackKeys",
      Effect: "Allow",
      Action: "kms:*",
      Resource: `arn:${p}:kms:*:${a}:key/*`,
      Condition: {
        ...inRegions(scope),
        StringLike: { [`aws:ResourceTag/${ENVIRONMENT_TAG}`]: suffix },
      },
    },
    {
      Sid: "StackKeyAliases",
      Effect: "Allow",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: `arn:${p}:kms:*:${a}:alias/${names}`,
      Condition: inRegions(scope),
    },
  );
}

function identityPolicy(scope: StackScope): PolicyDocument {
  const { partition: p, accountId: a } = scope;
  const names = stackNamePattern(scope);
  const role = `arn:${p}:iam::${a}:role/${names}`;
  const statements: PolicyStatement[] = [
    {
      Sid: "StackRoles",
      Effect: "Allow",
      Action: [
        "iam:CreateRole",
        "iam:DeleteRole",
        "iam:GetRole",
        "iam:UpdateRole",
        "iam:UpdateRoleDescription",
        "iam:UpdateAssumeRolePolicy",
        "iam:TagRole",
        "iam:UntagRole",
        "iam:ListRoleTags",
        "iam:PutRolePolicy",
        "iam:GetRolePolicy",
        "iam:DeleteRolePolicy",
        "iam:ListRolePolicies",
        "iam:ListAttachedRolePolicies",
        "iam:DetachRolePolicy",
        "iam:ListInstanceProfilesForRole",
      ],
      Resource: role,
    },
    {
      // No AdministratorAccess on a stack role: only the stack's own policies or AWS's
      // service-role policies (tap-dr attaches those to its backup and RDS monitoring roles).
      Sid: "AttachStackOrServiceRolePolicies",
      Effect: "Allow",
      Action: "iam:AttachRolePolicy",
      Resource: role,
      Condition: {
        ArnLike: {
          "iam:PolicyARN": [
            `arn:${p}:iam::${a}:policy/${names}`,
            `arn:${p}:iam::aws:policy/service-role/*`,
          ],
        },
      },
    },
    {
      Sid: "StackPolicies",
      Effect: "Allow",
      Action: [
        "iam:CreatePolicy",
        "iam:DeletePolicy",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListPolicyVersions",
        "iam:CreatePolicyVersion",
        "iam:DeletePolicyVersion",
        "iam:SetDefaultPolicyVersion",
        "iam:TagPolicy",
        "iam:UntagPolicy",
        "iam:ListPolicyTags",
        "iam:ListEntitiesForPolicy",
      ],
      Resource: `arn:${p}:iam::${a}:policy/${names}`,
    },
    {
      Sid: "StackInstanceProfiles",
      Effect: "Allow",
      Action: [
        "iam:CreateInstanceProfile",
        "iam:DeleteInstanceProfile",
        "iam:GetInstanceProfile",
        "iam:AddRoleToInstanceProfile",
        "iam:RemoveRoleFromInstanceProfile",
        "iam:TagInstanceProfile",
        "iam:UntagInstanceProfile",
        "iam:ListInstanceProfileTags",
      ],
      Resource: `arn:${p}:iam::${a}:instance-profile/${names}`,
    },
    {
      Sid: "PassStackRolesToTheirServices",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: role,
      Condition: { StringEquals: { "iam:PassedToService": [...PASSED_TO_SERVICES] } },
    },
    {
      Sid: "CreateServiceLinkedRoles",
      Effect: "Allow",
      Action: "iam:CreateServiceLinkedRole",
      Resource: `arn:${p}:iam::${a}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLE_SERVICES] } },
    },
    {
      // The EC2 tier's own Auto Scaling service-linked role (custom suffix "tap-<suffix>-...").
      Sid: "StackAutoScalingServiceLinkedRole",
      Effect: "Allow",
      Action: [
        "iam:GetRole",
        "iam:DeleteServiceLinkedRole",
        "iam:GetServiceLinkedRoleDeletionStatus",
        "iam:UpdateRoleDescription",
      ],
      Resource: `arn:${p}:iam::${a}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling_${names}`,
    },
    {
      // Hosted zones and health checks are named by id; Route 53 is global.
      Sid: "Route53",
      Effect: "Allow",
      Action: "route53:*",
      Resource: "*",
    },
  ];
  if (scope.domainName !== undefined) {
    statements.push({
      Sid: "RecordsOnlyInTheStackDomain",
      Effect: "Deny",
      Action: "route53:ChangeResourceRecordSets",
      Resource: "*",
      Condition: {
        "ForAnyValue:StringNotLike": {
          "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
            scope.domainName,
            `*.${scope.domainName}`,
          ],
        },
      },
    });
  }
  return policy(...statements);
}

/**
 * The read role: what `pulumi preview` looks up (the AZs; no refresh) and what
 * `npm run dr -- status` reads (global cluster, clusters, alarms, metrics, health checks, the
 * control tables' audit trail). No data, no secrets, no writes.
 */
export function readPolicy(scope: StackScope): PolicyDocument {
  const { partition: p, accountId: a } = scope;
  return policy(
    {
      Sid: "PreviewLookupsAndDrStatus",
      Effect: "Allow",
      Action: [
        "ec2:DescribeAvailabilityZones",
        "rds:DescribeGlobalClusters",
        "rds:DescribeDBClusters",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:GetMetricData",
        "route53:GetHealthCheckStatus",
      ],
      Resource: "*",
      Condition: inRegions(scope),
    },
    {
      Sid: "DrAuditTrail",
      Effect: "Allow",
      Action: ["dynamodb:Query", "dynamodb:DescribeTable"],
      Resource: `arn:${p}:dynamodb:*:${a}:table/${PROJECT_PREFIX}-${scope.environmentSuffix}-failover-control-*`,
      Condition: inRegions(scope),
    },
  );
}

/**
 * The permissions boundary of every CI role: whatever policy is attached to a CI role, now or
 * by mistake later, it can never reach beyond tap-dr's services, create IAM users or keys,
 * change an identity provider, touch a CI role or policy (its own boundary included), or
 * weaken or delete the state bucket and the bootstrap's keys.
 */
import { REGIONAL_SERVICES } from "./stack-policies";
import { type PolicyDocument, policy } from "./policy-document";

export interface BoundaryScope {
  readonly partition: string;
  readonly accountId: string;
  /** Prefix of the bootstrap's roles and policies ("ci-tap-dr"). */
  readonly ciPrefix: string;
  /** The state bucket and its access-log bucket, when the backend is self-managed. */
  readonly protectedBucketArns: readonly string[];
  /** The bootstrap's KMS keys (state bucket, secrets). */
  readonly protectedKeyArns: readonly string[];
}

/** Every service a CI role may ever use: tap-dr's services, and IAM/Route 53/SSM/STS reads. */
export const BOUNDARY_SERVICES = [
  ...REGIONAL_SERVICES,
  "dynamodb",
  "iam",
  "kms",
  "route53",
  "s3",
  "secretsmanager",
  "sns",
  "sqs",
] as const;

export function ciBoundaryPolicy(scope: BoundaryScope): PolicyDocument {
  const { partition: p, accountId: a, ciPrefix } = scope;
  return policy(
    {
      Sid: "TapDrServicesOnly",
      Effect: "Allow",
      Action: [
        ...BOUNDARY_SERVICES.map((service) => `${service}:*`),
        "ssm:GetParameter",
        "ssm:GetParameters",
        "sts:GetCallerIdentity",
      ],
      Resource: "*",
    },
    {
      Sid: "NoIdentitiesCredentialsOrProviders",
      Effect: "Deny",
      Action: [
        "iam:*User*",
        "iam:*Group*",
        "iam:*AccessKey*",
        "iam:*LoginProfile*",
        "iam:*OpenIDConnectProvider*",
        "iam:*SAMLProvider*",
        "iam:*ServiceSpecificCredential*",
        "iam:*SSHPublicKey*",
        "iam:*MFADevice*",
        "iam:*AccountAlias*",
        "iam:*AccountPasswordPolicy*",
      ],
      Resource: "*",
    },
    {
      Sid: "NoChangesToCiRolesOrPolicies",
      Effect: "Deny",
      Action: "iam:*",
      Resource: [
        `arn:${p}:iam::${a}:role/${ciPrefix}-*`,
        `arn:${p}:iam::${a}:policy/${ciPrefix}-*`,
      ],
    },
    ...(scope.protectedBucketArns.length === 0
      ? []
      : [
          {
            Sid: "StateBucketsStayAsBootstrapped",
            Effect: "Deny" as const,
            Action: [
              "s3:DeleteBucket",
              "s3:PutBucketPolicy",
              "s3:DeleteBucketPolicy",
              "s3:PutBucketVersioning",
              "s3:PutEncryptionConfiguration",
              "s3:PutBucketPublicAccessBlock",
              "s3:PutBucketOwnershipControls",
              "s3:PutLifecycleConfiguration",
              "s3:PutBucketLogging",
              "s3:PutBucketAcl",
              "s3:DeleteObjectVersion",
            ],
            Resource: scope.protectedBucketArns.flatMap((arn) => [arn, `${arn}/*`]),
          },
        ]),
    ...(scope.protectedKeyArns.length === 0
      ? []
      : [
          {
            Sid: "BootstrapKeysStayAsBootstrapped",
            Effect: "Deny" as const,
            Action: [
              "kms:ScheduleKeyDeletion",
              "kms:DisableKey",
              "kms:DisableKeyRotation",
              "kms:PutKeyPolicy",
              "kms:CreateGrant",
              "kms:TagResource",
              "kms:UntagResource",
            ],
            Resource: [...scope.protectedKeyArns],
          },
        ]),
  );
}

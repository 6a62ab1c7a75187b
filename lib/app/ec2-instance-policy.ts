/**
 * IAM documents and names of the EC2 app fleet. Pure, so each statement is tested.
 */
import * as aws from "@pulumi/aws";
import { NameScope, physicalName } from "../naming";

/** Auto Scaling's service-linked role names: this prefix, then "_" and our custom suffix. */
export const AUTO_SCALING_ROLE_PREFIX = "AWSServiceRoleForAutoScaling";

/**
 * The fleet's own Auto Scaling service-linked role, one per stack and region:
 * "AWSServiceRoleForAutoScaling_tap-<suffix>-app-<region code>". A custom suffix keeps this
 * stack's key open to its own role only, not to the account's default role that every other
 * Auto Scaling group uses (EC2 Auto Scaling User Guide, "Service-linked roles"). The name is
 * known before anything exists, so the regional key's policy can name it.
 */
export function fleetServiceLinkedRoleSuffix(scope: NameScope): string {
  return physicalName("autoScalingRoleSuffix", "app", scope);
}

export function fleetServiceLinkedRoleName(scope: NameScope): string {
  return `${AUTO_SCALING_ROLE_PREFIX}_${fleetServiceLinkedRoleSuffix(scope)}`;
}

export interface InstancePolicyScope {
  readonly region: string;
  readonly partition: string;
  /** The artifacts bucket and the key of the bundle the instance downloads at boot. */
  readonly bucketName: string;
  readonly objectKey: string;
  /** The region's key: the bundle object is encrypted under it (SSE-KMS with bucket keys). */
  readonly kmsKeyArn: string;
}

/**
 * Session Manager's instance permissions, the documented minimum for "Create a custom IAM role
 * for Session Manager" (AWS Systems Manager User Guide), as a customer managed policy instead
 * of AmazonSSMManagedInstanceCore (I-1). The ssmmessages actions have no resource type, so
 * Resource is "*" (I-2 allows it only there); aws:RequestedRegion keeps them to this region.
 */
export const SESSION_MANAGER_ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
] as const;

/**
 * What an app instance needs beyond the data-plane policy: its one bundle object, the key to
 * decrypt it only through S3 in this region, and Session Manager (no SSH, no port 22).
 */
export function instancePolicy(scope: InstancePolicyScope): aws.iam.PolicyDocument {
  const { region, partition } = scope;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadOwnBundle",
        Effect: "Allow",
        Action: "s3:GetObject",
        Resource: `arn:${partition}:s3:::${scope.bucketName}/${scope.objectKey}`,
      },
      {
        // SSE-KMS objects need kms:Decrypt; only when S3 in this region asks on our behalf.
        Sid: "DecryptBundleThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: scope.kmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` } },
      },
      {
        Sid: "SessionManager",
        Effect: "Allow",
        Action: [...SESSION_MANAGER_ACTIONS],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": region } },
      },
    ],
  };
}

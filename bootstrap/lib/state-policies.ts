/**
 * The self-managed backend's documents: what a CI role may read or write in the state bucket,
 * and the bucket's own policy. Pulumi's DIY backend keeps a project-scoped layout under
 * `.pulumi/` (pulumi/pulumi pkg/backend/diy: stacks/<project>/<stack>.json, history/ and
 * backups/<project>/<stack>/, locks/organization/<project>/<stack>/, and meta.yaml), so each
 * role is limited to its own stack's objects.
 */
import { type PolicyDocument, type PolicyStatement, policy } from "./policy-document";

export interface StateAccessScope {
  /** ARN of the state bucket. */
  readonly bucketArn: string;
  /** ARN of the bucket's SSE-KMS key. */
  readonly bucketKeyArn: string;
  /** ARN of the KMS key that encrypts the stack's secrets (`awskms://` secrets provider). */
  readonly secretsKeyArn: string;
  /** Region of the bucket and keys. */
  readonly region: string;
  /** tap-dr's Pulumi project name. */
  readonly project: string;
  /** The stack, or a pattern ending in "*" ("pr-*"). */
  readonly stack: string;
}

/** The object keys of one stack (or pattern) in the bucket. */
export function stackStateObjects(
  scope: Pick<StateAccessScope, "bucketArn" | "project" | "stack">,
) {
  const { bucketArn: b, project, stack } = scope;
  return {
    /** The checkpoint, compressed or not, and its .bak. */
    checkpoint: `${b}/.pulumi/stacks/${project}/${stack}.json*`,
    history: `${b}/.pulumi/history/${project}/${stack}/*`,
    backups: `${b}/.pulumi/backups/${project}/${stack}/*`,
    locks: `${b}/.pulumi/locks/organization/${project}/${stack}/*`,
    meta: `${b}/.pulumi/meta.yaml`,
  };
}

/**
 * `deploy`: read and write the stack's checkpoint, history, backups and lock, and use its
 * secrets key to encrypt and decrypt. `read` (preview, stack outputs): read the checkpoint and
 * decrypt only. Preview takes no lock in the DIY backend (diyBackend.Preview calls apply
 * without Lock), so the read role needs no write at all.
 */
export function stateAccessPolicy(
  scope: StateAccessScope,
  access: "deploy" | "read",
): PolicyDocument {
  const objects = stackStateObjects(scope);
  const viaS3 = { StringEquals: { "kms:ViaService": `s3.${scope.region}.amazonaws.com` } };
  const statements: PolicyStatement[] = [
    {
      Sid: "ListStateBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: scope.bucketArn,
    },
    access === "deploy"
      ? {
          Sid: "StackStateReadWrite",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Resource: [objects.checkpoint, objects.history, objects.backups, objects.locks],
        }
      : {
          Sid: "StackStateRead",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: [objects.checkpoint, objects.history],
        },
    {
      // Every login reads the layout version; the bootstrap writes it (state-backend.ts), so
      // no CI role needs to.
      Sid: "BackendMetadata",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: objects.meta,
    },
    {
      Sid: "StateBucketKeyThroughS3",
      Effect: "Allow",
      Action:
        access === "deploy"
          ? ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
          : ["kms:Decrypt", "kms:DescribeKey"],
      Resource: scope.bucketKeyArn,
      Condition: viaS3,
    },
    {
      Sid: "StackSecretsKey",
      Effect: "Allow",
      Action:
        access === "deploy"
          ? ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"]
          : ["kms:Decrypt", "kms:DescribeKey"],
      Resource: scope.secretsKeyArn,
    },
  ];
  return policy(...statements);
}

/** The state bucket's policy: TLS only, and nothing written under another key than its own. */
export function stateBucketPolicy(bucketArn: string, bucketKeyArn: string): PolicyDocument {
  return policy(
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyOtherKmsKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${bucketArn}/*`,
      Condition: {
        StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption-aws-kms-key-id": bucketKeyArn },
      },
    },
    {
      Sid: "DenyOtherEncryption",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: `${bucketArn}/*`,
      Condition: {
        StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" },
      },
    },
  );
}

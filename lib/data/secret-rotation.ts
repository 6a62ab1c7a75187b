import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AppFunction, EgressRule } from "../app/app-function";
import { LAMBDA_CA_BUNDLE } from "../app/app-tier-settings";
import { AwsApiAccess } from "../app/function-egress";
import { HANDLER_ENTRIES } from "../app/lambda-bundle";
import { databaseSecretName, physicalName } from "../naming";
import {
  GrantScope,
  keyUseStatements,
  policyDocument,
  secretArnPattern,
} from "../security/lambda-grants";
import { AURORA_PORT } from "./aurora-engine";

/** Four steps, each a login or two and one ALTER ROLE; Secrets Manager allows a step 15 minutes. */
export const ROTATION_TIMEOUT_SECONDS = 60;
export const ROTATION_MEMORY_MB = 256;

/** Sid of the one statement that needs Resource "*" (see rotationDataPlanePolicy). */
export const RANDOM_PASSWORD_SID = "GenerateRandomPassword";

/**
 * The rotation function's data plane: the master secret in this region only, the password
 * generator, and the region's key through Secrets Manager only.
 * - Describe/Get/Put/UpdateSecretVersionStage are the calls of the four steps, on this secret
 *   ("-??????": the random suffix, so no other secret matches).
 * - secretsmanager:GetRandomPassword has no resource type (Service Authorization Reference,
 *   "Actions defined by AWS Secrets Manager"), so its Resource is "*"; it reads no data.
 * - kms:Decrypt and kms:GenerateDataKey through secretsmanager: reading and writing versions
 *   of a secret under a customer-managed key; Decrypt through lambda: the environment.
 */
export function rotationDataPlanePolicy(plane: {
  readonly scope: GrantScope;
  readonly secretName: string;
  readonly keyArn: string;
}): aws.iam.PolicyDocument {
  return policyDocument([
    {
      Sid: "RotateDatabaseSecret",
      Effect: "Allow",
      Action: [
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue",
        "secretsmanager:UpdateSecretVersionStage",
      ],
      Resource: secretArnPattern(plane.scope, plane.secretName),
    },
    {
      Sid: RANDOM_PASSWORD_SID,
      Effect: "Allow",
      Action: "secretsmanager:GetRandomPassword",
      Resource: "*",
    },
    ...keyUseStatements(plane.keyArn, plane.scope.region, {
      decryptVia: ["secretsmanager", "lambda"],
      generateDataKeyVia: ["secretsmanager"],
    }),
  ]);
}

export interface SecretRotationFunctionArgs {
  /** The primary region: where the secret is written and the global writer was created. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets, one per AZ, as the API function's. */
  readonly privateSubnetIds: pulumi.Input<string>[];
  /** This VPC's isolated (database) subnets: the only PostgreSQL destinations. */
  readonly databaseSubnetCidrs: readonly string[];
  /** How the private subnets reach Secrets Manager. */
  readonly awsApiAccess: AwsApiAccess;
  /** The interface endpoints' security group; required with "interface-endpoints". */
  readonly interfaceEndpointSecurityGroupId?: pulumi.Input<string>;
  /** The region's key: the secret, the environment and the log group. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Log retention in days. */
  readonly logRetentionDays: number;
  /** Keep the log group when the stack deletes it (production). */
  readonly retainLogsOnDelete: boolean;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

/** Egress of the rotation function: PostgreSQL to this VPC's database subnets, HTTPS to Secrets Manager. */
export function rotationEgress(
  args: Pick<
    SecretRotationFunctionArgs,
    "databaseSubnetCidrs" | "awsApiAccess" | "interfaceEndpointSecurityGroupId"
  >,
): EgressRule[] {
  const databases: EgressRule[] = args.databaseSubnetCidrs.map((cidr) => ({
    description: `PostgreSQL to Aurora in ${cidr}`,
    port: AURORA_PORT,
    cidr,
  }));
  if (args.awsApiAccess === "interface-endpoints") {
    if (args.interfaceEndpointSecurityGroupId === undefined) {
      throw new Error(
        'SecretRotationFunction: interfaceEndpointSecurityGroupId is required with awsApiAccess "interface-endpoints"',
      );
    }
    return [
      ...databases,
      {
        description: "HTTPS to the private Secrets Manager endpoint",
        port: 443,
        securityGroupId: args.interfaceEndpointSecurityGroupId,
      },
    ];
  }
  return [
    ...databases,
    // The public endpoint has no fixed addresses to name; port 443 only.
    { description: "HTTPS to Secrets Manager through NAT", port: 443, cidr: "0.0.0.0/0" },
  ];
}

/**
 * The master secret's single-user rotation function, in the primary region's private subnets:
 * it sets the new password through the global writer endpoint stored in the secret. Secrets
 * Manager invokes it; DatabaseSecret grants that and sets the schedule, once the secret exists.
 */
export class SecretRotationFunction extends pulumi.ComponentResource {
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(
    name: string,
    args: SecretRotationFunctionArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("tap:data:SecretRotationFunction", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const policy = new aws.iam.Policy(
      `${name}-data-plane`,
      {
        name: physicalName("iamPolicy", "db-rotation-data-plane", scope),
        description: `Master secret rotation in ${args.region}: the secret, the generator, the key`,
        policy: pulumi
          .all([args.partition, args.accountId, args.kmsKeyArn])
          .apply(([partition, accountId, keyArn]) =>
            JSON.stringify(
              rotationDataPlanePolicy({
                scope: { partition, accountId, region: args.region },
                secretName: databaseSecretName(args.environmentSuffix),
                keyArn,
              }),
            ),
          ),
      },
      { parent: this },
    );
    const fn = new AppFunction(
      `${name}-fn`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        purpose: "db-rotation",
        description: "Rotates the master password of the Aurora global database (single user)",
        entryPath: HANDLER_ENTRIES.secretRotation,
        timeoutSeconds: ROTATION_TIMEOUT_SECONDS,
        memorySizeMb: ROTATION_MEMORY_MB,
        // One step at a time is all Secrets Manager sends; 1 keeps a loop from fanning out.
        reservedConcurrency: 1,
        environment: { NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE },
        kmsKeyArn: args.kmsKeyArn,
        vpcId: args.vpcId,
        subnetIds: args.privateSubnetIds,
        egress: rotationEgress(args),
        dataPlanePolicyArn: policy.arn,
        logRetentionDays: args.logRetentionDays,
        retainLogsOnDelete: args.retainLogsOnDelete,
        accountId: args.accountId,
        partition: args.partition,
      },
      { parent: this },
    );
    this.functionName = fn.functionName;
    this.functionArn = fn.functionArn;
    this.roleArn = fn.roleArn;
    this.securityGroupId = fn.securityGroupId;
    this.registerOutputs({
      functionName: this.functionName,
      functionArn: this.functionArn,
      roleArn: this.roleArn,
      securityGroupId: this.securityGroupId,
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { lambdaLogGroupName, physicalName } from "../naming";
import { serviceTrustPolicy } from "../security/iam-documents";
import {
  lambdaRuntimePolicy,
  logWriteStatement,
  policyDocument,
  tracingStatement,
} from "../security/lambda-grants";
import { LAMBDA_HANDLER, handlerArchive } from "./lambda-bundle";

/** /tmp of every function, in MB: the free 512 MB (API default), made explicit. */
export const LAMBDA_EPHEMERAL_STORAGE_MB = 512;

/** One outbound rule of a function's security group, to exactly one kind of destination. */
export type EgressRule = {
  /** Shown in EC2 (SG-1). */
  readonly description: string;
  /** TCP port. */
  readonly port: number;
} & (
  | { readonly cidr: string }
  | { readonly prefixListId: pulumi.Input<string> }
  | { readonly securityGroupId: pulumi.Input<string> }
);

export interface AppFunctionArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** Short purpose in the names ("api", "worker"); IAM names add the region code. */
  readonly purpose: string;
  /** What the function does, shown in Lambda (L-17). */
  readonly description: string;
  /** Handler entry, relative to the project root (see HANDLER_ENTRIES). */
  readonly entryPath: string;
  /** Seconds; explicit, never Lambda's default 3 (L-13). */
  readonly timeoutSeconds: number;
  /** MB; explicit (L-13). */
  readonly memorySizeMb: number;
  /** Reserved concurrency (L-1); undefined reserves none. @default undefined */
  readonly reservedConcurrency?: number;
  /** Environment variables: names and locations only (L-11). */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** The region's key: environment variables (L-10) and the log group (CW-5). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /**
   * The region's VPC. vpcId, subnetIds and egress go together: all three attach the function
   * to the VPC (L-6); none runs it outside any VPC, for a function that only calls AWS APIs
   * and public endpoints (a waiver of L-6, see the README). @default outside any VPC
   */
  readonly vpcId?: pulumi.Input<string>;
  /** Private subnets, one per AZ (L-6, L-7). @default none (outside any VPC) */
  readonly subnetIds?: pulumi.Input<string>[];
  /** Everything the function may reach; nothing else (no ingress at all). @default none */
  readonly egress?: readonly EgressRule[];
  /**
   * The customer-managed data-plane policy (secret, table, queues, key) for the role.
   * @default none: the role holds only the runtime policy (logs, tracing)
   */
  readonly dataPlanePolicyArn?: pulumi.Input<string>;
  /** Log retention in days (CW-3/CW-4). */
  readonly logRetentionDays: number;
  /** Keep the log group when the stack deletes it (production). */
  readonly retainLogsOnDelete: boolean;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

/** A function's VPC attachment, or none. */
export type FunctionPlacement =
  | {
      readonly kind: "vpc";
      readonly vpcId: pulumi.Input<string>;
      readonly subnetIds: pulumi.Input<string>[];
      readonly egress: readonly EgressRule[];
    }
  | { readonly kind: "outside-vpc" };

/**
 * Where the function runs, from its args: vpcId, subnetIds and egress all set, or none of
 * them. A partial set is an error naming what is set and what is missing.
 */
export function functionPlacement(
  args: Pick<AppFunctionArgs, "purpose" | "vpcId" | "subnetIds" | "egress">,
): FunctionPlacement {
  const { vpcId, subnetIds, egress } = args;
  if (vpcId !== undefined && subnetIds !== undefined && egress !== undefined) {
    if (subnetIds.length === 0) {
      throw new Error(
        `AppFunction "${args.purpose}": subnetIds is empty; give one private subnet per AZ, or leave vpcId, subnetIds and egress all unset to run outside any VPC`,
      );
    }
    return { kind: "vpc", vpcId, subnetIds, egress };
  }
  if (vpcId === undefined && subnetIds === undefined && egress === undefined) {
    return { kind: "outside-vpc" };
  }
  const named = { vpcId, subnetIds, egress };
  const set = Object.keys(named).filter((key) => named[key as keyof typeof named] !== undefined);
  const unset = Object.keys(named).filter((key) => !set.includes(key));
  throw new Error(
    `AppFunction "${args.purpose}": vpcId, subnetIds and egress go together (${set.join(", ")} set, ${unset.join(", ")} not); set all three to run in the VPC, or none to run outside any VPC`,
  );
}

/**
 * The security group's id of a function attached to a VPC (its args carry vpcId), undefined for
 * a function outside any VPC: the type follows the args, so callers of a VPC function get an
 * Output without a check.
 */
export type SecurityGroupIdOf<A extends AppFunctionArgs> = A extends {
  readonly vpcId: pulumi.Input<string>;
}
  ? pulumi.Output<string>
  : undefined;

/**
 * One Lambda function of the app tier: its own encrypted log group created before it, and its
 * own role with customer-managed policies only (runtime, and data plane when given; I-1, I-5).
 * arm64, Node.js 22, Active tracing and JSON logs. In the region's private subnets (with its
 * own security group, egress only), or outside any VPC for a function that only calls AWS APIs
 * and public endpoints.
 */
export class AppFunction<A extends AppFunctionArgs = AppFunctionArgs>
  extends pulumi.ComponentResource
{
  public readonly functionName: pulumi.Output<string>;
  public readonly functionArn: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly securityGroupId: SecurityGroupIdOf<A>;

  constructor(name: string, args: A, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:AppFunction", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const functionName = physicalName("lambdaFunction", args.purpose, scope);
    const placement = functionPlacement(args);
    const network = placement.kind === "vpc" ? this.attachment(name, args, placement) : undefined;

    // Lambda writes to /aws/lambda/<name> unless told otherwise; created first, encrypted and
    // with retention, so Lambda never creates it unencrypted and kept forever.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: lambdaLogGroupName(functionName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      { parent: this, retainOnDelete: args.retainLogsOnDelete },
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: physicalName("iamRole", `${args.purpose}-fn`, scope),
        description: `Execution role of ${functionName}`,
        assumeRolePolicy: pulumi
          .output(args.accountId)
          .apply((accountId) =>
            JSON.stringify(serviceTrustPolicy("lambda.amazonaws.com", accountId)),
          ),
      },
      child,
    );
    const runtimePolicy = new aws.iam.Policy(
      `${name}-runtime-policy`,
      {
        name: physicalName("iamPolicy", `${args.purpose}-fn-runtime`, scope),
        description:
          network === undefined
            ? `Own log group and tracing for ${functionName}`
            : `VPC attachment, own log group and tracing for ${functionName}`,
        policy: logGroup.arn.apply((arn) =>
          JSON.stringify(
            network === undefined
              ? // Outside a VPC, Lambda creates no network interfaces: no ENI actions.
                policyDocument([logWriteStatement(arn), tracingStatement()])
              : lambdaRuntimePolicy(arn),
          ),
        ),
      },
      child,
    );
    const attachments = [
      new aws.iam.RolePolicyAttachment(
        `${name}-runtime`,
        { role: role.name, policyArn: runtimePolicy.arn },
        child,
      ),
      ...(args.dataPlanePolicyArn === undefined
        ? []
        : [
            new aws.iam.RolePolicyAttachment(
              `${name}-data-plane`,
              { role: role.name, policyArn: args.dataPlanePolicyArn },
              child,
            ),
          ]),
    ];

    const fn = new aws.lambda.Function(
      name,
      {
        name: functionName,
        description: args.description,
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: LAMBDA_HANDLER,
        code: handlerArchive(args.entryPath),
        role: role.arn,
        timeout: args.timeoutSeconds,
        memorySize: args.memorySizeMb,
        reservedConcurrentExecutions: args.reservedConcurrency,
        kmsKeyArn: args.kmsKeyArn,
        environment: { variables: { ...args.environment } },
        tracingConfig: { mode: "Active" },
        // Explicit, equal to the API default of 512 MB (EphemeralStorage, Lambda API reference):
        // /tmp above 512 MB is billed per GB-second, and no handler here writes to /tmp.
        ephemeralStorage: { size: LAMBDA_EPHEMERAL_STORAGE_MB },
        vpcConfig:
          network === undefined
            ? undefined
            : { subnetIds: network.subnetIds, securityGroupIds: [network.securityGroup.id] },
        loggingConfig: {
          logFormat: "JSON",
          logGroup: logGroup.name,
          applicationLogLevel: "INFO",
          systemLogLevel: "WARN",
        },
      },
      // Lambda checks the role's ENI permissions when it attaches the function to the VPC,
      // and the log group must exist before the first invocation writes to it.
      { parent: this, dependsOn: [logGroup, ...attachments, ...(network?.rules ?? [])] },
    );

    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.logGroupName = logGroup.name;
    // The type follows the args (SecurityGroupIdOf): an Output exactly when vpcId was given.
    this.securityGroupId = network?.securityGroup.id as SecurityGroupIdOf<A>;
    this.registerOutputs({
      functionName: this.functionName,
      functionArn: this.functionArn,
      roleArn: this.roleArn,
      roleName: this.roleName,
      logGroupName: this.logGroupName,
      securityGroupId: this.securityGroupId,
    });
  }

  /** The function's own security group in the VPC, egress only, with standalone rules. */
  private attachment(
    name: string,
    args: AppFunctionArgs,
    placement: Extract<FunctionPlacement, { kind: "vpc" }>,
  ): {
    securityGroup: aws.ec2.SecurityGroup;
    rules: aws.vpc.SecurityGroupEgressRule[];
    subnetIds: pulumi.Input<string>[];
  } {
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const functionName = physicalName("lambdaFunction", args.purpose, scope);
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: physicalName("securityGroup", `${args.purpose}-fn`, scope),
        description: `Lambda ${functionName}: egress to its data stores and AWS APIs only`,
        vpcId: placement.vpcId,
        tags: { Name: physicalName("nameTag", `${args.purpose}-fn`, scope) },
      },
      child,
    );
    // Standalone rules (SG-5), each described (SG-1). No ingress: nothing connects to a function.
    const rules = placement.egress.map(
      (rule, index) =>
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-sg-egress-${index}`,
          {
            securityGroupId: securityGroup.id,
            description: rule.description,
            ipProtocol: "tcp",
            fromPort: rule.port,
            toPort: rule.port,
            ...("cidr" in rule
              ? { cidrIpv4: rule.cidr }
              : "prefixListId" in rule
                ? { prefixListId: rule.prefixListId }
                : { referencedSecurityGroupId: rule.securityGroupId }),
          },
          child,
        ),
    );
    return { securityGroup, rules, subnetIds: placement.subnetIds };
  }
}

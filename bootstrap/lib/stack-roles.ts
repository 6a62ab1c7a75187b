/**
 * The CI roles of one target (a stack, or the family of ephemeral "pr-*" stacks): a deploy role
 * that only jobs in the target's GitHub environment can assume, and optionally a read role for
 * the read-only environment (PR previews, `npm run dr -- status`). Each role has the CI
 * permissions boundary and its named managed policies (stack-policies.ts, state-policies.ts).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CI_PREFIX, type CiTarget, TAP_DR_PROJECT, targetId } from "./config";
import type { PolicyDocument } from "./policy-document";
import { deployPolicies, readPolicy } from "./stack-policies";
import { stateAccessPolicy } from "./state-policies";
import { githubEnvironmentTrustPolicy } from "./trust-policy";

/** The state bucket and keys a target's roles use; absent with Pulumi Cloud. */
export interface TargetStateAccess {
  readonly region: string;
  readonly bucketArn: pulumi.Input<string>;
  readonly bucketKeyArn: pulumi.Input<string>;
  readonly secretsKeyArn: pulumi.Input<string>;
}

export interface StackRolesArgs {
  readonly target: CiTarget;
  /** "owner/name" of the repository whose environments may assume the roles. */
  readonly githubRepository: string;
  /** ARN of the account's GitHub OIDC provider. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /** ARN of the CI permissions boundary (boundary-policy.ts). */
  readonly permissionsBoundaryArn: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  /** IAM MaxSessionDuration of both roles, in seconds. */
  readonly maxSessionDurationSeconds: number;
  /** The self-managed backend; undefined with Pulumi Cloud. */
  readonly state?: TargetStateAccess;
  /** The explicit AWS provider; passed to every child. */
  readonly provider: aws.Provider;
}

/** "ci-tap-dr-<target id>-<purpose>": the names of a target's roles and policies. */
export const ciName = (target: Pick<CiTarget, "stack">, purpose: string): string =>
  `${CI_PREFIX}-${targetId(target.stack)}-${purpose}`;

export class StackRoles extends pulumi.ComponentResource {
  public readonly deployRoleArn: pulumi.Output<string>;
  /** undefined when the target has no read environment. */
  public readonly readRoleArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: StackRolesArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("tap-dr-bootstrap:index:StackRoles", name, {}, opts);
    const { target, provider } = args;
    const child = { parent: this, provider };
    const scope = pulumi.all([args.partition, args.accountId]).apply(([partition, accountId]) => ({
      partition,
      accountId,
      environmentSuffix: target.environmentSuffix,
      regions: target.regions,
      ...(target.domainName !== undefined ? { domainName: target.domainName } : {}),
    }));
    const state = args.state;
    const statePolicy = (access: "deploy" | "read"): pulumi.Output<PolicyDocument> | undefined =>
      state === undefined
        ? undefined
        : pulumi
            .all([state.bucketArn, state.bucketKeyArn, state.secretsKeyArn])
            .apply(([bucketArn, bucketKeyArn, secretsKeyArn]) =>
              stateAccessPolicy(
                {
                  bucketArn,
                  bucketKeyArn,
                  secretsKeyArn,
                  region: state.region,
                  project: TAP_DR_PROJECT,
                  stack: target.stack,
                },
                access,
              ),
            );

    const role = (purpose: string, environment: string, description: string) =>
      new aws.iam.Role(
        `${name}-${purpose}`,
        {
          name: ciName(target, purpose),
          description,
          assumeRolePolicy: pulumi
            .output(args.oidcProviderArn)
            .apply((arn) =>
              JSON.stringify(githubEnvironmentTrustPolicy(arn, args.githubRepository, environment)),
            ),
          maxSessionDuration: args.maxSessionDurationSeconds,
          permissionsBoundary: args.permissionsBoundaryArn,
        },
        child,
      );
    const attach = (
      role: aws.iam.Role,
      logicalName: string,
      policyName: string,
      description: string,
      document: pulumi.Input<PolicyDocument>,
    ) => {
      const managed = new aws.iam.Policy(
        logicalName,
        {
          name: policyName,
          description,
          policy: pulumi.output(document).apply((doc) => JSON.stringify(doc)),
        },
        child,
      );
      new aws.iam.RolePolicyAttachment(
        logicalName,
        { role: role.name, policyArn: managed.arn },
        child,
      );
    };

    const deployRole = role(
      "deploy",
      target.environment,
      `Deploys tap-dr stack ${target.stack} from GitHub environment ${target.environment}`,
    );
    const parts = scope.apply(deployPolicies);
    const partDescriptions = {
      regional: "tap-dr's regional services (EC2, RDS, Lambda, ...) in the stack's regions only",
      data: "the stack's own buckets, secrets, tables, queues, topics (tap-<suffix>-*) and tagged keys",
      identity:
        "the stack's own IAM roles, policies and instance profiles, PassRole to their services; Route 53",
    } as const;
    for (const part of ["regional", "data", "identity"] as const) {
      attach(
        deployRole,
        `${name}-deploy-${part}`,
        ciName(target, `deploy-${part}`),
        `tap-dr ${target.stack} deploy: ${partDescriptions[part]}`,
        parts.apply((documents) => documents[part]),
      );
    }
    const deployState = statePolicy("deploy");
    if (deployState !== undefined) {
      attach(
        deployRole,
        `${name}-deploy-state`,
        ciName(target, "deploy-state"),
        `tap-dr ${target.stack} deploy: its own objects in the Pulumi state bucket and its secrets key`,
        deployState,
      );
    }

    let readRoleArn: pulumi.Output<string> | undefined;
    if (target.readEnvironment !== undefined) {
      const readRole = role(
        "read",
        target.readEnvironment,
        `Previews tap-dr stack ${target.stack} and reads its DR status from GitHub environment ${target.readEnvironment}`,
      );
      attach(
        readRole,
        `${name}-read`,
        ciName(target, "read"),
        `tap-dr ${target.stack} read: preview lookups and npm run dr -- status`,
        scope.apply(readPolicy),
      );
      const readState = statePolicy("read");
      if (readState !== undefined) {
        attach(
          readRole,
          `${name}-read-state`,
          ciName(target, "read-state"),
          `tap-dr ${target.stack} read: its checkpoint in the Pulumi state bucket, decrypt only`,
          readState,
        );
      }
      readRoleArn = readRole.arn;
    }

    this.deployRoleArn = deployRole.arn;
    this.readRoleArn = readRoleArn;
    this.registerOutputs({ deployRoleArn: this.deployRoleArn, readRoleArn: this.readRoleArn });
  }
}

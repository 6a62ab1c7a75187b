/**
 * Everything tap-dr's pipeline needs once per AWS account: GitHub's OIDC provider, the CI
 * permissions boundary, the roles of each target, and (for the self-managed backend) the state
 * bucket and keys.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ciBoundaryPolicy } from "./boundary-policy";
import { type BootstrapConfig, CI_PREFIX, targetId } from "./config";
import { StackRoles } from "./stack-roles";
import { StateBackend } from "./state-backend";
import { GITHUB_OIDC_HOST, STS_AUDIENCE } from "./trust-policy";

export interface CiBootstrapArgs {
  readonly config: BootstrapConfig;
  /** The explicit AWS provider (config.region); passed to every child and lookup. */
  readonly provider: aws.Provider;
}

/** What the workflows read, per GitHub environment: the role to assume and, for S3, the secrets provider. */
export interface EnvironmentVariables {
  readonly AWS_ROLE_ARN: string;
  readonly PULUMI_SECRETS_PROVIDER?: string;
}

export class CiBootstrap extends pulumi.ComponentResource {
  public readonly oidcProviderArn: pulumi.Output<string>;
  /** Repository variable PULUMI_BACKEND_URL; undefined with Pulumi Cloud. */
  public readonly backendUrl: pulumi.Output<string> | undefined;
  public readonly stateBucketName: pulumi.Output<string> | undefined;
  public readonly boundaryPolicyArn: pulumi.Output<string>;
  /** Per GitHub environment, the variables to set on it. */
  public readonly environmentVariables: pulumi.Output<Record<string, EnvironmentVariables>>;

  constructor(name: string, args: CiBootstrapArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super("tap-dr-bootstrap:index:CiBootstrap", name, {}, opts);
    const { config, provider } = args;
    const child = { parent: this, provider };
    const accountId = aws.getCallerIdentityOutput({}, child).accountId;
    const partition = aws.getPartitionOutput({}, child).partition;

    // AWS validates GitHub's tokens against its library of trusted root CAs, so the provider
    // needs no thumbprint (IAM API reference, UpdateOpenIDConnectProviderThumbprint).
    this.oidcProviderArn =
      config.existingOidcProviderArn !== undefined
        ? pulumi.output(config.existingOidcProviderArn)
        : new aws.iam.OpenIdConnectProvider(
            `${name}-github-oidc`,
            { url: `https://${GITHUB_OIDC_HOST}`, clientIdLists: [STS_AUDIENCE] },
            child,
          ).arn;

    const ids = config.targets.map((target) => targetId(target.stack));
    const backend =
      config.stateBackend === "s3"
        ? new StateBackend(
            `${name}-backend`,
            { region: config.region, accountId, targetIds: ids, provider },
            child,
          )
        : undefined;

    const boundary = new aws.iam.Policy(
      `${name}-boundary`,
      {
        name: `${CI_PREFIX}-boundary`,
        description:
          "Permissions boundary of every tap-dr CI role: tap-dr's services only; no IAM users, keys or identity providers; no change to CI roles, the state bucket or the bootstrap keys",
        policy: pulumi
          .all([
            partition,
            accountId,
            backend === undefined ? [] : [backend.bucketArn, backend.logBucketArn],
            backend === undefined
              ? []
              : [backend.bucketKeyArn, ...Object.values(backend.secretsKeyArns)],
          ])
          .apply(([p, a, buckets, keys]) =>
            JSON.stringify(
              ciBoundaryPolicy({
                partition: p,
                accountId: a,
                ciPrefix: CI_PREFIX,
                protectedBucketArns: buckets,
                protectedKeyArns: keys,
              }),
            ),
          ),
      },
      child,
    );

    const variables: pulumi.Output<[string, EnvironmentVariables]>[] = [];
    config.targets.forEach((target, index) => {
      const id = ids[index];
      const roles = new StackRoles(
        `${name}-${id}`,
        {
          target,
          githubRepository: config.githubRepository,
          oidcProviderArn: this.oidcProviderArn,
          permissionsBoundaryArn: boundary.arn,
          accountId,
          partition,
          maxSessionDurationSeconds: config.maxSessionDurationSeconds,
          provider,
          ...(backend !== undefined
            ? {
                state: {
                  region: config.region,
                  bucketArn: backend.bucketArn,
                  bucketKeyArn: backend.bucketKeyArn,
                  secretsKeyArn: backend.secretsKeyArns[id],
                },
              }
            : {}),
        },
        child,
      );
      const secretsProvider = backend?.secretsProviders[id];
      variables.push(
        roles.deployRoleArn.apply((arn): [string, EnvironmentVariables] => [
          target.environment,
          {
            AWS_ROLE_ARN: arn,
            ...(secretsProvider !== undefined ? { PULUMI_SECRETS_PROVIDER: secretsProvider } : {}),
          },
        ]),
      );
      if (target.readEnvironment !== undefined && roles.readRoleArn !== undefined) {
        const readEnvironment = target.readEnvironment;
        variables.push(
          roles.readRoleArn.apply((arn): [string, EnvironmentVariables] => [
            readEnvironment,
            { AWS_ROLE_ARN: arn },
          ]),
        );
      }
    });

    this.backendUrl = backend?.backendUrl;
    this.stateBucketName = backend?.bucketName;
    this.boundaryPolicyArn = boundary.arn;
    this.environmentVariables = pulumi
      .all(variables)
      .apply((entries) => Object.fromEntries(entries));
    this.registerOutputs({
      oidcProviderArn: this.oidcProviderArn,
      backendUrl: this.backendUrl,
      stateBucketName: this.stateBucketName,
      boundaryPolicyArn: this.boundaryPolicyArn,
      environmentVariables: this.environmentVariables,
    });
  }
}

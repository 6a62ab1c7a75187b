import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { AwsCredentials } from "./aws-credentials";

/**
 * An explicit provider for one region. Every component owns the providers it
 * uses: children get it through `providers`/`provider`, never through the
 * ambient (default) provider, which the stack config disables.
 *
 * An explicit provider does not read the stack's `aws:*` config (pulumi/pulumi-aws#1307,
 * "by design"), so the stack's credential settings are passed in here, to every provider alike.
 * The region is always the component's own; `aws:region` is never used.
 *
 * `reachable: false` is for a region in an outage (config unreachableRegion): the provider then
 * makes no STS calls when it is configured, so an update that targets the other region is not
 * failed by this one. Its resources must not be targeted meanwhile.
 */
export function createRegionalProvider(
  name: string,
  region: string,
  tags: Readonly<Record<string, string>>,
  credentials: AwsCredentials,
  parent: pulumi.Resource,
  reachable = true,
): aws.Provider {
  const copy = (list: readonly string[] | undefined): string[] | undefined =>
    list === undefined ? undefined : [...list];
  return new aws.Provider(
    name,
    {
      region,
      defaultTags: { tags: { ...tags } },
      profile: credentials.profile,
      assumeRoles: credentials.assumeRoles?.map((role) => ({
        ...role,
        policyArns: copy(role.policyArns),
        tags: role.tags === undefined ? undefined : { ...role.tags },
        transitiveTagKeys: copy(role.transitiveTagKeys),
      })),
      allowedAccountIds: copy(credentials.allowedAccountIds),
      forbiddenAccountIds: copy(credentials.forbiddenAccountIds),
      sharedConfigFiles: copy(credentials.sharedConfigFiles),
      sharedCredentialsFiles: copy(credentials.sharedCredentialsFiles),
      ...(reachable ? {} : { skipCredentialsValidation: true, skipRequestingAccountId: true }),
    },
    { parent },
  );
}

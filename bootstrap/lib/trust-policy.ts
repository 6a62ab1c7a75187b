/**
 * Who may assume a CI role: GitHub Actions jobs of one repository, bound to one GitHub
 * environment, with a token minted for STS. Nothing else: no branch, pull-request or wildcard
 * subject, so the environment's protection rules (required reviewers, deployment branches) are
 * the gate.
 */
import { type PolicyDocument, policy } from "./policy-document";

/** The issuer of GitHub Actions' OIDC tokens; also the IAM OIDC provider's URL without https://. */
export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
/** The audience configure-aws-credentials requests by default. */
export const STS_AUDIENCE = "sts.amazonaws.com";

/** GitHub's `sub` claim of a job bound to an environment (the default claim format). */
export function environmentSubject(repository: string, environment: string): string {
  return `repo:${repository}:environment:${environment}`;
}

/**
 * The trust policy of a role assumed by jobs in `environment` of `repository` ("owner/name").
 * StringEquals on both claims: the subject is exact, and tokens for other audiences are refused.
 */
export function githubEnvironmentTrustPolicy(
  providerArn: string,
  repository: string,
  environment: string,
): PolicyDocument {
  return policy({
    Sid: "GitHubActionsEnvironment",
    Effect: "Allow",
    Principal: { Federated: providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: {
      StringEquals: {
        [`${GITHUB_OIDC_HOST}:aud`]: STS_AUDIENCE,
        [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(repository, environment),
      },
    },
  });
}

/**
 * tap-dr-bootstrap: what tap-dr's CI pipeline needs in an AWS account, created once by an
 * administrator (README "Deploy from CI"). Reads its config, builds one explicit provider, and
 * exports what the GitHub repository's variables need.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CiBootstrap } from "./lib/ci-bootstrap";
import { parseBootstrapConfig } from "./lib/config";

const raw = new pulumi.Config();
const existingOidcProviderArn = raw.get("existingOidcProviderArn");
const config = parseBootstrapConfig({
  githubRepository: raw.get("githubRepository"),
  region: raw.get("region"),
  stateBackend: raw.get("stateBackend"),
  targets: raw.getObject<unknown>("targets"),
  maxSessionDurationSeconds: raw.getNumber("maxSessionDurationSeconds"),
  ...(existingOidcProviderArn !== undefined && existingOidcProviderArn !== ""
    ? { existingOidcProviderArn }
    : {}),
});

const provider = new aws.Provider("bootstrap-aws", {
  region: config.region as aws.Region,
  defaultTags: { tags: { Project: "tap-dr-ci", ManagedBy: "pulumi" } },
});

const bootstrap = new CiBootstrap("ci", { config, provider });

export const oidcProviderArn = bootstrap.oidcProviderArn;
/** Repository variable PULUMI_BACKEND_URL (self-managed backend only). */
export const backendUrl = bootstrap.backendUrl;
export const stateBucketName = bootstrap.stateBucketName;
export const boundaryPolicyArn = bootstrap.boundaryPolicyArn;
/** Per GitHub environment: AWS_ROLE_ARN, and PULUMI_SECRETS_PROVIDER for the S3 backend. */
export const environmentVariables = bootstrap.environmentVariables;

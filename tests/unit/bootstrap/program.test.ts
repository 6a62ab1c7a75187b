/**
 * bootstrap/index.ts under Pulumi mocks, with bootstrap/Pulumi.example.yaml's config (S3 backend,
 * staging, production and the ephemeral "pr-*" target), with Pulumi Cloud, and reusing an
 * existing OIDC provider. Asserts what is deployed, not just that it exists.
 */
import { type PolicyDocument, asList } from "../../../bootstrap/lib/policy-document";
import { exampleConfig } from "./support/example-config";
import {
  type BootstrapResource,
  type BootstrapRun,
  TEST_ACCOUNT_ID,
  runBootstrap,
} from "./support/run-bootstrap";

const OIDC_TYPE = "aws:iam/openIdConnectProvider:OpenIdConnectProvider";
const ROLE = "aws:iam/role:Role";
const POLICY = "aws:iam/policy:Policy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";

const ofType = (run: BootstrapRun, type: string) => run.resources.filter((r) => r.type === type);
const byName = (run: BootstrapRun, type: string, name: string): BootstrapResource => {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (found === undefined) throw new Error(`no ${type} ${name}`);
  return found;
};
const documentOf = (resource: BootstrapResource, key: string): PolicyDocument =>
  JSON.parse(resource.inputs[key] as string) as PolicyDocument;
/** Physical names of the managed policies attached to a role. */
const attachedTo = (run: BootstrapRun, roleName: string): string[] => {
  const policies = new Map(
    ofType(run, POLICY).map((p) => [
      `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/${String(p.inputs.name)}`,
      String(p.inputs.name),
    ]),
  );
  return ofType(run, ATTACHMENT)
    .filter((a) => a.inputs.role === roleName)
    .map((a) => policies.get(String(a.inputs.policyArn)) ?? String(a.inputs.policyArn))
    .sort();
};

describe("with the example config (self-managed S3 backend)", () => {
  let run: BootstrapRun;
  beforeAll(async () => {
    run = await runBootstrap(exampleConfig());
  });

  it("puts every AWS resource on the explicit provider in the configured region", () => {
    const custom = run.resources.filter((r) => r.type.startsWith("aws:"));
    expect(custom.length).toBeGreaterThan(40);
    expect(custom.filter((r) => r.region !== "us-east-1").map((r) => r.name)).toEqual([]);
  });

  it("creates GitHub's OIDC provider for STS, with no thumbprint", () => {
    const [provider] = ofType(run, OIDC_TYPE);
    expect(ofType(run, OIDC_TYPE)).toHaveLength(1);
    expect(provider.inputs).toEqual({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  it.each([
    ["ci-tap-dr-staging-deploy", "staging"],
    ["ci-tap-dr-staging-read", "staging-read"],
    ["ci-tap-dr-production-deploy", "production"],
    ["ci-tap-dr-production-read", "production-read"],
    ["ci-tap-dr-pr-deploy", "pr-ephemeral"],
  ])(
    "role %s trusts only the %s environment of acme/tap-dr, with the STS audience",
    (roleName, environment) => {
      const role = ofType(run, ROLE).find((r) => r.inputs.name === roleName);
      expect(role).toBeDefined();
      const trust = documentOf(role!, "assumeRolePolicy");
      expect(trust.Statement).toHaveLength(1);
      const [statement] = trust.Statement;
      expect(statement.Effect).toBe("Allow");
      expect(statement.Action).toBe("sts:AssumeRoleWithWebIdentity");
      expect(statement.Principal).toEqual({
        Federated: `arn:aws:iam::${TEST_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`,
      });
      expect(statement.Condition).toEqual({
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": `repo:acme/tap-dr:environment:${environment}`,
        },
      });
      expect(role!.inputs.maxSessionDuration).toBe(14_400);
      expect(role!.inputs.permissionsBoundary).toBe(
        `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/ci-tap-dr-boundary`,
      );
    },
  );

  it("creates exactly those five roles: no read role for the ephemeral pattern", () => {
    expect(
      ofType(run, ROLE)
        .map((r) => r.inputs.name)
        .sort(),
    ).toEqual([
      "ci-tap-dr-pr-deploy",
      "ci-tap-dr-production-deploy",
      "ci-tap-dr-production-read",
      "ci-tap-dr-staging-deploy",
      "ci-tap-dr-staging-read",
    ]);
  });

  it("attaches the named deploy and read policies to each role", () => {
    expect(attachedTo(run, "ci-tap-dr-staging-deploy")).toEqual([
      "ci-tap-dr-staging-deploy-data",
      "ci-tap-dr-staging-deploy-identity",
      "ci-tap-dr-staging-deploy-regional",
      "ci-tap-dr-staging-deploy-state",
    ]);
    expect(attachedTo(run, "ci-tap-dr-staging-read")).toEqual([
      "ci-tap-dr-staging-read",
      "ci-tap-dr-staging-read-state",
    ]);
  });

  it("scopes each deploy role to its own stack: names, regions, domain, state objects", () => {
    const identity = documentOf(
      ofType(run, POLICY).find((p) => p.inputs.name === "ci-tap-dr-production-deploy-identity")!,
      "policy",
    );
    const pass = identity.Statement.find((s) => s.Sid === "PassStackRolesToTheirServices");
    expect(pass?.Resource).toBe(`arn:aws:iam::${TEST_ACCOUNT_ID}:role/tap-prod-*`);
    expect(identity.Statement.some((s) => s.Sid === "RecordsOnlyInTheStackDomain")).toBe(true);
    const regional = documentOf(
      ofType(run, POLICY).find((p) => p.inputs.name === "ci-tap-dr-production-deploy-regional")!,
      "policy",
    );
    expect(regional.Statement[0].Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["us-east-1", "us-west-2"] },
    });
    const state = documentOf(
      ofType(run, POLICY).find((p) => p.inputs.name === "ci-tap-dr-pr-deploy-state")!,
      "policy",
    );
    expect(state.Statement.find((s) => s.Sid === "StackStateReadWrite")?.Resource).toEqual([
      "arn:aws:s3:::ci-tap-dr-state-123456789012-use1/.pulumi/stacks/tap-dr/pr-*.json*",
      "arn:aws:s3:::ci-tap-dr-state-123456789012-use1/.pulumi/history/tap-dr/pr-*/*",
      "arn:aws:s3:::ci-tap-dr-state-123456789012-use1/.pulumi/backups/tap-dr/pr-*/*",
      "arn:aws:s3:::ci-tap-dr-state-123456789012-use1/.pulumi/locks/organization/tap-dr/pr-*/*",
    ]);
  });

  it("no attached policy allows every action or all of IAM on every resource", () => {
    for (const policy of ofType(run, POLICY).filter(
      (p) => p.inputs.name !== "ci-tap-dr-boundary",
    )) {
      for (const statement of documentOf(policy, "policy").Statement.filter(
        (s) => s.Effect === "Allow",
      )) {
        const actions = asList(statement.Action);
        expect(actions).not.toContain("*");
        expect(actions).not.toContain("iam:*");
        if (actions.some((a) => a.startsWith("iam:"))) {
          expect(asList(statement.Resource)).not.toContain("*");
        }
      }
    }
  });

  describe("the state bucket", () => {
    const bucketName = "ci-tap-dr-state-123456789012-use1";
    const onBucket = (type: string) =>
      ofType(run, type).filter((r) => r.inputs.bucket === bucketName);

    it("is named per account and region, and protected from deletion", () => {
      const bucket = byName(run, "aws:s3/bucket:Bucket", "ci-backend-state");
      expect(bucket.inputs.bucket).toBe(bucketName);
      expect(bucket.protect).toBe(true);
    });

    it("is versioned", () => {
      expect(
        onBucket("aws:s3/bucketVersioning:BucketVersioning").map(
          (r) => r.inputs.versioningConfiguration,
        ),
      ).toEqual([{ status: "Enabled" }]);
    });

    it("is encrypted with SSE-KMS under its own rotating key, bucket keys on", () => {
      const [encryption] = onBucket(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      );
      const key = byName(run, "aws:kms/key:Key", "ci-backend-bucket-key");
      expect(encryption.inputs.rules).toEqual([
        {
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: `arn:aws:kms:us-east-1:${TEST_ACCOUNT_ID}:key/ci-backend-bucket-key-id`,
          },
          bucketKeyEnabled: true,
        },
      ]);
      expect(key.inputs.enableKeyRotation).toBe(true);
      expect(key.protect).toBe(true);
    });

    it("blocks all public access, with ACLs off", () => {
      expect(
        onBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").map((r) => r.inputs),
      ).toEqual([
        {
          bucket: bucketName,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        },
      ]);
      expect(
        onBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls").map(
          (r) => r.inputs.rule,
        ),
      ).toEqual([{ objectOwnership: "BucketOwnerEnforced" }]);
    });

    it("denies every request without TLS, after the public access block is in place", () => {
      const [policy] = onBucket("aws:s3/bucketPolicy:BucketPolicy");
      const statements = documentOf(policy, "policy").Statement;
      expect(statements.find((s) => s.Sid === "DenyInsecureTransport")?.Condition).toEqual({
        Bool: { "aws:SecureTransport": "false" },
      });
      const block = byName(
        run,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "ci-backend-state-public-access",
      );
      expect(policy.dependencies).toContain(block.urn);
    });

    it("holds the DIY backend's layout version, so no CI role needs to write outside its stack", () => {
      const [meta] = onBucket("aws:s3/bucketObjectv2:BucketObjectv2");
      expect(meta.inputs).toMatchObject({ key: ".pulumi/meta.yaml", content: "version: 1\n" });
      for (const name of ["ci-tap-dr-staging-deploy-state", "ci-tap-dr-staging-read-state"]) {
        const policy = documentOf(
          ofType(run, POLICY).find((p) => p.inputs.name === name)!,
          "policy",
        );
        expect(policy.Statement.find((s) => s.Sid === "BackendMetadata")).toEqual({
          Sid: "BackendMetadata",
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${bucketName}/.pulumi/meta.yaml`,
        });
      }
    });

    it("logs access to its own log bucket, which is private, encrypted and expires its logs", () => {
      const [logging] = onBucket("aws:s3/bucketLogging:BucketLogging");
      expect(logging.inputs.targetBucket).toBe("ci-tap-dr-state-logs-123456789012-use1");
      const logBucket = "ci-tap-dr-state-logs-123456789012-use1";
      const onLogs = (type: string) =>
        ofType(run, type).filter((r) => r.inputs.bucket === logBucket);
      expect(onLogs("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toHaveLength(1);
      expect(
        onLogs(
          "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        )[0].inputs.rules,
      ).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
      const logPolicy = documentOf(onLogs("aws:s3/bucketPolicy:BucketPolicy")[0], "policy");
      expect(
        logPolicy.Statement.find((s) => s.Sid === "S3ServerAccessLogDelivery")?.Condition,
      ).toEqual({
        StringEquals: { "aws:SourceAccount": TEST_ACCOUNT_ID },
        ArnLike: { "aws:SourceArn": `arn:aws:s3:::${bucketName}` },
      });
    });
  });

  it("gives each target a rotating, protected secrets key behind its alias", () => {
    const keys = ofType(run, "aws:kms/key:Key").filter((k) =>
      k.name.startsWith("ci-backend-secrets-"),
    );
    expect(keys.map((k) => [k.name, k.inputs.enableKeyRotation, k.protect])).toEqual([
      ["ci-backend-secrets-staging", true, true],
      ["ci-backend-secrets-production", true, true],
      ["ci-backend-secrets-pr", true, true],
    ]);
    expect(
      ofType(run, "aws:kms/alias:Alias")
        .map((a) => a.inputs.name)
        .sort(),
    ).toEqual([
      "alias/ci-tap-dr-pr-secrets",
      "alias/ci-tap-dr-production-secrets",
      "alias/ci-tap-dr-staging-secrets",
      "alias/ci-tap-dr-state",
    ]);
  });

  it("exports the backend URL and, per GitHub environment, the variables the workflows read", () => {
    expect(run.outputs.backendUrl).toBe("s3://ci-tap-dr-state-123456789012-use1?region=us-east-1");
    expect(run.outputs.environmentVariables).toEqual({
      staging: {
        AWS_ROLE_ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/ci-tap-dr-staging-deploy`,
        PULUMI_SECRETS_PROVIDER: "awskms://alias/ci-tap-dr-staging-secrets?region=us-east-1",
      },
      "staging-read": {
        AWS_ROLE_ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/ci-tap-dr-staging-read`,
      },
      production: {
        AWS_ROLE_ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/ci-tap-dr-production-deploy`,
        PULUMI_SECRETS_PROVIDER: "awskms://alias/ci-tap-dr-production-secrets?region=us-east-1",
      },
      "production-read": {
        AWS_ROLE_ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/ci-tap-dr-production-read`,
      },
      "pr-ephemeral": {
        AWS_ROLE_ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/ci-tap-dr-pr-deploy`,
        PULUMI_SECRETS_PROVIDER: "awskms://alias/ci-tap-dr-pr-secrets?region=us-east-1",
      },
    });
  });

  it("registers every resource under the CiBootstrap component", () => {
    const components = new Set(
      run.resources.filter((r) => r.type.startsWith("tap-dr-bootstrap:")).map((r) => r.urn),
    );
    const orphans = run.resources.filter(
      (r) => r.type.startsWith("aws:") && !components.has(r.parent),
    );
    expect(orphans.map((r) => r.name)).toEqual([]);
  });
});

describe("with Pulumi Cloud and an existing OIDC provider", () => {
  let run: BootstrapRun;
  const existing = `arn:aws:iam::${TEST_ACCOUNT_ID}:oidc-provider/token.actions.githubusercontent.com`;
  beforeAll(async () => {
    run = await runBootstrap({
      ...exampleConfig(),
      stateBackend: "pulumi-cloud",
      existingOidcProviderArn: existing,
    });
  });

  it("creates no bucket, no key and no OIDC provider, and no state policies", () => {
    expect(ofType(run, "aws:s3/bucket:Bucket")).toEqual([]);
    expect(ofType(run, "aws:kms/key:Key")).toEqual([]);
    expect(ofType(run, OIDC_TYPE)).toEqual([]);
    expect(ofType(run, POLICY).filter((p) => String(p.inputs.name).endsWith("-state"))).toEqual([]);
    expect(run.outputs.backendUrl).toBeUndefined();
  });

  it("still trusts the existing provider, and gives no secrets provider", () => {
    for (const role of ofType(run, ROLE)) {
      expect(documentOf(role, "assumeRolePolicy").Statement[0].Principal).toEqual({
        Federated: existing,
      });
    }
    expect(run.outputs.environmentVariables).toMatchObject({
      staging: { AWS_ROLE_ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/ci-tap-dr-staging-deploy` },
    });
    expect(JSON.stringify(run.outputs.environmentVariables)).not.toContain(
      "PULUMI_SECRETS_PROVIDER",
    );
  });
});

describe("with an invalid config", () => {
  it("stops before any resource, listing every problem", async () => {
    await expect(runBootstrap({ githubRepository: "acme", targets: [] })).rejects.toThrow(
      'Invalid tap-dr-bootstrap configuration:\n  - githubRepository: "acme" is not of the form owner/name; set it with `pulumi config set githubRepository <owner>/<name>`\n  - targets: list at least one stack',
    );
  });
});

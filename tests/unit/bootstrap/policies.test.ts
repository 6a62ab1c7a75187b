/**
 * The CI roles' documents, read statement by statement: trust only by one environment of one
 * repository, deploy rights scoped to the stack, and the state and boundary guards.
 */
import { ciBoundaryPolicy } from "../../../bootstrap/lib/boundary-policy";
import {
  MANAGED_POLICY_MAX_CHARS,
  type PolicyDocument,
  type PolicyStatement,
  asList,
  policySize,
} from "../../../bootstrap/lib/policy-document";
import {
  PASSED_TO_SERVICES,
  REGIONAL_SERVICES,
  type StackScope,
  deployPolicies,
  readPolicy,
  stackNamePattern,
} from "../../../bootstrap/lib/stack-policies";
import { stateAccessPolicy, stateBucketPolicy } from "../../../bootstrap/lib/state-policies";
import {
  environmentSubject,
  githubEnvironmentTrustPolicy,
} from "../../../bootstrap/lib/trust-policy";

const scope: StackScope = {
  partition: "aws",
  accountId: "123456789012",
  environmentSuffix: "staging",
  regions: ["us-east-2", "us-west-2"],
};
const ephemeral: StackScope = { ...scope, environmentSuffix: "pr-*" };
const allStatements = (document: PolicyDocument) => document.Statement;
const statement = (document: PolicyDocument, sid: string): PolicyStatement => {
  const found = document.Statement.find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
};
const deployStatements = (s: StackScope) => Object.values(deployPolicies(s)).flatMap(allStatements);

describe("trust policy", () => {
  const trust = githubEnvironmentTrustPolicy(
    "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
    "acme/tap-dr",
    "production",
  );

  it("lets only jobs in one environment of one repository assume the role, with a token for STS", () => {
    expect(trust).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "GitHubActionsEnvironment",
          Effect: "Allow",
          Principal: {
            Federated:
              "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
          },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:acme/tap-dr:environment:production",
            },
          },
        },
      ],
    });
  });

  it("has no wildcard and no StringLike: the subject is matched exactly", () => {
    expect(JSON.stringify(trust)).not.toMatch(/\*|StringLike/);
  });

  it("uses GitHub's environment subject format", () => {
    expect(environmentSubject("acme/tap-dr", "pr-ephemeral")).toBe(
      "repo:acme/tap-dr:environment:pr-ephemeral",
    );
  });
});

describe.each([
  ["a stack", scope],
  ["the ephemeral pattern", ephemeral],
  ["a stack with a domain", { ...scope, domainName: "payments.example.com" }],
])("deploy policies of %s", (_name, s) => {
  const policies = deployPolicies(s);
  const statements = deployStatements(s);
  const allows = statements.filter((st) => st.Effect === "Allow");

  it("fit IAM's managed-policy size, with room to spare", () => {
    for (const document of Object.values(policies)) {
      expect(policySize(document)).toBeLessThan(MANAGED_POLICY_MAX_CHARS * 0.6);
    }
  });

  it("never allow every action, nor every action of IAM, KMS or STS", () => {
    for (const st of allows) {
      for (const action of asList(st.Action)) {
        expect(action).not.toBe("*");
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z*]+$/);
        expect(["iam:*", "sts:*", "organizations:*"]).not.toContain(action);
      }
    }
  });

  it("grant no IAM action on every resource, and IAM only on the stack's names", () => {
    const names = stackNamePattern(s);
    for (const st of allows.filter((x) => asList(x.Action).some((a) => a.startsWith("iam:")))) {
      for (const resource of asList(st.Resource)) {
        expect(resource).not.toBe("*");
        expect(resource).toMatch(
          new RegExp(
            `^arn:aws:iam::123456789012:(role|policy|instance-profile)/(${names.replace(/[*]/g, "\\*")}|aws-service-role/.*)$`,
          ),
        );
      }
    }
  });

  it("pass only the stack's roles, only to the services tap-dr hands them to", () => {
    const passes = allows.filter((st) => asList(st.Action).includes("iam:PassRole"));
    expect(passes).toEqual([
      {
        Sid: "PassStackRolesToTheirServices",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: `arn:aws:iam::123456789012:role/${stackNamePattern(s)}`,
        Condition: { StringEquals: { "iam:PassedToService": [...PASSED_TO_SERVICES] } },
      },
    ]);
  });

  it("attach to the stack's roles only the stack's own or AWS's service-role policies", () => {
    expect(statement(policies.identity, "AttachStackOrServiceRolePolicies").Condition).toEqual({
      ArnLike: {
        "iam:PolicyARN": [
          `arn:aws:iam::123456789012:policy/${stackNamePattern(s)}`,
          "arn:aws:iam::aws:policy/service-role/*",
        ],
      },
    });
  });

  it("allow the regional services only in the stack's regions (and us-east-1 for the global ones)", () => {
    const regional = statement(policies.regional, "RegionalServicesInTheStackRegions");
    expect(regional.Action).toEqual(REGIONAL_SERVICES.map((service) => `${service}:*`));
    expect(regional.Condition).toEqual({
      StringEquals: { "aws:RequestedRegion": ["us-east-2", "us-west-2", "us-east-1"] },
    });
  });

  it("reach data services only through the stack's names, and KMS keys only through its tag", () => {
    const names = stackNamePattern(s);
    expect(statement(policies.data, "StackBuckets").Resource).toEqual([
      `arn:aws:s3:::${names}`,
      `arn:aws:s3:::${names}/*`,
    ]);
    expect(statement(policies.data, "StackSecrets").Resource).toBe(
      `arn:aws:secretsmanager:*:123456789012:secret:${names}`,
    );
    expect(statement(policies.data, "StackKeys").Condition?.StringLike).toEqual({
      "aws:ResourceTag/Environment": s.environmentSuffix,
    });
    expect(statement(policies.data, "CreateKeysTaggedForTheStack").Condition?.StringLike).toEqual({
      "aws:RequestTag/Environment": s.environmentSuffix,
    });
    // Every resource-wide grant of a data service is a listing or naming call, never a write.
    const wide = statement(policies.data, "DataServiceAccountCalls");
    expect(asList(wide.Action).every((a) => /:(List|Describe|GetRandomPassword)/.test(a))).toBe(
      true,
    );
  });

  it("limit Route 53 record changes to the stack's domain when it has one", () => {
    const deny = policies.identity.Statement.find((st) => st.Sid === "RecordsOnlyInTheStackDomain");
    if (s.domainName === undefined) {
      expect(deny).toBeUndefined();
    } else {
      expect(deny).toEqual({
        Sid: "RecordsOnlyInTheStackDomain",
        Effect: "Deny",
        Action: "route53:ChangeResourceRecordSets",
        Resource: "*",
        Condition: {
          "ForAnyValue:StringNotLike": {
            "route53:ChangeResourceRecordSetsNormalizedRecordNames": [
              "payments.example.com",
              "*.payments.example.com",
            ],
          },
        },
      });
    }
  });
});

describe("stack name patterns", () => {
  it("cover a stack's names and, for the pattern, every PR's", () => {
    expect(stackNamePattern(scope)).toBe("tap-staging-*");
    expect(stackNamePattern(ephemeral)).toBe("tap-pr-*-*");
  });
});

describe("read policy", () => {
  const read = readPolicy(scope);

  it("reads, never writes: preview lookups and what `npm run dr -- status` calls", () => {
    const actions = read.Statement.flatMap((st) => asList(st.Action));
    expect(actions.every((a) => /:(Describe|Get|Query)/.test(a))).toBe(true);
    expect(actions).toEqual(
      expect.arrayContaining([
        "ec2:DescribeAvailabilityZones",
        "rds:DescribeGlobalClusters",
        "rds:DescribeDBClusters",
        "cloudwatch:DescribeAlarms",
        "cloudwatch:GetMetricData",
        "route53:GetHealthCheckStatus",
        "dynamodb:Query",
      ]),
    );
  });

  it("queries only the stack's failover control tables", () => {
    expect(statement(read, "DrAuditTrail").Resource).toBe(
      "arn:aws:dynamodb:*:123456789012:table/tap-staging-failover-control-*",
    );
  });
});

describe("state access", () => {
  const state = {
    bucketArn: "arn:aws:s3:::ci-tap-dr-state-123456789012-use1",
    bucketKeyArn: "arn:aws:kms:us-east-1:123456789012:key/bucket",
    secretsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/secrets",
    region: "us-east-1",
    project: "tap-dr",
    stack: "staging",
  };
  const b = state.bucketArn;

  it("lets a deploy role write only its own stack's checkpoint, history, backups and lock", () => {
    const deploy = stateAccessPolicy(state, "deploy");
    expect(statement(deploy, "StackStateReadWrite").Resource).toEqual([
      `${b}/.pulumi/stacks/tap-dr/staging.json*`,
      `${b}/.pulumi/history/tap-dr/staging/*`,
      `${b}/.pulumi/backups/tap-dr/staging/*`,
      `${b}/.pulumi/locks/organization/tap-dr/staging/*`,
    ]);
    expect(statement(deploy, "StackSecretsKey")).toMatchObject({
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"],
      Resource: state.secretsKeyArn,
    });
    expect(statement(deploy, "StateBucketKeyThroughS3").Condition).toEqual({
      StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" },
    });
  });

  it("lets a read role only read its checkpoint and decrypt (preview takes no lock)", () => {
    const read = stateAccessPolicy(state, "read");
    const actions = read.Statement.flatMap((st) => asList(st.Action));
    expect(actions.filter((a) => /Put|Delete|Encrypt|GenerateDataKey/.test(a))).toEqual([]);
    expect(statement(read, "StackStateRead").Resource).toEqual([
      `${b}/.pulumi/stacks/tap-dr/staging.json*`,
      `${b}/.pulumi/history/tap-dr/staging/*`,
    ]);
  });

  it("keeps the bucket TLS-only and its objects under its own key", () => {
    const bucketPolicy = stateBucketPolicy(b, state.bucketKeyArn);
    expect(statement(bucketPolicy, "DenyInsecureTransport")).toEqual({
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [b, `${b}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(statement(bucketPolicy, "DenyOtherKmsKeys").Condition).toEqual({
      StringNotEqualsIfExists: {
        "s3:x-amz-server-side-encryption-aws-kms-key-id": state.bucketKeyArn,
      },
    });
  });
});

describe("CI permissions boundary", () => {
  const boundary = ciBoundaryPolicy({
    partition: "aws",
    accountId: "123456789012",
    ciPrefix: "ci-tap-dr",
    protectedBucketArns: ["arn:aws:s3:::state", "arn:aws:s3:::logs"],
    protectedKeyArns: Array.from(
      { length: 20 },
      (_, i) => `arn:aws:kms:us-east-1:123456789012:key/${"0".repeat(30)}${i}`,
    ),
  });

  it("fits IAM's size even with twenty keys to protect", () => {
    expect(policySize(boundary)).toBeLessThan(MANAGED_POLICY_MAX_CHARS);
  });

  it("allows only tap-dr's services, never every action", () => {
    const allowed = asList(statement(boundary, "TapDrServicesOnly").Action);
    expect(allowed).not.toContain("*");
    // Every service any deploy or read policy uses is inside the boundary.
    const used = new Set(
      [...deployStatements(scope), ...readPolicy(scope).Statement]
        .filter((st) => st.Effect === "Allow")
        .flatMap((st) => asList(st.Action))
        .map((action) => action.split(":")[0]),
    );
    for (const service of used) {
      expect(allowed.some((a) => a === `${service}:*` || a.startsWith(`${service}:`))).toBe(true);
    }
  });

  it("denies changes to any CI role or policy, IAM users and keys, the state buckets' settings and the bootstrap keys", () => {
    expect(statement(boundary, "NoChangesToCiRolesOrPolicies").Resource).toEqual([
      "arn:aws:iam::123456789012:role/ci-tap-dr-*",
      "arn:aws:iam::123456789012:policy/ci-tap-dr-*",
    ]);
    expect(asList(statement(boundary, "NoIdentitiesCredentialsOrProviders").Action)).toEqual(
      expect.arrayContaining(["iam:*User*", "iam:*AccessKey*", "iam:*OpenIDConnectProvider*"]),
    );
    expect(statement(boundary, "StateBucketsStayAsBootstrapped").Resource).toEqual([
      "arn:aws:s3:::state",
      "arn:aws:s3:::state/*",
      "arn:aws:s3:::logs",
      "arn:aws:s3:::logs/*",
    ]);
    expect(asList(statement(boundary, "BootstrapKeysStayAsBootstrapped").Action)).toContain(
      "kms:ScheduleKeyDeletion",
    );
  });

  it("has no bucket or key statements with Pulumi Cloud (nothing to protect)", () => {
    const cloud = ciBoundaryPolicy({
      partition: "aws",
      accountId: "123456789012",
      ciPrefix: "ci-tap-dr",
      protectedBucketArns: [],
      protectedKeyArns: [],
    });
    expect(cloud.Statement.map((st) => st.Sid)).toEqual([
      "TapDrServicesOnly",
      "NoIdentitiesCredentialsOrProviders",
      "NoChangesToCiRolesOrPolicies",
    ]);
  });
});

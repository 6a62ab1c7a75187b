import { RawAwsConfig } from "../../lib/aws-credentials";
import { ConfigError, parseConfig } from "../../lib/config";
import { CapturedResource, ProgramFailure, runProgram } from "../support/mock-graph";

const BASE = { environmentSuffix: "dev", domainName: "payments.example.com" } as const;

const problemsOf = (aws: RawAwsConfig): readonly string[] => {
  try {
    parseConfig(BASE, aws);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error("parseConfig accepted the config");
};

const ROLE = "arn:aws:iam::123456789012:role/deployer";

describe("the stack's aws: credential settings", () => {
  it("passes nothing when none is set: the environment's default chain, as before", () => {
    expect(parseConfig(BASE).credentials).toEqual({});
  });

  it("accepts a profile, a role chain, allowed accounts and shared files", () => {
    // GIVEN every key the program passes on, one account id stored as a number by `--path`
    // WHEN parsed THEN each arrives as the provider takes it
    const { credentials } = parseConfig(BASE, {
      profile: "prod-admin",
      assumeRoles: [
        { roleArn: "arn:aws:iam::111122223333:role/hub", sessionName: "tap" },
        {
          roleArn: "arn:aws:iam::123456789012:role/ops/deployer",
          sessionName: "tap-dr@ci",
          externalId: "tap-dr",
          duration: "1h",
          policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
          tags: { Team: "payments", Ticket: 4711 },
          transitiveTagKeys: ["Team"],
        },
      ],
      allowedAccountIds: [123456789012],
      sharedConfigFiles: ["/home/ci/.aws/config"],
      sharedCredentialsFiles: ["/home/ci/.aws/credentials"],
    });
    expect(credentials).toEqual({
      profile: "prod-admin",
      assumeRoles: [
        { roleArn: "arn:aws:iam::111122223333:role/hub", sessionName: "tap" },
        {
          roleArn: "arn:aws:iam::123456789012:role/ops/deployer",
          sessionName: "tap-dr@ci",
          externalId: "tap-dr",
          duration: "1h",
          policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],
          tags: { Team: "payments", Ticket: "4711" },
          transitiveTagKeys: ["Team"],
        },
      ],
      allowedAccountIds: ["123456789012"],
      sharedConfigFiles: ["/home/ci/.aws/config"],
      sharedCredentialsFiles: ["/home/ci/.aws/credentials"],
    });
  });

  it("tolerates aws:region when it is primaryRegion (templates and ESC environments set it)", () => {
    expect(parseConfig(BASE, { region: "us-east-1" }).credentials).toEqual({});
  });

  it.each<[string, RawAwsConfig, string[]]>([
    [
      "aws:region other than primaryRegion",
      { region: "eu-west-1" },
      [
        'aws:region: "eu-west-1" is not used: each region\'s provider takes its region from primaryRegion ("us-east-1") or drRegion ("us-east-2"); set primaryRegion instead, or remove aws:region (`pulumi config rm aws:region`)',
      ],
    ],
    [
      "the @pulumi/aws 6 key aws:assumeRole",
      { assumeRole: { roleArn: ROLE } },
      [
        "aws:assumeRole: @pulumi/aws 7 replaced it with the list aws:assumeRoles; run `pulumi config rm aws:assumeRole` and `pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>`",
      ],
    ],
    [
      "static keys in stack config",
      { accessKey: "AKIAEXAMPLE" },
      [
        "aws:accessKey: is set, but this program passes only aws:profile, aws:assumeRoles, aws:allowedAccountIds, aws:forbiddenAccountIds, aws:sharedConfigFiles and aws:sharedCredentialsFiles to its providers; remove it and supply the credentials through the environment (AWS_PROFILE, or AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN)",
      ],
    ],
    [
      "an empty profile",
      { profile: " " },
      [
        'aws:profile: " " is blank; set a profile name from your AWS config (`pulumi config set aws:profile <name>`) or remove the key',
      ],
    ],
    [
      "an account id that is not 12 digits",
      { allowedAccountIds: ["12345"] },
      [
        "aws:allowedAccountIds[0]: \"12345\" is not a 12-digit AWS account id; set ids as text, since a number loses leading zeros: `pulumi config set --path 'aws:allowedAccountIds[0]' --type string <id>`",
      ],
    ],
    [
      "an account id stored as a number that lost its leading zero",
      { forbiddenAccountIds: [12345678901] },
      [
        "aws:forbiddenAccountIds[0]: 12345678901 is not a 12-digit AWS account id; set ids as text, since a number loses leading zeros: `pulumi config set --path 'aws:forbiddenAccountIds[0]' --type string <id>`",
      ],
    ],
    [
      "a single account id instead of a list",
      { allowedAccountIds: 123456789012 },
      [
        "aws:allowedAccountIds: 123456789012 is not a list of account ids; set entries with `pulumi config set --path 'aws:allowedAccountIds[0]' --type string 123456789012`",
      ],
    ],
    [
      "an empty account list (it would turn the check off)",
      { allowedAccountIds: [] },
      [
        "aws:allowedAccountIds: [] is empty; add an entry or remove the key (`pulumi config rm aws:allowedAccountIds`)",
      ],
    ],
    [
      "both account lists",
      { allowedAccountIds: ["123456789012"], forbiddenAccountIds: ["111122223333"] },
      [
        "aws:forbiddenAccountIds: conflicts with aws:allowedAccountIds (the AWS provider takes one or the other); keep aws:allowedAccountIds",
      ],
    ],
    [
      "roles that are not a list",
      { assumeRoles: { roleArn: ROLE } },
      [
        `aws:assumeRoles: {"roleArn":"${ROLE}"} is not a list of roles; set entries with \`pulumi config set --path 'aws:assumeRoles[0].roleArn' <role ARN>\``,
      ],
    ],
    [
      "a role that is not an object",
      { assumeRoles: [ROLE] },
      [
        `aws:assumeRoles[0]: "${ROLE}" is not a role; give at least roleArn: \`pulumi config set --path 'aws:assumeRoles[0].roleArn' arn:aws:iam::123456789012:role/<name>\``,
      ],
    ],
    [
      "a role without roleArn, with @pulumi/aws 6's durationSeconds",
      { assumeRoles: [{ durationSeconds: 3600 }] },
      [
        "aws:assumeRoles[0].durationSeconds: is not a field of an assumed role; use roleArn, sessionName, externalId, duration, policy, policyArns, sourceIdentity, tags, transitiveTagKeys",
        "aws:assumeRoles[0].roleArn: is missing; use the form arn:aws:iam::123456789012:role/<name>",
      ],
    ],
    [
      "a user ARN instead of a role ARN",
      { assumeRoles: [{ roleArn: "arn:aws:iam::123456789012:user/ci" }] },
      [
        'aws:assumeRoles[0].roleArn: "arn:aws:iam::123456789012:user/ci" is not an IAM role ARN; use the form arn:aws:iam::123456789012:role/<name>',
      ],
    ],
    [
      "a role in another partition (the stack's regions are commercial only)",
      { assumeRoles: [{ roleArn: "arn:aws-cn:iam::123456789012:role/deployer" }] },
      [
        'aws:assumeRoles[0].roleArn: "arn:aws-cn:iam::123456789012:role/deployer" is not an IAM role ARN; use the form arn:aws:iam::123456789012:role/<name>',
      ],
    ],
    [
      "a session name STS rejects",
      { assumeRoles: [{ roleArn: ROLE, sessionName: "tap dr" }] },
      [
        'aws:assumeRoles[0].sessionName: "tap dr" is not allowed; use 2 to 64 letters, digits and _+=,.@- (STS RoleSessionName)',
      ],
    ],
    [
      "role fields of the wrong type",
      { assumeRoles: [{ roleArn: ROLE, externalId: 42, policyArns: "arn", tags: { Team: [] } }] },
      [
        "aws:assumeRoles[0].externalId: 42 is not a string",
        'aws:assumeRoles[0].policyArns: "arn" is not a list of strings',
        "aws:assumeRoles[0].tags.Team: [] is not a string, number or boolean",
      ],
    ],
    [
      "a last role outside the allowed accounts",
      {
        assumeRoles: [{ roleArn: "arn:aws:iam::111122223333:role/deployer" }],
        allowedAccountIds: ["123456789012"],
      },
      [
        "aws:assumeRoles[0].roleArn: the role is in account 111122223333, which aws:allowedAccountIds (123456789012) does not list; the provider would refuse it",
      ],
    ],
    [
      "a last role in a forbidden account",
      { assumeRoles: [{ roleArn: ROLE }], forbiddenAccountIds: ["123456789012"] },
      [
        "aws:assumeRoles[0].roleArn: the role is in account 123456789012, which aws:forbiddenAccountIds lists; the provider would refuse it",
      ],
    ],
    [
      "shared files that are not a list of paths",
      { sharedConfigFiles: "~/.aws/config", sharedCredentialsFiles: [""] },
      [
        "aws:sharedConfigFiles: \"~/.aws/config\" is not a list of file paths; set entries with `pulumi config set --path 'aws:sharedConfigFiles[0]' <path>`",
        'aws:sharedCredentialsFiles[0]: "" is not a file path',
      ],
    ],
  ])("refuses %s with a message naming the key, the value and the fix", (_case, aws, messages) => {
    expect(problemsOf(aws)).toEqual(messages);
  });
});

/** The provider's input as the engine got it: @pulumi/aws JSON-encodes list and object inputs. */
function providerInput(provider: CapturedResource, key: string): unknown {
  const raw = provider.inputs[key];
  return key !== "profile" && typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw;
}

const CREDENTIAL_KEYS = [
  "profile",
  "assumeRoles",
  "allowedAccountIds",
  "forbiddenAccountIds",
  "sharedConfigFiles",
  "sharedCredentialsFiles",
] as const;

/** Every provider the program creates, by name, and the region it must keep. */
const PROVIDER_REGIONS = [
  ["tap-dr-aws", "us-east-2"],
  ["tap-global-dr-aws", "us-east-2"],
  ["tap-global-primary-aws", "us-east-1"],
  ["tap-primary-aws", "us-east-1"],
];

describe("the program's providers", () => {
  const providersOf = (resources: readonly CapturedResource[]): CapturedResource[] =>
    resources.filter((resource) => resource.type === "pulumi:providers:aws");

  it("all get the stack's aws: credential settings, and each keeps its own region", async () => {
    // GIVEN a stack with a profile, an allowed account and a role to assume
    // WHEN the real program runs under mocks
    const run = await runProgram({
      environmentSuffix: "dev",
      mode: "test",
      "aws:profile": "prod-admin",
      "aws:allowedAccountIds": ["123456789012"],
      "aws:assumeRoles": [{ roleArn: ROLE, sessionName: "tap" }],
    });
    // THEN every AWS provider (both regions' and GlobalResources' two) carries all three
    const providers = providersOf(run.resources);
    expect(providers.map((provider) => [provider.name, provider.region]).sort()).toEqual(
      PROVIDER_REGIONS,
    );
    for (const provider of providers) {
      expect(
        Object.fromEntries(CREDENTIAL_KEYS.map((key) => [key, providerInput(provider, key)])),
      ).toEqual({
        profile: "prod-admin",
        assumeRoles: [{ roleArn: ROLE, sessionName: "tap" }],
        allowedAccountIds: ["123456789012"],
        forbiddenAccountIds: undefined,
        sharedConfigFiles: undefined,
        sharedCredentialsFiles: undefined,
      });
    }
    // AND every AWS resource uses one of them (none falls back to the ambient provider)
    const providerUrns = new Set(providers.map((provider) => provider.urn));
    const unbound = run.resources.filter(
      (resource) =>
        resource.custom &&
        resource.type.startsWith("aws:") &&
        !providerUrns.has(resource.providerUrn ?? ""),
    );
    expect(unbound.map((resource) => resource.name)).toEqual([]);
  });

  it("get no credential inputs when the stack sets none, so existing stacks see no change", async () => {
    const run = await runProgram({ environmentSuffix: "dev", mode: "test" });
    const providers = providersOf(run.resources);
    expect(providers).toHaveLength(PROVIDER_REGIONS.length);
    for (const provider of providers) {
      for (const key of CREDENTIAL_KEYS) {
        expect([provider.name, key, providerInput(provider, key)]).toEqual([
          provider.name,
          key,
          undefined,
        ]);
      }
    }
  });

  it("are never created when aws:region contradicts primaryRegion", async () => {
    const failure = await runProgram({
      environmentSuffix: "dev",
      mode: "test",
      "aws:region": "eu-west-1",
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProgramFailure);
    const programFailure = failure as ProgramFailure;
    expect(programFailure.message).toContain('aws:region: "eu-west-1" is not used');
    expect(programFailure.resources).toHaveLength(0);
  });
});

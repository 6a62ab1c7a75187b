import { CONFIG_DEFAULTS, ConfigError, RawConfig, parseConfig } from "../../lib/config";
import { ALARM_THRESHOLD_DEFAULTS } from "../../lib/operations/operations-config";
import { providerDefaultTags } from "../support/graph";
import { ProgramFailure, runProgram } from "../support/mock-graph";

const problemsOf = (raw: RawConfig): readonly string[] => {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error("parseConfig accepted the config");
};

describe("parseConfig", () => {
  it("applies the documented defaults to a config with only the keys a production stack needs", () => {
    // GIVEN the required key and the domain production needs WHEN parsed THEN every default is the documented one
    expect(parseConfig({ environmentSuffix: "dev", domainName: "payments.example.com" })).toEqual({
      environmentSuffix: "dev",
      primaryRegion: "us-east-1",
      drRegion: "us-east-2",
      primaryVpcCidr: "10.0.0.0/16",
      drVpcCidr: "10.1.0.0/16",
      azCount: 3,
      natGateways: "none",
      mode: "production",
      protectResources: true,
      tags: {},
      credentials: {},
      database: {
        capacity: "serverless",
        instanceClass: "db.r6g.large",
        minAcu: 2,
        maxAcu: 16,
        primaryInstances: 2,
        drInstances: 1,
        rpoSeconds: undefined,
        backupRetentionDays: 7,
        secretRotationDays: 30,
      },
      backup: { dailyRetentionDays: 35, hourlyRetentionDays: 0 },
      // Production mode only: Object Lock on the txlogs buckets, Vault Lock on the vaults.
      locks: {
        txlogs: { mode: "governance", retentionDays: 365 },
        vault: { mode: "governance", coolingOffDays: 3, minRetentionDays: 35 },
      },
      app: {
        tier: "lambda",
        apiReservedConcurrency: 50,
        workerReservedConcurrency: 10,
        ingressCidrs: ["0.0.0.0/0"],
        instanceType: "t4g.small",
        primaryCapacity: { min: 2, desired: 2, max: 6 },
        drCapacity: { min: 1, desired: 1, max: 6 },
      },
      dns: {
        domainName: "payments.example.com",
        hostedZoneId: undefined,
        routingPolicy: "failover",
        recordType: "cname",
        ttlSeconds: 10,
        healthCheckFailureThreshold: 3,
        primaryWeight: 100,
        drWeight: 0,
      },
      operations: {
        // Production: a human confirms a failover unless the stack says otherwise.
        failoverMode: "notify",
        failoverWindowMinutes: 3,
        alertEmail: undefined,
        alarmThresholds: ALARM_THRESHOLD_DEFAULTS,
        metricStreams: false,
      },
      // Nothing pinned: the first deploy looks the account and AZs up.
      lookups: { accountId: undefined, availabilityZones: {}, unreachableRegion: undefined },
      // No waivers beyond the policy pack's built-in ones.
      policyWaivers: [],
    });
    expect(CONFIG_DEFAULTS.mode).toBe("production");
  });

  it("accepts every valid non-default value", () => {
    const config = parseConfig({
      environmentSuffix: "pr-123",
      domainName: "payments.example.com",
      primaryRegion: "eu-west-1",
      drRegion: "eu-central-1",
      primaryVpcCidr: "172.16.0.0/20",
      drVpcCidr: "192.168.0.0/24",
      azCount: "4",
      natGateways: "perAz",
      mode: "test",
      protectResources: "false",
      tags: { CostCenter: "payments" },
    });
    expect(config).toMatchObject({
      azCount: 4,
      natGateways: "perAz",
      mode: "test",
      protectResources: false,
    });
    expect(config.tags).toEqual({ CostCenter: "payments" });
  });

  it("reads the retention locks, and holds the vault lock's minimum to the shortest backup retention", () => {
    const config = parseConfig({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      txlogsLockMode: "compliance",
      txlogsRetentionDays: "36500",
      vaultLockMode: "compliance",
      vaultLockCoolingOffDays: "3",
      backupDailyRetentionDays: "90",
      backupHourlyRetentionDays: "2",
    });
    expect(config.locks).toEqual({
      txlogs: { mode: "compliance", retentionDays: 36500 },
      vault: { mode: "compliance", coolingOffDays: 3, minRetentionDays: 2 },
    });
  });

  it.each<[string, RawConfig, string]>([
    [
      "unknown txlogs lock mode",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        txlogsLockMode: "legal-hold",
      },
      'txlogsLockMode: "legal-hold" is not allowed; use one of governance, compliance',
    ],
    [
      "txlogs retention of 0 days",
      { environmentSuffix: "dev", domainName: "payments.example.com", txlogsRetentionDays: "0" },
      'txlogsRetentionDays: "0" is not allowed; use a whole number from 1 to 36500 (S3 Object Lock default retention of the txlogs buckets, production mode only)',
    ],
    [
      "txlogs retention over 100 years",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        txlogsRetentionDays: "36501",
      },
      'txlogsRetentionDays: "36501" is not allowed; use a whole number from 1 to 36500 (S3 Object Lock default retention of the txlogs buckets, production mode only)',
    ],
    [
      "unknown vault lock mode",
      { environmentSuffix: "dev", domainName: "payments.example.com", vaultLockMode: "COMPLIANCE" },
      'vaultLockMode: "COMPLIANCE" is not allowed; use one of governance, compliance',
    ],
    [
      "a cooling-off under AWS Backup's 72 hours",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        vaultLockCoolingOffDays: "2",
      },
      'vaultLockCoolingOffDays: "2" is not allowed; use a whole number from 3 to 365 (AWS Backup enforces a 72-hour cooling-off before a compliance-mode vault lock becomes immutable)',
    ],
    [
      "a fractional cooling-off",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        vaultLockCoolingOffDays: "3.5",
      },
      'vaultLockCoolingOffDays: "3.5" is not allowed; use a whole number from 3 to 365 (AWS Backup enforces a 72-hour cooling-off before a compliance-mode vault lock becomes immutable)',
    ],
    [
      "missing suffix",
      { domainName: "payments.example.com" },
      "environmentSuffix: is required; set it with `pulumi config set environmentSuffix <suffix>` (lowercase letters, digits and inner hyphens, at most 16 characters)",
    ],
    [
      "uppercase suffix",
      { environmentSuffix: "Dev", domainName: "payments.example.com" },
      'environmentSuffix: "Dev" has characters AWS names reject; use lowercase letters, digits and single inner hyphens (for example "dev" or "pr-123")',
    ],
    [
      "suffix with a trailing hyphen (RDS rejects it)",
      { environmentSuffix: "dev-", domainName: "payments.example.com" },
      'environmentSuffix: "dev-" has characters AWS names reject; use lowercase letters, digits and single inner hyphens (for example "dev" or "pr-123")',
    ],
    [
      "suffix too long for the tightest name",
      { environmentSuffix: "abcdefghijklmnopq", domainName: "payments.example.com" },
      'environmentSuffix: "abcdefghijklmnopq" is 17 characters; at most 16 are allowed so that every physical name fits its AWS length limit',
    ],
    [
      "same regions",
      { environmentSuffix: "dev", domainName: "payments.example.com", drRegion: "us-east-1" },
      'drRegion: must differ from primaryRegion (both are "us-east-1"); a DR copy in the same region does not survive a regional outage',
    ],
    [
      "invented region",
      { environmentSuffix: "dev", domainName: "payments.example.com", drRegion: "us-middle-1" },
      'drRegion: "us-middle-1" is not an AWS commercial region; use one of af-south-1, ap-east-1, ap-east-2, ap-northeast-1, ap-northeast-2, ap-northeast-3, ap-south-1, ap-south-2, ap-southeast-1, ap-southeast-2, ap-southeast-3, ap-southeast-4, ap-southeast-5, ap-southeast-6, ap-southeast-7, ca-central-1, ca-west-1, eu-central-1, eu-central-2, eu-north-1, eu-south-1, eu-south-2, eu-west-1, eu-west-2, eu-west-3, il-central-1, me-central-1, me-south-1, mx-central-1, sa-east-1, us-east-1, us-east-2, us-west-1, us-west-2',
    ],
    [
      "malformed CIDR",
      { environmentSuffix: "dev", domainName: "payments.example.com", primaryVpcCidr: "10.0.0.0" },
      'primaryVpcCidr: "10.0.0.0" is not an IPv4 CIDR block; use the form 10.0.0.0/16',
    ],
    [
      "octet out of range",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        primaryVpcCidr: "10.300.0.0/16",
      },
      'primaryVpcCidr: "10.300.0.0/16" is not an IPv4 CIDR block; use the form 10.0.0.0/16',
    ],
    [
      "host bits set",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        primaryVpcCidr: "10.0.1.0/16",
      },
      'primaryVpcCidr: "10.0.1.0/16" has host bits set; use the network address 10.0.0.0/16',
    ],
    [
      "larger than a VPC may be",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        primaryVpcCidr: "10.0.0.0/15",
      },
      'primaryVpcCidr: "10.0.0.0/15" is larger than AWS allows for a VPC; use a prefix from /16 to /24',
    ],
    [
      "too small for the subnets",
      { environmentSuffix: "dev", domainName: "payments.example.com", drVpcCidr: "10.1.0.0/25" },
      'drVpcCidr: "10.1.0.0/25" is too small for the subnets: the VPC is cut into 16 subnet slots, which must be /28 (AWS\'s smallest subnet) or larger; use a prefix from /16 to /24',
    ],
    [
      "public range",
      { environmentSuffix: "dev", domainName: "payments.example.com", drVpcCidr: "8.8.0.0/16" },
      'drVpcCidr: "8.8.0.0/16" is not a private (RFC 1918) range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
    ],
    [
      "overlapping CIDRs",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        primaryVpcCidr: "10.0.0.0/16",
        drVpcCidr: "10.0.128.0/20",
      },
      'drVpcCidr: "10.0.128.0/20" overlaps primaryVpcCidr "10.0.0.0/16"; VPC peering needs non-overlapping blocks',
    ],
    [
      "azCount below Aurora's minimum",
      { environmentSuffix: "dev", domainName: "payments.example.com", azCount: "1" },
      'azCount: "1" is not allowed; use a whole number from 2 (Aurora needs two AZs) to 4',
    ],
    [
      "azCount above the slot layout",
      { environmentSuffix: "dev", domainName: "payments.example.com", azCount: "5" },
      'azCount: "5" is not allowed; use a whole number from 2 (Aurora needs two AZs) to 4',
    ],
    [
      "azCount not a whole number",
      { environmentSuffix: "dev", domainName: "payments.example.com", azCount: "2.5" },
      'azCount: "2.5" is not allowed; use a whole number from 2 (Aurora needs two AZs) to 4',
    ],
    [
      "unknown NAT mode",
      { environmentSuffix: "dev", domainName: "payments.example.com", natGateways: "two" },
      'natGateways: "two" is not allowed; use one of none, single, perAz',
    ],
    [
      "unknown mode",
      { environmentSuffix: "dev", domainName: "payments.example.com", mode: "prod" },
      'mode: "prod" is not allowed; use one of test, production',
    ],
    [
      "protectResources not a boolean",
      { environmentSuffix: "dev", domainName: "payments.example.com", protectResources: "no" },
      'protectResources: "no" is not allowed; use true (production data is protected) or false (lifts the protection for a deliberate teardown)',
    ],
    [
      "tags not a map",
      { environmentSuffix: "dev", domainName: "payments.example.com", tags: "team=payments" },
      "tags: \"team=payments\" is not a map; set entries with `pulumi config set --path 'tags.<Key>' <value>`",
    ],
    [
      "reserved tag prefix",
      { environmentSuffix: "dev", domainName: "payments.example.com", tags: { "aws:owner": "me" } },
      'tags.aws:owner: the key is not allowed; tag keys are 1-128 characters and must not start with "aws:"',
    ],
    [
      "tag value that is a map",
      { environmentSuffix: "dev", domainName: "payments.example.com", tags: { Tier: { a: 1 } } },
      'tags.Tier: {"a":1} is not a string, number or boolean; a tag value is text',
    ],
    [
      "tag value that is a list",
      { environmentSuffix: "dev", domainName: "payments.example.com", tags: { Tier: ["a"] } },
      'tags.Tier: ["a"] is not a string, number or boolean; a tag value is text',
    ],
    [
      "tag value that is null",
      { environmentSuffix: "dev", domainName: "payments.example.com", tags: { Tier: null } },
      "tags.Tier: null is not a string, number or boolean; a tag value is text",
    ],
    [
      "policy waiver without a reason",
      {
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        policyWaivers: [{ rule: "TAP-S3-5", resource: "tap-primary-data-documents", reason: " " }],
      },
      "policyWaivers[0].reason: is required; give why the rule does not apply to this resource; it is printed with every plan",
    ],
  ])(
    "rejects %s with a message naming the key, value and what is allowed",
    (_case, raw, message) => {
      expect(problemsOf(raw)).toEqual([message]);
    },
  );

  it("stores tag values given as numbers or booleans as their text, as `--path` stores them", () => {
    // GIVEN `pulumi config set --path 'tags.CostCenter' 1234` (a number) and a boolean
    // WHEN parsed THEN both are kept, as strings
    const config = parseConfig({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      tags: { CostCenter: 1234, Ratio: 0.5, Pci: true, Team: "payments" },
    });
    expect(config.tags).toEqual({
      CostCenter: "1234",
      Ratio: "0.5",
      Pci: "true",
      Team: "payments",
    });
  });

  it("reports every problem at once, one per line", () => {
    const problems = problemsOf({ environmentSuffix: "Dev", azCount: "9", mode: "prod" });
    expect(problems).toHaveLength(3);
    expect(() => parseConfig({ environmentSuffix: "Dev", azCount: "9", mode: "prod" })).toThrow(
      `Invalid tap-dr configuration:\n  - ${problems.join("\n  - ")}`,
    );
  });
});

describe("the program with bad config", () => {
  it("fails before registering any resource and names the bad key", async () => {
    // GIVEN overlapping VPC CIDRs WHEN the real program runs THEN it throws before any registration
    const failure = await runProgram({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      primaryVpcCidr: "10.0.0.0/16",
      drVpcCidr: "10.0.0.0/16",
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(ProgramFailure);
    const programFailure = failure as ProgramFailure;
    expect(programFailure.message).toContain('drVpcCidr: "10.0.0.0/16" overlaps primaryVpcCidr');
    expect(programFailure.resources).toHaveLength(0);
  });

  it("reads tags set with --path as a map", async () => {
    const run = await runProgram({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      tags: { CostCenter: "payments" },
    });
    const providers = run.resources.filter((resource) => resource.type === "pulumi:providers:aws");
    expect(providers.length).toBeGreaterThan(0);
    for (const provider of providers) {
      expect(providerDefaultTags(provider)).toEqual({
        Project: "tap-dr",
        Environment: "dev",
        StackMode: "production",
        ManagedBy: "pulumi",
        CostCenter: "payments",
      });
    }
  });
});

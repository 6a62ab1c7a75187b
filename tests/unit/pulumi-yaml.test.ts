import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { RawConfig, parseConfig } from "../../lib/config";

interface Declaration {
  type: "string" | "integer" | "boolean" | "array";
  default?: string | number | boolean | string[];
}
const project = parse(readFileSync(join(__dirname, "../../Pulumi.yaml"), "utf8")) as {
  name: string;
  config: Record<string, Declaration>;
};

describe("Pulumi.yaml config schema", () => {
  it("declares the project the program reads its config from", () => {
    expect(project.name).toBe("tap-dr");
  });

  it("declares every key loadConfig reads, and no other", () => {
    // RawConfig's keys, minus the maps and the list of maps (project schemas cannot declare maps).
    const read = Object.keys(parseConfigKeys()).filter(
      (key) => key !== "tags" && key !== "alarmThresholds" && key !== "policyWaivers",
    );
    expect(Object.keys(project.config).sort()).toEqual(read.sort());
  });

  it("gives every key but environmentSuffix a default: Pulumi refuses a stack that lacks a value for a key without one", () => {
    const withoutDefault = Object.entries(project.config)
      .filter(([, declaration]) => declaration.default === undefined)
      .map(([key]) => key);
    expect(withoutDefault).toEqual(["environmentSuffix"]);
  });

  it("states the same defaults the code applies, so `pulumi config` and parseConfig agree", () => {
    // Scalars reach the program as text; lists as parsed JSON (see readJson in lib/config.ts).
    const fromYaml: Record<string, string | string[]> = {
      environmentSuffix: "dev",
      domainName: "payments.example.com",
    };
    for (const [key, declaration] of Object.entries(project.config)) {
      const value = declaration.default;
      if (value !== undefined) fromYaml[key] = Array.isArray(value) ? value : String(value);
    }
    // A production stack (the default mode) needs a domain; it has no default.
    const domainName = "payments.example.com";
    expect(parseConfig({ ...fromYaml, domainName })).toEqual(
      parseConfig({ environmentSuffix: "dev", domainName }),
    );
  });
});

/** Every raw key, each set to a valid value, so the list is checked by the type. */
function parseConfigKeys(): Required<
  Omit<RawConfig, "tags" | "alarmThresholds" | "policyWaivers">
> & {
  tags: unknown;
  alarmThresholds: unknown;
  policyWaivers: unknown;
} {
  return {
    environmentSuffix: "dev",
    primaryRegion: "us-east-1",
    drRegion: "us-east-2",
    primaryVpcCidr: "10.0.0.0/16",
    drVpcCidr: "10.1.0.0/16",
    azCount: "3",
    natGateways: "none",
    mode: "test",
    protectResources: "false",
    tags: {},
    dbCapacity: "serverless",
    dbInstanceClass: "db.r6g.large",
    dbMinAcu: "2",
    dbMaxAcu: "16",
    primaryDbInstances: "2",
    drDbInstances: "1",
    dbRpoSeconds: "60",
    dbBackupRetentionDays: "7",
    dbSecretRotationDays: "30",
    backupDailyRetentionDays: "35",
    backupHourlyRetentionDays: "0",
    txlogsLockMode: "compliance",
    txlogsRetentionDays: "30",
    vaultLockMode: "compliance",
    vaultLockCoolingOffDays: "7",
    appTier: "lambda",
    apiReservedConcurrency: "50",
    workerReservedConcurrency: "10",
    albIngressCidrs: ["0.0.0.0/0"],
    appInstanceType: "t4g.small",
    primaryAppCapacity: "2/2/6",
    drAppCapacity: "1/1/6",
    domainName: "payments.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    routingPolicy: "failover",
    dnsRecordType: "cname",
    dnsTtlSeconds: "15",
    healthCheckFailureThreshold: "3",
    primaryTrafficWeight: "100",
    drTrafficWeight: "0",
    failoverMode: "notify",
    failoverWindowMinutes: "3",
    alertEmail: "oncall@example.com",
    alarmThresholds: { replicationLagMs: 5000 },
    metricStreams: "false",
    accountId: "123456789012",
    primaryAvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    drAvailabilityZones: ["us-east-2a", "us-east-2b", "us-east-2c"],
    unreachableRegion: "us-east-1",
    policyWaivers: [
      { rule: "TAP-S3-5", resource: "tap-*-data-documents", reason: "written down in the test" },
    ],
  };
}

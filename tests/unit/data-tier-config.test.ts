import { ConfigError, RawConfig, parseConfig } from "../../lib/config";

const problemsOf = (raw: Omit<RawConfig, "environmentSuffix">): readonly string[] => {
  try {
    parseConfig({ environmentSuffix: "dev", domainName: "payments.example.com", ...raw });
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error("parseConfig accepted the config");
};

describe("data-tier config", () => {
  it("accepts a provisioned, pilot-light, managed-RPO configuration", () => {
    const config = parseConfig({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      dbCapacity: "provisioned",
      dbInstanceClass: "db.r7g.2xlarge",
      primaryDbInstances: "3",
      drDbInstances: "0",
      dbRpoSeconds: "20",
      dbBackupRetentionDays: "35",
      backupDailyRetentionDays: "90",
      backupHourlyRetentionDays: "2",
    });
    expect(config.database).toEqual({
      capacity: "provisioned",
      instanceClass: "db.r7g.2xlarge",
      minAcu: 2,
      maxAcu: 16,
      primaryInstances: 3,
      drInstances: 0,
      rpoSeconds: 20,
      backupRetentionDays: 35,
      secretRotationDays: 30,
    });
    expect(config.backup).toEqual({ dailyRetentionDays: 90, hourlyRetentionDays: 2 });
  });

  it("accepts half-ACU steps from 0.5 to 256", () => {
    const { database } = parseConfig({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      dbMinAcu: "0.5",
      dbMaxAcu: "256",
    });
    expect([database.minAcu, database.maxAcu]).toEqual([0.5, 256]);
  });

  it("accepts the largest clusters that can swap roles with one secondary region: 15 in each", () => {
    const { database } = parseConfig({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      primaryDbInstances: "15",
      drDbInstances: "15",
    });
    expect([database.primaryInstances, database.drInstances]).toEqual([15, 15]);
  });

  it.each([
    [
      { dbMinAcu: "0" },
      'dbMinAcu: "0" is not allowed; use 0.5 to 256 ACU in steps of 0.5 (a global database never pauses, so 0 is not allowed)',
    ],
    [
      { dbMaxAcu: "300" },
      'dbMaxAcu: "300" is not allowed; use 0.5 to 256 ACU in steps of 0.5 (a global database never pauses, so 0 is not allowed)',
    ],
    [
      { dbMinAcu: "1.25" },
      'dbMinAcu: "1.25" is not allowed; use 0.5 to 256 ACU in steps of 0.5 (a global database never pauses, so 0 is not allowed)',
    ],
    [
      { dbMinAcu: "8", dbMaxAcu: "4" },
      'dbMaxAcu: "4" is below dbMinAcu "8"; the maximum must be at least the minimum',
    ],
    [
      { dbCapacity: "aurora-v1" },
      'dbCapacity: "aurora-v1" is not allowed; use one of serverless, provisioned',
    ],
    [
      { dbInstanceClass: "db.t4g.medium" },
      'dbInstanceClass: "db.t4g.medium" is not allowed; Aurora global databases need a memory-optimized class such as db.r6g.large, db.r7g.xlarge or db.r8g.2xlarge (db.t* is not supported)',
    ],
    [
      { primaryDbInstances: "0" },
      'primaryDbInstances: "0" is not allowed; use a whole number from 1 to 15 (the writer plus up to 14 readers: a global database\'s primary cluster may have 15 - s readers, s = secondary regions, here 1)',
    ],
    [
      { primaryDbInstances: "16" },
      'primaryDbInstances: "16" is not allowed; use a whole number from 1 to 15 (the writer plus up to 14 readers: a global database\'s primary cluster may have 15 - s readers, s = secondary regions, here 1)',
    ],
    [
      { drDbInstances: "16" },
      'drDbInstances: "16" is not allowed; use a whole number from 0 to 15 (0 is a headless pilot-light secondary; at most the primary\'s limit, since a failover makes it the primary)',
    ],
    [
      { dbRpoSeconds: "10" },
      'dbRpoSeconds: "10" is not allowed; use 0 (managed RPO off) or a whole number from 20 to 2147483647 (the range of rds.global_db_rpo)',
    ],
    [
      { dbBackupRetentionDays: "0" },
      `dbBackupRetentionDays: "0" is not allowed; use a whole number from 1 to 35 (Aurora's automated backup limit)`,
    ],
    [
      { dbSecretRotationDays: "0" },
      'dbSecretRotationDays: "0" is not allowed; use a whole number from 1 to 90 (days between rotations of the master secret)',
    ],
    [
      { dbSecretRotationDays: "91" },
      'dbSecretRotationDays: "91" is not allowed; use a whole number from 1 to 90 (days between rotations of the master secret)',
    ],
    [
      { dbSecretRotationDays: "7.5" },
      'dbSecretRotationDays: "7.5" is not allowed; use a whole number from 1 to 90 (days between rotations of the master secret)',
    ],
    [
      { backupDailyRetentionDays: "seven" },
      'backupDailyRetentionDays: "seven" is not allowed; use a whole number from 1 to 3650',
    ],
    [
      { backupHourlyRetentionDays: "36" },
      'backupHourlyRetentionDays: "36" is not allowed; use a whole number from 0 to 35 (0 turns hourly backups off)',
    ],
  ])("rejects %j with an exact message", (raw, message) => {
    expect(problemsOf(raw)).toEqual([message]);
  });

  it.each([
    [undefined, 30],
    ["1", 1],
    ["90", 90],
  ])("reads dbSecretRotationDays %j as a rotation every %i days", (value, days) => {
    expect(
      parseConfig({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        dbSecretRotationDays: value,
      }).database.secretRotationDays,
    ).toBe(days);
  });

  it("reads dbRpoSeconds 0 (the default) as managed RPO off", () => {
    expect(
      parseConfig({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        dbRpoSeconds: "0",
      }).database.rpoSeconds,
    ).toBe(undefined);
    expect(
      parseConfig({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        dbRpoSeconds: "20",
      }).database.rpoSeconds,
    ).toBe(20);
  });

  it("checks the ACU range only once both ends are valid", () => {
    expect(problemsOf({ dbMinAcu: "0", dbMaxAcu: "0.5" })).toHaveLength(1);
  });
});

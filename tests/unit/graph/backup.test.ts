import { Graph, asArray, policyOf, regionOfArn, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const PLAN = "aws:backup/plan:Plan";
const VAULT = "aws:backup/vault:Vault";

interface Rule {
  ruleName: string;
  startWindow: number;
  completionWindow: number;
  targetVaultName: string;
  schedule: string;
  lifecycle: { deleteAfter: number; coldStorageAfter?: number };
  copyActions?: { destinationVaultArn: string; lifecycle: { deleteAfter: number } }[];
}

describe.each([
  ["test", true, false],
  ["production", false, true],
])("AWS Backup in %s mode, defaults", (mode, forceDestroy, retained) => {
  let graph: Graph;
  let rules: Rule[];
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ environmentSuffix: "dev", domainName: "payments.example.com", mode }),
    );
    rules = graph.ofType(PLAN).flatMap((plan) => plan.inputs.rules as Rule[]);
  });

  it(`has one vault per region under that region's key; ${forceDestroy ? "force-destroyed" : "retained"} on destroy`, () => {
    const vaults = graph.ofType(VAULT);
    expect(vaults.map((vault) => vault.region).sort()).toEqual(["us-east-1", "us-east-2"]);
    for (const vault of vaults) {
      const key = graph.byArn(vault.inputs.kmsKeyArn);
      // Aurora copies fail into a vault under aws/backup; a customer-managed key in the vault's region works.
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", vault.region]);
      expect(vault.inputs.forceDestroy).toBe(forceDestroy);
      expect(vault.retainOnDelete).toBe(retained);
    }
  });

  const PEER: Record<string, string> = { "us-east-1": "us-east-2", "us-east-2": "us-east-1" };
  const planIn = (region: string): CapturedResource => {
    const plans = graph.ofType(PLAN).filter((plan) => plan.region === region);
    expect([region, plans.length]).toEqual([region, 1]);
    return plans[0];
  };

  it("runs one plan in each region, writing to that region's vault", () => {
    expect(
      graph
        .ofType(PLAN)
        .map((plan) => plan.region)
        .sort(),
    ).toEqual(["us-east-1", "us-east-2"]);
    for (const region of ["us-east-1", "us-east-2"]) {
      const vault = graph.ofType(VAULT).find((v) => v.region === region) as CapturedResource;
      for (const rule of planIn(region).inputs.rules as Rule[]) {
        expect(rule.targetVaultName).toBe(vault.inputs.name);
      }
    }
  });

  it.each(["us-east-1", "us-east-2"])(
    "backs up daily in %s for 35 days and copies each recovery point to the other region's vault, under that region's key",
    (region) => {
      const regionRules = planIn(region).inputs.rules as Rule[];
      expect(regionRules.map((rule) => rule.ruleName)).toEqual(["daily-with-cross-region-copy"]);
      const [daily] = regionRules;
      expect(daily.schedule).toBe("cron(0 5 ? * * *)");
      expect(daily.lifecycle).toEqual({ deleteAfter: 35 });
      const [copy] = daily.copyActions ?? [];
      const destination = graph.byArn(copy.destinationVaultArn);
      expect([destination.type, destination.region]).toEqual([VAULT, PEER[region]]);
      const key = graph.byArn(destination.inputs.kmsKeyArn);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", PEER[region]]);
      expect(copy.lifecycle).toEqual({ deleteAfter: 35 });
    },
  );

  it.each(["us-east-1", "us-east-2"])(
    "selects the %s Aurora cluster and table replica, through a role of that region AWS Backup can assume",
    (region) => {
      const plan = planIn(region);
      const selections = graph
        .ofType("aws:backup/selection:Selection")
        .filter((s) => s.inputs.planId === `${plan.name}-id`);
      expect(selections).toHaveLength(1);
      const [selection] = selections;
      expect(selection.region).toBe(region);
      const [clusterArn, tableArn] = selection.inputs.resources as string[];
      const cluster = graph.byArn(clusterArn);
      expect([cluster.type, cluster.region]).toEqual(["aws:rds/cluster:Cluster", region]);
      // The table replica's ARN: the global table's name in this region (a replica has the
      // table's name; AWS Backup backs up a replica as a table of its region).
      const [table] = graph
        .ofType("aws:dynamodb/table:Table")
        .filter((t) => asArray(t.inputs.replicas).length > 0);
      expect(tableArn).toBe(
        `arn:aws:dynamodb:${region}:123456789012:table/${String(table.inputs.name)}`,
      );
      const role = graph.byArn(selection.inputs.iamRoleArn);
      expect(role.inputs.name).toMatch(region === "us-east-1" ? /-use1$/ : /-use2$/);
      expect(policyOf(role, "assumeRolePolicy").Statement[0].Principal).toEqual({
        Service: "backup.amazonaws.com",
      });
      const attachments = graph
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((a) => a.inputs.role === role.inputs.name);
      // The AWS managed service-role policies: AWS Backup's documented least privilege for
      // backing up and restoring the supported resource types.
      expect(attachments.map((a) => str(a, "policyArn")).sort()).toEqual([
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
      ]);
      for (const attachment of attachments) {
        expect(graph.dependsOn(selection, attachment)).toBe(true);
      }
    },
  );

  it("never sets cold storage, so AWS's deleteAfter >= coldStorageAfter + 90 rule cannot bite", () => {
    for (const rule of rules) {
      expect(rule.lifecycle.coldStorageAfter).toBeUndefined();
    }
  });
});

describe("AWS Backup with hourly backups and longer retention", () => {
  it("adds an hourly rule kept locally for the configured days, and keeps daily copies as configured", async () => {
    const graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        backupDailyRetentionDays: "90",
        backupHourlyRetentionDays: "2",
      }),
    );
    const rules = graph.ofType(PLAN).find((plan) => plan.region === "us-east-1")?.inputs
      .rules as Rule[];
    expect(rules.map((rule) => [rule.ruleName, rule.schedule, rule.lifecycle.deleteAfter])).toEqual(
      [
        ["daily-with-cross-region-copy", "cron(0 5 ? * * *)", 90],
        ["hourly", "cron(0 * ? * * *)", 2],
      ],
    );
    expect(rules[0].copyActions?.[0].lifecycle.deleteAfter).toBe(90);
    expect(rules[1].copyActions).toBeUndefined();
    for (const rule of rules) {
      // AWS rejects a start window under 60 minutes; the completion window counts from the
      // scheduled time, so it must leave at least an hour after the start window.
      expect(rule.startWindow).toBeGreaterThanOrEqual(60);
      expect(rule.completionWindow).toBeGreaterThanOrEqual(rule.startWindow + 60);
    }
    expect(regionOfArn(rules[0].copyActions?.[0].destinationVaultArn)).toBe("us-east-2");
  });
});

const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";

describe.each<[string, Record<string, string>, Record<string, number> | undefined]>([
  ["test", {}, undefined],
  // Governance: no changeableForDays, so the lock stays removable.
  ["production", {}, { minRetentionDays: 35 }],
  [
    "production",
    {
      vaultLockMode: "compliance",
      vaultLockCoolingOffDays: "14",
      backupDailyRetentionDays: "90",
      backupHourlyRetentionDays: "2",
    },
    { minRetentionDays: 2, changeableForDays: 14 },
  ],
])("AWS Backup Vault Lock in %s mode with %j", (mode, config, expected) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode,
        ...config,
      }),
    );
  });

  it(
    expected === undefined
      ? "locks no vault, so destroy can still empty and delete both"
      : `locks both vaults with ${JSON.stringify(expected)} and no maximum retention`,
    () => {
      const locks = graph.ofType(VAULT_LOCK);
      if (expected === undefined) {
        expect(locks).toEqual([]);
        return;
      }
      const vaults = graph.ofType(VAULT);
      expect(locks.map((lock) => lock.region).sort()).toEqual(["us-east-1", "us-east-2"]);
      for (const lock of locks) {
        const vault = vaults.find((v) => v.region === lock.region) as CapturedResource;
        expect(lock.inputs.backupVaultName).toBe(vault.inputs.name);
        expect(lock.inputs).toEqual({ backupVaultName: vault.inputs.name, ...expected });
        expect(lock.retainOnDelete).toBe(true);
      }
      // The lock's minimum never exceeds any retention a plan writes into the vaults.
      for (const plan of graph.ofType(PLAN)) {
        for (const rule of plan.inputs.rules as Rule[]) {
          expect(rule.lifecycle.deleteAfter).toBeGreaterThanOrEqual(expected.minRetentionDays);
          for (const copy of rule.copyActions ?? []) {
            expect(copy.lifecycle.deleteAfter).toBeGreaterThanOrEqual(expected.minRetentionDays);
          }
        }
      }
    },
  );
});

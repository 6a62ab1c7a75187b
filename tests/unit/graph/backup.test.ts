import { Graph, policyOf, regionOfArn, str } from "../../support/graph";
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
    rules = graph.ofType(PLAN)[0].inputs.rules as Rule[];
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

  it("runs one plan, in the primary region, writing to the primary vault", () => {
    const plans = graph.ofType(PLAN);
    expect(plans).toHaveLength(1);
    expect(plans[0].region).toBe("us-east-1");
    const primaryVault = graph
      .ofType(VAULT)
      .find((v) => v.region === "us-east-1") as CapturedResource;
    for (const rule of rules) {
      expect(rule.targetVaultName).toBe(primaryVault.inputs.name);
    }
  });

  it("backs up daily for 35 days and copies each recovery point to the DR vault for as long", () => {
    expect(rules.map((rule) => rule.ruleName)).toEqual(["daily-with-dr-copy"]);
    const [daily] = rules;
    expect(daily.schedule).toBe("cron(0 5 ? * * *)");
    expect(daily.lifecycle).toEqual({ deleteAfter: 35 });
    const [copy] = daily.copyActions ?? [];
    const destination = graph.byArn(copy.destinationVaultArn);
    expect([destination.type, destination.region]).toEqual([VAULT, "us-east-2"]);
    expect(graph.byArn(destination.inputs.kmsKeyArn).region).toBe("us-east-2");
    expect(copy.lifecycle).toEqual({ deleteAfter: 35 });
  });

  it("selects the primary Aurora cluster and the DynamoDB table, through a role AWS Backup can assume", () => {
    const [selection] = graph.ofType("aws:backup/selection:Selection");
    expect(selection.region).toBe("us-east-1");
    const selected = (selection.inputs.resources as string[]).map((arn) => graph.byArn(arn));
    expect(selected.map((resource) => [resource.type, resource.region]).sort()).toEqual([
      ["aws:dynamodb/table:Table", "us-east-1"],
      ["aws:rds/cluster:Cluster", "us-east-1"],
    ]);
    const role = graph.byArn(selection.inputs.iamRoleArn);
    expect(policyOf(role, "assumeRolePolicy").Statement[0].Principal).toEqual({
      Service: "backup.amazonaws.com",
    });
    const attachments = graph
      .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((a) => a.inputs.role === role.inputs.name);
    expect(attachments.map((a) => str(a, "policyArn")).sort()).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    for (const attachment of attachments) {
      expect(graph.dependsOn(selection, attachment)).toBe(true);
    }
  });

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
    const rules = graph.ofType(PLAN)[0].inputs.rules as Rule[];
    expect(rules.map((rule) => [rule.ruleName, rule.schedule, rule.lifecycle.deleteAfter])).toEqual(
      [
        ["daily-with-dr-copy", "cron(0 5 ? * * *)", 90],
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

import { Graph, PolicyStatement, policyOf, str } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

const KEY = "aws:kms/key:Key";

describe.each([
  ["test", 7, false],
  ["production", 30, true],
])("KMS keys in %s mode", (mode, deletionWindow, retained) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ environmentSuffix: "dev", domainName: "payments.example.com", mode }),
    );
  });

  it("creates one rotating, single-region key per region", () => {
    const keys = graph.ofType(KEY);
    expect(keys.map((key) => key.region).sort()).toEqual(["us-east-1", "us-east-2"]);
    for (const key of keys) {
      expect(key.inputs.enableKeyRotation).toBe(true);
      expect(key.inputs.multiRegion).toBe(false);
    }
  });

  it(`waits ${deletionWindow} days before deletion and ${retained ? "retains" : "does not retain"} the key on destroy`, () => {
    for (const key of graph.ofType(KEY)) {
      expect(key.inputs.deletionWindowInDays).toBe(deletionWindow);
      expect(key.retainOnDelete).toBe(retained);
    }
  });

  it("writes each key's policy for its own region's service endpoints", () => {
    for (const key of graph.ofType(KEY)) {
      const statements = policyOf(key).Statement;
      const logs = statements.find(
        (s: PolicyStatement) => s.Sid === "CloudWatchLogsForStackLogGroups",
      );
      expect(logs?.Principal).toEqual({ Service: `logs.${key.region}.amazonaws.com` });
      const via = statements.find((s: PolicyStatement) => s.Sid === "UseThroughListedServicesOnly");
      const viaServices = via?.Condition?.StringEquals["kms:ViaService"] as string[];
      expect(viaServices.every((service) => service.endsWith(`.${key.region}.amazonaws.com`))).toBe(
        true,
      );
    }
  });

  it("names each key with a regional alias that targets it", () => {
    const aliases = graph.ofType("aws:kms/alias:Alias");
    expect(aliases.map((alias) => [alias.region, str(alias, "name")]).sort()).toEqual([
      ["us-east-1", "alias/tap-dev-data-use1"],
      ["us-east-2", "alias/tap-dev-data-use2"],
    ]);
    for (const alias of aliases) {
      expect(graph.byId(alias.inputs.targetKeyId).region).toBe(alias.region);
    }
  });

  it(`keeps flow logs ${mode === "production" ? "365" : "7"} days and ${retained ? "retains" : "drops"} them on destroy`, () => {
    for (const group of graph.ofType("aws:cloudwatch/logGroup:LogGroup")) {
      expect(group.inputs.retentionInDays).toBe(mode === "production" ? 365 : 7);
      expect(group.retainOnDelete).toBe(retained);
    }
  });
});

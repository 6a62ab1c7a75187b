import { formatSummary, summarizeByTypeAndRegion } from "../../support/graph-summary";
import { Graph } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

describe("resource summary per type and region", () => {
  it("counts every cloud resource once, in one of the stack's two regions", async () => {
    const graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
    const rows = summarizeByTypeAndRegion(graph.resources);
    if (process.env.PRINT_GRAPH_SUMMARY === "1") {
      console.log(formatSummary(rows));
    }
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(graph.cloudResources.length);
    expect(rows.filter((row) => row.region === "(ambient)")).toEqual([]);
    expect(new Set(rows.map((row) => row.region))).toEqual(new Set(["us-east-1", "us-east-2"]));
  });

  it("formats a table with a total line", () => {
    const table = formatSummary([
      { type: "aws:ec2/vpc:Vpc", region: "us-east-1", count: 1 },
      { type: "aws:ec2/vpc:Vpc", region: "us-east-2", count: 1 },
    ]);
    expect(table.split("\n")).toEqual([
      "type             region     count",
      "aws:ec2/vpc:Vpc  us-east-1      1",
      "aws:ec2/vpc:Vpc  us-east-2      1",
      "total                           2",
    ]);
  });
});

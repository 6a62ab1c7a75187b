import { formatSummary, summarizeByTypeAndRegion } from "../../support/graph-summary";
import { Graph } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

describe("resource summary per type and region", () => {
  it("counts every cloud resource once, in a named region, and the same per region", async () => {
    const graph = new Graph(await runProgram({ environmentSuffix: "dev", mode: "test" }));
    const rows = summarizeByTypeAndRegion(graph.resources);
    if (process.env.PRINT_GRAPH_SUMMARY === "1") {
      console.log(formatSummary(rows));
    }
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(graph.cloudResources.length);
    expect(rows.filter((row) => row.region === "(ambient)")).toEqual([]);
    // Both regions come from one implementation, so they hold the same resources.
    const perRegion = (region: string) =>
      rows.filter((row) => row.region === region).map((row) => [row.type, row.count]);
    const primary = perRegion("us-east-1");
    const dr = perRegion("us-east-2");
    const crossRegionTypes = [
      "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
      "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    ];
    const withoutPeeringEnds = (entries: (string | number)[][]) =>
      entries.filter(([type]) => !crossRegionTypes.includes(type as string));
    expect(withoutPeeringEnds(dr)).toEqual(withoutPeeringEnds(primary));
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

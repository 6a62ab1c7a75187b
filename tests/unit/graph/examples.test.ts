import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { Graph } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

/** An example stack file's tap-dr keys (without the namespace), as `pulumi config` would pass them. */
function exampleConfig(file: string): Record<string, unknown> {
  const { config } = parse(readFileSync(join(__dirname, "../../../examples", file), "utf8")) as {
    config: Record<string, unknown>;
  };
  return Object.fromEntries(
    Object.entries(config)
      .filter(([key]) => key.startsWith("tap-dr:"))
      .map(([key, value]) => [
        key.slice("tap-dr:".length),
        typeof value === "string" || typeof value === "number" || typeof value === "boolean"
          ? String(value)
          : value,
      ]),
  );
}

const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

describe("examples/ stack files", () => {
  it("dev-minimal deploys one primary instance, a headless DR cluster and 2 AZs, destroyable", async () => {
    const config = { environmentSuffix: "dev", ...exampleConfig("dev-minimal.yaml") };
    const graph = new Graph(await runProgram(config));
    const instancesIn = (region: string) =>
      graph.ofType(INSTANCE).filter((instance) => instance.region === region).length;
    expect([instancesIn("us-east-1"), instancesIn("us-east-2")]).toEqual([1, 0]);
    const privateSubnets = graph
      .ofType("aws:ec2/subnet:Subnet")
      .filter((subnet) => subnet.region === "us-east-1" && subnet.name.includes("private"));
    expect(privateSubnets).toHaveLength(2);
    expect(graph.resources.filter((resource) => resource.protect)).toEqual([]);
    expect(graph.ofType("aws:route53/zone:Zone")).toEqual([]);
  });

  it("warm-standby is a production config once its domain placeholders are replaced", async () => {
    const config = {
      ...exampleConfig("warm-standby.yaml"),
      environmentSuffix: "prod",
      domainName: "payments.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
    };
    const graph = new Graph(await runProgram(config));
    const instancesIn = (region: string) =>
      graph.ofType(INSTANCE).filter((instance) => instance.region === region).length;
    expect([instancesIn("us-east-1"), instancesIn("us-east-2")]).toEqual([2, 1]);
    expect(graph.ofType(INSTANCE).every((instance) => instance.protect)).toBe(true);
    expect(graph.ofType("aws:route53/healthCheck:HealthCheck")).toHaveLength(2);
  });

  it("warm-standby refuses to deploy with its placeholders left in", async () => {
    await expect(
      runProgram({ environmentSuffix: "prod", ...exampleConfig("warm-standby.yaml") }),
    ).rejects.toThrow('domainName: "<your domain>" is not a domain name');
  });
});

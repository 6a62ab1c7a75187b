import { regionFindings } from "../../../tools/graph/deployability";
import { Graph } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

// The same instance count in both regions, so only the primary's role shows in the comparison below.
const CONFIG = {
  environmentSuffix: "dev",
  domainName: "payments.example.com",
  primaryRegion: "eu-west-1",
  drRegion: "eu-central-1",
  primaryDbInstances: "2",
  drDbInstances: "2",
};
/**
 * What only the primary role adds: the global cluster it creates, the master password it owns,
 * and the API's public zone (created here because this config names no existing zone).
 */
const PRIMARY_ONLY_TYPES = [
  "tap:data:GlobalDatabase",
  "aws:rds/globalCluster:GlobalCluster",
  "random:index/randomPassword:RandomPassword",
  "tap:dns:PublicHostedZone",
  "aws:route53/zone:Zone",
];
/** The secret rotation function: a component the primary alone builds, with its whole subtree. */
const PRIMARY_ONLY_COMPONENT = "tap:data:SecretRotationFunction";
let graph: Graph;

beforeAll(async () => {
  graph = new Graph(await runProgram(CONFIG));
});

describe("component tree", () => {
  it("has one TapStack whose children are PrimaryRegion, DrRegion and GlobalResources", () => {
    const [root] = graph.ofType("tap:index:TapStack");
    expect(graph.ofType("tap:index:TapStack")).toHaveLength(1);
    const children = graph.resources
      .filter((resource) => resource.parent === root.urn)
      .map((resource) => resource.type)
      .sort();
    expect(children).toEqual([
      "tap:global:GlobalResources",
      "tap:region:DrRegion",
      "tap:region:PrimaryRegion",
    ]);
  });

  it("gives each region component its own provider in its own region", () => {
    const regionOfOwnProvider = (componentType: string): string[] => {
      const [component] = graph.ofType(componentType);
      return graph
        .ofType("pulumi:providers:aws")
        .filter((provider) => provider.parent === component.urn)
        .map((provider) => provider.region);
    };
    expect(regionOfOwnProvider("tap:region:PrimaryRegion")).toEqual(["eu-west-1"]);
    expect(regionOfOwnProvider("tap:region:DrRegion")).toEqual(["eu-central-1"]);
    expect(regionOfOwnProvider("tap:global:GlobalResources").sort()).toEqual([
      "eu-central-1",
      "eu-west-1",
    ]);
  });

  it("creates no cloud resource on the ambient (default) provider", () => {
    const ambient = graph.cloudResources.filter((resource) => resource.region === "");
    expect(ambient.map((resource) => `${resource.type} ${resource.name}`)).toEqual([]);
    // The placement checks `npm run plan` runs (tools/graph/deployability.ts) agree.
    expect(
      regionFindings(graph.run, { primaryRegion: "eu-west-1", drRegion: "eu-central-1" }),
    ).toEqual([]);
    expect(graph.cloudResources.length).toBeGreaterThan(100);
  });

  it.each([
    ["tap:region:PrimaryRegion", "eu-west-1"],
    ["tap:region:DrRegion", "eu-central-1"],
  ])("puts every cloud resource under %s in %s", (componentType, region) => {
    const resources = graph
      .descendantsOfComponent(componentType)
      .filter((r) => r.custom && !r.type.startsWith("random:"));
    expect(resources.length).toBeGreaterThan(40);
    const elsewhere = resources.filter((resource) => resource.region !== region);
    expect(elsewhere.map((resource) => `${resource.name} in ${resource.region}`)).toEqual([]);
  });

  it("runs every lookup through a regional provider, and the AZ lookup once in each region", () => {
    expect(graph.run.lookups.filter((lookup) => lookup.region === "")).toEqual([]);
    const azLookups = graph.run.lookups
      .filter((lookup) => lookup.token === "aws:index/getAvailabilityZones:getAvailabilityZones")
      .map((lookup) => lookup.region)
      .sort();
    expect(azLookups).toEqual(["eu-central-1", "eu-west-1"]);
  });

  it("builds both regions from the same building blocks (one implementation)", () => {
    // The master secret's rotation function runs in the primary region only (its whole subtree,
    // and the region's alarms on it).
    const rotation = new Set(
      [
        ...graph.descendantsOfComponent(PRIMARY_ONLY_COMPONENT),
        ...graph
          .ofType("aws:cloudwatch/metricAlarm:MetricAlarm")
          .filter((alarm) =>
            String(
              (alarm.inputs.dimensions as Record<string, unknown> | undefined)?.FunctionName,
            ).includes("-db-rotation-"),
          ),
      ].map((resource) => resource.urn),
    );
    const blockTypes = (componentType: string) =>
      graph
        .descendantsOfComponent(componentType)
        .filter((resource) => !rotation.has(resource.urn))
        .map((resource) => resource.type)
        .filter((type) => type !== PRIMARY_ONLY_COMPONENT)
        .filter((type) => !PRIMARY_ONLY_TYPES.includes(type))
        .sort();
    expect(blockTypes("tap:region:DrRegion")).toEqual(blockTypes("tap:region:PrimaryRegion"));
    expect(blockTypes("tap:region:DrRegion")).toContain("aws:rds/cluster:Cluster");
  });

  it("creates the global cluster and the master password in PrimaryRegion only", () => {
    for (const type of [...PRIMARY_ONLY_TYPES, PRIMARY_ONLY_COMPONENT]) {
      const [resource] = graph.ofType(type);
      expect(graph.ofType(type)).toHaveLength(1);
      expect(graph.ancestorsOf(resource).map((ancestor) => ancestor.type)).toContain(
        "tap:region:PrimaryRegion",
      );
    }
  });
});

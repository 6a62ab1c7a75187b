/**
 * Pulumi during a regional outage: with the primary region unreachable, an update of the DR
 * region must still plan, and must leave the primary region's resources as they are.
 */
import { TEST_ACCOUNT_ID, availabilityZones } from "../../support/aws-mocks";
import { Graph, isCloudResource } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const BASE = { environmentSuffix: "dev", domainName: "payments.example.com" } as const;
const PRIMARY = "us-east-1";
const DR = "us-east-2";
/** What the first deploy chose, as its outputs report it: pinned by the operator. */
const PINS = {
  accountId: TEST_ACCOUNT_ID,
  primaryAvailabilityZones: availabilityZones(PRIMARY).slice(0, 3),
  drAvailabilityZones: availabilityZones(DR).slice(0, 3),
};
/** The DR-side change the outage calls for: a headless DR cluster gets two instances. */
const DR_SCALE_UP = { drDbInstances: "2" };

const inRegion = (graph: Graph, region: string): CapturedResource[] =>
  graph.cloudResources.filter((resource) => resource.region === region);
const awsProviders = (graph: Graph, region: string): CapturedResource[] =>
  graph.ofType("pulumi:providers:aws").filter((provider) => provider.inputs.region === region);

describe("Pulumi during a regional outage", () => {
  it("needs the pins: without them the program looks the account and AZs up in the primary region", async () => {
    // GIVEN no pins WHEN the program runs THEN it calls the primary region, which an outage fails
    const { lookups } = await runProgram({ ...BASE, ...DR_SCALE_UP });
    const primaryLookups = lookups
      .filter((lookup) => lookup.region === PRIMARY)
      .map((lookup) => lookup.token);
    expect(new Set(primaryLookups)).toEqual(
      new Set([
        "aws:index/getCallerIdentity:getCallerIdentity",
        "aws:index/getAvailabilityZones:getAvailabilityZones",
      ]),
    );
  });

  describe("with the account and AZs pinned and unreachableRegion set", () => {
    let outage: Graph;
    let normal: Graph;
    beforeAll(async () => {
      outage = new Graph(
        await runProgram(
          { ...BASE, ...PINS, ...DR_SCALE_UP, unreachableRegion: PRIMARY },
          { unreachableRegion: PRIMARY },
        ),
      );
      normal = new Graph(await runProgram({ ...BASE, ...DR_SCALE_UP }));
    });

    it("plans the DR-side update while every call to the primary region fails", () => {
      expect(outage.run.lookups.filter((lookup) => lookup.region === PRIMARY)).toEqual([]);
      const drInstances = outage
        .ofType("aws:rds/clusterInstance:ClusterInstance")
        .filter((instance) => instance.region === DR);
      expect(drInstances).toHaveLength(2);
    });

    it("plans the primary region's resources exactly as the normal run does, so nothing there changes", () => {
      const inputsByUrn = (graph: Graph) =>
        new Map(inRegion(graph, PRIMARY).map((resource) => [resource.urn, resource.inputs]));
      const during = inputsByUrn(outage);
      const before = inputsByUrn(normal);
      expect([...during.keys()].sort()).toEqual([...before.keys()].sort());
      const changed = [...during].filter(
        ([urn, inputs]) => JSON.stringify(inputs) !== JSON.stringify(before.get(urn)),
      );
      expect(changed.map(([urn]) => urn)).toEqual([]);
      expect(inRegion(outage, PRIMARY).length).toBeGreaterThan(100);
    });

    it("configures the primary region's providers to make no STS call, and only those", () => {
      const primaryProviders = awsProviders(outage, PRIMARY);
      expect(primaryProviders.length).toBeGreaterThanOrEqual(2);
      for (const provider of primaryProviders) {
        // Provider inputs reach the engine as text.
        expect([provider.name, provider.inputs.skipCredentialsValidation]).toEqual([
          provider.name,
          "true",
        ]);
        expect(provider.inputs.skipRequestingAccountId).toBe("true");
      }
      // The provider's own default ("false"): the surviving region validates its credentials.
      for (const provider of awsProviders(outage, DR)) {
        expect([provider.name, provider.inputs.skipCredentialsValidation]).toEqual([
          provider.name,
          "false",
        ]);
      }
    });

    it("puts the pinned AZs on the subnets, as the lookup did", () => {
      const zonesOf = (graph: Graph) =>
        graph
          .ofType("aws:ec2/subnet:Subnet")
          .filter(isCloudResource)
          .map((subnet) => `${subnet.name}=${String(subnet.inputs.availabilityZone)}`)
          .sort();
      expect(zonesOf(outage)).toEqual(zonesOf(normal));
    });
  });
});

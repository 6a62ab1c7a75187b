import { Graph, str } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

const CONFIG = {
  environmentSuffix: "dev",
  domainName: "payments.example.com",
  primaryRegion: "us-west-2",
  drRegion: "us-east-2",
  azCount: "2",
};
let graph: Graph;

beforeAll(async () => {
  graph = new Graph(await runProgram(CONFIG));
});

describe("cross-region VPC peering", () => {
  it("is requested from the primary region's VPC, naming the DR region and DR VPC", () => {
    const [connection] = graph.ofType("aws:ec2/vpcPeeringConnection:VpcPeeringConnection");
    expect(connection.region).toBe("us-west-2");
    expect(graph.byId(connection.inputs.vpcId).region).toBe("us-west-2");
    expect(connection.inputs.peerRegion).toBe("us-east-2");
    const peerVpc = graph.byId(connection.inputs.peerVpcId);
    expect([peerVpc.type, peerVpc.region]).toEqual(["aws:ec2/vpc:Vpc", "us-east-2"]);
    // AWS rejects autoAccept on a cross-region request.
    expect(connection.inputs.autoAccept).toBeUndefined();
  });

  it("is accepted in the DR region", () => {
    const [accepter] = graph.ofType(
      "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    );
    expect(accepter.region).toBe("us-east-2");
    expect(accepter.inputs.autoAccept).toBe(true);
    expect(graph.byId(accepter.inputs.vpcPeeringConnectionId).type).toBe(
      "aws:ec2/vpcPeeringConnection:VpcPeeringConnection",
    );
  });

  it("turns on DNS resolution for each side in that side's own region, after acceptance", () => {
    const options = graph.ofType("aws:ec2/peeringConnectionOptions:PeeringConnectionOptions");
    const [accepter] = graph.ofType(
      "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
    );
    const sides = options
      .map((option) => ({
        region: option.region,
        requester: option.inputs.requester,
        accepter: option.inputs.accepter,
        afterAcceptance: graph.dependsOn(option, accepter),
      }))
      .sort((a, b) => a.region.localeCompare(b.region));
    expect(sides).toEqual([
      {
        region: "us-east-2",
        requester: undefined,
        accepter: { allowRemoteVpcDnsResolution: true },
        afterAcceptance: true,
      },
      {
        region: "us-west-2",
        requester: { allowRemoteVpcDnsResolution: true },
        accepter: undefined,
        afterAcceptance: true,
      },
    ]);
  });

  it.each([
    ["us-west-2", "10.1.0.0/16"],
    ["us-east-2", "10.0.0.0/16"],
  ])(
    "in %s, routes the peer CIDR %s through the peering from every private and isolated table",
    (region, peerCidr) => {
      const [accepter] = graph.ofType(
        "aws:ec2/vpcPeeringConnectionAccepter:VpcPeeringConnectionAccepter",
      );
      const peeringRoutes = graph
        .ofType("aws:ec2/route:Route")
        .filter((route) => route.inputs.vpcPeeringConnectionId !== undefined)
        .filter((route) => route.region === region);
      const tablesWithRoute = peeringRoutes.map((route) => graph.byId(route.inputs.routeTableId));
      const internalTables = graph
        .ofType("aws:ec2/routeTable:RouteTable")
        .filter((table) => table.region === region && !table.name.endsWith("public-rt"));
      expect(internalTables).toHaveLength(4);
      expect(tablesWithRoute.map((table) => table.name).sort()).toEqual(
        internalTables.map((table) => table.name).sort(),
      );
      for (const route of peeringRoutes) {
        expect(str(route, "destinationCidrBlock")).toBe(peerCidr);
        expect(graph.dependsOn(route, accepter)).toBe(true);
      }
    },
  );
});

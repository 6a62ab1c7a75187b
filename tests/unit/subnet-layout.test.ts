import {
  MAX_AZ_COUNT,
  planSubnets,
  selectAvailabilityZones,
} from "../../lib/network/subnet-layout";
import { cidrContains, cidrsOverlap, formatCidr, parseCidr, subdivide } from "../../lib/util/cidr";

const parsed = (text: string) => {
  const cidr = parseCidr(text);
  if (!cidr) throw new Error(`bad test CIDR ${text}`);
  return cidr;
};

describe("CIDR math", () => {
  it.each([
    ["10.0.0.0/16", 4, 0, "10.0.0.0/20"],
    ["10.0.0.0/16", 4, 15, "10.0.240.0/20"],
    ["192.168.0.0/24", 4, 11, "192.168.0.176/28"],
  ])("block %s split by %i bits, index %i, is %s", (parent, bits, index, expected) => {
    expect(formatCidr(subdivide(parsed(parent), bits, index))).toBe(expected);
  });

  it("refuses a block index outside the split", () => {
    expect(() => subdivide(parsed("10.0.0.0/16"), 4, 16)).toThrow(
      "cannot take block 16 of 10.0.0.0/16 split by 4 bits",
    );
  });

  it.each([
    ["10.0.0.0/16", "10.1.0.0/16", false],
    ["10.0.0.0/16", "10.0.255.0/24", true],
    ["10.0.0.0/8", "10.200.0.0/16", true],
    ["172.16.0.0/12", "172.32.0.0/16", false],
  ])("%s overlaps %s: %s", (a, b, overlap) => {
    expect(cidrsOverlap(parsed(a), parsed(b))).toBe(overlap);
    expect(cidrsOverlap(parsed(b), parsed(a))).toBe(overlap);
  });
});

describe("planSubnets", () => {
  it("lays out public, private and isolated /20s per AZ in a /16", () => {
    expect(planSubnets("10.0.0.0/16", 3)).toEqual([
      { tier: "public", azIndex: 0, cidr: "10.0.0.0/20" },
      { tier: "public", azIndex: 1, cidr: "10.0.16.0/20" },
      { tier: "public", azIndex: 2, cidr: "10.0.32.0/20" },
      { tier: "private", azIndex: 0, cidr: "10.0.64.0/20" },
      { tier: "private", azIndex: 1, cidr: "10.0.80.0/20" },
      { tier: "private", azIndex: 2, cidr: "10.0.96.0/20" },
      { tier: "isolated", azIndex: 0, cidr: "10.0.128.0/20" },
      { tier: "isolated", azIndex: 1, cidr: "10.0.144.0/20" },
      { tier: "isolated", azIndex: 2, cidr: "10.0.160.0/20" },
    ]);
  });

  it("keeps every existing subnet's CIDR when azCount grows, so no subnet is replaced", () => {
    const two = planSubnets("10.1.0.0/16", 2);
    const four = planSubnets("10.1.0.0/16", MAX_AZ_COUNT);
    for (const subnet of two) {
      expect(four).toContainEqual(subnet);
    }
  });

  it.each(["10.0.0.0/16", "172.16.0.0/20", "192.168.10.0/24"])(
    "in %s, every subnet lies in the VPC, none overlap, and each is at least AWS's /28",
    (vpcText) => {
      const vpc = parsed(vpcText);
      const subnets = planSubnets(vpcText, MAX_AZ_COUNT).map((subnet) => parsed(subnet.cidr));
      expect(subnets).toHaveLength(3 * MAX_AZ_COUNT);
      subnets.forEach((subnet, i) => {
        expect(cidrContains(vpc, subnet)).toBe(true);
        expect(subnet.prefix).toBeLessThanOrEqual(28);
        subnets.slice(i + 1).forEach((other) => expect(cidrsOverlap(subnet, other)).toBe(false));
      });
    },
  );

  it("refuses an azCount the layout has no slots for", () => {
    expect(() => planSubnets("10.0.0.0/16", 5)).toThrow("azCount must be 2 to 4, got 5");
  });
});

describe("selectAvailabilityZones", () => {
  it("takes the region's first azCount AZs", () => {
    expect(
      selectAvailabilityZones("us-east-1", ["us-east-1a", "us-east-1b", "us-east-1c"], 2),
    ).toEqual(["us-east-1a", "us-east-1b"]);
  });

  it("fails with azCount, the region and its AZs when the region has too few", () => {
    // us-west-1 offers two AZs to new accounts.
    expect(() => selectAvailabilityZones("us-west-1", ["us-west-1a", "us-west-1c"], 3)).toThrow(
      "azCount: 3 AZs requested but us-west-1 has only 2 available (us-west-1a, us-west-1c); lower azCount",
    );
  });
});

import { LookupPins, RawLookupPins, parseLookupPins } from "../../lib/region/lookup-pins";

const CONTEXT: Parameters<typeof parseLookupPins>[1] = {
  primaryRegion: "us-east-1",
  drRegion: "us-east-2",
  azCount: 3,
  allowedAccountIds: undefined,
};
const parse = (
  raw: RawLookupPins,
  context: Partial<Parameters<typeof parseLookupPins>[1]> = {},
): { pins: LookupPins; problems: string[] } => {
  const problems: string[] = [];
  return { pins: parseLookupPins(raw, { ...CONTEXT, ...context }, problems), problems };
};
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

describe("parseLookupPins", () => {
  it("pins nothing by default, so the first deploy looks everything up", () => {
    expect(parse({ accountId: "", primaryAvailabilityZones: [], unreachableRegion: "" })).toEqual({
      pins: { accountId: undefined, availabilityZones: {}, unreachableRegion: undefined },
      problems: [],
    });
  });

  it("accepts an outage config: the account, the unreachable region's AZs, and the region", () => {
    const { pins, problems } = parse({
      accountId: "123456789012",
      primaryAvailabilityZones: ZONES,
      unreachableRegion: "us-east-1",
    });
    expect(problems).toEqual([]);
    expect(pins).toEqual({
      accountId: "123456789012",
      availabilityZones: { "us-east-1": ZONES },
      unreachableRegion: "us-east-1",
    });
  });

  it("requires the account and that region's AZs while a region is unreachable", () => {
    expect(parse({ unreachableRegion: "us-east-2" }).problems).toEqual([
      'accountId: is required while unreachableRegion is set ("us-east-2"); set it to the stack output accountId',
      'drAvailabilityZones: is required while unreachableRegion is set ("us-east-2"); set it to the stack output drAvailabilityZones',
    ]);
  });

  it("refuses AZs of another region, duplicates, too few for azCount, and a foreign region", () => {
    const { problems } = parse({
      accountId: "12345",
      primaryAvailabilityZones: ["us-east-1a", "us-east-2b", "us-east-1a"],
      drAvailabilityZones: "us-east-2a",
      unreachableRegion: "eu-west-1",
    });
    expect(problems).toEqual([
      'accountId: "12345" is not an AWS account id; use the 12 digits of the deploying account',
      'primaryAvailabilityZones: "us-east-2b" is not an AZ of us-east-1; use names such as us-east-1a',
      'primaryAvailabilityZones: ["us-east-1a","us-east-2b","us-east-1a"] names an AZ twice; each subnet tier needs distinct AZs',
      `drAvailabilityZones: "us-east-2a" is not a list of AZ names; set it from the stack output of the same name, for example \`pulumi config set --path 'drAvailabilityZones[0]' us-east-2a\``,
      'unreachableRegion: "eu-west-1" is not one of the stack\'s regions; use us-east-1 or us-east-2, or leave it empty',
    ]);
    expect(parse({ primaryAvailabilityZones: ["us-east-1a", "us-east-1b"] }).problems).toEqual([
      'primaryAvailabilityZones: ["us-east-1a","us-east-1b"] has 2 AZs but azCount is 3; list at least 3 (the subnets\' AZs, in order, from the stack output primaryAvailabilityZones)',
    ]);
  });

  it("refuses an account the provider would refuse", () => {
    expect(
      parse({ accountId: "123456789012" }, { allowedAccountIds: ["210987654321"] }).problems,
    ).toEqual([
      'accountId: "123456789012" is not among aws:allowedAccountIds (210987654321); pin the account the stack deploys to',
    ]);
  });
});

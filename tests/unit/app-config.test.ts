import { ConfigError, RawConfig, parseConfig } from "../../lib/config";

/** A production stack needs a domain; every case starts from the smallest one that parses. */
const PRODUCTION = { environmentSuffix: "dev", domainName: "payments.example.com" } as const;

const problemsOf = (raw: Omit<RawConfig, "environmentSuffix">): readonly string[] => {
  try {
    parseConfig({ ...PRODUCTION, ...raw });
  } catch (error) {
    if (error instanceof ConfigError) {
      return error.problems;
    }
    throw error;
  }
  throw new Error("parseConfig accepted the config");
};

const CONCURRENCY_RANGE =
  "use a whole number from 0 to 900 (0 reserves none; Lambda keeps 100 of the account's default 1000 unreserved)";
const PRIMARY_CAPACITY_RANGE =
  'use "min/desired/max" with 1 <= min <= desired <= max <= 100 and max >= 1 (the primary region serves traffic)';
const DR_CAPACITY_RANGE =
  'use "min/desired/max" with 0 <= min <= desired <= max <= 100 and max >= 1 (min and desired 0 is a pilot-light fleet)';

describe("app and DNS config", () => {
  it.each<[Omit<RawConfig, "environmentSuffix">, string]>([
    // What runs the API.
    [{ appTier: "fargate" }, 'appTier: "fargate" is not allowed; use one of lambda, ec2'],
    [
      { appTier: "ec2" },
      'appTier: "ec2" needs natGateways "single" or "perAz" (natGateways is "none"): instances install Node.js and the RDS CA bundle at boot and register with Systems Manager, which the private endpoints of this VPC do not cover',
    ],
    [
      { apiReservedConcurrency: "901" },
      `apiReservedConcurrency: "901" is not allowed; ${CONCURRENCY_RANGE}`,
    ],
    [
      { workerReservedConcurrency: "-1" },
      `workerReservedConcurrency: "-1" is not allowed; ${CONCURRENCY_RANGE}`,
    ],
    [
      { apiReservedConcurrency: "ten" },
      `apiReservedConcurrency: "ten" is not allowed; ${CONCURRENCY_RANGE}`,
    ],
    // Who may reach the load balancers.
    [
      { albIngressCidrs: [] },
      'albIngressCidrs: [] is not allowed; use a non-empty list of IPv4 CIDR blocks, for example ["0.0.0.0/0"] or ["203.0.113.0/24"]',
    ],
    [
      { albIngressCidrs: "0.0.0.0/0" },
      'albIngressCidrs: "0.0.0.0/0" is not allowed; use a non-empty list of IPv4 CIDR blocks, for example ["0.0.0.0/0"] or ["203.0.113.0/24"]',
    ],
    [
      { albIngressCidrs: ["10.0.0.0/33"] },
      'albIngressCidrs: "10.0.0.0/33" is not an IPv4 CIDR block; use the form 203.0.113.0/24',
    ],
    [
      { albIngressCidrs: [42] },
      "albIngressCidrs: 42 is not an IPv4 CIDR block; use the form 203.0.113.0/24",
    ],
    [
      { albIngressCidrs: ["203.0.113.7/24"] },
      'albIngressCidrs: "203.0.113.7/24" has host bits set; AWS rejects it, use 203.0.113.0/24',
    ],
    // The EC2 fleet.
    [
      { appInstanceType: "large" },
      'appInstanceType: "large" is not an EC2 instance type; use a name such as t4g.small or m7i.large',
    ],
    [
      { primaryAppCapacity: "0/0/6" },
      `primaryAppCapacity: "0/0/6" is not allowed; ${PRIMARY_CAPACITY_RANGE}`,
    ],
    [
      { primaryAppCapacity: "2-2-6" },
      `primaryAppCapacity: "2-2-6" is not allowed; ${PRIMARY_CAPACITY_RANGE}`,
    ],
    [{ drAppCapacity: "2/1/6" }, `drAppCapacity: "2/1/6" is not allowed; ${DR_CAPACITY_RANGE}`],
    [{ drAppCapacity: "0/0/0" }, `drAppCapacity: "0/0/0" is not allowed; ${DR_CAPACITY_RANGE}`],
    [{ drAppCapacity: "1/1/101" }, `drAppCapacity: "1/1/101" is not allowed; ${DR_CAPACITY_RANGE}`],
    // Where the API is served.
    [
      { domainName: "Payments.Example.com" },
      'domainName: "Payments.Example.com" is not a domain name; use lowercase labels of letters, digits and inner hyphens, such as payments.example.com',
    ],
    [
      { domainName: "localhost" },
      'domainName: "localhost" is not a domain name; use lowercase labels of letters, digits and inner hyphens, such as payments.example.com',
    ],
    [
      { domainName: "" },
      'domainName: is required in production mode: the API is served over HTTPS only, with an ACM certificate for api.<domainName>; set it, or use mode "test" for an HTTP-only stack',
    ],
    [
      { hostedZoneId: "z0123" },
      'hostedZoneId: "z0123" is not a Route 53 hosted zone id; use the id of a public zone, such as Z0123456789ABCDEFGHIJ',
    ],
    [
      { mode: "test", domainName: "", hostedZoneId: "Z0123456789ABCDEFGHIJ" },
      `hostedZoneId: "Z0123456789ABCDEFGHIJ" is set without domainName; set domainName to the zone's domain`,
    ],
    // How Route 53 moves clients.
    [
      { routingPolicy: "latency" },
      'routingPolicy: "latency" is not allowed; use one of failover, weighted',
    ],
    [{ dnsRecordType: "A" }, 'dnsRecordType: "A" is not allowed; use one of cname, alias'],
    [{ dnsTtlSeconds: "4" }, 'dnsTtlSeconds: "4" is not allowed; use a whole number from 5 to 300'],
    [
      { dnsTtlSeconds: "301" },
      'dnsTtlSeconds: "301" is not allowed; use a whole number from 5 to 300',
    ],
    [
      { healthCheckFailureThreshold: "0" },
      `healthCheckFailureThreshold: "0" is not allowed; use a whole number from 1 to 10 (Route 53's range)`,
    ],
    [
      { healthCheckFailureThreshold: "11" },
      `healthCheckFailureThreshold: "11" is not allowed; use a whole number from 1 to 10 (Route 53's range)`,
    ],
    [
      { primaryTrafficWeight: "256" },
      'primaryTrafficWeight: "256" is not allowed; use a whole number from 0 to 255',
    ],
    [
      { drTrafficWeight: "1.5" },
      'drTrafficWeight: "1.5" is not allowed; use a whole number from 0 to 255',
    ],
    [
      { routingPolicy: "weighted", primaryTrafficWeight: "0" },
      'drTrafficWeight: "0" with primaryTrafficWeight "0" is not allowed for weighted routing; give at least one region a weight above 0',
    ],
  ])("rejects %j with an exact message", (raw, message) => {
    expect(problemsOf(raw)).toEqual([message]);
  });

  it("accepts non-default values at the edges of every range", () => {
    // GIVEN an EC2 tier with NAT, weighted alias routing and the limits of each range
    const config = parseConfig({
      ...PRODUCTION,
      natGateways: "single",
      appTier: "ec2",
      apiReservedConcurrency: "0",
      workerReservedConcurrency: "900",
      albIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
      appInstanceType: "m7i.large",
      primaryAppCapacity: "1/1/100",
      drAppCapacity: "0/0/1",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      routingPolicy: "weighted",
      dnsRecordType: "alias",
      dnsTtlSeconds: "300",
      healthCheckFailureThreshold: "10",
      primaryTrafficWeight: "0",
      drTrafficWeight: "255",
    });
    // THEN each value is parsed, and a reserved concurrency of 0 means "reserve none"
    expect(config.app).toEqual({
      tier: "ec2",
      apiReservedConcurrency: undefined,
      workerReservedConcurrency: 900,
      ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
      instanceType: "m7i.large",
      primaryCapacity: { min: 1, desired: 1, max: 100 },
      drCapacity: { min: 0, desired: 0, max: 1 },
    });
    expect(config.dns).toEqual({
      domainName: "payments.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      routingPolicy: "weighted",
      recordType: "alias",
      ttlSeconds: 300,
      healthCheckFailureThreshold: 10,
      primaryWeight: 0,
      drWeight: 255,
    });
  });

  it("accepts the shortest TTL, a threshold of 1 and both weights 0 outside weighted routing", () => {
    const { dns } = parseConfig({
      ...PRODUCTION,
      dnsTtlSeconds: "5",
      healthCheckFailureThreshold: "1",
      primaryTrafficWeight: "0",
    });
    expect([dns.routingPolicy, dns.ttlSeconds, dns.healthCheckFailureThreshold]).toEqual([
      "failover",
      5,
      1,
    ]);
    expect([dns.primaryWeight, dns.drWeight]).toEqual([0, 0]);
  });

  it("accepts a test stack without a domain: no DNS, HTTP-only load balancers", () => {
    const { dns } = parseConfig({ environmentSuffix: "dev", mode: "test" });
    expect([dns.domainName, dns.hostedZoneId]).toEqual([undefined, undefined]);
  });

  it("reports every bad key at once, one line each", () => {
    expect(
      problemsOf({ appTier: "fargate", dnsRecordType: "A", dnsTtlSeconds: "0" }).map(
        (problem) => problem.split(":")[0],
      ),
    ).toEqual(["appTier", "dnsRecordType", "dnsTtlSeconds"]);
  });
});

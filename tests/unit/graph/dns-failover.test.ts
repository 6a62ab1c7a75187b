import { DnsConfig, parseAppConfig } from "../../../lib/app/app-config";
import { dnsWiringOf } from "../../../lib/global-resources";
import { regionCode } from "../../../lib/util/aws-regions";
import { elbHostedZoneId, hostedZoneIdOf, physicalNameOf } from "../../support/aws-mocks";
import { Graph } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const RECORD = "aws:route53/record:Record";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const ZONE = "aws:route53/zone:Zone";
const ALB = "aws:lb/loadBalancer:LoadBalancer";
const DNS_FAILOVER = "tap:dns:DnsFailover";

const DOMAIN = "payments.example.com";
const FAILOVER_NAME = `api.${DOMAIN}`;
const ZONE_ID = "Z0123456789ABCDEFGHIJ";
const REGIONS = { primary: "us-east-1", dr: "us-east-2" } as const;
type Role = keyof typeof REGIONS;
const ROLES: Role[] = ["primary", "dr"];

const EXISTING_ZONE = {
  environmentSuffix: "dev",
  mode: "production",
  domainName: DOMAIN,
  hostedZoneId: ZONE_ID,
};
const WEIGHTED = {
  ...EXISTING_ZONE,
  routingPolicy: "weighted",
  primaryTrafficWeight: "90",
  drTrafficWeight: "10",
};
const ALIAS = { ...EXISTING_ZONE, dnsRecordType: "alias" };
// The data-tier suites' production config: the zone is created, not adopted.
const CREATED_ZONE = { environmentSuffix: "dev", domainName: DOMAIN, mode: "production" };

const regionalName = (role: Role): string => `api-${regionCode(REGIONS[role])}.${DOMAIN}`;

/** Route 53 resources of the failover component: the regional aliases, the checks and api.<domain>. */
class DnsView {
  constructor(readonly graph: Graph) {}

  get resources(): CapturedResource[] {
    return this.graph.descendantsOfComponent(DNS_FAILOVER).filter((r) => r.custom);
  }

  get healthChecks(): CapturedResource[] {
    return this.resources.filter((r) => r.type === HEALTH_CHECK);
  }

  get failoverRecords(): CapturedResource[] {
    return this.resources.filter((r) => r.type === RECORD && r.inputs.name === FAILOVER_NAME);
  }

  regionalRecord(role: Role): CapturedResource {
    const found = this.resources.filter(
      (r) => r.type === RECORD && r.inputs.name === regionalName(role),
    );
    expect(found).toHaveLength(1);
    return found[0];
  }

  /** The api.<domain> record of a region, found by its set identifier. */
  failoverRecord(role: Role): CapturedResource {
    const id = `${role}-${regionCode(REGIONS[role])}`;
    const found = this.failoverRecords.filter((r) => r.inputs.setIdentifier === id);
    expect(found).toHaveLength(1);
    return found[0];
  }

  /** The health check a record carries, resolved through its id. */
  healthCheckOf(record: CapturedResource): CapturedResource {
    const check = this.graph.byId(record.inputs.healthCheckId);
    expect(check.type).toBe(HEALTH_CHECK);
    return check;
  }

  /** The one ALB in a region, and the alias target Route 53 needs for it. */
  albTarget(role: Role): { name: string; zoneId: string; evaluateTargetHealth: boolean } {
    const albs = this.graph.ofType(ALB).filter((alb) => alb.region === REGIONS[role]);
    expect(albs).toHaveLength(1);
    const [alb] = albs;
    const name = physicalNameOf(ALB, alb.name, alb.inputs);
    return {
      name: `${name}-1234567890.${alb.region}.elb.amazonaws.com`,
      zoneId: elbHostedZoneId(alb.region),
      evaluateTargetHealth: true,
    };
  }

  /** The provider of GlobalResources in the primary region: Route 53's explicit provider. */
  get globalPrimaryProvider(): CapturedResource {
    const [global] = this.graph.ofType("tap:global:GlobalResources");
    const providers = this.graph
      .ofType("pulumi:providers:aws")
      .filter((p) => p.parent === global.urn && p.region === REGIONS.primary);
    expect(providers).toHaveLength(1);
    return providers[0];
  }
}

describe("DNS wiring of GlobalResources", () => {
  const dnsWith = (domainName: string | undefined): DnsConfig => ({
    ...parseAppConfig(
      { domainName: "payments.example.com" },
      { natGateways: "none", mode: "test" },
      [],
    ).dns,
    domainName,
  });
  const side = (region: string, hostname: string | undefined) => ({
    region,
    api: { regionalApiHostname: hostname },
  });
  const complete = {
    dns: dnsWith(DOMAIN),
    hostedZoneId: ZONE_ID,
    primary: side(REGIONS.primary, regionalName("primary")),
    dr: side(REGIONS.dr, regionalName("dr")),
  };

  it("builds nothing without a domain, whatever else is set", () => {
    expect(dnsWiringOf({ ...complete, dns: dnsWith(undefined) })).toBeUndefined();
    expect(dnsWiringOf({ ...complete, dns: undefined })).toBeUndefined();
  });

  it("passes the zone and both regional names through when all are there", () => {
    expect(dnsWiringOf(complete)).toMatchObject({
      domainName: DOMAIN,
      zoneId: ZONE_ID,
      primaryHostname: regionalName("primary"),
      drHostname: regionalName("dr"),
    });
  });

  it.each([
    [
      "no zone",
      { hostedZoneId: undefined },
      `hostedZoneId is required when dns.domainName is set (domainName is "${DOMAIN}"); pass PrimaryRegion.hostedZone.zoneId`,
    ],
    [
      "no DR regional name",
      { dr: side(REGIONS.dr, undefined) },
      `api.regionalApiHostname of region "us-east-2" is undefined although dns.domainName is "${DOMAIN}"; the region's app tier must serve api-<region code>.<domain>`,
    ],
  ])("refuses incomplete wiring (%s) with an exact message", (_name, change, message) => {
    expect(() => dnsWiringOf({ ...complete, ...change })).toThrow(new Error(message));
  });
});

describe("Route 53 failover, failover routing with CNAMEs in an existing zone", () => {
  let dns: DnsView;
  beforeAll(async () => {
    dns = new DnsView(new Graph(await runProgram(EXISTING_ZONE)));
  });

  it("adopts the zone: creates none and puts every record in it", () => {
    expect(dns.graph.ofType(ZONE)).toEqual([]);
    const records = dns.graph.ofType(RECORD);
    expect(records.length).toBeGreaterThanOrEqual(4);
    expect(records.filter((r) => r.inputs.zoneId !== ZONE_ID).map((r) => r.name)).toEqual([]);
  });

  it("creates two health checks and four records: a regional alias and an api record per region", () => {
    expect(dns.healthChecks).toHaveLength(2);
    expect(dns.resources.filter((r) => r.type === RECORD)).toHaveLength(4);
    expect(dns.failoverRecords).toHaveLength(2);
  });

  it.each(ROLES)("aliases the %s region's own name to that region's load balancer", (role) => {
    // GIVEN the region's record WHEN its alias is followed THEN it reaches the ALB in that region
    expect(dns.regionalRecord(role).inputs).toMatchObject({
      zoneId: ZONE_ID,
      type: "A",
      aliases: [dns.albTarget(role)],
    });
  });

  it.each(ROLES)(
    "checks the %s region over HTTPS at its own name, /health on 443 every 10 s",
    (role) => {
      const check = dns.healthCheckOf(dns.failoverRecord(role));
      expect(check.inputs).toMatchObject({
        type: "HTTPS",
        fqdn: regionalName(role),
        enableSni: true,
        port: 443,
        resourcePath: "/health",
        requestInterval: 10,
        failureThreshold: 3,
        measureLatency: false,
        invertHealthcheck: false,
        tags: { Name: `tap-dev-api-health-${regionCode(REGIONS[role])}` },
      });
      // Route 53's default checker regions; an IP would pin the check to one ALB address.
      expect([check.inputs.regions, check.inputs.ipAddress]).toEqual([undefined, undefined]);
      // The check starts once the name it resolves exists.
      expect(dns.graph.dependsOn(check, dns.regionalRecord(role))).toBe(true);
    },
  );

  it.each<[Role, string]>([
    ["primary", "PRIMARY"],
    ["dr", "SECONDARY"],
  ])(
    "answers api.<domain> for the %s region as %s: a CNAME, TTL 10 (the default), to the region's own name",
    (role, failoverType) => {
      const record = dns.failoverRecord(role);
      expect(record.inputs).toMatchObject({
        zoneId: ZONE_ID,
        name: FAILOVER_NAME,
        type: "CNAME",
        ttl: 10,
        records: [regionalName(role)],
        failoverRoutingPolicies: [{ type: failoverType }],
      });
      expect(record.inputs.weightedRoutingPolicies).toBeUndefined();
      expect(record.inputs.aliases).toBeUndefined();
      // The CNAME leads to the region's alias, which leads to the region's ALB.
      expect(dns.regionalRecord(role).inputs.aliases).toEqual([dns.albTarget(role)]);
    },
  );

  it("gives each api record the health check of its own region, the secondary included", () => {
    for (const role of ROLES) {
      expect(dns.healthCheckOf(dns.failoverRecord(role)).inputs.fqdn).toBe(regionalName(role));
    }
    const ids = ROLES.map((role) => dns.failoverRecord(role).inputs.healthCheckId);
    expect(new Set(ids).size).toBe(2);
  });

  it("runs every Route 53 resource of the failover through GlobalResources' primary provider", () => {
    const provider = dns.globalPrimaryProvider;
    const elsewhere = dns.resources.filter((r) => r.providerUrn !== provider.urn);
    expect(elsewhere.map((r) => r.name)).toEqual([]);
    // And no Route 53 resource anywhere in the stack runs on the ambient provider.
    const route53 = dns.graph.cloudResources.filter((r) => r.type.startsWith("aws:route53/"));
    expect(route53.filter((r) => r.providerUrn === undefined || r.region === "")).toEqual([]);
  });
});

describe("Route 53 failover, weighted routing 90/10", () => {
  let dns: DnsView;
  beforeAll(async () => {
    dns = new DnsView(new Graph(await runProgram(WEIGHTED)));
  });

  it.each<[Role, number]>([
    ["primary", 90],
    ["dr", 10],
  ])("gives the %s region's CNAME the weight %d and its own health check", (role, weight) => {
    const record = dns.failoverRecord(role);
    expect(record.inputs).toMatchObject({
      name: FAILOVER_NAME,
      type: "CNAME",
      ttl: 10,
      records: [regionalName(role)],
      weightedRoutingPolicies: [{ weight }],
    });
    expect(record.inputs.failoverRoutingPolicies).toBeUndefined();
    expect(dns.healthCheckOf(record).inputs.fqdn).toBe(regionalName(role));
  });

  it("keeps the set identifiers of failover routing, so a policy change updates in place", () => {
    expect(dns.failoverRecords.map((r) => r.inputs.setIdentifier).sort()).toEqual([
      "dr-use2",
      "primary-use1",
    ]);
  });
});

describe("Route 53 failover with alias records", () => {
  let dns: DnsView;
  beforeAll(async () => {
    dns = new DnsView(new Graph(await runProgram(ALIAS)));
  });

  it.each<[Role, string]>([
    ["primary", "PRIMARY"],
    ["dr", "SECONDARY"],
  ])(
    "answers api.<domain> for the %s region as %s with an alias A record to its load balancer",
    (role, failoverType) => {
      const record = dns.failoverRecord(role);
      expect(record.inputs).toMatchObject({
        name: FAILOVER_NAME,
        type: "A",
        aliases: [dns.albTarget(role)],
        failoverRoutingPolicies: [{ type: failoverType }],
      });
      // ELB fixes the TTL of alias answers; a TTL or values on an alias record are rejected.
      expect([record.inputs.ttl, record.inputs.records]).toEqual([undefined, undefined]);
      expect(dns.healthCheckOf(record).inputs.fqdn).toBe(regionalName(role));
    },
  );
});

describe("Route 53 failover in a zone the stack creates", () => {
  let dns: DnsView;
  beforeAll(async () => {
    dns = new DnsView(new Graph(await runProgram(CREATED_ZONE)));
  });

  it("creates one zone for the domain, in the primary region's component", () => {
    const zones = dns.graph.ofType(ZONE);
    expect(zones.map((zone) => [zone.inputs.name, zone.region])).toEqual([
      [DOMAIN, REGIONS.primary],
    ]);
    expect(dns.graph.ancestorsOf(zones[0]).map((a) => a.type)).toContain(
      "tap:region:PrimaryRegion",
    );
  });

  it("puts every record of the failover into that zone", () => {
    const [zone] = dns.graph.ofType(ZONE);
    const zoneId = hostedZoneIdOf(physicalNameOf(ZONE, zone.name, zone.inputs));
    const records = dns.resources.filter((r) => r.type === RECORD);
    expect(records).toHaveLength(4);
    expect(records.map((r) => r.inputs.zoneId)).toEqual(records.map(() => zoneId));
  });
});

describe("a test stack without a domain", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram({ environmentSuffix: "dev", mode: "test" }));
  });

  it("has no zone, no record, no health check and no failover component", () => {
    const route53 = graph.resources.filter(
      (r) => r.type.startsWith("aws:route53/") || r.type === DNS_FAILOVER,
    );
    expect(route53.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });

  it("still has a load balancer in each region, the entry point of each regional API URL", () => {
    expect(
      graph
        .ofType(ALB)
        .map((alb) => alb.region)
        .sort(),
    ).toEqual([REGIONS.primary, REGIONS.dr]);
  });
});

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  APP_DEFAULTS,
  DnsRecordType,
  HEALTH_CHECK_INTERVAL_SECONDS,
  RoutingPolicy,
} from "../app/app-config";
import { physicalName } from "../naming";
import { DnsRole, apiFailoverHostname, apiSetIdentifier } from "./api-names";

/** One region's API entry point, as its app tier exposes it. */
export interface RegionalApiTarget {
  /** The region; its code goes into set identifiers and Name tags. */
  readonly region: string;
  /** DNS name of the region's internet-facing load balancer. */
  readonly albDnsName: pulumi.Input<string>;
  /** The load balancer's canonical hosted zone id, which alias records need. */
  readonly albZoneId: pulumi.Input<string>;
  /** "api-<region code>.<domain>" (see regionalApiHostname), a SAN of the region's certificate. */
  readonly regionalApiHostname: pulumi.Input<string>;
  /** Path of the region's deep health check. @default "/health" */
  readonly healthCheckPath?: string;
}

export interface DnsFailoverArgs {
  /** Stack suffix in the health checks' Name tags. */
  readonly environmentSuffix: string;
  /** The API's domain; the records are api.<domain> and api-<region code>.<domain>. */
  readonly domainName: string;
  /** The public hosted zone of domainName (created or adopted by PrimaryRegion). */
  readonly zoneId: pulumi.Input<string>;
  /** failover: PRIMARY/SECONDARY; weighted: one weighted record per region. @default "failover" */
  readonly routingPolicy?: RoutingPolicy;
  /** cname: CNAMEs to the regional names with ttlSeconds; alias: alias A records to the ALBs. @default "cname" */
  readonly recordType?: DnsRecordType;
  /** TTL of the CNAME records (recordType cname). @default 15 */
  readonly ttlSeconds?: number;
  /** Consecutive failed checks before a checker reports a region unhealthy (1-10). @default 3 */
  readonly failureThreshold?: number;
  /** Weighted routing: the primary region's share (0-255). @default 100 */
  readonly primaryWeight?: number;
  /** Weighted routing: the DR region's share (0-255); 0 serves it only when the primary is unhealthy. @default 0 */
  readonly drWeight?: number;
  /** The primary region's API. */
  readonly primary: RegionalApiTarget;
  /** The DR region's API. */
  readonly dr: RegionalApiTarget;
}

/** What one region contributes: its own alias record, its health check, its record in api.<domain>. */
interface RegionalEntry {
  readonly healthCheck: aws.route53.HealthCheck;
  readonly failoverRecord: aws.route53.Record;
}

/**
 * Route 53 traffic failover between the two regions' load balancers. Per region: an alias
 * api-<code>.<domain> to its ALB and an HTTPS health check of that name's /health. Above
 * them, the api.<domain> record group (failover or weighted), each record carrying its own
 * region's health check. Health checks and DNS answers are Route 53's data plane, so a
 * failover needs no API call in any region. Route 53 is global, but its resources still
 * take this component's explicit provider (`providers: { aws }` from GlobalResources).
 */
export class DnsFailover extends pulumi.ComponentResource {
  /** "api.<domain>", resolved once the records exist. */
  public readonly apiFailoverName: pulumi.Output<string>;
  public readonly primaryHealthCheckId: pulumi.Output<string>;
  public readonly drHealthCheckId: pulumi.Output<string>;

  constructor(name: string, args: DnsFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:dns:DnsFailover", name, {}, opts);
    const routingPolicy = args.routingPolicy ?? APP_DEFAULTS.routingPolicy;
    const recordType = args.recordType ?? APP_DEFAULTS.dnsRecordType;
    const ttlSeconds = args.ttlSeconds ?? APP_DEFAULTS.dnsTtlSeconds;
    const failureThreshold = args.failureThreshold ?? APP_DEFAULTS.healthCheckFailureThreshold;
    const weights: Readonly<Record<DnsRole, number>> = {
      primary: args.primaryWeight ?? APP_DEFAULTS.primaryTrafficWeight,
      dr: args.drWeight ?? APP_DEFAULTS.drTrafficWeight,
    };
    const failoverName = apiFailoverHostname(args.domainName);

    const entry = (role: DnsRole, target: RegionalApiTarget): RegionalEntry => {
      // The name clients and health checks use for this region, and that its certificate
      // covers. A lone simple record, so evaluateTargetHealth changes no answer here; it
      // keeps the record consistent should it ever join a record group.
      const regionalRecord = new aws.route53.Record(
        `${name}-regional-${role}`,
        {
          zoneId: args.zoneId,
          name: target.regionalApiHostname,
          type: "A",
          aliases: [
            { name: target.albDnsName, zoneId: target.albZoneId, evaluateTargetHealth: true },
          ],
        },
        { parent: this },
      );

      const healthCheck = new aws.route53.HealthCheck(
        `${name}-health-${role}`,
        {
          // HTTPS: a domain always brings a certificate. Route 53 does not validate it
          // ("HTTPS health checks don't validate SSL/TLS certificates", Developer Guide,
          // "How Amazon Route 53 determines whether a health check is healthy"), but the
          // endpoint "must support TLS v1.0, v1.1, or v1.2" (API reference,
          // HealthCheckConfig Type): the ALB's TLS policy must keep TLS 1.2.
          type: "HTTPS",
          // By name, not IP: Route 53 resolves it (IPv4 only) every interval, so the check
          // follows the ALB's changing addresses; it sends the name as the Host header and,
          // with enableSni, in the TLS client_hello, where a name in the certificate must
          // match it (API reference, HealthCheckConfig FullyQualifiedDomainName, EnableSNI).
          fqdn: target.regionalApiHostname,
          enableSni: true,
          port: 443,
          resourcePath: target.healthCheckPath ?? "/health",
          // 10 s (fast) or 30 s; it cannot be changed after creation (API reference,
          // HealthCheckConfig RequestInterval), so a change replaces the check.
          requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
          failureThreshold,
          // Latency graphs cost extra, cannot be turned on or off after creation (API
          // reference, HealthCheckConfig MeasureLatency) and play no part in failover.
          measureLatency: false,
          // Inverting is the runbook's lever to force traffic away from a healthy region;
          // it is off in code so that `pulumi up` restores normal routing.
          invertHealthcheck: false,
          // regions: Route 53's default set of checker regions (a custom list needs at
          // least three; Developer Guide, "Health checker regions").
          tags: {
            Name: physicalName("nameTag", "api-health", {
              environmentSuffix: args.environmentSuffix,
              region: target.region,
            }),
          },
        },
        // A check of a name that does not resolve yet fails with "DNS resolution failed".
        { parent: this, dependsOn: [regionalRecord] },
      );

      const routing =
        routingPolicy === "failover"
          ? { failoverRoutingPolicies: [{ type: role === "primary" ? "PRIMARY" : "SECONDARY" }] }
          : { weightedRoutingPolicies: [{ weight: weights[role] }] };
      const answer =
        recordType === "cname"
          ? // To the regional name rather than the ALB's: clients then follow the very
            // record the health check resolves. The cost is one more lookup in this zone,
            // billed as a second query (Developer Guide, "Choosing between alias and
            // non-alias records"); a CNAME to the ALB's name needs a second lookup too.
            { type: "CNAME", ttl: ttlSeconds, records: [target.regionalApiHostname] }
          : {
              // Alias answers carry the ELB's fixed 60 s TTL; see failover-budget.ts. With
              // the health check as well, the record counts as healthy only when both the
              // check and the ALB's target groups are ("What happens when you associate a
              // health check with an alias record?"); a target group with no registered
              // targets is unhealthy ("Values specific for failover alias records").
              type: "A",
              aliases: [
                { name: target.albDnsName, zoneId: target.albZoneId, evaluateTargetHealth: true },
              ],
            };
      const failoverRecord = new aws.route53.Record(
        `${name}-api-${role}`,
        {
          zoneId: args.zoneId,
          name: failoverName,
          setIdentifier: apiSetIdentifier(role, target.region),
          // Every record in the group carries its own region's check. On the secondary it
          // decides what happens when both regions fail: "If you omit the health check for
          // the secondary record ... Route 53 always responds to DNS queries by using the
          // secondary record. This is true even if the secondary record is unhealthy",
          // whereas with both checked and both unhealthy "Route 53 returns the primary
          // record" (Developer Guide, "How Amazon Route 53 chooses records when health
          // checking is configured"). A DR region that cannot serve (pilot light, or
          // checkers locked out of both) then gets no traffic it cannot answer.
          healthCheckId: healthCheck.id,
          ...routing,
          ...answer,
        },
        {
          parent: this,
          dependsOn: [regionalRecord],
          // Changing dnsRecordType replaces the record, and DNS allows no other record
          // beside a CNAME of the same name (Developer Guide, "CNAME record type"), so the
          // old record must go first (hashicorp/terraform#10872 shows the conflict).
          deleteBeforeReplace: true,
        },
      );
      return { healthCheck, failoverRecord };
    };

    const primary = entry("primary", args.primary);
    const dr = entry("dr", args.dr);

    this.apiFailoverName = pulumi
      .all([primary.failoverRecord.name, dr.failoverRecord.name])
      .apply(([primaryName]) => primaryName);
    this.primaryHealthCheckId = primary.healthCheck.id;
    this.drHealthCheckId = dr.healthCheck.id;
    this.registerOutputs({
      apiFailoverName: this.apiFailoverName,
      primaryHealthCheckId: this.primaryHealthCheckId,
      drHealthCheckId: this.drHealthCheckId,
    });
  }
}

/**
 * Test-only: what Route 53 answers for a name in the simulated stack, from the graph's records,
 * health checks and load balancers. Names resolve through alias and CNAME records until they reach
 * a load balancer's DNS name; record sets with a routing policy pick one record the way Route 53
 * does when health checking is configured (Developer Guide, "How Amazon Route 53 chooses records
 * when health checking is configured"). Zones are not told apart: the stack has one.
 */
import { computedAttributes } from "../../../support/aws-mocks";
import type { CapturedResource } from "../../../support/mock-graph";
import { type Cloud, records, text } from "../cloud";
import { hasHealthyTargets } from "./load-balancer";

const RECORD = "aws:route53/record:Record";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";

/** More hops than any record chain of this stack (failover CNAME, regional alias, ALB). */
const MAX_HOPS = 8;

export type Resolution =
  | {
      readonly kind: "load-balancer";
      readonly loadBalancer: CapturedResource;
      /** The names followed, the asked name first. */
      readonly chain: readonly string[];
    }
  | { readonly kind: "no-answer"; readonly chain: readonly string[]; readonly reason: string };

const normal = (name: string): string => name.toLowerCase().replace(/\.$/, "");

/** The DNS name ELB gives a load balancer (the mock's computed attribute). */
export function loadBalancerDnsName(c: Cloud, loadBalancer: CapturedResource): string {
  return normal(
    String(
      computedAttributes(loadBalancer.type, c.nameOf(loadBalancer), loadBalancer.region).dnsName,
    ),
  );
}

/** Whether Route 53 counts a health check (by id) as healthy: health-checker.ts decides. */
export type HealthOf = (healthCheckId: string) => boolean;

/**
 * A record's health as Route 53 evaluates it: its own health check, if any, and, for an alias
 * with EvaluateTargetHealth to a load balancer, whether that load balancer has healthy targets.
 */
function isHealthy(c: Cloud, record: CapturedResource, healthOf: HealthOf): boolean {
  const checkId = text(record.inputs.healthCheckId);
  if (checkId !== undefined && !healthOf(checkId)) return false;
  const alias = records(record.inputs.aliases)[0];
  if (alias !== undefined && alias.evaluateTargetHealth === true) {
    const target = normal(String(alias.name));
    const loadBalancer = c.of(LOAD_BALANCER).find((lb) => loadBalancerDnsName(c, lb) === target);
    if (loadBalancer !== undefined) return hasHealthyTargets(c, loadBalancer);
  }
  return true;
}

const failoverType = (record: CapturedResource): string | undefined =>
  text(records(record.inputs.failoverRoutingPolicies)[0]?.type);
const weightOf = (record: CapturedResource): number => {
  const weight = records(record.inputs.weightedRoutingPolicies)[0]?.weight;
  return typeof weight === "number" ? weight : 0;
};

/**
 * The record Route 53 answers with from the records of one name:
 * - failover: the primary when healthy; else the secondary when healthy or unchecked ("If you
 *   omit the health check for the secondary record ... Route 53 always responds ... by using the
 *   secondary record"); both checked and unhealthy: the primary.
 * - weighted: the healthy records with a non-zero weight; if none, the healthy zero-weighted
 *   ones; if none is healthy, all of them ("Route 53 initially considers only the healthy records
 *   that have nonzero weights ... If all of the records that have a weight greater than 0 are
 *   unhealthy, then Route 53 considers the zero-weighted records"; with none healthy it treats
 *   all as healthy; same page). The heaviest of those stands in for the weighted draw: a test
 *   asks one question, not many. Equal weights (a real split) answer with the first record, so
 *   a test that passes on either region is not told which; this stack's groups are 100/0.
 * - simple: the record.
 */
function chooseRecord(
  c: Cloud,
  candidates: CapturedResource[],
  healthOf: HealthOf,
): CapturedResource | undefined {
  const recordHealthy = (record: CapturedResource) => isHealthy(c, record, healthOf);
  if (candidates.some((r) => r.inputs.failoverRoutingPolicies !== undefined)) {
    const primary = candidates.find((r) => failoverType(r) === "PRIMARY");
    const secondary = candidates.find((r) => failoverType(r) === "SECONDARY");
    if (primary !== undefined && recordHealthy(primary)) return primary;
    if (secondary !== undefined && recordHealthy(secondary)) return secondary;
    return primary ?? secondary;
  }
  if (candidates.some((r) => r.inputs.weightedRoutingPolicies !== undefined)) {
    const healthy = candidates.filter(recordHealthy);
    const nonZero = healthy.filter((r) => weightOf(r) > 0);
    const pool = nonZero.length > 0 ? nonZero : healthy.length > 0 ? healthy : candidates;
    return [...pool].sort((a, b) => weightOf(b) - weightOf(a))[0];
  }
  return candidates[0];
}

/**
 * Follows `host` through the stack's records to a load balancer, as a resolver would, with
 * `healthOf` deciding which health checks Route 53 counts as healthy.
 */
export function resolveHost(c: Cloud, host: string, healthOf: HealthOf): Resolution {
  const chain: string[] = [];
  let name = normal(host);
  for (let hop = 0; hop < MAX_HOPS; hop += 1) {
    chain.push(name);
    const loadBalancer = c.of(LOAD_BALANCER).find((lb) => loadBalancerDnsName(c, lb) === name);
    if (loadBalancer !== undefined) return { kind: "load-balancer", loadBalancer, chain };
    const candidates = c
      .of(RECORD)
      // Address answers only: a TXT or MX record of the name plays no part in connecting.
      .filter(
        (r) =>
          normal(String(r.inputs.name)) === name &&
          ["A", "AAAA", "CNAME"].includes(String(r.inputs.type)),
      );
    const record = chooseRecord(c, candidates, healthOf);
    if (record === undefined) return { kind: "no-answer", chain, reason: "no record of this name" };
    const next =
      text(records(record.inputs.aliases)[0]?.name) ??
      (record.inputs.type === "CNAME" && Array.isArray(record.inputs.records)
        ? text(record.inputs.records[0])
        : undefined);
    if (next === undefined) {
      return {
        kind: "no-answer",
        chain,
        reason: `record ${record.name} points at no load balancer`,
      };
    }
    name = normal(next);
  }
  return { kind: "no-answer", chain, reason: `more than ${MAX_HOPS} hops` };
}

/**
 * How long clients keep reaching a failed region before DNS moves them: the
 * traffic part of the RTO. Pure, so the README table, `npm run plan` and tests
 * read the same figures.
 */
import { DnsConfig, DnsRecordType, HEALTH_CHECK_INTERVAL_SECONDS } from "../app/app-config";

/**
 * TTL Route 53 answers an alias to a load balancer with. It cannot be set on the record:
 * "If an alias record points to an AWS resource, you can't set the time to live (TTL);
 * Route 53 uses the default TTL for the resource" (Route 53 Developer Guide, "Choosing
 * between alias and non-alias records"), and "The time-to-live (TTL) for an Elastic Load
 * Balancing DNS entry is set to 60 seconds" (ELB User Guide). The Route 53 FAQ, "Do I need
 * to adjust the TTL for my records to use DNS Failover?", says the same: ELB aliases have
 * a fixed 60 s TTL.
 */
export const ELB_ALIAS_TTL_SECONDS = 60;

/** The product requirement: traffic leaves a failed region within a minute. */
export const FAILOVER_BUDGET_REQUIREMENT_SECONDS = 60;

/**
 * A single Route 53 HTTP(S) check fails when the TCP connection takes more than 4 s or
 * the status code takes more than 2 s after connecting ("How Amazon Route 53 determines
 * whether a health check is healthy"). The request interval counts from the response,
 * so a check that times out starts its next one up to 6 s later.
 */
export const HEALTH_CHECK_TIMEOUT_SECONDS = 6;

export interface FailoverBudget {
  /** Seconds between one checker's requests (Route 53's "fast" interval). */
  readonly requestIntervalSeconds: number;
  /** Consecutive failed checks before a checker reports the region unhealthy. */
  readonly failureThreshold: number;
  /** interval x threshold: when a failure answering at once (refused, 5xx) is detected. */
  readonly detectionSeconds: number;
  /** threshold x (interval + 6 s): the same for an endpoint that hangs until each check times out. */
  readonly slowFailureDetectionSeconds: number;
  /** What resolvers cache the answer for: the CNAME TTL, or the ELB's fixed 60 s for alias records. */
  readonly dnsCacheSeconds: number;
  readonly recordType: DnsRecordType;
  /** detection + DNS cache: the nominal traffic failover bound. */
  readonly totalSeconds: number;
  /** slow-failure detection + DNS cache. */
  readonly slowFailureTotalSeconds: number;
}

/**
 * The nominal failover budget of a DNS config. Nominal because Route 53 marks a check
 * unhealthy only when 18% of its checkers or fewer still report healthy ("How Amazon
 * Route 53 determines whether a health check is healthy"); the checkers are not
 * coordinated, so the flip comes when most of them have each seen `failureThreshold`
 * failures, close to but not exactly interval x threshold. Resolvers and clients that
 * cache beyond the TTL are outside any DNS budget.
 */
export function failoverBudget(
  dns: Pick<DnsConfig, "recordType" | "ttlSeconds" | "healthCheckFailureThreshold">,
): FailoverBudget {
  const interval = HEALTH_CHECK_INTERVAL_SECONDS;
  const threshold = dns.healthCheckFailureThreshold;
  const detectionSeconds = interval * threshold;
  const slowFailureDetectionSeconds = (interval + HEALTH_CHECK_TIMEOUT_SECONDS) * threshold;
  const dnsCacheSeconds = dns.recordType === "alias" ? ELB_ALIAS_TTL_SECONDS : dns.ttlSeconds;
  return {
    requestIntervalSeconds: interval,
    failureThreshold: threshold,
    detectionSeconds,
    slowFailureDetectionSeconds,
    dnsCacheSeconds,
    recordType: dns.recordType,
    totalSeconds: detectionSeconds + dnsCacheSeconds,
    slowFailureTotalSeconds: slowFailureDetectionSeconds + dnsCacheSeconds,
  };
}

/** One line for `npm run plan` and logs, for example "traffic failover within 45 s (nominal): ...". */
export function explainFailoverBudget(budget: FailoverBudget): string {
  const cache =
    budget.recordType === "alias"
      ? `${budget.dnsCacheSeconds} s ELB alias TTL (fixed)`
      : `${budget.dnsCacheSeconds} s CNAME TTL`;
  const verdict =
    budget.totalSeconds <= FAILOVER_BUDGET_REQUIREMENT_SECONDS
      ? `within the ${FAILOVER_BUDGET_REQUIREMENT_SECONDS} s requirement`
      : `over the ${FAILOVER_BUDGET_REQUIREMENT_SECONDS} s requirement`;
  return (
    `traffic failover within ${budget.totalSeconds} s (nominal, ${verdict}): ` +
    `${budget.detectionSeconds} s detection (${budget.failureThreshold} failed checks x ${budget.requestIntervalSeconds} s) + ${cache}; ` +
    `${budget.slowFailureTotalSeconds} s if the endpoint hangs until each check times out`
  );
}

/**
 * Test-only: what Route 53's health checkers observe of a health check's endpoint in the
 * simulated stack, following "How Amazon Route 53 determines whether a health check is healthy"
 * (Developer Guide): resolve the check's domain name, open TCP to its port, for HTTPS negotiate
 * TLS without validating the certificate, send GET <ResourcePath> with the name as Host, and
 * count 2xx and 3xx as healthy. It answers synchronously from the model (load-balancer.ts,
 * api-target.ts) because the simulated Route 53 and probers answer inside jest's fake clock.
 */
import type { CapturedResource } from "../../../support/mock-graph";
import { type Cloud, text } from "../cloud";
import { apiStatusFor } from "./api-target";
import { type HealthOf, resolveHost } from "./dns";
import { admitsClient, listenerAnswer, listenerOn } from "./load-balancer";

const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";

export interface CheckerObservation {
  readonly healthy: boolean;
  /** StatusReport.Status as GetHealthCheckStatus words it. */
  readonly status: string;
}

const failure = (status: string): CheckerObservation => ({ healthy: false, status });
const TIMED_OUT =
  "Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.";

/**
 * Route 53's view of a check, as DNS answers use it. A check listed in the service state's
 * failingHealthChecks fails whatever its endpoint does (checkers cut off from it).
 */
export function route53Health(c: Cloud): HealthOf {
  return (id) => {
    const check = c.of(HEALTH_CHECK).find((r) => c.idOf(r) === id);
    return check !== undefined && observeHealthCheck(c, check).healthy;
  };
}

/** What the checkers report for one health check right now. */
export function observeHealthCheck(c: Cloud, check: CapturedResource): CheckerObservation {
  if (c.stack.service.failingHealthChecks.includes(c.idOf(check))) return failure(TIMED_OUT);
  const type = String(check.inputs.type);
  if (!["HTTP", "HTTPS", "TCP"].includes(type)) {
    throw new Error(`simulated Route 53: health checks of type ${type} are not simulated`);
  }
  const fqdn = text(check.inputs.fqdn);
  if (fqdn === undefined) {
    return failure("Failure: simulated checks resolve a domain name; this one has none.");
  }
  // Checkers resolve through public DNS; the names a check targets here are simple records, so
  // the static view of health (failingHealthChecks only) is enough and cannot recurse.
  const staticHealth: HealthOf = (id) => !c.stack.service.failingHealthChecks.includes(id);
  const resolution = resolveHost(c, fqdn, staticHealth);
  if (resolution.kind === "no-answer") return failure("Failure: DNS resolution failed.");
  const loadBalancer = resolution.loadBalancer;
  const port = Number(check.inputs.port ?? (type === "HTTPS" ? 443 : 80));
  if (!admitsClient(c, loadBalancer, port)) return failure(TIMED_OUT);
  const listener = listenerOn(c, loadBalancer, port);
  if (listener === undefined) {
    return failure("Failure: Connection refused. The endpoint is not accepting connections.");
  }
  if (type === "TCP") return { healthy: true, status: "Success: TCP connection established" };
  // TLS to a plain listener, or plain HTTP to a TLS one, gets no HTTP answer.
  if ((listener.inputs.protocol === "HTTPS") !== (type === "HTTPS")) {
    return failure(
      `Failure: the ${String(listener.inputs.protocol)} listener does not speak ${type}.`,
    );
  }
  const path = text(check.inputs.resourcePath) ?? "/";
  const answer = listenerAnswer(c, listener, {
    protocol: type.toLowerCase(),
    host: fqdn,
    port,
    path,
    query: "",
  });
  const status =
    answer.kind !== "forward"
      ? answer.status
      : c.stack.service.downApiRegions.includes(answer.region)
        ? 502
        : apiStatusFor(c, answer.region, path);
  return status >= 200 && status < 400
    ? { healthy: true, status: `Success: HTTP Status Code ${status}` }
    : failure(`Failure: HTTP Status Code ${status}`);
}

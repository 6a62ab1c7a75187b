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
import type { HealthOf } from "./dns";
import { tlsHandshake } from "./load-balancer";
import { reach, statusOf } from "./reachability";

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
  const port = Number(check.inputs.port ?? (type === "HTTPS" ? 443 : 80));
  const path = reach(c, fqdn, port, "route53Checker", staticHealth);
  if (!path.ok) {
    return failure(
      path.code === "ENOTFOUND"
        ? "Failure: DNS resolution failed."
        : path.code === "ETIMEDOUT"
          ? TIMED_OUT
          : "Failure: Connection refused. The endpoint is not accepting connections.",
    );
  }
  if (type === "TCP") return { healthy: true, status: "Success: TCP connection established" };
  if (type === "HTTPS") {
    // With EnableSNI the checker sends the name; it never validates the certificate.
    const handshake = tlsHandshake(c, path.listener, {
      serverName: fqdn,
      verify: false,
      maxTls12: true,
    });
    if (!handshake.ok) return failure(`Failure: TLS handshake failed: ${handshake.reason}.`);
  } else if (path.listener.inputs.protocol !== "HTTP") {
    return failure("Failure: the endpoint answered plain HTTP with TLS.");
  }
  const status = statusOf(c, path.listener, {
    protocol: type.toLowerCase(),
    host: fqdn,
    port,
    path: text(check.inputs.resourcePath) ?? "/",
    query: "",
  });
  return status >= 200 && status < 400
    ? { healthy: true, status: `Success: HTTP Status Code ${status}` }
    : failure(`Failure: HTTP Status Code ${status}`);
}

/**
 * Test-only: the path one request takes through the simulated stack, up to the listener, and the
 * status a GET gets there, for every caller: the live tests' fetch (internet.ts), Route 53's
 * checkers (health-checker.ts) and the probers (../services/cloudwatch.ts).
 */
import type { CapturedResource } from "../../../support/mock-graph";
import type { Cloud } from "../cloud";
import { apiStatusFor } from "./api-target";
import { type HealthOf, resolveHost } from "./dns";
import {
  type IncomingRequest,
  type Source,
  admits,
  listenerAnswer,
  listenerOn,
} from "./load-balancer";

export type Reach =
  | {
      readonly ok: true;
      readonly loadBalancer: CapturedResource;
      readonly listener: CapturedResource;
    }
  | {
      readonly ok: false;
      /** The error code a client sees: the name does not resolve, packets drop, or no listener. */
      readonly code: "ENOTFOUND" | "ETIMEDOUT" | "ECONNREFUSED";
      readonly message: string;
    };

/** Resolves `host` and opens TCP to `port` from `source`, as far as the graph allows. */
export function reach(
  c: Cloud,
  host: string,
  port: number,
  source: Source,
  healthOf: HealthOf,
): Reach {
  const resolution = resolveHost(c, host, healthOf);
  if (resolution.kind === "no-answer") {
    return {
      ok: false,
      code: "ENOTFOUND",
      message: `getaddrinfo ENOTFOUND ${host} (simulated Route 53: ${resolution.reason}, after ${resolution.chain.join(" -> ")})`,
    };
  }
  const loadBalancer = resolution.loadBalancer;
  if (!admits(c, loadBalancer, port, source)) {
    // Dropped packets: the caller waits out its own timeout.
    return {
      ok: false,
      code: "ETIMEDOUT",
      message: `connect ETIMEDOUT ${host}:${port} (simulated: ${c.nameOf(loadBalancer)} is internal or admits no TCP ${port} from the ${source})`,
    };
  }
  const listener = listenerOn(c, loadBalancer, port);
  if (listener === undefined) {
    return {
      ok: false,
      code: "ECONNREFUSED",
      message: `connect ECONNREFUSED ${host}:${port} (simulated: ${c.nameOf(loadBalancer)} has no listener on ${port})`,
    };
  }
  return { ok: true, loadBalancer, listener };
}

/**
 * The status a GET gets from the listener, without running the handler: the listener's own
 * answer, 502 from a target that does not answer, or the API's status (apiStatusFor).
 */
export function statusOf(c: Cloud, listener: CapturedResource, request: IncomingRequest): number {
  const answer = listenerAnswer(c, listener, request);
  if (answer.kind !== "forward") return answer.status;
  if (c.stack.service.downApiRegions.includes(answer.region)) return 502;
  return apiStatusFor(c, answer.region, request.path);
}

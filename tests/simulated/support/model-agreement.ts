/**
 * Test-only: the synchronous model the simulated Route 53 checkers and probers answer from
 * (reachability.ts, api-target.ts apiStatusFor) next to what the real API core answers through
 * the simulated internet, for the same URL and stack. The two must agree, or a checker or prober
 * case could pass or fail for a reason the live tests' own requests would not see.
 */
import { Cloud } from "./cloud";
import { route53Health } from "./internet/health-checker";
import { reach, statusOf } from "./internet/reachability";
import type { SimulatedStack } from "./simulated-aws";

export interface Agreement {
  readonly url: string;
  readonly model: number | string;
  readonly real: number | string;
}

/** GET `url` both ways on `stack`: the model's status, and the one fetch receives. */
export async function modelAndReal(stack: SimulatedStack, url: string): Promise<Agreement> {
  const c = new Cloud(stack);
  const parsed = new URL(url);
  const port = Number(parsed.port || (parsed.protocol === "https:" ? 443 : 80));
  const path = reach(c, parsed.hostname, port, "client", route53Health(c));
  const model = path.ok
    ? statusOf(c, path.listener, {
        protocol: String(path.listener.inputs.protocol).toLowerCase(),
        host: parsed.hostname,
        port,
        path: parsed.pathname,
        query: "",
      })
    : path.code;
  let real: number | string;
  try {
    real = (await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(10_000) })).status;
  } catch (error) {
    const cause: unknown = error instanceof Error ? error.cause : undefined;
    const code =
      typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
    real = code === "" ? String(error) : code;
  }
  return { url, model, real };
}

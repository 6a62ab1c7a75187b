/**
 * The two probes of the peer region, behind a fetch port so tests run them against a real local
 * HTTP server. A probe never throws: a failure (timeout, refused connection, bad status) is the
 * data the prober exists to publish.
 *
 * - API probe: GET of the peer's regional API health URL; healthy only on 200 within the
 *   timeout. Redirects are not followed: the health path must answer itself, and following one
 *   could report a different endpoint's health.
 * - Region probe: unauthenticated GET of https://rds.<region>.amazonaws.com/. Any status below
 *   500 (AWS answers 3xx/4xx to a bare GET) proves the region's API front door is up; a network
 *   error, a timeout or a 5xx does not. Together the two tell "our app is down over there" from
 *   "the region is down", which is what the corroborating alarm needs.
 */

/** Route 53 and the contract give a probe 5 s; longer would overlap the next minute's run. */
export const PROBE_TIMEOUT_MS = 5_000;

/** The part of a fetch Response a probe reads. */
export interface ProbeResponse {
  readonly status: number;
  /** Cancelled unread: the status is all a probe needs, and cancelling frees the socket. */
  readonly body: { cancel(): Promise<void> } | null;
}

export interface ProbeRequestInit {
  readonly method: "GET";
  readonly redirect: "manual";
  readonly signal: AbortSignal;
  readonly headers: Readonly<Record<string, string>>;
}

/** The global `fetch` satisfies this; tests may pass a wrapper. */
export type FetchPort = (url: string, init: ProbeRequestInit) => Promise<ProbeResponse>;

export interface ProbeOptions {
  readonly fetch: FetchPort;
  /** @default PROBE_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Monotonic milliseconds. @default performance.now */
  readonly now?: () => number;
}

export interface ProbeResult {
  readonly url: string;
  readonly ok: boolean;
  /** From the request until the response headers, or until the failure. */
  readonly latencyMs: number;
  /** The HTTP status, when one was received. */
  readonly status?: number;
  /** Why the probe failed ("status 503", "timeout after 5000 ms", "network error: ECONNREFUSED"). */
  readonly reason?: string;
}

const USER_AGENT = "tap-dr-health-prober";

/** The regional RDS API endpoint of `region` (commercial partition). */
export function regionEndpointUrl(region: string): string {
  return `https://rds.${region}.amazonaws.com/`;
}

/** Deep health of the peer's API: fails unless it answers 200 within the timeout. */
export function probeApi(url: string, options: ProbeOptions): Promise<ProbeResult> {
  return probe(url, options, (status) => status === 200);
}

/** The peer region's API front door: fails on a network error, a timeout or a 5xx. */
export function probeRegionEndpoint(url: string, options: ProbeOptions): Promise<ProbeResult> {
  return probe(url, options, (status) => status < 500);
}

async function probe(
  url: string,
  options: ProbeOptions,
  healthy: (status: number) => boolean,
): Promise<ProbeResult> {
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const now = options.now ?? (() => performance.now());
  const started = now();
  const elapsed = () => Math.max(0, Math.round(now() - started));
  try {
    const response = await options.fetch(url, {
      method: "GET",
      redirect: "manual",
      signal: AbortSignal.timeout(timeoutMs),
      headers: { "user-agent": USER_AGENT, "cache-control": "no-cache" },
    });
    const latencyMs = elapsed();
    await response.body?.cancel().catch(() => undefined);
    return healthy(response.status)
      ? { url, ok: true, latencyMs, status: response.status }
      : { url, ok: false, latencyMs, status: response.status, reason: `status ${response.status}` };
  } catch (error) {
    return { url, ok: false, latencyMs: elapsed(), reason: failureReason(error, timeoutMs) };
  }
}

/**
 * fetch rejects with a TimeoutError (AbortSignal.timeout) or a TypeError whose cause has the
 * code. Read by shape, not `instanceof`: undici's errors may come from another realm.
 */
function failureReason(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = fieldsOf(error);
  if (name === "TimeoutError" || name === "AbortError") return `timeout after ${timeoutMs} ms`;
  const { code, message: causeMessage } = fieldsOf(cause);
  if (typeof code === "string") return `network error: ${code}`;
  const detail = [message, causeMessage].filter((m): m is string => typeof m === "string");
  return `network error: ${detail.length > 0 ? detail.join(": ") : String(error)}`;
}

function fieldsOf(value: unknown): {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
} {
  return typeof value === "object" && value !== null ? value : {};
}

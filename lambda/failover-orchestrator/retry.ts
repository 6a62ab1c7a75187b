/**
 * Explicit, bounded retries.
 *
 * - `withThrottlingRetry` (mutating calls): throttling errors only. A throttled request was
 *   refused before it did anything, so repeating it is safe even for FailoverGlobalCluster or
 *   CreateDBInstance. Any other error of a mutating call may have half-happened; it is
 *   reported, never repeated (a second, racing promotion is worse than a page to a human).
 * - `withReadRetry` (Describe*, GetMetricData, GetItem): throttling AND transient errors (5xx,
 *   timeouts, resets), because repeating a read is always safe and a single 500 on a poll must
 *   not fail a failover.
 *
 * Why explicit: the SDK's own retry middleware is bypassed by aws-sdk-client-mock, so tests could
 * not prove a retry that lived there; and the RDS client is built with `maxAttempts: 1` (see
 * index.ts) precisely so that the SDK never repeats a promotion on a 5xx behind our back.
 */

/** Error names/codes AWS uses for "slow down" across RDS, CloudWatch, SNS, SFN and DynamoDB. */
export const THROTTLING_ERROR_NAMES: ReadonlySet<string> = new Set([
  "ThrottlingException",
  "Throttling",
  "RequestLimitExceeded",
  "TooManyRequestsException",
]);

export interface RetryOptions {
  /** Total attempts, the first included. @default 5 */
  readonly attempts?: number;
  /** Delay before the 2nd attempt; doubles each time, with full jitter. @default 200 */
  readonly baseDelayMs?: number;
  /** Upper bound of one delay. @default 3000 */
  readonly maxDelayMs?: number;
  /** Injected in tests to avoid real waiting. @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each retry (logging). */
  readonly onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

const defaultSleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** True for an AWS throttling error (by `name`, or `Code`/`code` as some services send it). */
export function isThrottlingError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as { name?: unknown; Code?: unknown; code?: unknown };
  return [candidate.name, candidate.Code, candidate.code].some(
    (value) => typeof value === "string" && THROTTLING_ERROR_NAMES.has(value),
  );
}

/** Node/SDK error names and codes of a request that failed in transit (safe to repeat a read). */
const TRANSIENT_ERROR_NAMES: ReadonlySet<string> = new Set([
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "InternalFailure",
  "InternalError",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "ECONNRESET",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
]);

/** True for an error a read may be repeated after: throttling, 5xx, or a network failure. */
export function isTransientError(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as {
    name?: unknown;
    code?: unknown;
    $metadata?: { httpStatusCode?: unknown };
  };
  const status = candidate.$metadata?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return true;
  return [candidate.name, candidate.code].some(
    (value) => typeof value === "string" && TRANSIENT_ERROR_NAMES.has(value),
  );
}

/** Runs a MUTATING `call`, retrying ONLY throttling errors, at most `attempts` times in all. */
export function withThrottlingRetry<T>(
  call: () => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  return retrying(call, options, isThrottlingError);
}

/** Runs a READ `call`, retrying throttling and transient errors, at most `attempts` times. */
export function withReadRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retrying(call, options, isTransientError);
}

async function retrying<T>(
  call: () => Promise<T>,
  options: RetryOptions,
  retryable: (error: unknown) => boolean,
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const base = options.baseDelayMs ?? 200;
  const max = options.maxDelayMs ?? 3000;
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!retryable(error) || attempt >= attempts) throw error;
      // Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): spreads the
      // retries of both regions' orchestrators and the CLI instead of synchronising them.
      const delayMs = Math.round(Math.random() * Math.min(max, base * 2 ** (attempt - 1)));
      options.onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}

/**
 * GET /health: a deep check for the Route 53 health checker and the ALB.
 *
 * Route 53 counts an HTTP(S) check as healthy only if the endpoint answers with 2xx/3xx within
 * two seconds after the TCP connection is established ("How Amazon Route 53 determines whether a
 * health check is healthy", Route 53 Developer Guide). So each dependency is probed in parallel
 * under its own budget (800 ms by default), and the answer comes back in about that time even when
 * a dependency hangs.
 *
 * - database: reachable, and its role: "writer" where this region's cluster accepts writes,
 *   "reader" on a secondary. A reachable reader is healthy (Route 53 may send traffic here; writes
 *   answer 503 until promotion).
 * - dynamodb: a GetItem on this region's replica of the table (same IAM as the API's reads).
 *
 * The body names failing checks but never carries error text (it is public); the log does.
 */
import { countMetric, describeError, logger, MetricNames } from "../shared/observability";
import type { DatabaseRole } from "../shared/stores/ports";
import type { ResolvedApiDeps } from "./deps";
import { type ApiResponse, jsonResponse } from "./http";

type CheckName = "database" | "dynamodb";

interface CheckResult {
  readonly status: "ok" | "failing";
  readonly latencyMs: number;
  readonly reason?: "timeout" | "error";
}

export async function health(deps: ResolvedApiDeps): Promise<ApiResponse> {
  const [database, dynamodb] = await Promise.all([
    runCheck("database", deps.healthTimeoutMs, () => deps.transactions.probe()),
    runCheck("dynamodb", deps.healthTimeoutMs, (signal) => deps.statuses.probe(signal)),
  ]);
  const role: DatabaseRole | undefined = database.value;
  const checks = { database: database.result, dynamodb: dynamodb.result };
  const failing = (Object.keys(checks) as CheckName[]).filter((k) => checks[k].status !== "ok");
  const common = { region: deps.region, ...(role !== undefined ? { role } : {}), checks };

  if (failing.length > 0) {
    countMetric(MetricNames.HealthCheckFailed);
    return jsonResponse(503, { status: "unhealthy", failing, ...common });
  }
  return jsonResponse(200, { status: "ok", ...common });
}

/** Runs one probe under its own deadline; a late answer or failure is dropped, never thrown. */
async function runCheck<T>(
  name: CheckName,
  timeoutMs: number,
  check: (signal: AbortSignal) => Promise<T>,
): Promise<{ result: CheckResult; value?: T }> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ kind: "timeout" }>((resolve) => {
    timer = setTimeout(() => resolve({ kind: "timeout" }), timeoutMs);
  });
  const probe = check(controller.signal).then(
    (value) => ({ kind: "ok" as const, value }),
    (error: unknown) => ({ kind: "error" as const, error }),
  );
  const outcome = await Promise.race([probe, deadline]);
  clearTimeout(timer);
  const latencyMs = Math.round(performance.now() - started);
  switch (outcome.kind) {
    case "ok":
      return { result: { status: "ok", latencyMs }, value: outcome.value };
    case "timeout":
      controller.abort();
      logger.warn("Health check timed out", { check: name, timeoutMs });
      return { result: { status: "failing", latencyMs, reason: "timeout" } };
    case "error":
      logger.warn("Health check failed", { check: name, error: describeError(outcome.error) });
      return { result: { status: "failing", latencyMs, reason: "error" } };
  }
}

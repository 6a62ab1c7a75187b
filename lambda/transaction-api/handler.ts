/**
 * The API core behind the ALB: routes an ALB event to the use case and renders every outcome,
 * including typed errors, as an ALB response. `makeApiHandler(deps)` is used unchanged by the
 * Lambda entry (index.ts), the local HTTP server and the tests; only the adapters differ.
 *
 * Routes:
 *   POST /transactions                 create (Idempotency-Key required)
 *   GET  /transactions/{id}            one transaction
 *   GET  /accounts/{id}/transactions   newest transactions from that source account
 *   GET  /health                       deep health check (Route 53 failover)
 *   GET  /health/live                  liveness only, for the load balancer's target health: a
 *                                      database outage must not make the ALB (or Auto Scaling)
 *                                      replace healthy targets, only move traffic via Route 53
 */
import type { ALBEvent, ALBResult } from "aws-lambda";

import { HttpError, MethodNotAllowedError, NotFoundError } from "../shared/errors";
import { describeError, flushMetrics, logger } from "../shared/observability";
import { fromAlbEvent, toAlbResult } from "./alb";
import { createTransaction } from "./create-transaction";
import { type ApiDeps, type ResolvedApiDeps, resolveDeps } from "./deps";
import { getTransaction, listAccountTransactions } from "./get-transaction";
import { health } from "./health";
import { type ApiRequest, type ApiResponse, jsonResponse } from "./http";

export type ApiHandler = (event: ALBEvent) => Promise<ALBResult>;

interface Route {
  readonly pattern: RegExp;
  readonly methods: Readonly<
    Record<
      string,
      (deps: ResolvedApiDeps, req: ApiRequest, params: string[]) => Promise<ApiResponse>
    >
  >;
}

const ROUTES: readonly Route[] = [
  { pattern: /^\/health$/, methods: { GET: (deps) => health(deps) } },
  {
    pattern: /^\/health\/live$/,
    methods: { GET: () => Promise.resolve(jsonResponse(200, { status: "alive" })) },
  },
  { pattern: /^\/transactions$/, methods: { POST: (deps, req) => createTransaction(deps, req) } },
  {
    pattern: /^\/transactions\/([^/]+)$/,
    methods: { GET: (deps, _req, [id]) => getTransaction(deps, decode(id)) },
  },
  {
    pattern: /^\/accounts\/([^/]+)\/transactions$/,
    methods: { GET: (deps, _req, [id]) => listAccountTransactions(deps, decode(id)) },
  },
];

export function makeApiHandler(deps: ApiDeps): ApiHandler {
  const resolved = resolveDeps(deps);
  return async (event) => {
    const request = fromAlbEvent(event);
    const response = await route(resolved, request);
    flushMetrics();
    return toAlbResult(response, event.multiValueHeaders !== undefined);
  };
}

async function route(deps: ResolvedApiDeps, req: ApiRequest): Promise<ApiResponse> {
  try {
    const path = req.path.length > 1 ? req.path.replace(/\/+$/, "") : req.path;
    for (const { pattern, methods } of ROUTES) {
      const match = pattern.exec(path);
      if (match === null) continue;
      const run = methods[req.method];
      if (run === undefined) throw new MethodNotAllowedError(Object.keys(methods));
      return await run(deps, req, match.slice(1));
    }
    throw new NotFoundError("route");
  } catch (error) {
    if (error instanceof HttpError) {
      return jsonResponse(error.statusCode, error.body, error.headers);
    }
    logger.error("Unhandled error", {
      method: req.method,
      path: req.path,
      error: describeError(error, true),
    });
    return jsonResponse(500, { error: "internal_error" });
  }
}

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? "");
  } catch {
    return "";
  }
}

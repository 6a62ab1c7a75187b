/**
 * Lambda entry of the health prober: an EventBridge schedule (every minute) invokes it with
 * `{ targetUrl, peerRegion }`. It runs outside any VPC because it probes the peer region's
 * PUBLIC endpoints, as a client of that region would reach them.
 */
import type { Context } from "aws-lambda";

import { traced } from "../shared/tracing";
import { type ProberReport, makeProberHandler } from "./handler";
import { createProberLogger, createProberMetrics } from "./observability";

const logger = createProberLogger();

const prober = makeProberHandler({ fetch, metrics: createProberMetrics(), logger });

export const handler = async (event: unknown, context: Context): Promise<ProberReport> => {
  logger.addContext(context);
  return traced("health-prober", () => prober(event));
};

/**
 * Lambda entry for the ALB target group. Clients and the pg pool are built once per cold start
 * (module scope) and reused by every invocation of this execution environment.
 */
import type { ALBEvent, ALBResult, Context } from "aws-lambda";

import { buildAwsAdapters } from "../shared/aws-wiring";
import { logger } from "../shared/observability";
import { traced } from "../shared/tracing";
import { makeApiHandler } from "./handler";

const api = makeApiHandler(buildAwsAdapters());

export const handler = async (event: ALBEvent, context: Context): Promise<ALBResult> => {
  logger.addContext(context);
  return traced("transaction-api", () => api(event));
};

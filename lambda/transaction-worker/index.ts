/**
 * Lambda entry of the worker: the SQS event source (ReportBatchItemFailures) and the EventBridge
 * schedule that drains the outbox both invoke this function.
 */
import type { Context } from "aws-lambda";

import { buildAwsAdapters } from "../shared/aws-wiring";
import { logger } from "../shared/observability";
import { traced } from "../shared/tracing";
import { type WorkerEvent, makeWorkerHandler } from "./handler";

const worker = makeWorkerHandler(buildAwsAdapters());

export const handler = async (event: WorkerEvent, context: Context) => {
  logger.addContext(context);
  return traced("transaction-worker", () => worker(event, context));
};

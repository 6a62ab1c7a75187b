/**
 * Fixed settings of the regional app tier and the pure decisions made from config,
 * in one place so the components, the tests and the README agree.
 */
import * as pulumi from "@pulumi/pulumi";
import { DATABASE_NAME, AURORA_PORT } from "../data/aurora-engine";
import { TRANSACTION_CONSUMER_TIMEOUT_SECONDS } from "../data/transaction-queues";
import { databaseSecretName, transactionTableName } from "../naming";

/** A region's role, as the app tier tells its handlers (REGION_ROLE) and tags its fleet. */
export type AppRegionRole = "primary" | "dr";

/**
 * The API answers the load balancer within this; a request that needs longer is
 * a dependency problem, and the handler's SDK clients give up after 3 s per call.
 */
export const API_TIMEOUT_SECONDS = 10;
/** More memory is more CPU on Lambda: TLS to Aurora and JSON dominate a request. */
export const API_MEMORY_MB = 1024;
/**
 * The queue's visibility timeout (6x this) is sized from the same constant
 * (lib/data/transaction-queues.ts), as Lambda asks for SQS event sources.
 */
export const WORKER_TIMEOUT_SECONDS = TRANSACTION_CONSUMER_TIMEOUT_SECONDS;
export const WORKER_MEMORY_MB = 512;
/** Messages per invocation; at most 10 needs no batching window (Lambda SQS parameters). */
export const WORKER_BATCH_SIZE = 10;
/** Gathers up to a second of messages into one batch; settlement is not latency-critical. */
export const WORKER_BATCHING_WINDOW_SECONDS = 1;
/** Maximum concurrency when no reserved concurrency bounds the worker. */
export const DEFAULT_WORKER_MAX_CONCURRENCY = 10;
/** ScalingConfig.MaximumConcurrency range (Lambda API reference, ScalingConfig). */
export const MIN_SQS_MAX_CONCURRENCY = 2;
export const MAX_SQS_MAX_CONCURRENCY = 1000;

/** EventBridge schedule of the outbox drain. */
export const OUTBOX_DRAIN_SCHEDULE = "rate(1 minute)";
/** The event the worker recognizes as "drain the transactional outbox". */
export const OUTBOX_DRAIN_EVENT = { action: "drain-outbox" } as const;
/**
 * No retry of a failed scheduled drain: the next tick a minute later runs the same
 * drain anyway, and a retry would only overlap it. The record goes to the failure queue.
 */
export const DRAIN_MAX_RETRY_ATTEMPTS = 0;
/** The smallest maximum event age Lambda accepts (60 s): a stale drain is worthless. */
export const DRAIN_MAX_EVENT_AGE_SECONDS = 60;
/** Records of failed asynchronous invocations are kept as long as SQS allows. */
export const FAILURE_QUEUE_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** The deep health check (database, DynamoDB, writer role) Route 53 uses to fail over regions. */
export const HEALTH_CHECK_PATH = "/health";
/**
 * Liveness only, for the target group: a database outage must move traffic through Route 53,
 * not make the load balancer mark every target unhealthy or Auto Scaling replace healthy
 * instances in a loop.
 */
export const LIVENESS_CHECK_PATH = "/health/live";
/** Port of the EC2 tier's server (unprivileged). */
export const APP_PORT = 8080;
/** ALB idle timeout; the EC2 server keeps connections open longer (65 s), as ELB asks. */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
/** Access-log prefix in the log bucket; ELB appends AWSLogs/<account>/ and forbids "AWSLogs" here. */
export const ALB_ACCESS_LOG_PREFIX = "alb";
/** TLS 1.3 and 1.2 only; AWS's recommended policy for HTTPS listeners. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** CloudWatch namespace of the handlers' Powertools metrics. */
export const METRICS_NAMESPACE = "TapDr";
/**
 * From Node.js 20, Lambda no longer loads the Amazon CA certificates (RDS among them)
 * by default; this file in the runtime holds them, and NODE_EXTRA_CA_CERTS restores
 * them (Lambda Developer Guide, "Building Lambda functions with Node.js").
 */
export const LAMBDA_CA_BUNDLE = "/var/runtime/ca-cert.pem";

/**
 * The worker's event-source maximum concurrency: one below its reserved concurrency,
 * since the mapping does not see the reserve and would otherwise invoke into throttles
 * (Lambda Developer Guide, "Configuring scaling behavior for SQS event source
 * mappings"), and the scheduled drain needs the last execution. undefined (no
 * ScalingConfig) when that is below the API's minimum of 2.
 */
export function workerMaximumConcurrency(reserved: number | undefined): number | undefined {
  if (reserved === undefined) {
    return DEFAULT_WORKER_MAX_CONCURRENCY;
  }
  // One execution stays free for the scheduled outbox drain, which the mapping cannot see: with
  // the queue using the whole reserve, the drain would be throttled and age out.
  const forQueue = reserved - 1;
  if (forQueue < MIN_SQS_MAX_CONCURRENCY) {
    return undefined;
  }
  return Math.min(forQueue, MAX_SQS_MAX_CONCURRENCY);
}

/** What the handlers are told about the region they run in. */
export interface HandlerEnvironmentInputs {
  readonly environmentSuffix: string;
  readonly role: AppRegionRole;
  /** This region's Aurora cluster endpoint. */
  readonly databaseHost: pulumi.Input<string>;
  /**
   * This region's Aurora reader endpoint: reads and the health probe. A global database's
   * secondary has no active cluster (writer) endpoint until it is promoted.
   */
  readonly databaseReadHost: pulumi.Input<string>;
  /** This region's transaction queue. */
  readonly queueUrl: pulumi.Input<string>;
  /** POWERTOOLS_SERVICE_NAME: "transaction-api" or "transaction-worker". */
  readonly serviceName: string;
}

/**
 * The environment every handler gets: names and locations only, never a secret
 * (L-11); the function's region reads its own region's copy of each.
 */
export function handlerEnvironment(
  inputs: HandlerEnvironmentInputs,
): Record<string, pulumi.Input<string>> {
  return {
    DB_HOST: inputs.databaseHost,
    DB_READ_HOST: inputs.databaseReadHost,
    DB_PORT: String(AURORA_PORT),
    DB_NAME: DATABASE_NAME,
    DB_SECRET_ID: databaseSecretName(inputs.environmentSuffix),
    TABLE_NAME: transactionTableName(inputs.environmentSuffix),
    QUEUE_URL: inputs.queueUrl,
    POWERTOOLS_SERVICE_NAME: inputs.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
    REGION_ROLE: inputs.role,
  };
}

/** The same environment for the EC2 server: it brings its own CA file (DB_CA_FILE), no Lambda path. */
export function serverEnvironment(
  inputs: HandlerEnvironmentInputs,
): Record<string, pulumi.Input<string>> {
  return Object.fromEntries(
    Object.entries(handlerEnvironment(inputs)).filter(([key]) => key !== "NODE_EXTRA_CA_CERTS"),
  );
}

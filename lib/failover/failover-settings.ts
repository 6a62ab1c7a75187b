/**
 * Fixed settings of the failover automation, in one place so the components, the state machine
 * definition, the tests and the README agree.
 */

/**
 * The orchestrator's entry and each workflow step make a handful of API calls in their own
 * region (describe, one conditional write, one publish, one StartExecution); each SDK call
 * retries throttling for a few seconds. A minute bounds a stuck call without cutting a slow one.
 */
export const ORCHESTRATOR_TIMEOUT_SECONDS = 60;
/** The work is I/O-bound; 256 MB keeps the cold start short (more memory is more CPU). */
export const ORCHESTRATOR_MEMORY_MB = 256;
/**
 * Reserved so that an API surge in the same account cannot throttle the failover path, and
 * small: one entry invocation plus one workflow step run at a time; the lock serialises the
 * rest, and throttled callers retry (EventBridge's async queue, the state machine's Retry).
 * The API's and worker's reserves are configured separately; Lambda refuses any reserve that
 * would leave the account fewer than 100 unreserved executions (see MAX_RESERVED_CONCURRENCY).
 */
export const ORCHESTRATOR_RESERVED_CONCURRENCY = 2;

/** Two probes of at most 5 s each run in parallel (lambda/health-prober); 15 s covers a cold start. */
export const PROBER_TIMEOUT_SECONDS = 15;
export const PROBER_MEMORY_MB = 256;
/**
 * One run a minute: a reserve of 2 lets a slow run overlap the next without a throttle, and an
 * API surge cannot starve the probes the corroborating alarm relies on.
 */
export const PROBER_RESERVED_CONCURRENCY = 2;
/** The prober's schedule: one probe of the peer a minute, the alarms' period. */
export const PROBER_SCHEDULE = "rate(1 minute)";
/**
 * A probe that has not run within its minute is stale: the next tick probes again, so a failed
 * scheduled run is neither retried nor kept (Lambda's smallest maximum event age is 60 s).
 */
export const PROBER_MAX_EVENT_AGE_SECONDS = 60;

/** Seconds between checks of the instance added to a headless cluster (contract: 30 s). */
export const READER_POLL_SECONDS = 30;
/** Seconds between checks of the promoted cluster's writer role (contract: 15 s). */
export const PROMOTION_POLL_SECONDS = 15;
/** Per workflow task: the function's own timeout plus the invoke's overhead. */
export const WORKFLOW_TASK_TIMEOUT_SECONDS = ORCHESTRATOR_TIMEOUT_SECONDS + 30;
/**
 * A backstop for the whole execution: the Lambda's own bound on polls fails the workflow (and
 * runs the `fail` step) long before this. Adding a reader to a headless cluster typically takes
 * 10-20 minutes and a promotion a few more; two hours is far beyond both.
 */
export const WORKFLOW_TIMEOUT_SECONDS = 2 * 60 * 60;

/**
 * Asynchronous invocations of the orchestrator (EventBridge) that keep failing are retried
 * twice, Lambda's default, and then recorded in the failure queue: a corroborating alarm fires
 * its state-change event once, so a lost event would not come again.
 */
export const ORCHESTRATOR_ASYNC_RETRY_ATTEMPTS = 2;
/** Lambda's largest maximum event age (6 h): a failover trigger stays relevant for hours. */
export const ORCHESTRATOR_MAX_EVENT_AGE_SECONDS = 6 * 60 * 60;
/**
 * EventBridge's own retries of delivering to the function (which queues asynchronously, so
 * these are rare): an hour, then the event goes to the failure queue.
 */
export const EVENT_TARGET_MAX_EVENT_AGE_SECONDS = 60 * 60;
export const EVENT_TARGET_MAX_RETRY_ATTEMPTS = 20;

/**
 * RDS event categories that mean a role change or an outage of this region's database
 * (Aurora User Guide, "Amazon RDS event categories and event messages for Aurora").
 */
export const RDS_FAILOVER_EVENT_CATEGORIES = ["global-failover", "failover", "failure"] as const;

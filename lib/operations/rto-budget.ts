/**
 * The recovery time budget of each DR tier, from config: how long until the DR region takes
 * writes after the primary region is lost. Pure, so the README table, `npm run plan` and the
 * tests read the same figures. Traffic moves in parallel (lib/dns/failover-budget.ts): clients
 * reach DR long before it writes, and DR answers writes 503 `not_writer` until then.
 */
import { FailoverMode } from "./operations-config";

/** The health prober runs once a minute (EventBridge's finest rate, rate(1 minute)). */
export const PROBE_PERIOD_SECONDS = 60;

/**
 * CloudWatch evaluates a 60 s period after it closes, and metric data from EMF logs lands
 * within about a minute; the composite alarm and EventBridge add seconds. One period of
 * slack covers them (a planning figure, not an AWS promise).
 */
export const ALARM_EVALUATION_DELAY_SECONDS = 60;

/**
 * Aurora's promotion of a secondary: "Typically, the chosen secondary cluster assumes the
 * primary role within a few minutes" (Aurora User Guide, "Using Amazon Aurora Global
 * Database: disaster recovery"); "a few minutes" is budgeted as 5.
 */
export const PROMOTION_SECONDS = 300;

/**
 * Adding the first instance to a headless secondary. AWS documents no figure; instance
 * creation typically takes 10-20 minutes, budgeted as 20 until measured on a game day.
 */
export const ADD_INSTANCE_SECONDS = 1_200;

/** Warm standby: the DR cluster has instances. Pilot light: it is headless. */
export type DrTier = "warm-standby" | "pilot-light";

export interface RtoBudget {
  readonly tier: DrTier;
  readonly failoverMode: FailoverMode;
  /** Probe period + the corroboration window + alarm evaluation: when the orchestrator is called. */
  readonly detectionSeconds: number;
  /** Adding an instance to a headless cluster; 0 for warm standby. */
  readonly addInstanceSeconds: number;
  readonly promotionSeconds: number;
  /** Detection + add instance + promotion: when DR takes writes, with automatic failover. */
  readonly totalSeconds: number;
}

/** The tier a DR instance count makes. */
export const drTierOf = (drInstances: number): DrTier =>
  drInstances === 0 ? "pilot-light" : "warm-standby";

/**
 * The tier the DR region is in before a failover, as its traffic sees it: pilot light when it
 * has no database instance, or, on the EC2 tier, no running app instance. Its deep health check
 * then answers 503, so Route 53 sends it no traffic and the other region's prober reports it,
 * until a failover adds what is missing (the stack output `drTier`).
 */
export function drServingTier(args: {
  readonly drInstances: number;
  readonly appTier: "lambda" | "ec2";
  readonly drAppDesiredCapacity: number;
}): DrTier {
  const noApp = args.appTier === "ec2" && args.drAppDesiredCapacity === 0;
  return noApp ? "pilot-light" : drTierOf(args.drInstances);
}

/**
 * The write RTO budget of a tier. In `notify` mode detection ends with a page, and the
 * figures after it start when a human runs `npm run dr -- failover`.
 */
export function rtoBudget(args: {
  readonly tier: DrTier;
  readonly failoverWindowMinutes: number;
  readonly failoverMode: FailoverMode;
}): RtoBudget {
  const detectionSeconds =
    PROBE_PERIOD_SECONDS + args.failoverWindowMinutes * 60 + ALARM_EVALUATION_DELAY_SECONDS;
  const addInstanceSeconds = args.tier === "pilot-light" ? ADD_INSTANCE_SECONDS : 0;
  return {
    tier: args.tier,
    failoverMode: args.failoverMode,
    detectionSeconds,
    addInstanceSeconds,
    promotionSeconds: PROMOTION_SECONDS,
    totalSeconds: detectionSeconds + addInstanceSeconds + PROMOTION_SECONDS,
  };
}

/**
 * The recovery budget of a stack, per DR tier, from its config and its graph: how fast traffic
 * leaves a failed region (lib/dns/failover-budget.ts), how fast the DR region writes
 * (lib/operations/rto-budget.ts), and how much data a failover or a restore can lose.
 */
import type { TapConfig } from "../../lib/config";
import {
  FailoverBudget,
  explainFailoverBudget,
  failoverBudget,
} from "../../lib/dns/failover-budget";
import {
  DrTier,
  PROMOTION_SECONDS,
  RtoBudget,
  drTierOf,
  rtoBudget,
} from "../../lib/operations/rto-budget";
import type { ProgramRun } from "../graph/capture";
import { GraphIndex, textOf } from "../graph/graph-index";

export const DR_TIERS: readonly DrTier[] = ["warm-standby", "pilot-light"];

/** Aurora's documented promotion time, as rto-budget.ts budgets it. */
export const PROMOTION_SOURCE =
  '"Typically, the chosen secondary cluster assumes the primary role within a few minutes" ' +
  '(Aurora User Guide, "Using Amazon Aurora Global Database: disaster recovery"); ' +
  `budgeted as ${PROMOTION_SECONDS / 60} min`;

export interface TrafficBudget {
  /** false without a domain: no Route 53 records or health checks. */
  readonly enabled: boolean;
  readonly routingPolicy: string;
  readonly budget?: FailoverBudget;
  readonly explanation: string;
}

export interface TierBudget {
  readonly tier: DrTier;
  /** The tier this stack's config deploys. */
  readonly current: boolean;
  /** DR cluster instances in this tier: the stack's own, or the variant `npm run plan` compares. */
  readonly drDbInstances: number;
  readonly rto: RtoBudget;
  readonly explanation: string;
}

export interface BackupRule {
  readonly name: string;
  readonly schedule: string;
  /** Hours between recovery points. */
  readonly intervalHours: number;
  readonly startWindowMinutes: number;
  readonly completionWindowMinutes: number;
  readonly retentionDays: number;
  /** Regions of the vaults the rule copies to. */
  readonly copiedTo: string[];
}

export interface RpoBudget {
  readonly aurora: {
    readonly typical: string;
    /** dbRpoSeconds: the primary pauses commits when no secondary is within it. */
    readonly managedBoundSeconds: number | undefined;
    readonly switchoverSeconds: 0;
    readonly explanation: string;
  };
  readonly dynamodb: string;
  /** Replication Time Control's threshold of the S3 replication rules in the graph. */
  readonly s3ReplicationMinutes: number | undefined;
  readonly backup: {
    readonly rules: BackupRule[];
    /** The newest recovery point in the primary region is at most this old (interval + start window). */
    readonly inRegionHours: number | undefined;
    /** The same for the copies in the DR region. */
    readonly crossRegionHours: number | undefined;
    readonly auroraPitrDays: number;
    readonly explanation: string;
  };
}

export interface DrBudget {
  readonly failoverMode: string;
  readonly failoverWindowMinutes: number;
  readonly traffic: TrafficBudget;
  /** The stack's own tier first. */
  readonly tiers: TierBudget[];
  readonly promotionSource: string;
  readonly rpo: RpoBudget;
}

const minutes = (seconds: number): string =>
  seconds % 60 === 0 ? `${seconds / 60} min` : `${(seconds / 60).toFixed(1)} min`;

function explainRto(budget: RtoBudget, windowMinutes: number): string {
  const parts = [
    `detection ${budget.detectionSeconds} s (60 s probe + ${windowMinutes * 60} s window + 60 s alarm evaluation)`,
    ...(budget.addInstanceSeconds > 0 ? [`add a DR instance ${budget.addInstanceSeconds} s`] : []),
    `promotion ${budget.promotionSeconds} s`,
  ];
  const notify =
    budget.failoverMode === "notify"
      ? "; notify mode: a page after detection, the rest starts when someone runs `npm run dr -- failover`"
      : "";
  return `writes in DR within ${minutes(budget.totalSeconds)}: ${parts.join(" + ")}${notify}`;
}

/** Hours between runs of an AWS Backup cron schedule: 1 when the hour field is "*", else 24. */
export function cronIntervalHours(schedule: string): number {
  const fields = /^cron\((.*)\)$/.exec(schedule.trim())?.[1].split(/\s+/) ?? [];
  const [, hours = "", dayOfMonth = "*", , dayOfWeek = "?"] = fields;
  if (hours === "*" || hours.includes("/")) {
    const step = Number(hours.split("/")[1] ?? 1);
    return Number.isFinite(step) && step > 0 ? step : 1;
  }
  const daily =
    (dayOfMonth === "*" || dayOfMonth === "?") && (dayOfWeek === "*" || dayOfWeek === "?");
  return daily ? 24 : 24 * 7;
}

function backupRules(graph: GraphIndex): BackupRule[] {
  return graph.ofType("aws:backup/plan:Plan").flatMap((plan) =>
    ((plan.inputs.rules ?? []) as Record<string, unknown>[]).map((rule) => {
      const copies = (rule.copyActions ?? []) as { destinationVaultArn?: string }[];
      const schedule = textOf(rule.schedule);
      return {
        name: textOf(rule.ruleName),
        schedule,
        intervalHours: cronIntervalHours(schedule),
        startWindowMinutes: Number(rule.startWindow ?? 60),
        completionWindowMinutes: Number(rule.completionWindow ?? 0),
        retentionDays: Number(
          (rule.lifecycle as { deleteAfter?: number } | undefined)?.deleteAfter ?? 0,
        ),
        copiedTo: copies.map(
          (copy) =>
            graph.byArn(copy.destinationVaultArn)?.region ??
            String(copy.destinationVaultArn ?? "").split(":")[3] ??
            "",
        ),
      };
    }),
  );
}

const worstAge = (rules: BackupRule[]): number | undefined =>
  rules.length === 0
    ? undefined
    : Math.min(...rules.map((rule) => rule.intervalHours + rule.startWindowMinutes / 60));

export function rpoBudget(config: TapConfig, run: ProgramRun): RpoBudget {
  const graph = new GraphIndex(run);
  const managed = config.database.rpoSeconds;
  const rules = backupRules(graph);
  const rtcMinutes = graph
    .ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig")
    .flatMap(
      (c) =>
        (c.inputs.rules ?? []) as {
          destination?: { replicationTime?: { time?: { minutes?: number } } };
        }[],
    )
    .map((rule) => rule.destination?.replicationTime?.time?.minutes)
    .filter((m): m is number => typeof m === "number");
  const inRegion = worstAge(rules);
  const crossRegion = worstAge(rules.filter((rule) => rule.copiedTo.includes(config.drRegion)));
  return {
    aurora: {
      typical: "under 1 s (Aurora storage replication to the secondary)",
      managedBoundSeconds: managed,
      switchoverSeconds: 0,
      explanation:
        managed === undefined
          ? "an unplanned failover loses what had not replicated yet, typically under a second; dbRpoSeconds is off, so nothing bounds it; a planned switchover loses nothing"
          : `an unplanned failover loses at most about ${managed} s: with rds.global_db_rpo = ${managed} the primary pauses commits while no secondary is within it; a planned switchover loses nothing`,
    },
    dynamodb:
      "global table replication is asynchronous, with no documented bound; ReplicationLatency is alarmed in each region",
    s3ReplicationMinutes: rtcMinutes.length === 0 ? undefined : Math.max(...rtcMinutes),
    backup: {
      rules,
      inRegionHours: inRegion,
      crossRegionHours: crossRegion,
      auroraPitrDays: config.database.backupRetentionDays,
      explanation:
        `AWS Backup: ${rules.map((r) => `${r.name} every ${r.intervalHours} h kept ${r.retentionDays} d${r.copiedTo.length > 0 ? `, copied to ${r.copiedTo.join(", ")}` : ""}`).join("; ")}; ` +
        "a recovery point starts within its start window after the scheduled time. Aurora point-in-time restore in each cluster's region: " +
        `continuous, ${config.database.backupRetentionDays} d back (Aurora uploads log records to S3 continuously; LatestRestorableTime shows the newest point)`,
    },
  };
}

export function trafficBudget(config: TapConfig): TrafficBudget {
  if (config.dns.domainName === undefined) {
    return {
      enabled: false,
      routingPolicy: config.dns.routingPolicy,
      explanation:
        "no domain: no Route 53 records or health checks, so nothing moves clients; they must switch to the DR region's URL themselves",
    };
  }
  const budget = failoverBudget(config.dns);
  const weighted =
    config.dns.routingPolicy === "weighted"
      ? `; weighted routing (primary ${config.dns.primaryWeight}, DR ${config.dns.drWeight}): an unhealthy region's weight is skipped`
      : "";
  return {
    enabled: true,
    routingPolicy: config.dns.routingPolicy,
    budget,
    explanation: `${explainFailoverBudget(budget)}${weighted}`,
  };
}

/** The recovery budget of the stack's own tier and of the other tier, from config. */
export function drBudget(
  config: TapConfig,
  run: ProgramRun,
  otherTierDrInstances: number,
): DrBudget {
  const current = drTierOf(config.database.drInstances);
  const { failoverMode, failoverWindowMinutes } = config.operations;
  const tiers = [current, ...DR_TIERS.filter((tier) => tier !== current)].map((tier) => {
    const rto = rtoBudget({ tier, failoverMode, failoverWindowMinutes });
    return {
      tier,
      current: tier === current,
      drDbInstances: tier === current ? config.database.drInstances : otherTierDrInstances,
      rto,
      explanation: explainRto(rto, failoverWindowMinutes),
    };
  });
  return {
    failoverMode,
    failoverWindowMinutes,
    traffic: trafficBudget(config),
    tiers,
    promotionSource: PROMOTION_SOURCE,
    rpo: rpoBudget(config, run),
  };
}

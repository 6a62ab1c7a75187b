/**
 * Reads the Aurora global database as THIS region's RDS API sees it, and derives this region's
 * role. Read-only; the orchestrator (before acting, and in every workflow step) and the CLI
 * (`npm run dr -- status`, once per region) share it.
 *
 * Only this region's endpoint is called: during a regional outage the other region's API is the
 * one that is down, and the global cluster's metadata (members, writer flag, failover state) is
 * answered by every region it spans.
 */
import {
  type DBCluster,
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  type GlobalCluster,
  type RDSClient,
} from "@aws-sdk/client-rds";

import { ClusterNotFoundError } from "./errors";
import { type RetryOptions, withReadRetry } from "./retry";

/**
 * This region's cluster in the global database:
 * - `writer`: the global primary (read-write);
 * - `secondary`: a read-only secondary with at least one instance;
 * - `headless`: a secondary with no instance (pilot light); one must be added before promotion;
 * - `detached`: not a member of the global cluster (detached and promoted by hand, or removed).
 */
export type ClusterRole = "writer" | "secondary" | "headless" | "detached";

export interface GlobalMemberStatus {
  readonly clusterArn: string;
  /** Region parsed from the ARN (arn:aws:rds:<region>:<account>:cluster:<id>). */
  readonly region: string;
  readonly isWriter: boolean;
  /** "connected" | "pending-resync" (a rejoined old primary before resync), when reported. */
  readonly synchronizationStatus?: string;
}

export interface FailoverStateStatus {
  /** "pending" | "failing-over" | "switching-over" | "cancelling". */
  readonly status: string;
  readonly fromClusterArn?: string;
  readonly toClusterArn?: string;
  /** true: a failover (FailoverGlobalCluster with AllowDataLoss); false: a switchover. */
  readonly isDataLossAllowed?: boolean;
}

/** What one region's RDS API says about the global database and this region's cluster. */
export interface RegionStatus {
  readonly region: string;
  readonly globalClusterId: string;
  readonly clusterId: string;
  readonly clusterArn: string;
  readonly role: ClusterRole;
  /** DBCluster.Status of this region's cluster ("available", "failing-over", ...). */
  readonly clusterStatus?: string;
  /** GlobalCluster.Status ("available", "failing-over", "switching-over", "modifying", ...). */
  readonly globalStatus?: string;
  /** GlobalCluster.FailoverState, present only while a failover/switchover is pending or running. */
  readonly failoverState?: FailoverStateStatus;
  /** True when a failover or switchover is in progress (FailoverState, or a role-change status). */
  readonly inProgress: boolean;
  /** Why `inProgress` is true (for the audit and the CLI). */
  readonly inProgressReason?: string;
  /** ARN of the member that is the writer now (undefined when no member says so). */
  readonly writerClusterArn?: string;
  readonly writerRegion?: string;
  readonly members: readonly GlobalMemberStatus[];
  /** Instance ids in this region's cluster (DBClusterMembers); empty for a headless cluster. */
  readonly instances: readonly string[];
  /** The instance that is this cluster's writer (DBClusterMembers.IsClusterWriter), if any. */
  readonly writerInstance?: string;
  /** ISO time of the read. */
  readonly observedAt: string;
}

export interface RegionStatusTarget {
  /** The region `rds` is configured for (reported, and used to parse member ARNs). */
  readonly region: string;
  readonly globalClusterId: string;
  /** This region's cluster identifier (DescribeDBClusters). */
  readonly clusterId: string;
  /** This region's cluster ARN (matched against GlobalClusterMembers). */
  readonly clusterArn: string;
}

export interface ReadStatusOptions {
  readonly retry?: RetryOptions;
  readonly now?: () => Date;
}

/** Global cluster / cluster statuses that mean a promotion or role change is under way. */
const ROLE_CHANGE_STATUSES: ReadonlySet<string> = new Set([
  "failing-over",
  "switching-over",
  "promoting",
]);

/** The region of an RDS ARN, or "unknown" for anything that is not one. */
export function regionOfArn(arn: string): string {
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" && parts[3] !== ""
    ? (parts[3] ?? "unknown")
    : "unknown";
}

/** DescribeGlobalClusters + DescribeDBClusters on this region's RDS API, then `deriveRegionStatus`. */
export async function readRegionStatus(
  rds: RDSClient,
  target: RegionStatusTarget,
  options: ReadStatusOptions = {},
): Promise<RegionStatus> {
  const [globalCluster, cluster] = await Promise.all([
    describeGlobalCluster(rds, target, options.retry),
    describeCluster(rds, target, options.retry),
  ]);
  return deriveRegionStatus(target, globalCluster, cluster, (options.now ?? (() => new Date()))());
}

async function describeGlobalCluster(
  rds: RDSClient,
  target: RegionStatusTarget,
  retry: RetryOptions | undefined,
): Promise<GlobalCluster> {
  try {
    const out = await withReadRetry(
      () =>
        rds.send(
          new DescribeGlobalClustersCommand({ GlobalClusterIdentifier: target.globalClusterId }),
        ),
      retry,
    );
    const found = out.GlobalClusters?.find(
      (g) => g.GlobalClusterIdentifier === target.globalClusterId,
    );
    if (found === undefined) throw notFound("global cluster", target);
    return found;
  } catch (error) {
    if (isFault(error, "GlobalClusterNotFoundFault")) throw notFound("global cluster", target);
    throw error;
  }
}

async function describeCluster(
  rds: RDSClient,
  target: RegionStatusTarget,
  retry: RetryOptions | undefined,
): Promise<DBCluster> {
  try {
    const out = await withReadRetry(
      () => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: target.clusterId })),
      retry,
    );
    const found = out.DBClusters?.[0];
    if (found === undefined) throw notFound("DB cluster", target);
    return found;
  } catch (error) {
    if (isFault(error, "DBClusterNotFoundFault")) throw notFound("DB cluster", target);
    throw error;
  }
}

function notFound(kind: "global cluster" | "DB cluster", target: RegionStatusTarget) {
  return new ClusterNotFoundError(
    kind,
    kind === "global cluster" ? target.globalClusterId : target.clusterId,
    target.region,
  );
}

function isFault(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}

/** Pure: the RegionStatus for this region from the two RDS answers. */
export function deriveRegionStatus(
  target: RegionStatusTarget,
  globalCluster: GlobalCluster,
  cluster: DBCluster,
  observedAt: Date,
): RegionStatus {
  const members: GlobalMemberStatus[] = (globalCluster.GlobalClusterMembers ?? [])
    .filter((m): m is typeof m & { DBClusterArn: string } => m.DBClusterArn !== undefined)
    .map((m) => ({
      clusterArn: m.DBClusterArn,
      region: regionOfArn(m.DBClusterArn),
      isWriter: m.IsWriter === true,
      ...(m.SynchronizationStatus !== undefined
        ? { synchronizationStatus: m.SynchronizationStatus }
        : {}),
    }));
  const own = members.find((m) => m.clusterArn === target.clusterArn);
  const instances = (cluster.DBClusterMembers ?? [])
    .map((m) => m.DBInstanceIdentifier)
    .filter((id): id is string => id !== undefined);
  const role: ClusterRole =
    own === undefined
      ? "detached"
      : own.isWriter
        ? "writer"
        : instances.length === 0
          ? "headless"
          : "secondary";
  const writerInstance = cluster.DBClusterMembers?.find(
    (m) => m.IsClusterWriter === true,
  )?.DBInstanceIdentifier;
  const writer = members.find((m) => m.isWriter);
  const fs = globalCluster.FailoverState;
  const failoverState: FailoverStateStatus | undefined =
    fs?.Status !== undefined
      ? {
          status: fs.Status,
          ...(fs.FromDbClusterArn !== undefined ? { fromClusterArn: fs.FromDbClusterArn } : {}),
          ...(fs.ToDbClusterArn !== undefined ? { toClusterArn: fs.ToDbClusterArn } : {}),
          ...(fs.IsDataLossAllowed !== undefined
            ? { isDataLossAllowed: fs.IsDataLossAllowed }
            : {}),
        }
      : undefined;
  const inProgressReason = inProgressReasonOf(globalCluster.Status, failoverState, cluster.Status);
  return {
    region: target.region,
    globalClusterId: target.globalClusterId,
    clusterId: target.clusterId,
    clusterArn: target.clusterArn,
    role,
    ...(cluster.Status !== undefined ? { clusterStatus: cluster.Status } : {}),
    ...(globalCluster.Status !== undefined ? { globalStatus: globalCluster.Status } : {}),
    ...(failoverState !== undefined ? { failoverState } : {}),
    inProgress: inProgressReason !== undefined,
    ...(inProgressReason !== undefined ? { inProgressReason } : {}),
    ...(writer !== undefined
      ? { writerClusterArn: writer.clusterArn, writerRegion: writer.region }
      : {}),
    members,
    instances,
    ...(writerInstance !== undefined ? { writerInstance } : {}),
    observedAt: observedAt.toISOString(),
  };
}

/**
 * Why a role change is under way, or undefined. FailoverState is set from the
 * FailoverGlobalCluster/SwitchoverGlobalCluster call until the operation ends (API_FailoverState);
 * the global and cluster statuses that name a role change count too. Other non-"available"
 * global statuses (modifying, upgrading, ...) are reported in `globalStatus` but do not block:
 * the API reference enumerates no values for GlobalCluster.Status, and nobody knows what a
 * region that lost its peer reports there; refusing to act on an unknown string could block the
 * one failover that matters, while RDS itself refuses a promotion it cannot do (the workflow then
 * fails visibly and keeps the lock).
 */
function inProgressReasonOf(
  globalStatus: string | undefined,
  failoverState: FailoverStateStatus | undefined,
  clusterStatus: string | undefined,
): string | undefined {
  if (failoverState !== undefined) {
    return `global cluster FailoverState is "${failoverState.status}"`;
  }
  if (globalStatus !== undefined && ROLE_CHANGE_STATUSES.has(globalStatus)) {
    return `global cluster status is "${globalStatus}"`;
  }
  if (clusterStatus !== undefined && ROLE_CHANGE_STATUSES.has(clusterStatus)) {
    return `this region's cluster status is "${clusterStatus}"`;
  }
  return undefined;
}

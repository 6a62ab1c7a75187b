/**
 * Which region a role change promotes, decided from what the regions' own RDS APIs say, asking
 * as few regions as possible:
 * - failover / switchover: the region whose cluster is a secondary. The DR region (by design) is
 *   asked first; when it answers "secondary" the other region is never called, which is what a
 *   failover during the primary region's outage needs. When it answers "writer", the secondary is
 *   the other member, and only that region is called from then on. Only when the DR region's
 *   endpoint does not answer (a transient error) is the primary region asked instead.
 * - failback: the stack's primaryRegion, refused when it already writes.
 */
import { type RegionStatus, readRegionStatus } from "../failover-orchestrator/global-cluster";
import { type RetryOptions, isTransientError } from "../failover-orchestrator/retry";
import type { AwsClients } from "./aws-clients";
import type { DesignRole } from "./outputs";
import { type StackRegion, otherRole } from "./regions";
import { errorText } from "./status";

export type RoleChangeCommand = "failover" | "switchover" | "failback";

/** The CLI will not do what was asked, and says why (exit 1; nothing was changed). */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}

export interface TargetChoice {
  readonly target: StackRegion;
  readonly other: StackRegion;
  /** The target's own status, when the target region itself was read. */
  readonly targetStatus?: RegionStatus;
  /** Which region's RDS API the choice rests on. */
  readonly observedIn: string;
}

export interface TargetDeps {
  readonly clients: AwsClients;
  readonly now: () => Date;
  readonly print: (line: string) => void;
  readonly retry: RetryOptions;
}

export async function chooseTarget(
  command: RoleChangeCommand,
  regions: Record<DesignRole, StackRegion>,
  deps: TargetDeps,
): Promise<TargetChoice> {
  if (command === "failback") return chooseFailback(regions, deps);
  const unreadable = new Map<DesignRole, string>();
  for (const role of ["dr", "primary"] as const) {
    const region = regions[role];
    const other = regions[otherRole(role)];
    let status: RegionStatus;
    try {
      status = await readStatus(region, deps);
    } catch (error) {
      // Only an unreachable endpoint is a reason to ask the other region; credentials or
      // permissions would fail there too, and the other region may be the one that is down.
      if (!isTransientError(error)) {
        throw new RefusedError(
          `cannot read the global cluster from ${region.region} (${errorText(error)}); nothing was changed`,
        );
      }
      unreadable.set(role, errorText(error));
      deps.print(`${region.region}: RDS API did not answer (${errorText(error)})`);
      continue;
    }
    if (status.role === "secondary" || status.role === "headless") {
      return { target: region, other, targetStatus: status, observedIn: region.region };
    }
    if (status.role === "detached") throw detachedError(region);
    // This region writes: the secondary, if any, is the other region.
    if (!status.members.some((m) => m.clusterArn === other.clusterArn)) {
      throw new RefusedError(
        `${region.region} is the writer and ${other.region}'s cluster ${other.clusterId} is not a member of global cluster ${region.globalClusterId}: there is no secondary to promote`,
      );
    }
    const otherError = unreadable.get(otherRole(role));
    if (otherError !== undefined) {
      throw new RefusedError(
        `${other.region} holds the secondary, but its RDS API did not answer (${otherError}); a region that cannot be reached cannot be promoted`,
      );
    }
    return { target: other, other: region, observedIn: region.region };
  }
  throw new RefusedError(
    `neither region's RDS API answered (${[...unreadable].map(([role, e]) => `${regions[role].region}: ${e}`).join("; ")}); nothing was changed`,
  );
}

async function chooseFailback(
  regions: Record<DesignRole, StackRegion>,
  deps: TargetDeps,
): Promise<TargetChoice> {
  const target = regions.primary;
  let status: RegionStatus;
  try {
    status = await readStatus(target, deps);
  } catch (error) {
    throw new RefusedError(
      `failback promotes ${target.region}, but its RDS API did not answer (${errorText(error)}); nothing was changed`,
    );
  }
  if (status.role === "writer") {
    throw new RefusedError(
      `failback: ${target.region} (the stack's primaryRegion) already writes; there is nothing to fail back`,
    );
  }
  if (status.role === "detached") throw detachedError(target);
  return { target, other: regions.dr, targetStatus: status, observedIn: target.region };
}

function readStatus(region: StackRegion, deps: TargetDeps): Promise<RegionStatus> {
  return readRegionStatus(deps.clients.forRegion(region.region).rds, region, {
    now: deps.now,
    retry: deps.retry,
  });
}

function detachedError(region: StackRegion): RefusedError {
  return new RefusedError(
    `${region.region}'s cluster ${region.clusterId} is detached from global cluster ${region.globalClusterId}; ` +
      "re-add it as a secondary (pulumi up) before a switchover or failover can target it",
  );
}

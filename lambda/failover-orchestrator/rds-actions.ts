/**
 * The mutating RDS calls, all aimed at this region's cluster, plus the instance poll of a headless
 * cluster. Every call goes to THIS region's RDS API except SwitchoverGlobalCluster, which goes to
 * the current writer's region (see `promotionRegion`). Each call is retried on throttling only
 * (see retry.ts); any other error of a mutating call is thrown to the workflow, which fails and
 * keeps the lock: a half-accepted promotion must never be raced by a second one.
 *
 * Parameter names are the SDK's (@aws-sdk/client-rds FailoverGlobalClusterMessage,
 * SwitchoverGlobalClusterMessage, CreateDBInstanceMessage). TargetDbClusterIdentifier is the
 * cluster ARN, as the RDS API reference asks, "so that Aurora can locate the cluster in its
 * Amazon Web Services Region".
 */
import {
  CreateDBInstanceCommand,
  type CreateDBInstanceMessage,
  type DBInstance,
  DescribeDBInstancesCommand,
  FailoverGlobalClusterCommand,
  type FailoverGlobalClusterMessage,
  type RDSClient,
  SwitchoverGlobalClusterCommand,
  type SwitchoverGlobalClusterMessage,
} from "@aws-sdk/client-rds";

import type { OrchestratorConfig } from "./env";
import { WriterUnknownError } from "./errors";
import { type RetryOptions, withReadRetry, withThrottlingRetry } from "./retry";
import type { RoleChange } from "./workflow-state";

export type RdsTarget = Pick<
  OrchestratorConfig,
  | "region"
  | "globalClusterId"
  | "clusterId"
  | "clusterArn"
  | "failoverInstanceIdentifier"
  | "failoverInstanceClass"
  | "dbEngine"
  | "dbParameterGroupName"
>;

/** Parameters of the promotion call (exported for the dry-run plan and the tests). */
export function promotionParams(
  target: RdsTarget,
  action: RoleChange,
): FailoverGlobalClusterMessage | SwitchoverGlobalClusterMessage {
  return action === "failover"
    ? {
        GlobalClusterIdentifier: target.globalClusterId,
        TargetDbClusterIdentifier: target.clusterArn,
        // A failover (unplanned): promote without waiting for the unreachable primary.
        AllowDataLoss: true,
      }
    : {
        GlobalClusterIdentifier: target.globalClusterId,
        TargetDbClusterIdentifier: target.clusterArn,
      };
}

/**
 * The instance added to a headless cluster. Its identifier is what the Pulumi program names DR
 * instance 0, so it can be `pulumi import`ed after the event instead of replaced. Private (the
 * cluster's subnet group and security groups apply), promotion tier 0 so it becomes the writer.
 */
export function failoverInstanceParams(target: RdsTarget): CreateDBInstanceMessage {
  return {
    DBInstanceIdentifier: target.failoverInstanceIdentifier,
    DBClusterIdentifier: target.clusterId,
    Engine: target.dbEngine,
    DBInstanceClass: target.failoverInstanceClass,
    DBParameterGroupName: target.dbParameterGroupName,
    PubliclyAccessible: false,
    PromotionTier: 0,
  };
}

/**
 * The region whose RDS API receives the promotion call. The Aurora User Guide ("Using Amazon
 * Aurora Global Database: disaster recovery", CLI steps) documents `--region` as the region of
 * the secondary being promoted for FailoverGlobalCluster, but as the region of the CURRENT
 * PRIMARY for SwitchoverGlobalCluster; calling the target's region for a switchover is not
 * documented. So a failover stays on this region (the primary's region may be the one that is
 * down: it is never called), while a switchover goes to the writer's region. That breaks no
 * static-stability rule: a switchover needs both regions healthy anyway (Aurora waits for the
 * target to be fully synchronised, then makes the primary read-only; AWS warns the planned path
 * fails in a true disaster), and for a dead primary the answer is a failover.
 *
 * `writerRegion` is RegionStatus.writerRegion, read through this region's RDS API just before.
 */
export function promotionRegion(
  target: Pick<RdsTarget, "region" | "globalClusterId">,
  action: RoleChange,
  writerRegion: string | undefined,
): string {
  if (action === "failover") return target.region;
  // regionOfArn answers "unknown" for a member ARN it cannot parse: no region to call either.
  if (writerRegion === undefined || writerRegion === "unknown") {
    throw new WriterUnknownError(target.globalClusterId, target.region);
  }
  return writerRegion;
}

export interface InstanceSummary {
  readonly id: string;
  readonly status: string;
}

export interface ReaderAvailability {
  readonly available: boolean;
  readonly instances: readonly InstanceSummary[];
}

export class RdsActions {
  /**
   * @param rds this region's client (maxAttempts 1).
   * @param rdsIn a client for a region (maxAttempts 1), built lazily: only a switchover asks for
   *   one, for the writer's region, so a failover never builds a client for another region.
   */
  constructor(
    private readonly rds: RDSClient,
    private readonly rdsIn: (region: string) => RDSClient,
    private readonly target: RdsTarget,
    private readonly retry?: RetryOptions,
  ) {}

  /**
   * FailoverGlobalCluster (AllowDataLoss) on this region's API, or SwitchoverGlobalCluster on the
   * writer's region's API (`promotionRegion`), both targeting this cluster. Returns the region
   * the call went to (for the audit).
   */
  async promote(action: RoleChange, writerRegion: string | undefined): Promise<string> {
    const params = promotionParams(this.target, action);
    const region = promotionRegion(this.target, action, writerRegion);
    if (action === "failover") {
      await withThrottlingRetry(
        () => this.rds.send(new FailoverGlobalClusterCommand(params)),
        this.retry,
      );
    } else {
      const rds = this.rdsIn(region);
      await withThrottlingRetry(
        () => rds.send(new SwitchoverGlobalClusterCommand(params)),
        this.retry,
      );
    }
    return region;
  }

  /**
   * CreateDBInstance in this headless cluster. "created", or "exists" when an instance with the
   * identifier is already there (a re-run of the step after a timeout): that is the state we
   * wanted, not an error to retry.
   */
  async createFailoverInstance(): Promise<"created" | "exists"> {
    try {
      await withThrottlingRetry(
        () => this.rds.send(new CreateDBInstanceCommand(failoverInstanceParams(this.target))),
        this.retry,
      );
      return "created";
    } catch (error) {
      if (error instanceof Error && error.name === "DBInstanceAlreadyExistsFault") return "exists";
      throw error;
    }
  }

  /** DescribeDBInstances of this cluster: available when at least one instance is "available". */
  async readerAvailability(): Promise<ReaderAvailability> {
    const instances: DBInstance[] = [];
    let marker: string | undefined;
    do {
      const page = await withReadRetry(
        () =>
          this.rds.send(
            new DescribeDBInstancesCommand({
              Filters: [{ Name: "db-cluster-id", Values: [this.target.clusterId] }],
              ...(marker !== undefined ? { Marker: marker } : {}),
            }),
          ),
        this.retry,
      );
      instances.push(...(page.DBInstances ?? []));
      marker = page.Marker;
    } while (marker !== undefined);
    const summaries = instances.map((i) => ({
      id: i.DBInstanceIdentifier ?? "unknown",
      status: i.DBInstanceStatus ?? "unknown",
    }));
    return { available: summaries.some((i) => i.status === "available"), instances: summaries };
  }
}

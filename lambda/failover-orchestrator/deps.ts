/**
 * Ports of the orchestrator core: the configuration and one SDK client per AWS service, all
 * configured for THIS region, plus a factory of RDS clients for the one call that goes elsewhere
 * (SwitchoverGlobalCluster, to the writer's region; see rds-actions.ts `promotionRegion`).
 * index.ts builds the real ones; tests intercept them with aws-sdk-client-mock and point DynamoDB
 * at dynalite. `buildContext` derives what the entry and the workflow share.
 */
import { randomBytes } from "node:crypto";

import type { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import type { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { SFNClient } from "@aws-sdk/client-sfn";
import type { SNSClient } from "@aws-sdk/client-sns";

import { AuditTrail } from "./audit";
import type { OrchestratorConfig } from "./env";
import { type RegionStatus, readRegionStatus } from "./global-cluster";
import { DEFAULT_LOCK_TTL_SECONDS, type LockTable } from "./lock";
import { FleetActions } from "./fleet-actions";
import { RdsActions } from "./rds-actions";
import type { RetryOptions } from "./retry";

export interface OrchestratorClients {
  /** Built with maxAttempts 1: retries are explicit (retry.ts), never on a failed promotion. */
  readonly rds: RDSClient;
  /**
   * Builds an RDS client for another region, also with maxAttempts 1. Called lazily (at most once
   * per region per cold start) and only by a switchover's promote step, for the current writer's
   * region: a failover never calls it, so no client for the failed region is ever built.
   */
  readonly rdsFor: (region: string) => RDSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly sns: SNSClient;
  readonly sfn: SFNClient;
  readonly dynamodb: DynamoDBClient;
  /** This region's Auto Scaling, for the EC2 tier's fleet (config.appFleet); unused otherwise. */
  readonly autoScaling?: AutoScalingClient;
}

export interface OrchestratorDeps {
  readonly config: OrchestratorConfig;
  readonly clients: OrchestratorClients;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** Backoff of the explicit retries (tests inject `sleep`). */
  readonly retry?: RetryOptions;
  /** @default `<action>-<UTC compact time>-<8 hex>` */
  readonly newActionId?: (action: string, now: Date) => string;
  /** @default DEFAULT_LOCK_TTL_SECONDS (2 h) */
  readonly lockTtlSeconds?: number;
  /** Reader polls (30 s apart) before checkReader fails. @default 60 (30 min) */
  readonly readerMaxChecks?: number;
  /** Promotion polls (15 s apart) before checkPromotion fails. @default 80 (20 min) */
  readonly promotionMaxChecks?: number;
  /** @default DEFAULT_GRACE_MINUTES */
  readonly graceMinutes?: number;
}

export const DEFAULT_READER_MAX_CHECKS = 60;
export const DEFAULT_PROMOTION_MAX_CHECKS = 80;

/** What the entry and the workflow steps share, built once per cold start. */
export interface OrchestratorContext {
  readonly config: OrchestratorConfig;
  readonly clients: OrchestratorClients;
  readonly now: () => Date;
  readonly retry: RetryOptions | undefined;
  readonly newActionId: (action: string, now: Date) => string;
  readonly lockTtlSeconds: number;
  readonly readerMaxChecks: number;
  readonly promotionMaxChecks: number;
  readonly graceMinutes: number | undefined;
  readonly audit: AuditTrail;
  readonly lockTable: LockTable;
  readonly rdsActions: RdsActions;
  /** The EC2 tier's fleet of this region; undefined on the Lambda tier. */
  readonly fleetActions: FleetActions | undefined;
  readonly readStatus: () => Promise<RegionStatus>;
}

/** "failover-20250101T120000Z-a1b2c3d4": sortable, unique, a valid Step Functions name. */
export function defaultActionId(action: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d{3}Z$/, "Z")
    .replace(/[-:]/g, "");
  return `${action}-${stamp}-${randomBytes(4).toString("hex")}`;
}

/** This region's client for this region; otherwise `rdsFor`, built on first use and then kept. */
function rdsInRegion({ config, clients }: OrchestratorDeps): (region: string) => RDSClient {
  const built = new Map<string, RDSClient>();
  return (region) => {
    if (region === config.region) return clients.rds;
    let client = built.get(region);
    if (client === undefined) {
      client = clients.rdsFor(region);
      built.set(region, client);
    }
    return client;
  };
}

export function buildContext(deps: OrchestratorDeps): OrchestratorContext {
  const { config, clients } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    config,
    clients,
    now,
    retry: deps.retry,
    newActionId: deps.newActionId ?? defaultActionId,
    lockTtlSeconds: deps.lockTtlSeconds ?? DEFAULT_LOCK_TTL_SECONDS,
    readerMaxChecks: deps.readerMaxChecks ?? DEFAULT_READER_MAX_CHECKS,
    promotionMaxChecks: deps.promotionMaxChecks ?? DEFAULT_PROMOTION_MAX_CHECKS,
    graceMinutes: deps.graceMinutes,
    audit: new AuditTrail({
      dynamodb: clients.dynamodb,
      tableName: config.controlTableName,
      sns: clients.sns,
      topicArn: config.alertTopicArn,
      region: config.region,
      now,
      ...(deps.retry !== undefined ? { retry: deps.retry } : {}),
    }),
    lockTable: {
      dynamodb: clients.dynamodb,
      tableName: config.controlTableName,
      key: config.globalClusterId,
      ...(deps.retry !== undefined ? { retry: deps.retry } : {}),
    },
    rdsActions: new RdsActions(clients.rds, rdsInRegion(deps), config, deps.retry),
    fleetActions: fleetActionsFor(deps),
    readStatus: () =>
      readRegionStatus(
        clients.rds,
        {
          region: config.region,
          globalClusterId: config.globalClusterId,
          clusterId: config.clusterId,
          clusterArn: config.clusterArn,
        },
        { now, ...(deps.retry !== undefined ? { retry: deps.retry } : {}) },
      ),
  };
}

/** The fleet's actions when the config names one; a configured fleet needs the client. */
function fleetActionsFor({ config, clients, retry }: OrchestratorDeps): FleetActions | undefined {
  if (config.appFleet === undefined) return undefined;
  if (clients.autoScaling === undefined) {
    throw new Error(
      `APP_FLEET_NAME is ${config.appFleet.name}, but no Auto Scaling client was built`,
    );
  }
  return new FleetActions(clients.autoScaling, config.appFleet, retry);
}

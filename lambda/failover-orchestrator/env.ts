/**
 * The orchestrator's environment contract (set by the Pulumi program, read once per cold start).
 * Every variable is validated up front: a wrong value is a deployment bug, and finding it at cold
 * start (with the variable, the value and what is allowed) beats finding it mid-failover.
 *
 *   GLOBAL_CLUSTER_ID               Aurora global cluster identifier
 *   CLUSTER_ID                      this region's cluster identifier
 *   CLUSTER_ARN                     this region's cluster ARN (the promotion target)
 *   PEER_REGION                     the other region (reported only; never called)
 *   REGION_ROLE                     "primary" | "dr": the design role of this region
 *   CONTROL_TABLE_NAME              this region's control table (lock + audit)
 *   ALERT_TOPIC_ARN                 this region's SNS alert topic
 *   STATE_MACHINE_ARN               this region's failover state machine
 *   FAILOVER_MODE                   "automatic" | "notify" (alarm-triggered events only)
 *   CORROBORATION_WINDOW_MINUTES    integer 1-30
 *   REPLICATION_LAG_THRESHOLD_MS    positive integer
 *   FAILOVER_INSTANCE_IDENTIFIER    instance to add to a headless cluster
 *   FAILOVER_INSTANCE_CLASS         its class, e.g. db.r6g.large
 *   DB_ENGINE                       "aurora-postgresql"
 *   DB_PARAMETER_GROUP_NAME         instance parameter group of this cluster
 *   CORROBORATING_ALARM_NAME        the composite alarm whose ALARM state triggers an evaluation
 *   AWS_REGION                      set by Lambda
 * EC2 tier only, both or neither:
 *   APP_FLEET_NAME                  this region's app Auto Scaling group
 *   APP_FLEET_CAPACITY              instances it must run before this region is promoted (1-100)
 */
import { ConfigurationError } from "./errors";

export type FailoverMode = "automatic" | "notify";
export type RegionRole = "primary" | "dr";

/** This region's EC2 app fleet and the instances it must run once the region serves. */
export interface AppFleet {
  readonly name: string;
  readonly capacity: number;
}

export interface OrchestratorConfig {
  readonly region: string;
  readonly globalClusterId: string;
  readonly clusterId: string;
  readonly clusterArn: string;
  readonly peerRegion: string;
  readonly regionRole: RegionRole;
  readonly controlTableName: string;
  readonly alertTopicArn: string;
  readonly stateMachineArn: string;
  readonly failoverMode: FailoverMode;
  readonly corroborationWindowMinutes: number;
  readonly replicationLagThresholdMs: number;
  readonly failoverInstanceIdentifier: string;
  readonly failoverInstanceClass: string;
  readonly dbEngine: "aurora-postgresql";
  readonly dbParameterGroupName: string;
  readonly corroboratingAlarmName: string;
  /** EC2 tier: the fleet the workflow scales before promoting; undefined on the Lambda tier. */
  readonly appFleet?: AppFleet | undefined;
}

/** Every variable `readOrchestratorConfig` reads (the infrastructure sets exactly these). */
export const ORCHESTRATOR_ENV_VARS = [
  "AWS_REGION",
  "GLOBAL_CLUSTER_ID",
  "CLUSTER_ID",
  "CLUSTER_ARN",
  "PEER_REGION",
  "REGION_ROLE",
  "CONTROL_TABLE_NAME",
  "ALERT_TOPIC_ARN",
  "STATE_MACHINE_ARN",
  "FAILOVER_MODE",
  "CORROBORATION_WINDOW_MINUTES",
  "REPLICATION_LAG_THRESHOLD_MS",
  "FAILOVER_INSTANCE_IDENTIFIER",
  "FAILOVER_INSTANCE_CLASS",
  "DB_ENGINE",
  "DB_PARAMETER_GROUP_NAME",
  "CORROBORATING_ALARM_NAME",
] as const;

/** Variables the infrastructure sets only on the EC2 tier (both or neither). */
export const OPTIONAL_ORCHESTRATOR_ENV_VARS = ["APP_FLEET_NAME", "APP_FLEET_CAPACITY"] as const;

type EnvName =
  (typeof ORCHESTRATOR_ENV_VARS)[number] | (typeof OPTIONAL_ORCHESTRATOR_ENV_VARS)[number];

function text(env: NodeJS.ProcessEnv, name: EnvName, allowed = "a non-empty string"): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw new ConfigurationError(name, value, allowed);
  }
  return value.trim();
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: EnvName, values: readonly T[]): T {
  const allowed = values.map((v) => `"${v}"`).join(" | ");
  const value = text(env, name, allowed);
  if (!(values as readonly string[]).includes(value)) {
    throw new ConfigurationError(name, value, allowed);
  }
  return value as T;
}

function integer(env: NodeJS.ProcessEnv, name: EnvName, min: number, max?: number): number {
  const allowed = max === undefined ? `an integer >= ${min}` : `an integer ${min}-${max}`;
  const raw = text(env, name, allowed);
  const value = Number(raw);
  if (
    !/^\d+$/.test(raw) ||
    !Number.isSafeInteger(value) ||
    value < min ||
    (max !== undefined && value > max)
  ) {
    throw new ConfigurationError(name, raw, allowed);
  }
  return value;
}

function arn(env: NodeJS.ProcessEnv, name: EnvName, service: string, region: string): string {
  const allowed = `an ARN of ${service} in ${region} (arn:<partition>:${service}:${region}:...)`;
  const value = text(env, name, allowed);
  const parts = value.split(":");
  if (parts.length < 6 || parts[0] !== "arn" || parts[2] !== service || parts[3] !== region) {
    throw new ConfigurationError(name, value, allowed);
  }
  return value;
}

/**
 * Reads and validates the whole contract. ARNs must be in AWS_REGION: the orchestrator acts only
 * for its own region, so a topic, state machine or cluster elsewhere is a wiring mistake that
 * would make the recovery path depend on another region.
 */
export function readOrchestratorConfig(env: NodeJS.ProcessEnv = process.env): OrchestratorConfig {
  const region = text(env, "AWS_REGION", "an AWS region, set by Lambda");
  const peerRegion = text(env, "PEER_REGION", "the other region of the pair");
  if (peerRegion === region) {
    throw new ConfigurationError("PEER_REGION", peerRegion, `a region other than ${region}`);
  }
  return {
    region,
    globalClusterId: text(env, "GLOBAL_CLUSTER_ID"),
    clusterId: text(env, "CLUSTER_ID"),
    clusterArn: arn(env, "CLUSTER_ARN", "rds", region),
    peerRegion,
    regionRole: oneOf(env, "REGION_ROLE", ["primary", "dr"] as const),
    controlTableName: text(env, "CONTROL_TABLE_NAME"),
    alertTopicArn: arn(env, "ALERT_TOPIC_ARN", "sns", region),
    stateMachineArn: arn(env, "STATE_MACHINE_ARN", "states", region),
    failoverMode: oneOf(env, "FAILOVER_MODE", ["automatic", "notify"] as const),
    corroborationWindowMinutes: integer(env, "CORROBORATION_WINDOW_MINUTES", 1, 30),
    replicationLagThresholdMs: integer(env, "REPLICATION_LAG_THRESHOLD_MS", 1),
    failoverInstanceIdentifier: text(env, "FAILOVER_INSTANCE_IDENTIFIER"),
    failoverInstanceClass: text(
      env,
      "FAILOVER_INSTANCE_CLASS",
      "an instance class, e.g. db.r6g.large",
    ),
    dbEngine: oneOf(env, "DB_ENGINE", ["aurora-postgresql"] as const),
    dbParameterGroupName: text(env, "DB_PARAMETER_GROUP_NAME"),
    corroboratingAlarmName: text(env, "CORROBORATING_ALARM_NAME"),
    appFleet: readAppFleet(env),
  };
}

function readAppFleet(env: NodeJS.ProcessEnv): AppFleet | undefined {
  const named = env.APP_FLEET_NAME !== undefined && env.APP_FLEET_NAME.trim() !== "";
  const sized = env.APP_FLEET_CAPACITY !== undefined && env.APP_FLEET_CAPACITY.trim() !== "";
  if (!named && !sized) return undefined;
  if (!named) {
    throw new ConfigurationError(
      "APP_FLEET_NAME",
      env.APP_FLEET_NAME,
      "the app Auto Scaling group's name whenever APP_FLEET_CAPACITY is set",
    );
  }
  if (!sized) {
    throw new ConfigurationError(
      "APP_FLEET_CAPACITY",
      env.APP_FLEET_CAPACITY,
      "an integer 1-100 whenever APP_FLEET_NAME is set",
    );
  }
  return {
    name: text(env, "APP_FLEET_NAME"),
    capacity: integer(env, "APP_FLEET_CAPACITY", 1, 100),
  };
}

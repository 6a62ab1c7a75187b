/**
 * The orchestrator's environment (the contract lambda/failover-orchestrator/env.ts reads), as a
 * pure function, so every variable is decided in one place. Everything it names is of the
 * function's own region, except the peer region's name, which it only reports.
 */
import * as pulumi from "@pulumi/pulumi";
import { AURORA_ENGINE, SERVERLESS_INSTANCE_CLASS } from "../data/aurora-engine";
import { DatabaseConfig } from "../data/data-tier-config";
import { FailoverMode } from "../operations/operations-config";

export interface OrchestratorEnvironmentInputs {
  /** "primary" | "dr": the region's design role (REGION_ROLE). */
  readonly role: "primary" | "dr";
  readonly peerRegion: string;
  readonly globalClusterIdentifier: pulumi.Input<string>;
  readonly clusterIdentifier: pulumi.Input<string>;
  readonly clusterArn: pulumi.Input<string>;
  readonly controlTableName: pulumi.Input<string>;
  readonly alertTopicArn: pulumi.Input<string>;
  /** Built from the state machine's deterministic name: the definition names this function. */
  readonly stateMachineArn: pulumi.Input<string>;
  readonly failoverMode: FailoverMode;
  readonly corroborationWindowMinutes: number;
  readonly replicationLagThresholdMs: number;
  readonly failoverInstanceIdentifier: string;
  readonly parameterGroupName: string;
  readonly corroboratingAlarmName: string;
  /** Capacity decides the failover instance's class. */
  readonly database: Pick<DatabaseConfig, "capacity" | "instanceClass">;
  /** EC2 tier: the fleet the workflow scales before promoting (APP_FLEET_NAME, APP_FLEET_CAPACITY). */
  readonly appFleet?: AppFleetTarget;
}

/** This region's app Auto Scaling group, and the instances it must run once the region serves. */
export interface AppFleetTarget {
  readonly name: string;
  readonly capacity: number;
}

/** The POWERTOOLS_SERVICE_NAME of the orchestrator's logs and metrics. */
export const ORCHESTRATOR_SERVICE_NAME = "failover-orchestrator";
/** The prober's: the dimension `service` of its metrics, which the alarms match exactly. */
export const PROBER_SERVICE_NAME = "health-prober";

/**
 * The class of the instance added to a headless cluster: the class the cluster's own instances
 * have, so the promoted region serves like the one it replaces.
 */
export function failoverInstanceClass(
  database: Pick<DatabaseConfig, "capacity" | "instanceClass">,
): string {
  return database.capacity === "serverless" ? SERVERLESS_INSTANCE_CLASS : database.instanceClass;
}

export function orchestratorEnvironment(
  inputs: OrchestratorEnvironmentInputs,
): Record<string, pulumi.Input<string>> {
  return {
    GLOBAL_CLUSTER_ID: inputs.globalClusterIdentifier,
    CLUSTER_ID: inputs.clusterIdentifier,
    CLUSTER_ARN: inputs.clusterArn,
    PEER_REGION: inputs.peerRegion,
    REGION_ROLE: inputs.role,
    CONTROL_TABLE_NAME: inputs.controlTableName,
    ALERT_TOPIC_ARN: inputs.alertTopicArn,
    STATE_MACHINE_ARN: inputs.stateMachineArn,
    FAILOVER_MODE: inputs.failoverMode,
    CORROBORATION_WINDOW_MINUTES: String(inputs.corroborationWindowMinutes),
    REPLICATION_LAG_THRESHOLD_MS: String(inputs.replicationLagThresholdMs),
    FAILOVER_INSTANCE_IDENTIFIER: inputs.failoverInstanceIdentifier,
    FAILOVER_INSTANCE_CLASS: failoverInstanceClass(inputs.database),
    DB_ENGINE: AURORA_ENGINE,
    DB_PARAMETER_GROUP_NAME: inputs.parameterGroupName,
    CORROBORATING_ALARM_NAME: inputs.corroboratingAlarmName,
    ...(inputs.appFleet === undefined
      ? {}
      : {
          APP_FLEET_NAME: inputs.appFleet.name,
          APP_FLEET_CAPACITY: String(inputs.appFleet.capacity),
        }),
    POWERTOOLS_SERVICE_NAME: ORCHESTRATOR_SERVICE_NAME,
  };
}

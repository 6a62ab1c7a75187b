/**
 * Physical names of the monitoring resources. Deterministic, so the orchestrator's environment
 * (CORROBORATING_ALARM_NAME), its EventBridge rule and the alarms agree without passing
 * Outputs around, and the runbook can name an alarm before the stack is read.
 */
import { physicalName } from "../naming";

/** A name scope whose region is required: alarms, topics and dashboards are regional. */
export interface RegionalNameScope {
  readonly environmentSuffix: string;
  readonly region: string;
}

/** "tap-<suffix>-alarm-<purpose>-<region code>": one alarm of the region. */
export function alarmName(purpose: string, scope: RegionalNameScope): string {
  return physicalName("cloudwatchAlarm", `alarm-${purpose}`, scope);
}

/**
 * The region's composite alarm that corroborates at least two independent signals that the
 * OTHER region is down; its ALARM state is what the orchestrator's EventBridge rule acts on.
 */
export function corroboratingAlarmName(scope: RegionalNameScope): string {
  return alarmName("failover-corroborated", scope);
}

/** "tap-<suffix>-alerts-<region code>": the region's alert topic. */
export function alertTopicName(scope: RegionalNameScope): string {
  return physicalName("snsTopic", "alerts", scope);
}

/** "tap-<suffix>-dr-<region code>": the region's dashboard (letters, digits and "-" only). */
export function regionalDashboardName(scope: RegionalNameScope): string {
  return physicalName("dashboard", "dr", scope);
}

/**
 * "tap-<suffix>-dr-global": the dashboard of both regions. Dashboards are regional resources,
 * so it has no region code: it lives in one region (the DR region) and shows both.
 */
export function globalDashboardName(environmentSuffix: string): string {
  return physicalName("dashboard", "dr-global", { environmentSuffix });
}

/** "tap-<suffix>-<purpose>-<region code>": an RDS event subscription of the region. */
export function rdsEventSubscriptionName(purpose: string, scope: RegionalNameScope): string {
  return physicalName("rdsEventSubscription", purpose, scope);
}

/**
 * The EventBridge patterns that invoke a region's orchestrator, as pure functions. Both match
 * events on the region's own default bus only: EventBridge rules see the events of their own
 * region, so neither entry point depends on the other region.
 */
import { RDS_FAILOVER_EVENT_CATEGORIES } from "./failover-settings";

export interface EventPattern {
  readonly source: readonly string[];
  readonly "detail-type": readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * The corroborating alarm going into ALARM, and nothing else: not OK or INSUFFICIENT_DATA (the
 * orchestrator only acts on an outage), not any other alarm of the account.
 */
export function alarmStatePattern(alarmName: string): EventPattern {
  return {
    source: ["aws.cloudwatch"],
    "detail-type": ["CloudWatch Alarm State Change"],
    detail: { alarmName: [alarmName], state: { value: ["ALARM"] } },
  };
}

export interface RdsEventSources {
  /** This region's cluster identifier: "tap-<suffix>-db-<code>". */
  readonly clusterIdentifier: string;
  /**
   * This region's instances, the failover instance the orchestrator adds to a headless cluster
   * among them (it is not a resource of the program until it is imported).
   */
  readonly instanceIdentifiers: readonly string[];
  /** The global cluster, whose failover and switchover events RDS also reports. */
  readonly globalClusterIdentifier: string;
}

/**
 * RDS events of this region's cluster, its instances and the global cluster in the categories
 * that mean a role change or an outage. The orchestrator audits and publishes them; it never
 * acts on them.
 */
export function rdsFailoverEventPattern(sources: RdsEventSources): EventPattern {
  const identifiers = [
    sources.clusterIdentifier,
    ...sources.instanceIdentifiers,
    sources.globalClusterIdentifier,
  ];
  return {
    source: ["aws.rds"],
    "detail-type": ["RDS DB Cluster Event", "RDS DB Instance Event"],
    detail: {
      EventCategories: [...RDS_FAILOVER_EVENT_CATEGORIES],
      SourceIdentifier: identifiers,
    },
  };
}

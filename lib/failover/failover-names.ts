/**
 * Physical names and ARNs of the failover automation, computed rather than read from resources.
 * The orchestrator's environment names its own state machine, and the state machine's
 * definition names the orchestrator: building the state machine's ARN from its deterministic
 * name breaks that cycle. The RDS names are the ones AuroraCluster gives its resources
 * (lib/data/aurora-cluster.ts); the failover graph test checks each against the real resource.
 */
import { physicalName } from "../naming";

/** Failover resources are regional: every name carries the region code. */
export interface FailoverNameScope {
  readonly environmentSuffix: string;
  readonly region: string;
}

/** Where the ARNs are built: partition, region and account of the acting region. */
export interface FailoverArnScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** "tap-<suffix>-failover-control-<code>": the region's lock and audit table. */
export function controlTableName(scope: FailoverNameScope): string {
  return physicalName("dynamoTable", "failover-control", scope);
}

/** "tap-<suffix>-failover-<code>": the region's failover workflow. */
export function stateMachineName(scope: FailoverNameScope): string {
  return physicalName("stateMachine", "failover", scope);
}

/** The ARN Step Functions gives a state machine of this name in this region and account. */
export function stateMachineArn(arn: FailoverArnScope, name: string): string {
  return `arn:${arn.partition}:states:${arn.region}:${arn.accountId}:stateMachine:${name}`;
}

/**
 * The instance the orchestrator adds to a headless cluster: the identifier Pulumi gives the
 * cluster's first instance ("db-1"), so that once drDbInstances is raised to 1 the instance
 * can be adopted with `pulumi import` instead of a second one being created next to it.
 */
export function failoverInstanceIdentifier(scope: FailoverNameScope): string {
  return physicalName("rdsIdentifier", "db-1", scope);
}

/** The cluster's instance parameter group, as AuroraCluster names it. */
export function instanceParameterGroupName(scope: FailoverNameScope): string {
  return physicalName("rdsGroup", "db-instance", scope);
}

/** The cluster's DB subnet group, as AuroraCluster names it. */
export function dbSubnetGroupName(scope: FailoverNameScope): string {
  return physicalName("rdsGroup", "db", scope);
}

/** The ARN of a region's Aurora cluster, named as AuroraCluster names it ("tap-<suffix>-db-<code>"). */
export function clusterArnOf(arn: FailoverArnScope, scope: FailoverNameScope): string {
  const identifier = physicalName("rdsIdentifier", "db", scope);
  return `arn:${arn.partition}:rds:${arn.region}:${arn.accountId}:cluster:${identifier}`;
}

/** Aurora global clusters have no region in their ARN: `arn:aws:rds::<account>:global-cluster:<id>`. */
export function globalClusterArn(arn: FailoverArnScope, globalClusterIdentifier: string): string {
  return `arn:${arn.partition}:rds::${arn.accountId}:global-cluster:${globalClusterIdentifier}`;
}

/** An RDS resource of this region: `arn:aws:rds:<region>:<account>:<type>:<name>`. */
export function rdsArn(arn: FailoverArnScope, type: "db" | "pg" | "subgrp", name: string): string {
  return `arn:${arn.partition}:rds:${arn.region}:${arn.accountId}:${type}:${name}`;
}

/**
 * The identifiers AuroraCluster gives a cluster's instances ("db-1" ... "db-<count>"), and at
 * least the failover instance's ("db-1") for a headless cluster.
 */
export function clusterInstanceIdentifiers(
  scope: FailoverNameScope,
  instanceCount: number,
): string[] {
  return Array.from({ length: Math.max(instanceCount, 1) }, (_, index) =>
    physicalName("rdsIdentifier", `db-${index + 1}`, scope),
  );
}

/** A rule on the region's default event bus. */
export function eventRuleArn(arn: FailoverArnScope, ruleName: string): string {
  return `arn:${arn.partition}:events:${arn.region}:${arn.accountId}:rule/${ruleName}`;
}

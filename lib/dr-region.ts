import * as pulumi from "@pulumi/pulumi";
import { RegionalAppTier } from "./app/regional-app-tier";
import { RegionalDataTier } from "./data/regional-data-tier";
import { FailoverAutomation } from "./failover/failover-automation";
import { RegionalMonitoring } from "./monitoring/regional-monitoring";
import { RegionalDeployment, RegionalDeploymentArgs } from "./region/regional-deployment";

/** Args of the DR (standby) region. */
export interface DrRegionArgs extends RegionalDeploymentArgs {
  /**
   * The global cluster to join, from PrimaryRegion; it resolves after the
   * primary's writer instance exists.
   */
  readonly globalClusterIdentifier: pulumi.Input<string>;
  /** The primary's region, the source of storage replication. */
  readonly primaryRegion: string;
  /** The API's public zone from PrimaryRegion; undefined without a domain. */
  readonly hostedZoneId?: pulumi.Input<string>;
}

/**
 * The DR region: the shared regional building blocks in the `dr` role. Its
 * cluster is a secondary of the global database, without credentials; with
 * `drDbInstances` 0 it is headless (pilot light).
 */
export class DrRegion extends RegionalDeployment {
  public readonly data: RegionalDataTier;
  /** The region's API, the same building block as the primary's. */
  public readonly app: RegionalAppTier;
  /** The region's orchestrator, its workflow, control table and triggers, and the prober. */
  public readonly failover: FailoverAutomation;
  /** The region's RDS event subscription, alarms, corroborating alarm and dashboard. */
  public readonly monitoring: RegionalMonitoring;

  constructor(name: string, args: DrRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:region:DrRegion", name, "dr", args, opts);
    this.data = this.buildDataTier({
      globalClusterIdentifier: args.globalClusterIdentifier,
      sourceRegion: args.primaryRegion,
      instanceCount: args.database.drInstances,
    });
    this.app = this.buildAppTier(this.data, args.hostedZoneId);
    this.failover = this.buildFailoverAutomation(
      this.data,
      args.globalClusterIdentifier,
      args.database.drInstances,
    );
    this.monitoring = this.buildMonitoring(this.data, this.app, this.failover);
    this.registerOutputs({
      ...this.regionalOutputs(this.data, this.app, this.failover),
      ...this.monitoringOutputs(this.monitoring),
    });
  }
}

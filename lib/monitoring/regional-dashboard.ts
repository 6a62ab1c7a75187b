import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionalDashboardName } from "./alarm-names";
import { DashboardRegion, regionalDashboardBody } from "./dashboard-body";

/** Fields known when the program starts: they decide names and widget regions. */
type PlainFields = "role" | "region" | "peerRegion";

/** DashboardRegion with every resource-derived value possibly an Output. */
export type DashboardRegionInputs = Pick<DashboardRegion, PlainFields> & {
  readonly [K in Exclude<keyof DashboardRegion, PlainFields>]: pulumi.Input<DashboardRegion[K]>;
};

export interface RegionalDashboardArgs {
  /** Stack suffix in the name. */
  readonly environmentSuffix: string;
  /** What the dashboard shows; `source.region` names it (dashboard names are account-wide). */
  readonly source: DashboardRegionInputs;
}

/**
 * One region's CloudWatch dashboard. Dashboards are account-wide, not regional, so the name
 * carries the region code; give it the region's provider all the same.
 */
export class RegionalDashboard extends pulumi.ComponentResource {
  public readonly dashboardName: pulumi.Output<string>;

  constructor(name: string, args: RegionalDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:RegionalDashboard", name, {}, opts);
    const region = args.source.region;
    const dashboard = new aws.cloudwatch.Dashboard(
      name,
      {
        dashboardName: regionalDashboardName({ environmentSuffix: args.environmentSuffix, region }),
        dashboardBody: pulumi.output(args.source).apply((source) => regionalDashboardBody(source)),
      },
      { parent: this },
    );
    this.dashboardName = dashboard.dashboardName;
    this.registerOutputs({ dashboardName: this.dashboardName });
  }
}

import * as pulumi from "@pulumi/pulumi";
import { RegionalDeployment, RegionalDeploymentArgs } from "./region/regional-deployment";

/** Args of the DR (standby) region. */
export type DrRegionArgs = RegionalDeploymentArgs;

/** The DR region: the shared regional building blocks in the `dr` role. */
export class DrRegion extends RegionalDeployment {
  constructor(name: string, args: DrRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:region:DrRegion", name, "dr", args, opts);
    this.registerOutputs(this.regionalOutputs());
  }
}

import * as pulumi from "@pulumi/pulumi";
import { RegionalDeployment, RegionalDeploymentArgs } from "./region/regional-deployment";

/** Args of the primary (writer) region. */
export type PrimaryRegionArgs = RegionalDeploymentArgs;

/** The primary region: the shared regional building blocks in the `primary` role. */
export class PrimaryRegion extends RegionalDeployment {
  constructor(name: string, args: PrimaryRegionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:region:PrimaryRegion", name, "primary", args, opts);
    this.registerOutputs(this.regionalOutputs());
  }
}

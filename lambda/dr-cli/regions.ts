/**
 * The two regions of the stack as the CLI sees them, from the outputs: design role, region,
 * global cluster and each region's cluster. Pure.
 */
import type { RegionStatusTarget } from "../failover-orchestrator/global-cluster";
import { CORE_OUTPUT_KEYS, ConfigError, type DesignRole, type DrOutputs } from "./outputs";

export const DESIGN_ROLES: readonly DesignRole[] = ["primary", "dr"];

export interface StackRegion extends RegionStatusTarget {
  readonly designRole: DesignRole;
}

/** The cluster identifier of an RDS cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>). */
export function clusterIdOfArn(arn: string, key: string): string {
  const parts = arn.split(":");
  const id = parts[6];
  if (
    parts.length !== 7 ||
    parts[0] !== "arn" ||
    parts[2] !== "rds" ||
    parts[5] !== "cluster" ||
    !id
  ) {
    throw new ConfigError(
      `stack output ${key} is not an RDS cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>): "${arn}"`,
    );
  }
  return id;
}

/** Both regions, primary first; the core outputs are checked here (ConfigError when missing). */
export function stackRegions(outputs: DrOutputs): Record<DesignRole, StackRegion> {
  outputs.requireAll(CORE_OUTPUT_KEYS);
  const regionOf = (designRole: DesignRole): StackRegion => {
    const clusterArn = outputs.regional(designRole, "ClusterArn");
    return {
      designRole,
      region: outputs.region(designRole),
      globalClusterId: outputs.text("globalClusterIdentifier"),
      clusterArn,
      clusterId: clusterIdOfArn(clusterArn, `${designRole}ClusterArn`),
    };
  };
  return { primary: regionOf("primary"), dr: regionOf("dr") };
}

export function otherRole(role: DesignRole): DesignRole {
  return role === "primary" ? "dr" : "primary";
}

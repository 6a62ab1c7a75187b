/**
 * This region's EC2 app fleet before a promotion (EC2 tier only). A pilot-light fleet runs no
 * instance, so the region's load balancer answers 503 even once its cluster writes; the workflow
 * raises the fleet to the capacity the serving region runs, in this region, before promoting
 * (the instances boot while the database instance is created or the promotion runs).
 * UpdateAutoScalingGroup sets absolute sizes, so a re-run after a timeout changes nothing more;
 * the minimum is raised too, so that scale-in policies cannot take the fleet back to 0.
 */
import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  UpdateAutoScalingGroupCommand,
} from "@aws-sdk/client-auto-scaling";

import type { AppFleet } from "./env";
import { FleetNotFoundError } from "./errors";
import { type RetryOptions, withReadRetry, withThrottlingRetry } from "./retry";

export interface FleetSizes {
  readonly min: number;
  readonly desired: number;
  readonly max: number;
}

export interface FleetOutcome {
  readonly name: string;
  readonly before: FleetSizes;
  readonly after: FleetSizes;
  readonly changed: boolean;
}

/** The sizes that give the fleet at least `capacity` instances, keeping anything larger. */
export function scaledSizes(current: FleetSizes, capacity: number): FleetSizes {
  return {
    min: Math.max(current.min, capacity),
    desired: Math.max(current.desired, capacity),
    max: Math.max(current.max, capacity),
  };
}

export class FleetActions {
  constructor(
    private readonly autoScaling: AutoScalingClient,
    readonly fleet: AppFleet,
    private readonly retry?: RetryOptions,
  ) {}

  async sizes(): Promise<FleetSizes> {
    const { AutoScalingGroups = [] } = await withReadRetry(
      () =>
        this.autoScaling.send(
          new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [this.fleet.name] }),
        ),
      this.retry,
    );
    const group = AutoScalingGroups.find((g) => g.AutoScalingGroupName === this.fleet.name);
    if (group === undefined) throw new FleetNotFoundError(this.fleet.name);
    return {
      min: group.MinSize ?? 0,
      desired: group.DesiredCapacity ?? 0,
      max: group.MaxSize ?? 0,
    };
  }

  /** Raises the fleet to at least its failover capacity; no call when it already has it. */
  async ensureCapacity(): Promise<FleetOutcome> {
    const before = await this.sizes();
    const after = scaledSizes(before, this.fleet.capacity);
    const changed =
      after.min !== before.min || after.desired !== before.desired || after.max !== before.max;
    if (changed) {
      await withThrottlingRetry(
        () =>
          this.autoScaling.send(
            new UpdateAutoScalingGroupCommand({
              AutoScalingGroupName: this.fleet.name,
              MinSize: after.min,
              DesiredCapacity: after.desired,
              MaxSize: after.max,
            }),
          ),
        this.retry,
      );
    }
    return { name: this.fleet.name, before, after, changed };
  }
}

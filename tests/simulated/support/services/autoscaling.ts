/**
 * Test-only: the simulated Auto Scaling API (see ../simulated-aws.ts): the app fleets of the
 * client's region, with the sizes the graph gives them (DescribeAutoScalingGroupsType). No live
 * test changes a fleet; any other command is refused by name.
 */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandInput,
} from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, regionOf, refuseUnsimulated } from "../cloud";

export function installAutoScaling(cloud: () => Cloud): () => void {
  const autoScaling = mockClient(AutoScalingClient);
  refuseUnsimulated(autoScaling);
  autoScaling
    .on(DescribeAutoScalingGroupsCommand)
    .callsFake(async (input: DescribeAutoScalingGroupsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const names = input.AutoScalingGroupNames ?? [];
      return {
        AutoScalingGroups: c
          .of("aws:autoscaling/group:Group", region)
          .filter((group) => names.length === 0 || names.includes(c.nameOf(group)))
          .map((group) => ({
            AutoScalingGroupName: c.nameOf(group),
            MinSize: Number(group.inputs.minSize ?? 0),
            MaxSize: Number(group.inputs.maxSize ?? 0),
            DesiredCapacity: Number(group.inputs.desiredCapacity ?? 0),
          })),
      };
    });
  return () => autoScaling.restore();
}

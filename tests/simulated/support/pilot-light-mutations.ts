/**
 * Broken variants of a simulated pilot-light stack (drDbInstances 0): faults that would let the
 * headless DR region look able to serve, which the pilot-light cases of the live suites catch.
 */
import { type Mutation, find, set } from "./mutation-helpers";
import type { SimulatedStack } from "./simulated-aws";

const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

export const DR_LB_503_TEST =
  "answers 503 at the dr region's load balancer while it is pilot light";
export const DR_CHECK_503_TEST =
  "has the dr region's Route 53 health check failing on 503 while it is pilot light";
export const PRIMARY_PROBER_TEST =
  "publishes the primary prober's minute-by-minute probes of the other region's API, the latest failing (the DR region is pilot light)";

/** A reader added to the DR cluster by hand: the region serves, though the stack says pilot light. */
function instanceAddedOutsidePulumi(s: SimulatedStack): void {
  const template = find(s, CLUSTER_INSTANCE, "tap-primary-data-aurora-instance-1");
  s.run.resources.push({
    ...template,
    urn: template.urn.replace("tap-primary-", "tap-dr-"),
    name: "tap-dr-data-aurora-instance-1",
    region: String(s.run.outputs.drRegion),
    inputs: { ...template.inputs, clusterIdentifier: "tap-dr-data-aurora-cluster-id" },
  });
}

export const PILOT_LIGHT_MUTATIONS: readonly Mutation[] = [
  {
    name: "a DR instance added outside Pulumi (the DR region serves; the tier output says pilot light)",
    suite: "api",
    test: DR_LB_503_TEST,
    apply: instanceAddedOutsidePulumi,
  },
  {
    name: "DR health check on the liveness path (Route 53 would send traffic to a region that cannot serve)",
    suite: "api",
    test: DR_CHECK_503_TEST,
    apply: (s) =>
      set(s, "aws:route53/healthCheck:HealthCheck", "tap-global-dns-health-dr", {
        resourcePath: "/health/live",
      }),
    fakeTime: true,
  },
  {
    name: "primary prober probing the DR liveness path (a headless DR region looks healthy)",
    suite: "failover",
    test: PRIMARY_PROBER_TEST,
    apply: (s) =>
      set(
        s,
        "aws:cloudwatch/eventTarget:EventTarget",
        "tap-global-primary-prober-schedule-target",
        {
          input: JSON.stringify({
            targetUrl: `${String(s.run.outputs.drApiUrl)}/health/live`,
            peerRegion: s.run.outputs.drRegion,
          }),
        },
      ),
    fakeTime: true,
  },
];

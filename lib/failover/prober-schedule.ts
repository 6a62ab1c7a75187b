import * as pulumi from "@pulumi/pulumi";
import { PROBER_SCHEDULE } from "./failover-settings";
import { FunctionTrigger } from "./function-trigger";

/** The prober's input (lambda/health-prober/event.ts): what to probe, and which region it is. */
export interface ProberEvent {
  readonly targetUrl: string;
  readonly peerRegion: string;
}

/** The peer's API health URL: its regional API URL (no trailing slash) and the health path. */
export function proberEvent(peer: {
  readonly region: string;
  readonly apiUrl: string;
  readonly healthCheckPath: string;
}): ProberEvent {
  const base = peer.apiUrl.replace(/\/+$/, "");
  const path = peer.healthCheckPath.startsWith("/")
    ? peer.healthCheckPath
    : `/${peer.healthCheckPath}`;
  return { targetUrl: `${base}${path}`, peerRegion: peer.region };
}

export interface ProberScheduleArgs {
  /** The prober's region, whose provider this component is given. */
  readonly region: string;
  /** Stack suffix in the rule's name. */
  readonly environmentSuffix: string;
  /** The prober function of this region (FailoverAutomation). */
  readonly proberFunctionName: pulumi.Input<string>;
  readonly proberFunctionArn: pulumi.Input<string>;
  /** The OTHER region: its name, its own regional API URL and health path. */
  readonly peer: {
    readonly region: string;
    readonly apiUrl: pulumi.Input<string>;
    readonly healthCheckPath: string;
  };
}

/**
 * The prober's schedule: every minute, with the peer region's API health URL as its constant
 * input. Built in GlobalResources because each region's prober probes the other region's API,
 * which exists only once both regions do; the rule lives in the prober's region, with its
 * provider, so the probe runs from there.
 */
export class ProberSchedule extends pulumi.ComponentResource {
  public readonly ruleArn: pulumi.Output<string>;
  public readonly targetUrl: pulumi.Output<string>;

  constructor(name: string, args: ProberScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:failover:ProberSchedule", name, {}, opts);
    if (args.peer.region === args.region) {
      throw new Error(
        `ProberSchedule: peer.region must differ from region (both are "${args.region}"); a region's prober probes the other region`,
      );
    }
    const event = pulumi.output(args.peer.apiUrl).apply((apiUrl) =>
      proberEvent({
        region: args.peer.region,
        apiUrl,
        healthCheckPath: args.peer.healthCheckPath,
      }),
    );
    const trigger = new FunctionTrigger(
      name,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        purpose: "prober-schedule",
        description: `Probes the ${args.peer.region} API and RDS endpoint from ${args.region} every minute`,
        source: { scheduleExpression: PROBER_SCHEDULE },
        functionName: args.proberFunctionName,
        functionArn: args.proberFunctionArn,
        input: event.apply((value) => JSON.stringify(value)),
      },
      { parent: this },
    );
    this.ruleArn = trigger.ruleArn;
    this.targetUrl = event.targetUrl;
    this.registerOutputs({ ruleArn: this.ruleArn, targetUrl: this.targetUrl });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { addFunctionTrigger } from "../failover/function-trigger";
import {
  DRAIN_MAX_EVENT_AGE_SECONDS,
  DRAIN_MAX_RETRY_ATTEMPTS,
  OUTBOX_DRAIN_EVENT,
  OUTBOX_DRAIN_SCHEDULE,
} from "./app-tier-settings";

export interface OutboxDrainScheduleArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The worker function that drains the outbox. */
  readonly functionName: pulumi.Input<string>;
  readonly functionArn: pulumi.Input<string>;
  /** Where Lambda sends the record of a drain that failed (L-3). */
  readonly failureQueueArn: pulumi.Input<string>;
}

/**
 * Drains the transactional outbox every minute: an EventBridge schedule invokes
 * the worker asynchronously with {"action":"drain-outbox"}, so rows the API could
 * not publish itself reach the queue. The invocation config sends failed runs to
 * the failure queue instead of dropping them.
 */
export class OutboxDrainSchedule extends pulumi.ComponentResource {
  public readonly ruleArn: pulumi.Output<string>;
  public readonly ruleName: pulumi.Output<string>;

  constructor(name: string, args: OutboxDrainScheduleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:OutboxDrainSchedule", name, {}, opts);
    const child = { parent: this };

    const invokeConfig = new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async`,
      {
        functionName: args.functionName,
        maximumRetryAttempts: DRAIN_MAX_RETRY_ATTEMPTS,
        maximumEventAgeInSeconds: DRAIN_MAX_EVENT_AGE_SECONDS,
        destinationConfig: { onFailure: { destination: args.failureQueueArn } },
      },
      child,
    );
    // The same rule, permission and target as every function trigger, under this component.
    const { rule } = addFunctionTrigger(
      name,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        purpose: "outbox-drain",
        description: "Drains the transactional outbox of the transaction database",
        source: { scheduleExpression: OUTBOX_DRAIN_SCHEDULE },
        functionName: args.functionName,
        functionArn: args.functionArn,
        input: JSON.stringify(OUTBOX_DRAIN_EVENT),
      },
      this,
      // The first scheduled run already goes through the failure destination.
      [invokeConfig],
    );

    this.ruleArn = rule.arn;
    this.ruleName = rule.name;
    this.registerOutputs({ ruleArn: this.ruleArn, ruleName: this.ruleName });
  }
}

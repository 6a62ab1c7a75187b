import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { EventPattern } from "./event-patterns";

/** When the rule fires: on matching events of the region's default bus, or on a schedule. */
export type TriggerSource =
  { readonly eventPattern: pulumi.Input<EventPattern> } | { readonly scheduleExpression: string };

export interface FunctionTriggerArgs {
  /** Region of the rule, which must be the function's (a rule invokes targets in its region). */
  readonly region: string;
  /** Stack suffix in the rule's name. */
  readonly environmentSuffix: string;
  /** Short purpose in the rule's name ("failover-alarm"). */
  readonly purpose: string;
  /** What the rule is for, shown in EventBridge. */
  readonly description: string;
  readonly source: TriggerSource;
  /** The function invoked, in the same region. */
  readonly functionName: pulumi.Input<string>;
  readonly functionArn: pulumi.Input<string>;
  /** A constant input instead of the event. @default the matched event */
  readonly input?: pulumi.Input<string>;
  /**
   * Where EventBridge puts events it could not deliver after its retries; the queue's policy
   * must let this rule send. @default none (EventBridge drops them)
   */
  readonly deadLetterQueueArn?: pulumi.Input<string>;
  /** EventBridge's delivery retries. @default EventBridge's (24 h, 185 attempts) */
  readonly retryPolicy?: {
    readonly maximumEventAgeInSeconds: number;
    readonly maximumRetryAttempts: number;
  };
}

/** What `addFunctionTrigger` creates under its parent. */
export interface TriggerResources {
  readonly rule: aws.cloudwatch.EventRule;
  readonly permission: aws.lambda.Permission;
  readonly target: aws.cloudwatch.EventTarget;
}

/**
 * One EventBridge rule that invokes one Lambda function: the rule, its target, and the
 * function's resource-based permission for exactly this rule (L-15), as `<name>-rule`,
 * `<name>-invoke` and `<name>-target` under `parent`. SourceArn only: a SourceAccount condition
 * is not met by EventBridge invocations (terraform-provider-aws#4116). The target waits for the
 * permission (the first event finds it in place) and for `targetDependsOn`.
 */
export function addFunctionTrigger(
  name: string,
  args: FunctionTriggerArgs,
  parent: pulumi.Resource,
  targetDependsOn: pulumi.Resource[] = [],
): TriggerResources {
  const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
  const source = args.source;
  const rule = new aws.cloudwatch.EventRule(
    `${name}-rule`,
    {
      name: physicalName("eventRule", args.purpose, scope),
      description: args.description,
      ...("eventPattern" in source
        ? {
            eventPattern: pulumi
              .output(source.eventPattern)
              .apply((pattern) => JSON.stringify(pattern)),
          }
        : { scheduleExpression: source.scheduleExpression }),
      state: "ENABLED",
    },
    { parent },
  );
  const permission = new aws.lambda.Permission(
    `${name}-invoke`,
    {
      function: args.functionName,
      action: "lambda:InvokeFunction",
      principal: "events.amazonaws.com",
      sourceArn: rule.arn,
    },
    { parent },
  );
  const target = new aws.cloudwatch.EventTarget(
    `${name}-target`,
    {
      rule: rule.name,
      arn: args.functionArn,
      input: args.input,
      deadLetterConfig:
        args.deadLetterQueueArn === undefined ? undefined : { arn: args.deadLetterQueueArn },
      retryPolicy: args.retryPolicy,
    },
    { parent, dependsOn: [permission, ...targetDependsOn] },
  );
  return { rule, permission, target };
}

/** A component holding one function trigger (addFunctionTrigger). */
export class FunctionTrigger extends pulumi.ComponentResource {
  public readonly ruleArn: pulumi.Output<string>;
  public readonly ruleName: pulumi.Output<string>;

  constructor(name: string, args: FunctionTriggerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:failover:FunctionTrigger", name, {}, opts);
    const { rule } = addFunctionTrigger(name, args, this);
    this.ruleArn = rule.arn;
    this.ruleName = rule.name;
    this.registerOutputs({ ruleArn: this.ruleArn, ruleName: this.ruleName });
  }
}

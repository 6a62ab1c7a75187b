import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alertTopicName } from "./alarm-names";
import { alertTopicPolicy } from "./topic-policy";

export interface AlertTopicArgs {
  /** Region of the topic (the provider's); names and the policy's ARN are this region's. */
  readonly region: string;
  /** Stack suffix in the topic's name. */
  readonly environmentSuffix: string;
  /**
   * The region's own key: alarms, events and the orchestrator's messages stay readable when
   * the other region (and its KMS) is gone.
   */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The deploying account, for the topic policy's aws:SourceAccount conditions. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"). */
  readonly partition: pulumi.Input<string>;
  /**
   * Email subscribed to the topic. SNS sends a confirmation mail; nothing is delivered until
   * the recipient confirms. @default undefined (no subscription)
   */
  readonly alertEmail?: string;
}

/**
 * The region's alert topic: every alarm, RDS event subscription and orchestrator step of the
 * region publishes here. Give it the region's provider (`providers: { aws }`).
 */
export class AlertTopic extends pulumi.ComponentResource {
  public readonly topicArn: pulumi.Output<string>;
  public readonly topicName: pulumi.Output<string>;

  constructor(name: string, args: AlertTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:monitoring:AlertTopic", name, {}, opts);
    const child = { parent: this };
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      {
        name: alertTopicName({ environmentSuffix: args.environmentSuffix, region: args.region }),
        kmsMasterKeyId: args.kmsKeyArn,
        // SNS signs deliveries with SHA1 (SignatureVersion 1) unless told otherwise; version 2
        // (SHA256) is the one AWS recommends ("Verifying the signatures of Amazon SNS messages").
        // Email subscribers are unaffected; an HTTPS subscriber added later verifies SHA256.
        signatureVersion: 2,
      },
      child,
    );
    const policy = new aws.sns.TopicPolicy(
      `${name}-policy`,
      {
        arn: topic.arn,
        policy: pulumi
          .all([topic.arn, args.accountId, args.partition])
          .apply(([topicArn, accountId, partition]) =>
            JSON.stringify(alertTopicPolicy({ topicArn, accountId, partition })),
          ),
      },
      child,
    );
    if (args.alertEmail !== undefined) {
      new aws.sns.TopicSubscription(
        `${name}-email`,
        { topic: topic.arn, protocol: "email", endpoint: args.alertEmail },
        child,
      );
    }
    // Consumers wait for the policy: RDS and EventBridge can publish only once it is in place.
    this.topicArn = pulumi.all([topic.arn, policy.id]).apply(([arn]) => arn);
    this.topicName = topic.name;
    this.registerOutputs({ topicArn: this.topicArn, topicName: this.topicName });
  }
}

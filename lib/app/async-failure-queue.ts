import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KMS_DATA_KEY_REUSE_SECONDS } from "../data/transaction-queues";
import { physicalName } from "../naming";
import { tlsOnlyQueuePolicy } from "../security/resource-policies";
import { FAILURE_QUEUE_RETENTION_SECONDS } from "./app-tier-settings";

export interface AsyncFailureQueueArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** Whose failures it holds, in its name ("worker"). */
  readonly purpose: string;
  /** The region's customer-managed key. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Pulumi `protect` on the queue (production): it is the last copy of a failed event. */
  readonly protect: boolean;
}

/**
 * Where Lambda puts the records of asynchronous invocations that failed (L-3): a
 * standard queue of its own, not the transaction DLQ, whose messages are redriven
 * to the transaction queue and must all be transactions. It is itself the end of
 * the line, so it has no redrive policy (Q-3 waiver, as for a DLQ).
 */
export class AsyncFailureQueue extends pulumi.ComponentResource {
  public readonly queueArn: pulumi.Output<string>;
  public readonly queueUrl: pulumi.Output<string>;

  constructor(name: string, args: AsyncFailureQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:AsyncFailureQueue", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const queue = new aws.sqs.Queue(
      name,
      {
        name: physicalName("sqsQueue", `${args.purpose}-failures`, scope),
        messageRetentionSeconds: FAILURE_QUEUE_RETENTION_SECONDS,
        kmsMasterKeyId: args.kmsKeyArn,
        kmsDataKeyReusePeriodSeconds: KMS_DATA_KEY_REUSE_SECONDS,
      },
      { parent: this, protect: args.protect },
    );
    new aws.sqs.QueuePolicy(
      `${name}-policy`,
      {
        queueUrl: queue.url,
        policy: queue.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))),
      },
      { parent: this },
    );
    this.queueArn = queue.arn;
    this.queueUrl = queue.url;
    this.registerOutputs({ queueArn: this.queueArn, queueUrl: this.queueUrl });
  }
}

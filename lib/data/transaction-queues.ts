import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { tlsOnlyQueuePolicy } from "../security/resource-policies";

/**
 * Timeout of the Lambda that consumes the transaction queue. The app tier must
 * use this constant, so the queue's visibility timeout stays sized for it.
 */
export const TRANSACTION_CONSUMER_TIMEOUT_SECONDS = 30;
/**
 * AWS asks for a visibility timeout of at least six times the consumer's
 * timeout when Lambda polls the queue; below the consumer's timeout the event
 * source mapping is rejected.
 */
export const VISIBILITY_TIMEOUT_SECONDS = 6 * TRANSACTION_CONSUMER_TIMEOUT_SECONDS;
/** Failed receives before a message moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** Four days on the main queue. */
export const QUEUE_RETENTION_SECONDS = 4 * 24 * 60 * 60;
/**
 * Fourteen days (the SQS maximum) on the dead-letter queue: a standard queue
 * keeps a message's original enqueue time, so the DLQ must keep messages
 * longer than the source queue or they expire on arrival.
 */
export const DLQ_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** How long SQS reuses a data key before calling KMS again (60-86400). */
export const KMS_DATA_KEY_REUSE_SECONDS = 300;

export interface TransactionQueuesArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's customer-managed key. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Pulumi `protect` on both queues (production): deleting one deletes its messages. */
  readonly protect: boolean;
}

/** The region's transaction queue and its dead-letter queue, both KMS-encrypted and TLS-only. */
export class TransactionQueues extends pulumi.ComponentResource {
  public readonly queueUrl: pulumi.Output<string>;
  public readonly queueArn: pulumi.Output<string>;
  public readonly deadLetterQueueUrl: pulumi.Output<string>;
  public readonly deadLetterQueueArn: pulumi.Output<string>;

  constructor(name: string, args: TransactionQueuesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:TransactionQueues", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const encryption = {
      kmsMasterKeyId: args.kmsKeyArn,
      kmsDataKeyReusePeriodSeconds: KMS_DATA_KEY_REUSE_SECONDS,
    };

    const deadLetterQueue = new aws.sqs.Queue(
      `${name}-dlq`,
      {
        name: physicalName("sqsQueue", "transactions-dlq", scope),
        messageRetentionSeconds: DLQ_RETENTION_SECONDS,
        ...encryption,
      },
      { parent: this, protect: args.protect },
    );
    const queue = new aws.sqs.Queue(
      `${name}-queue`,
      {
        name: physicalName("sqsQueue", "transactions", scope),
        visibilityTimeoutSeconds: VISIBILITY_TIMEOUT_SECONDS,
        messageRetentionSeconds: QUEUE_RETENTION_SECONDS,
        redrivePolicy: deadLetterQueue.arn.apply((deadLetterTargetArn) =>
          JSON.stringify({ deadLetterTargetArn, maxReceiveCount: MAX_RECEIVE_COUNT }),
        ),
        ...encryption,
      },
      { parent: this, protect: args.protect },
    );
    // Only this queue may use the DLQ; a separate resource, as the two queues reference each other.
    new aws.sqs.RedriveAllowPolicy(
      `${name}-dlq-redrive-allow`,
      {
        queueUrl: deadLetterQueue.url,
        redriveAllowPolicy: queue.arn.apply((arn) =>
          JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [arn] }),
        ),
      },
      { parent: this },
    );
    for (const [suffix, target] of [
      ["queue", queue],
      ["dlq", deadLetterQueue],
    ] as const) {
      new aws.sqs.QueuePolicy(
        `${name}-${suffix}-policy`,
        {
          queueUrl: target.url,
          policy: target.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))),
        },
        { parent: this },
      );
    }

    this.queueUrl = queue.url;
    this.queueArn = queue.arn;
    this.deadLetterQueueUrl = deadLetterQueue.url;
    this.deadLetterQueueArn = deadLetterQueue.arn;
    this.registerOutputs({
      queueUrl: this.queueUrl,
      queueArn: this.queueArn,
      deadLetterQueueUrl: this.deadLetterQueueUrl,
      deadLetterQueueArn: this.deadLetterQueueArn,
    });
  }
}

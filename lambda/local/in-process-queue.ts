/**
 * A Queue that hands each message to the worker handler in this process, shaped as an SQS event
 * of one record, after the current request finishes (like SQS, delivery is asynchronous). Items
 * the worker reports as failed are redelivered up to `maxReceiveCount` times, then kept in
 * `deadLetters`, mirroring the real queue's redrive policy.
 */
import { randomUUID } from "node:crypto";

import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

import { describeError, logger } from "../shared/observability";
import type { Queue } from "../shared/stores/ports";
import type { TransactionMessage } from "../shared/transaction";

export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse>;

export class InProcessQueue implements Queue {
  readonly deadLetters: TransactionMessage[] = [];
  private consumer?: SqsConsumer;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    /** @default 3 */
    private readonly maxReceiveCount = 3,
    /** Delay before a redelivery, in ms. @default 200 */
    private readonly retryDelayMs = 200,
  ) {}

  /** Connects the worker (it needs the queue too, hence not a constructor argument). */
  attach(consumer: SqsConsumer): void {
    this.consumer = consumer;
  }

  send(message: TransactionMessage): Promise<void> {
    this.track(this.deliver(message, randomUUID(), 1, 0));
    return Promise.resolve();
  }

  /** Resolves when every accepted message has been processed or dead-lettered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(delivery: Promise<void>): void {
    this.inFlight.add(delivery);
    void delivery.finally(() => this.inFlight.delete(delivery));
  }

  private async deliver(
    message: TransactionMessage,
    messageId: string,
    receiveCount: number,
    delayMs: number,
  ): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    const consumer = this.consumer;
    if (consumer === undefined) throw new Error("InProcessQueue has no consumer attached");
    const record = toRecord(message, messageId, receiveCount);
    let failed: boolean;
    try {
      const response = await consumer({ Records: [record] });
      failed = response.batchItemFailures.some((f) => f.itemIdentifier === messageId);
    } catch (error) {
      logger.warn("Local worker invocation failed", { error: describeError(error) });
      failed = true;
    }
    if (!failed) return;
    if (receiveCount >= this.maxReceiveCount) {
      this.deadLetters.push(message);
      logger.warn("Message moved to the local dead-letter list", { messageId });
      return;
    }
    await this.deliver(message, messageId, receiveCount + 1, this.retryDelayMs);
  }
}

function toRecord(message: TransactionMessage, messageId: string, receiveCount: number): SQSRecord {
  const now = String(Date.now());
  return {
    messageId,
    receiptHandle: messageId,
    body: JSON.stringify(message),
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: now,
      SenderId: "local",
      ApproximateFirstReceiveTimestamp: now,
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:local:000000000000:transactions",
    awsRegion: "local",
  };
}

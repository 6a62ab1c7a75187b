/**
 * Queue on SQS. A standard queue is expected; a FIFO queue (URL ending in ".fifo") also works:
 * the transaction id is then the message group and the deduplication id. Either way the worker
 * is idempotent, so a duplicate delivery is harmless.
 */
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";

import type { TransactionMessage } from "../transaction";
import type { Queue } from "./ports";

export class SqsQueue implements Queue {
  private readonly fifo: boolean;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {
    this.fifo = queueUrl.endsWith(".fifo");
  }

  async send(message: TransactionMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        ...(this.fifo
          ? {
              MessageGroupId: message.transactionId,
              MessageDeduplicationId: message.transactionId,
            }
          : {}),
      }),
    );
  }
}

/**
 * In-memory StatusStore and Queue for the handler benchmark: DynamoDB and SQS are separate
 * services, so they are kept out of the handler-vs-raw-pg ratio, which measures our code on the
 * database path. (The load benchmark uses dynalite and the in-process queue instead.)
 */
import type { Queue, StatusStore } from "../../lambda/shared/stores/ports";
import type { Transaction, TransactionMessage } from "../../lambda/shared/transaction";

export class InMemoryStatusStore implements StatusStore {
  private readonly items = new Map<string, Transaction>();

  putPending(transaction: Transaction): Promise<void> {
    if (!this.items.has(transaction.id)) this.items.set(transaction.id, transaction);
    return Promise.resolve();
  }

  putSettled(transaction: Transaction): Promise<void> {
    if (this.items.get(transaction.id)?.status !== "settled") {
      this.items.set(transaction.id, transaction);
    }
    return Promise.resolve();
  }

  get(id: string): Promise<Transaction | undefined> {
    return Promise.resolve(this.items.get(id));
  }

  listByCustomer(customerId: string, limit: number): Promise<Transaction[]> {
    return Promise.resolve(
      [...this.items.values()]
        .filter((t) => t.sourceAccount === customerId)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .slice(0, limit),
    );
  }

  probe(): Promise<void> {
    return Promise.resolve();
  }
}

export class InMemoryQueue implements Queue {
  sent = 0;

  send(_message: TransactionMessage): Promise<void> {
    this.sent += 1;
    return Promise.resolve();
  }
}

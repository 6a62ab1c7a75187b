/**
 * StatusStore on the DynamoDB global table (read model). Item: pk `TXN#<id>`, sk `STATUS`,
 * customerId (= sourceAccount, the byCustomer GSI hash key), createdAt (its range key), status,
 * amount, currency, destinationAccount, reference, settledAt. No `expiresAt`: status items of
 * payments do not expire.
 *
 * Writes are conditional so that the two writers of an item never undo each other: the API only
 * creates the item, and the worker overwrites it unless it is already settled. Global tables
 * resolve concurrent cross-region writes last-writer-wins, but writes for one transaction come
 * from the region that owns the writer cluster, so they do not race across regions.
 */
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
} from "@aws-sdk/lib-dynamodb";

import type { Transaction, TransactionStatus } from "../transaction";
import type { StatusStore } from "./ports";

export const STATUS_SK = "STATUS";
export const BY_CUSTOMER_INDEX = "byCustomer";
const HEALTH_PROBE_KEY = { pk: "HEALTH#probe", sk: "PROBE" };

export function statusKey(id: string): { pk: string; sk: string } {
  return { pk: `TXN#${id}`, sk: STATUS_SK };
}

interface StatusItem {
  pk: string;
  sk: string;
  id: string;
  customerId: string;
  destinationAccount: string;
  amount: number;
  currency: string;
  status: TransactionStatus;
  createdAt: string;
  reference?: string;
  settledAt?: string;
}

export class DynamoDbStatusStore implements StatusStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true },
    });
  }

  async putPending(transaction: Transaction): Promise<void> {
    await this.conditionalPut(transaction, "attribute_not_exists(pk)", {});
  }

  async putSettled(transaction: Transaction): Promise<void> {
    await this.conditionalPut(transaction, "attribute_not_exists(pk) OR #status <> :settled", {
      ":settled": "settled",
    });
  }

  async get(id: string): Promise<Transaction | undefined> {
    const { Item } = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: statusKey(id) }),
    );
    return Item === undefined ? undefined : fromItem(Item as StatusItem);
  }

  async listByCustomer(customerId: string, limit: number): Promise<Transaction[]> {
    const { Items } = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: BY_CUSTOMER_INDEX,
        KeyConditionExpression: "customerId = :c",
        ExpressionAttributeValues: { ":c": customerId },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map((item) => fromItem(item as StatusItem));
  }

  async probe(signal: AbortSignal): Promise<void> {
    await this.doc.send(new GetCommand({ TableName: this.tableName, Key: HEALTH_PROBE_KEY }), {
      abortSignal: signal,
    });
  }

  private async conditionalPut(
    transaction: Transaction,
    condition: string,
    values: Record<string, string>,
  ): Promise<void> {
    const usesStatus = condition.includes("#status");
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(transaction),
          ConditionExpression: condition,
          ...(usesStatus ? { ExpressionAttributeNames: { "#status": "status" } } : {}),
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
      );
    } catch (error) {
      // The item is already in a state at least as new as this one: nothing to do.
      if (error instanceof ConditionalCheckFailedException) return;
      throw error;
    }
  }
}

function toItem(t: Transaction): StatusItem {
  return {
    ...statusKey(t.id),
    id: t.id,
    customerId: t.sourceAccount,
    destinationAccount: t.destinationAccount,
    amount: t.amount,
    currency: t.currency,
    status: t.status,
    createdAt: t.createdAt,
    reference: t.reference,
    settledAt: t.settledAt,
  };
}

function fromItem(item: StatusItem): Transaction {
  return {
    id: item.id,
    status: item.status,
    amount: Number(item.amount),
    currency: item.currency,
    sourceAccount: item.customerId,
    destinationAccount: item.destinationAccount,
    ...(item.reference !== undefined ? { reference: item.reference } : {}),
    createdAt: item.createdAt,
    ...(item.settledAt !== undefined ? { settledAt: item.settledAt } : {}),
  };
}

/**
 * One action at a time per global cluster: a lock item in THIS region's control table, taken
 * with a conditional PutItem. DynamoDB evaluates the condition and the write atomically, so of
 * two concurrent events exactly one gets the lock; the other is told who holds it.
 *
 *   pk = "LOCK", sk = <globalClusterIdentifier>
 *   actionId, action, requestedBy, acquiredAt (ISO), expiresAt (epoch seconds)
 *
 * Taken when absent or expired (`attribute_not_exists(pk) OR expiresAt < :now`); the expiry is
 * checked by the condition, not by TTL deletion, which can lag by days. Released by `complete`
 * with a conditional delete on actionId (never someone else's lock); kept after `fail` until it
 * expires, so a failed attempt is never raced by a second one while a human looks.
 *
 * The table is regional (not a global table): a lock replicated from the failed region would
 * make the recovery path depend on it.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";

import { type RetryOptions, withReadRetry, withThrottlingRetry } from "./retry";

export const LOCK_PK = "LOCK";

/**
 * Lock lifetime. Longer than the longest workflow (reader polls 60 x 30 s + promotion polls
 * 80 x 15 s = 50 min, plus the steps themselves), so a running action never loses its lock.
 */
export const DEFAULT_LOCK_TTL_SECONDS = 2 * 60 * 60;

export interface LockRequest {
  readonly actionId: string;
  readonly action: string;
  readonly requestedBy: string;
}

export interface LockHolder extends LockRequest {
  readonly acquiredAt: string;
  /** Epoch seconds. */
  readonly expiresAt: number;
}

export type LockResult =
  | { readonly acquired: true; readonly lock: LockHolder }
  /** `holder` is undefined only when the holder released it between our write and our read. */
  | { readonly acquired: false; readonly holder?: LockHolder };

export interface LockTable {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  /** The global cluster identifier (the lock's sort key). */
  readonly key: string;
  readonly retry?: RetryOptions;
}

const epochSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Conditional PutItem: the lock when it is free or expired, else who holds it. */
export async function acquireLock(
  table: LockTable,
  request: LockRequest,
  now: Date,
  ttlSeconds = DEFAULT_LOCK_TTL_SECONDS,
): Promise<LockResult> {
  const lock: LockHolder = {
    ...request,
    acquiredAt: now.toISOString(),
    expiresAt: epochSeconds(now) + ttlSeconds,
  };
  try {
    await withThrottlingRetry(
      () =>
        table.dynamodb.send(
          new PutItemCommand({
            TableName: table.tableName,
            Item: {
              pk: { S: LOCK_PK },
              sk: { S: table.key },
              actionId: { S: lock.actionId },
              action: { S: lock.action },
              requestedBy: { S: lock.requestedBy },
              acquiredAt: { S: lock.acquiredAt },
              expiresAt: { N: String(lock.expiresAt) },
            },
            ConditionExpression: "attribute_not_exists(pk) OR expiresAt < :now",
            ExpressionAttributeValues: { ":now": { N: String(epochSeconds(now)) } },
          }),
        ),
      table.retry,
    );
    return { acquired: true, lock };
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const holder = await readLock(table, now);
    // Our own write, answered after a lost response and retried by the SDK: the lock is ours.
    if (holder?.actionId === lock.actionId) return { acquired: true, lock: holder };
    return holder !== undefined ? { acquired: false, holder } : { acquired: false };
  }
}

/** Conditional delete: removes the lock only if `actionId` still holds it. */
export async function releaseLock(table: LockTable, actionId: string): Promise<boolean> {
  try {
    await withThrottlingRetry(
      () =>
        table.dynamodb.send(
          new DeleteItemCommand({
            TableName: table.tableName,
            Key: { pk: { S: LOCK_PK }, sk: { S: table.key } },
            ConditionExpression: "actionId = :id",
            ExpressionAttributeValues: { ":id": { S: actionId } },
          }),
        ),
      table.retry,
    );
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/** The current, unexpired lock (strongly consistent read), or undefined. */
export async function readLock(table: LockTable, now: Date): Promise<LockHolder | undefined> {
  const out = await withReadRetry(
    () =>
      table.dynamodb.send(
        new GetItemCommand({
          TableName: table.tableName,
          Key: { pk: { S: LOCK_PK }, sk: { S: table.key } },
          ConsistentRead: true,
        }),
      ),
    table.retry,
  );
  const item = out.Item;
  if (item === undefined) return undefined;
  const expiresAt = Number(item.expiresAt?.N ?? "0");
  if (expiresAt < epochSeconds(now)) return undefined;
  return {
    actionId: item.actionId?.S ?? "unknown",
    action: item.action?.S ?? "unknown",
    requestedBy: item.requestedBy?.S ?? "unknown",
    acquiredAt: item.acquiredAt?.S ?? "unknown",
    expiresAt,
  };
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === "ConditionalCheckFailedException")
  );
}

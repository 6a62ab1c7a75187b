/**
 * The worker on SQS batches (ReportBatchItemFailures): partial failures name only the failed
 * messages, settling is exactly-once in Aurora and idempotent in DynamoDB, and messages that can
 * never succeed are reported so SQS redrives them to the DLQ after maxReceiveCount.
 */
import "aws-sdk-client-mock-jest";

import { randomUUID } from "node:crypto";

import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { SQSEvent, SQSRecord } from "aws-lambda";

import { statusKey } from "../../lambda/shared/stores/dynamodb-status-store";
import { VALID_BODY, call, postEvent, useLambdaFixture } from "./support/harness";
import { dynamoClient } from "./support/services";

const f = useLambdaFixture("worker");
const doc = DynamoDBDocumentClient.from(dynamoClient());

function record(body: string, messageId = randomUUID()): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "1700000000000",
      SenderId: "AIDA",
      ApproximateFirstReceiveTimestamp: "1700000000000",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:123456789012:transactions",
    awsRegion: "us-east-1",
  };
}

const messageFor = (transactionId: string) =>
  JSON.stringify({ type: "transaction.created", transactionId });
const batch = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

async function createPending(): Promise<string> {
  const answer = await call(f.h.api, postEvent(VALID_BODY));
  expect(answer.status).toBe(201);
  return answer.json.id as string;
}

async function stored(id: string) {
  const { rows } = await f.db.admin.query<{ status: string; settled_at: Date | null }>(
    "SELECT status, settled_at FROM transactions WHERE id = $1",
    [id],
  );
  const { Item } = await doc.send(new GetCommand({ TableName: f.table.name, Key: statusKey(id) }));
  return { row: rows[0], item: Item };
}

describe("delivery confirmation", () => {
  it("GIVEN a transaction the API enqueued WHEN the worker settles it THEN its outbox row is marked delivered, so the scheduled drain never sends it again", async () => {
    const id = await createPending();
    const undelivered = () =>
      f.db.admin
        .query<{ n: string }>(
          "SELECT count(*) AS n FROM outbox WHERE transaction_id = $1 AND published_at IS NULL",
          [id],
        )
        .then(({ rows }) => Number(rows[0]?.n));
    expect(await undelivered()).toBe(1);

    await f.h.worker(batch(record(messageFor(id))));

    expect(await undelivered()).toBe(0);
  });
});

describe("a batch with good and bad messages", () => {
  it.each([
    ["not JSON", "{{{"],
    ["JSON of another shape", JSON.stringify({ hello: "world" })],
    ["a transaction id that is not a UUID", messageFor("42")],
  ])(
    "GIVEN one good message and one poison message (%s) WHEN processed THEN only the poison id is reported and the good one is settled",
    async (_, poisonBody) => {
      const id = await createPending();
      const good = record(messageFor(id));
      const poison = record(poisonBody);

      const response = await f.h.worker(batch(good, poison));

      expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: poison.messageId }] });
      const { row, item } = await stored(id);
      expect(row?.status).toBe("settled");
      expect(item).toMatchObject({ status: "settled", settledAt: row?.settled_at?.toISOString() });
    },
  );

  it("GIVEN a message for a transaction that does not exist WHEN processed THEN it is reported as failed (SQS redrives it to the DLQ after maxReceiveCount)", async () => {
    const ghost = record(messageFor(randomUUID()));

    const response = await f.h.worker(batch(ghost));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: ghost.messageId }] });
  });
});

describe("duplicates", () => {
  it("GIVEN the same message delivered twice, one after the other WHEN processed THEN it settles once and the second delivery succeeds without change", async () => {
    const id = await createPending();
    const message = record(messageFor(id));

    const first = await f.h.worker(batch(message));
    const afterFirst = await stored(id);
    const second = await f.h.worker(batch(message));
    const afterSecond = await stored(id);

    expect(first).toEqual({ batchItemFailures: [] });
    expect(second).toEqual({ batchItemFailures: [] });
    expect(afterSecond.row?.settled_at).toEqual(afterFirst.row?.settled_at);
    expect(afterSecond.item).toEqual(afterFirst.item);
  });

  it("GIVEN two copies of a message in one batch WHEN processed in parallel THEN the transaction settles exactly once", async () => {
    const id = await createPending();

    const response = await f.h.worker(batch(record(messageFor(id)), record(messageFor(id))));

    expect(response).toEqual({ batchItemFailures: [] });
    const { rows } = await f.db.admin.query<{ n: string }>(
      "SELECT count(*) AS n FROM transactions WHERE id = $1 AND status = 'settled'",
      [id],
    );
    expect(rows[0]?.n).toBe("1");
  });

  it("GIVEN a settled transaction whose status item was never written (API crashed) WHEN its message is redelivered THEN the worker writes the full settled item", async () => {
    const id = await createPending();
    await f.h.worker(batch(record(messageFor(id))));
    await doc.send(new DeleteCommand({ TableName: f.table.name, Key: statusKey(id) }));

    const response = await f.h.worker(batch(record(messageFor(id))));

    expect(response).toEqual({ batchItemFailures: [] });
    const { row, item } = await stored(id);
    expect(item).toEqual({
      pk: `TXN#${id}`,
      sk: "STATUS",
      id,
      customerId: VALID_BODY.sourceAccount,
      destinationAccount: VALID_BODY.destinationAccount,
      amount: VALID_BODY.amount,
      currency: VALID_BODY.currency,
      reference: VALID_BODY.reference,
      status: "settled",
      createdAt: expect.any(String) as string,
      settledAt: row?.settled_at?.toISOString(),
    });
  });

  it("GIVEN the worker settled first WHEN the API's late pending write arrives THEN the item stays settled", async () => {
    const id = await createPending();
    await f.h.worker(batch(record(messageFor(id))));
    const settled = await f.h.transactions.findById(id);
    if (settled === undefined) throw new Error("transaction vanished");

    await f.h.statuses.putPending({ ...settled, status: "pending" });

    const { item } = await stored(id);
    expect(item?.status).toBe("settled");
  });
});

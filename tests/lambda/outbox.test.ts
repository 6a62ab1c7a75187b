/**
 * The transactional outbox: a crash between the commit and the enqueue must still get the message
 * onto the queue, exactly once per drain, with concurrent drains never sending a row twice.
 */
import "aws-sdk-client-mock-jest";

import { randomUUID } from "node:crypto";

import { SendMessageCommand } from "@aws-sdk/client-sqs";

import { QUEUE_URL, VALID_BODY, call, postEvent, useLambdaFixture } from "./support/harness";
import {} from "./support/services";

const f = useLambdaFixture("outbox", { migrate: true });
const { aws } = f;

beforeEach(async () => {
  // Each test starts with an empty outbox backlog.
  await f.db.admin.query("UPDATE outbox SET published_at = now() WHERE published_at IS NULL");
});

const unpublished = async (): Promise<string[]> =>
  (
    await f.db.admin.query<{ transaction_id: string }>(
      "SELECT transaction_id FROM outbox WHERE published_at IS NULL ORDER BY id",
    )
  ).rows.map((r) => r.transaction_id);

describe("crash between commit and enqueue", () => {
  it("GIVEN the queue fails once after the commit WHEN posting THEN 201, the row is committed and unpublished; WHEN the drain runs THEN it is enqueued exactly once and marked published", async () => {
    aws.sqs
      .on(SendMessageCommand)
      .rejectsOnce(new Error("connect ETIMEDOUT sqs.us-east-1.amazonaws.com"))
      .callsFake(() => ({ MessageId: randomUUID() }));

    const created = await call(f.h.api, postEvent(VALID_BODY));
    const id = created.json.id as string;

    // Documented choice: the commit is the point of no return, so the client gets its 201.
    expect(created.status).toBe(201);
    expect(await unpublished()).toEqual([id]);
    expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);

    const firstDrain = await f.h.worker({ action: "drain-outbox" });
    const secondDrain = await f.h.worker({
      source: "aws.events",
      "detail-type": "Scheduled Event",
    });

    expect(firstDrain).toEqual({ action: "drain-outbox", claimed: 1, published: 1 });
    expect(secondDrain).toEqual({ action: "drain-outbox", claimed: 0, published: 0 });
    expect(await unpublished()).toEqual([]);
    expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 2);
    expect(aws.sqs).toHaveReceivedNthSpecificCommandWith(2, SendMessageCommand, {
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify({ type: "transaction.created", transactionId: id }),
    });
  });

  it("GIVEN the queue is still down WHEN the drain runs THEN nothing is marked published, and the next drain delivers", async () => {
    aws.sqs.on(SendMessageCommand).rejects(new Error("ServiceUnavailable"));
    const created = await call(f.h.api, postEvent(VALID_BODY));

    const failedDrain = await f.h.worker({ action: "drain-outbox" });

    expect(failedDrain).toEqual({ action: "drain-outbox", claimed: 1, published: 0 });
    expect(await unpublished()).toEqual([created.json.id]);

    aws.reset(f.db);
    const recovered = await f.h.worker({ action: "drain-outbox" });

    expect(recovered).toEqual({ action: "drain-outbox", claimed: 1, published: 1 });
    expect(await unpublished()).toEqual([]);
  });
});

describe("concurrent drains", () => {
  it("GIVEN 30 unpublished rows WHEN 3 drains of 10 run at once THEN each row is claimed and sent exactly once", async () => {
    aws.sqs.on(SendMessageCommand).rejects(new Error("down"));
    const ids = await Promise.all(
      Array.from(
        { length: 30 },
        async () => (await call(f.h.api, postEvent(VALID_BODY))).json.id as string,
      ),
    );
    const sent: string[] = [];
    // A slow publisher keeps each drain's rows locked while the other drains look for work.
    const drain = () =>
      f.h.transactions.drainOutbox({ olderThanSeconds: 0, limit: 10 }, async (entries) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        sent.push(...entries.map((e) => e.message.transactionId));
        return entries.map((e) => e.outboxId);
      });

    const results = await Promise.all([drain(), drain(), drain()]);

    expect(results.map((r) => r.claimed)).toEqual([10, 10, 10]);
    expect([...sent].sort()).toEqual([...ids].sort());
    expect(await unpublished()).toEqual([]);
  });
});

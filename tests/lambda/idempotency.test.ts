/**
 * Idempotency: the record lives in the transactions row (unique key + request fingerprint + the
 * exact answer), committed with the outbox row, so it holds under concurrency and across regions
 * (the row is in the replicated database, not in one region's memory).
 */
import "aws-sdk-client-mock-jest";

import { randomUUID } from "node:crypto";

import { SendMessageCommand } from "@aws-sdk/client-sqs";

import { VALID_BODY, call, makeHarness, postEvent, useLambdaFixture } from "./support/harness";
import { createTestTable } from "./support/services";

// 50 concurrent requests queue for 10 connections; on a loaded 2-core CI machine the last ones
// can wait longer than the harness's default 1.5 s, which would answer 503, not test idempotency.
const f = useLambdaFixture("idem", { poolMax: 10, connectionTimeoutMillis: 15_000 });
const { aws } = f;

async function rowsFor(key: string): Promise<{ transactions: number; outbox: number }> {
  const { rows } = await f.db.admin.query<{ transactions: string; outbox: string }>(
    `SELECT count(DISTINCT t.id) AS transactions, count(o.id) AS outbox
       FROM transactions t LEFT JOIN outbox o ON o.transaction_id = t.id
      WHERE t.idempotency_key = $1`,
    [key],
  );
  return { transactions: Number(rows[0]?.transactions), outbox: Number(rows[0]?.outbox) };
}

describe("same Idempotency-Key, same body", () => {
  it("GIVEN 50 concurrent duplicates WHEN posted THEN exactly one row and one outbox row, and all 50 answers are identical", async () => {
    const key = randomUUID();

    const answers = await Promise.all(
      Array.from({ length: 50 }, () =>
        call(f.h.api, postEvent(VALID_BODY, { "idempotency-key": key })),
      ),
    );

    expect(await rowsFor(key)).toEqual({ transactions: 1, outbox: 1 });
    expect(new Set(answers.map((a) => `${a.status} ${a.body}`)).size).toBe(1);
    expect(answers[0]?.status).toBe(201);
    expect(answers.filter((a) => a.headers["idempotent-replayed"] === "true")).toHaveLength(49);
    expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
  });

  it("GIVEN a created transaction WHEN retried later with the body re-serialised THEN the first answer comes back byte for byte, flagged as a replay", async () => {
    const key = randomUUID();
    const first = await call(f.h.api, postEvent(VALID_BODY, { "idempotency-key": key }));
    const reordered = `{ "reference": "${VALID_BODY.reference}", "amount": 1250,
      "destinationAccount": "${VALID_BODY.destinationAccount}", "currency": "EUR",
      "sourceAccount": "${VALID_BODY.sourceAccount}" }`;

    const retry = await call(f.h.api, postEvent(reordered, { "idempotency-key": key }));

    expect(retry.status).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(retry.headers.location).toBe(first.headers.location);
    expect(await rowsFor(key)).toEqual({ transactions: 1, outbox: 1 });
  });

  it("GIVEN a transaction created in one region WHEN the retry lands in the other region's API after failover THEN it is replayed from the replicated row", async () => {
    const key = randomUUID();
    const first = await call(f.h.api, postEvent(VALID_BODY, { "idempotency-key": key }));
    // The other region: its own process (pool, caches) and its own replica of the table.
    const otherTable = await createTestTable("idem-dr");
    const dr = makeHarness({ db: f.db, tableName: otherTable.name });

    const retry = await call(dr.api, postEvent(VALID_BODY, { "idempotency-key": key }));

    expect(retry.status).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(retry.headers["idempotent-replayed"]).toBe("true");
    expect(await rowsFor(key)).toEqual({ transactions: 1, outbox: 1 });
    await dr.close();
    await otherTable.drop();
  });
});

describe("same Idempotency-Key, different body", () => {
  it.each([
    ["another amount", { amount: 999 }],
    ["another destination", { destinationAccount: "NL91ABNA0417164300" }],
    ["the optional reference added", { reference: "changed" }],
  ])(
    "GIVEN a used key WHEN reused with %s THEN 409 idempotency_key_reused and nothing is written",
    async (_, patch) => {
      const key = randomUUID();
      const first = await call(f.h.api, postEvent(VALID_BODY, { "idempotency-key": key }));
      const itemsBefore = await f.table.itemCount();
      aws.reset(f.db);

      const reuse = await call(
        f.h.api,
        postEvent({ ...VALID_BODY, ...patch }, { "idempotency-key": key }),
      );

      expect(reuse.status).toBe(409);
      expect(reuse.json).toEqual({
        error: "idempotency_key_reused",
        message:
          "This Idempotency-Key was already used with a different request body; use a new key for a new transaction",
      });
      expect(await rowsFor(key)).toEqual({ transactions: 1, outbox: 1 });
      const stored = await f.db.admin.query<{ amount: string }>(
        "SELECT amount FROM transactions WHERE idempotency_key = $1",
        [key],
      );
      expect(stored.rows).toEqual([{ amount: String(first.json.amount) }]);
      expect(await f.table.itemCount()).toBe(itemsBefore);
      expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
    },
  );
});

/**
 * Every bad request answers 400 with EVERY problem listed, and writes nothing anywhere: no row,
 * no outbox row, no DynamoDB item, no SQS call. The `allowed` texts are API contract, so they are
 * spelled out here rather than imported.
 */
import "aws-sdk-client-mock-jest";

import { SendMessageCommand } from "@aws-sdk/client-sqs";
import type { ALBEvent } from "aws-lambda";

import { canonicalBody } from "../../lambda/transaction-api/validation";
import { VALID_BODY, albEvent, call, postEvent, useLambdaFixture } from "./support/harness";
import {} from "./support/services";

const ALLOWED = {
  contentType: "application/json (optionally ; charset=utf-8)",
  key: "1-128 visible ASCII characters (0x21-0x7E), e.g. a UUID",
  size: "at most 16384 bytes",
  body: "a JSON object",
  amount: "an integer number of minor units from 1 to 100000000000",
  currency: "an active ISO 4217 currency code in upper case, e.g. EUR",
  account: "8-34 upper-case letters or digits",
  different: "an account different from sourceAccount",
  reference: "a string of 1-140 characters without control characters",
  unknown:
    "no such field; the fields are amount, currency, sourceAccount, destinationAccount, reference",
};

// Schema in place (migrate), so "nothing written" counts rows of real tables. No cleanup between
// the 400 cases: each asserts the stores are still empty, so a case that wrongly wrote fails
// itself and every later one. The accepted variants run last and count deltas.
const f = useLambdaFixture("validation", { migrate: true });
const { aws } = f;

const withBody = (patch: Record<string, unknown>) => postEvent({ ...VALID_BODY, ...patch });
const without = (field: keyof typeof VALID_BODY) => {
  const body: Record<string, unknown> = { ...VALID_BODY };
  delete body[field];
  return postEvent(body);
};
const raw = (body: string, headers: Record<string, string> = {}) =>
  albEvent("POST", "/transactions", {
    headers: { "content-type": "application/json", "idempotency-key": "k-1", ...headers },
    body,
  });
const oversized = JSON.stringify({ ...VALID_BODY, reference: "x".repeat(16_384) });

const cases: [string, ALBEvent, { field: string; value: unknown; allowed: string }[]][] = [
  [
    "amount missing",
    without("amount"),
    [{ field: "amount", value: null, allowed: ALLOWED.amount }],
  ],
  [
    "amount zero",
    withBody({ amount: 0 }),
    [{ field: "amount", value: 0, allowed: ALLOWED.amount }],
  ],
  [
    "amount negative",
    withBody({ amount: -5 }),
    [{ field: "amount", value: -5, allowed: ALLOWED.amount }],
  ],
  [
    "amount fractional",
    withBody({ amount: 12.5 }),
    [{ field: "amount", value: 12.5, allowed: ALLOWED.amount }],
  ],
  [
    "amount as a string",
    withBody({ amount: "1250" }),
    [{ field: "amount", value: "1250", allowed: ALLOWED.amount }],
  ],
  [
    "amount over the cap",
    withBody({ amount: 100_000_000_001 }),
    [{ field: "amount", value: 100_000_000_001, allowed: ALLOWED.amount }],
  ],
  [
    "amount beyond MAX_SAFE_INTEGER",
    raw(
      `{"amount":9007199254740993,"currency":"EUR","sourceAccount":"DE89370400440532013000","destinationAccount":"FR1420041010050500013M02606"}`,
    ),
    [{ field: "amount", value: 9007199254740992, allowed: ALLOWED.amount }],
  ],
  [
    "currency lower case",
    withBody({ currency: "eur" }),
    [{ field: "currency", value: "eur", allowed: ALLOWED.currency }],
  ],
  [
    "currency not active (XXX)",
    withBody({ currency: "XXX" }),
    [{ field: "currency", value: "XXX", allowed: ALLOWED.currency }],
  ],
  [
    "currency withdrawn (HRK)",
    withBody({ currency: "HRK" }),
    [{ field: "currency", value: "HRK", allowed: ALLOWED.currency }],
  ],
  [
    "currency missing",
    without("currency"),
    [{ field: "currency", value: null, allowed: ALLOWED.currency }],
  ],
  [
    "sourceAccount too short",
    withBody({ sourceAccount: "DE89" }),
    [{ field: "sourceAccount", value: "DE89", allowed: ALLOWED.account }],
  ],
  [
    "sourceAccount not a string",
    withBody({ sourceAccount: 12345678 }),
    [{ field: "sourceAccount", value: 12345678, allowed: ALLOWED.account }],
  ],
  [
    "destinationAccount with spaces",
    withBody({ destinationAccount: "FR14 2004 1010" }),
    [{ field: "destinationAccount", value: "FR14 2004 1010", allowed: ALLOWED.account }],
  ],
  [
    "destinationAccount missing",
    without("destinationAccount"),
    [{ field: "destinationAccount", value: null, allowed: ALLOWED.account }],
  ],
  [
    "same source and destination",
    withBody({ destinationAccount: VALID_BODY.sourceAccount }),
    [{ field: "destinationAccount", value: VALID_BODY.sourceAccount, allowed: ALLOWED.different }],
  ],
  [
    "reference empty",
    withBody({ reference: "" }),
    [{ field: "reference", value: "", allowed: ALLOWED.reference }],
  ],
  [
    "reference of 141 characters",
    withBody({ reference: "r".repeat(141) }),
    [{ field: "reference", value: "r".repeat(141), allowed: ALLOWED.reference }],
  ],
  [
    "reference with a control character",
    withBody({ reference: "bell\u0007" }),
    [{ field: "reference", value: "bell\u0007", allowed: ALLOWED.reference }],
  ],
  [
    "reference null",
    withBody({ reference: null }),
    [{ field: "reference", value: null, allowed: ALLOWED.reference }],
  ],
  [
    "an unknown field",
    withBody({ memo: "hi" }),
    [{ field: "memo", value: "hi", allowed: ALLOWED.unknown }],
  ],
  ["malformed JSON", raw('{"amount":'), [{ field: "body", value: null, allowed: ALLOWED.body }]],
  ["a JSON array", raw("[]"), [{ field: "body", value: null, allowed: ALLOWED.body }]],
  ["an empty body", raw(""), [{ field: "body", value: null, allowed: ALLOWED.body }]],
  [
    "a body over 16 KiB",
    raw(oversized),
    [{ field: "body", value: Buffer.byteLength(oversized), allowed: ALLOWED.size }],
  ],
  [
    "Content-Type text/plain",
    postEvent(VALID_BODY, { "content-type": "text/plain" }),
    [{ field: "Content-Type", value: "text/plain", allowed: ALLOWED.contentType }],
  ],
  [
    "Content-Type with another charset",
    postEvent(VALID_BODY, { "content-type": "application/json; charset=latin1" }),
    [
      {
        field: "Content-Type",
        value: "application/json; charset=latin1",
        allowed: ALLOWED.contentType,
      },
    ],
  ],
  [
    "Content-Type missing",
    albEvent("POST", "/transactions", {
      headers: { "idempotency-key": "k-2" },
      body: JSON.stringify(VALID_BODY),
    }),
    [{ field: "Content-Type", value: null, allowed: ALLOWED.contentType }],
  ],
  [
    "Idempotency-Key missing",
    albEvent("POST", "/transactions", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify(VALID_BODY),
    }),
    [{ field: "Idempotency-Key", value: null, allowed: ALLOWED.key }],
  ],
  [
    "Idempotency-Key of 129 characters",
    postEvent(VALID_BODY, { "idempotency-key": "k".repeat(129) }),
    [{ field: "Idempotency-Key", value: "k".repeat(129), allowed: ALLOWED.key }],
  ],
  [
    "Idempotency-Key with a space",
    postEvent(VALID_BODY, { "idempotency-key": "my key" }),
    [{ field: "Idempotency-Key", value: "my key", allowed: ALLOWED.key }],
  ],
  [
    "Idempotency-Key with non-ASCII",
    postEvent(VALID_BODY, { "idempotency-key": "clé" }),
    [{ field: "Idempotency-Key", value: "clé", allowed: ALLOWED.key }],
  ],
  [
    "everything wrong at once",
    albEvent("POST", "/transactions", {
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({
        amount: -1,
        currency: "usd",
        sourceAccount: "x",
        destinationAccount: "x",
        extra: true,
      }),
    }),
    [
      { field: "Content-Type", value: "text/plain", allowed: ALLOWED.contentType },
      { field: "Idempotency-Key", value: null, allowed: ALLOWED.key },
      { field: "amount", value: -1, allowed: ALLOWED.amount },
      { field: "currency", value: "usd", allowed: ALLOWED.currency },
      { field: "sourceAccount", value: "x", allowed: ALLOWED.account },
      { field: "destinationAccount", value: "x", allowed: ALLOWED.account },
      { field: "extra", value: true, allowed: ALLOWED.unknown },
    ],
  ],
];

describe("POST /transactions with a bad request", () => {
  it.each(cases)(
    "GIVEN %s WHEN posted THEN 400 lists exactly its problems and nothing is written",
    async (_, event, errors) => {
      const answer = await call(f.h.api, event);

      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ error: "validation_failed", errors });
      expect(await f.db.count("transactions")).toBe(0);
      expect(await f.db.count("outbox")).toBe(0);
      expect(await f.table.itemCount()).toBe(0);
      expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
    },
  );
});

describe("accepted variants", () => {
  it.each([
    [
      "Content-Type with charset=utf-8",
      postEvent(VALID_BODY, { "content-type": "application/json; charset=UTF-8" }),
    ],
    [
      'Content-Type with charset="utf-8" (quoted)',
      postEvent(VALID_BODY, { "content-type": 'application/json;charset="utf-8"' }),
    ],
    ["no reference", without("reference")],
    ["a 140-character reference in non-Latin script", withBody({ reference: "é".repeat(140) })],
    ["the largest amount", withBody({ amount: 100_000_000_000 })],
    [
      "an integral amount written as 1250.0",
      raw(JSON.stringify(VALID_BODY).replace("1250", "1250.0"), {
        "idempotency-key": "variant-float",
      }),
    ],
  ])("GIVEN %s WHEN posted THEN 201", async (_, event) => {
    const before = await f.db.count("transactions");

    const answer = await call(f.h.api, event);

    expect(answer.status).toBe(201);
    expect(await f.db.count("transactions")).toBe(before + 1);
  });
});

describe("canonicalBody (the input of the idempotency fingerprint)", () => {
  it("GIVEN the same request with fields in another order WHEN canonicalised THEN the text is identical", () => {
    const reordered = {
      reference: VALID_BODY.reference,
      destinationAccount: VALID_BODY.destinationAccount,
      currency: VALID_BODY.currency,
      amount: VALID_BODY.amount,
      sourceAccount: VALID_BODY.sourceAccount,
    };

    expect(canonicalBody(reordered)).toBe(canonicalBody(VALID_BODY));
    expect(canonicalBody(VALID_BODY)).toBe(
      '{"amount":1250,"currency":"EUR","destinationAccount":"FR1420041010050500013M02606","reference":"invoice 2024-118","sourceAccount":"DE89370400440532013000"}',
    );
  });
});

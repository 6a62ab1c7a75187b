/**
 * The API behind the ALB, against real PostgreSQL (TLS) and DynamoDB (dynalite): what a created
 * transaction leaves in each store, how it reads back, and the ALB event/response contract.
 */
import "aws-sdk-client-mock-jest";

import { randomUUID } from "node:crypto";

import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

import { statusKey } from "../../lambda/shared/stores/dynamodb-status-store";
import {
  type AlbRequest,
  QUEUE_URL,
  VALID_BODY,
  albEvent,
  call,
  postEvent,
  useLambdaFixture,
} from "./support/harness";
import { dynamoClient } from "./support/services";

const f = useLambdaFixture("api");
const { aws } = f;
const doc = DynamoDBDocumentClient.from(dynamoClient());

describe("POST /transactions", () => {
  it("GIVEN a valid request WHEN posted THEN 201 with the pending transaction, one row, one outbox row (undelivered until the worker settles it), one message and the status item", async () => {
    const answer = await call(f.h.api, postEvent(VALID_BODY));

    expect(answer.status).toBe(201);
    const id = answer.json.id as string;
    expect(answer.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      status: "pending",
      ...VALID_BODY,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as string,
    });
    expect(answer.headers.location).toBe(`/transactions/${id}`);
    expect(answer.headers["content-type"]).toBe("application/json");
    expect(answer.headers["idempotent-replayed"]).toBeUndefined();

    const rows = await f.db.admin.query<{ status: string; amount: string; published: boolean }>(
      `SELECT t.status, t.amount, o.published_at IS NOT NULL AS published
         FROM transactions t JOIN outbox o ON o.transaction_id = t.id WHERE t.id = $1`,
      [id],
    );
    // The API commits once; the worker marks the outbox row delivered when it settles.
    expect(rows.rows).toEqual([{ status: "pending", amount: "1250", published: false }]);

    expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(aws.sqs).toHaveReceivedCommandWith(SendMessageCommand, {
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify({ type: "transaction.created", transactionId: id }),
    });

    const { Item } = await doc.send(
      new GetCommand({ TableName: f.table.name, Key: statusKey(id) }),
    );
    expect(Item).toEqual({
      pk: `TXN#${id}`,
      sk: "STATUS",
      id,
      customerId: VALID_BODY.sourceAccount,
      destinationAccount: VALID_BODY.destinationAccount,
      amount: 1250,
      currency: "EUR",
      status: "pending",
      createdAt: answer.json.createdAt,
      reference: VALID_BODY.reference,
    });
    expect(Item).not.toHaveProperty("expiresAt");
  });

  it.each<[string, AlbRequest]>([
    ["base64-encoded body (ALB does this for some content types)", { isBase64Encoded: true }],
    ["multi-value headers (target group setting)", { multiValue: true }],
  ])("GIVEN a %s WHEN posted THEN it is created and answered in the same form", async (_, form) => {
    const body = JSON.stringify(VALID_BODY);
    const event = albEvent("POST", "/transactions", {
      headers: { "Content-Type": "application/json", "Idempotency-Key": randomUUID() },
      body: form.isBase64Encoded === true ? Buffer.from(body).toString("base64") : body,
      ...form,
    });

    const result = await f.h.api(event);

    expect(result.statusCode).toBe(201);
    expect(result.statusDescription).toBe("201 Created");
    if (form.multiValue === true) {
      expect(result.multiValueHeaders?.["Content-Type"]).toEqual(["application/json"]);
      expect(result.headers).toBeUndefined();
    } else {
      expect(result.headers?.["Content-Type"]).toBe("application/json");
    }
  });
});

describe("GET /transactions/{id}", () => {
  it("GIVEN a created transaction WHEN read THEN the status item is returned", async () => {
    const created = await call(f.h.api, postEvent(VALID_BODY));

    const read = await call(f.h.api, albEvent("GET", `/transactions/${created.json.id as string}`));

    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it("GIVEN a transaction whose status item is missing WHEN read THEN Aurora answers", async () => {
    const created = await call(f.h.api, postEvent(VALID_BODY));
    const id = created.json.id as string;
    await doc.send(new DeleteCommand({ TableName: f.table.name, Key: statusKey(id) }));

    const read = await call(f.h.api, albEvent("GET", `/transactions/${id}`));

    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it.each([
    ["an unknown id", "0b6f7a52-3d0e-4e4c-9d8e-52c3f4a1b2c3"],
    ["a malformed id (documented: 404, not 400)", "not-a-uuid"],
    ["an upper-case id (ids are handed out lower-case)", "0B6F7A52-3D0E-4E4C-9D8E-52C3F4A1B2C3"],
  ])("GIVEN %s WHEN read THEN 404 not_found", async (_, id) => {
    const read = await call(f.h.api, albEvent("GET", `/transactions/${id}`));

    expect(read.status).toBe(404);
    expect(read.json).toEqual({ error: "not_found", message: "transaction not found" });
  });
});

describe("GET /accounts/{id}/transactions", () => {
  it("GIVEN two transactions from one account WHEN listed THEN both come back newest first through the byCustomer index", async () => {
    const account = "GB33BUKB20201555555555";
    const first = await call(f.h.api, postEvent({ ...VALID_BODY, sourceAccount: account }));
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await call(f.h.api, postEvent({ ...VALID_BODY, sourceAccount: account }));

    const list = await call(f.h.api, albEvent("GET", `/accounts/${account}/transactions`));

    expect(list.status).toBe(200);
    expect((list.json.items as { id: string }[]).map((t) => t.id)).toEqual([
      second.json.id,
      first.json.id,
    ]);
  });
});

describe("routing", () => {
  it.each([
    ["DELETE", "/transactions", 405, { error: "method_not_allowed", allowed: ["POST"] }],
    ["POST", "/health", 405, { error: "method_not_allowed", allowed: ["GET"] }],
    ["GET", "/nope", 404, { error: "not_found", message: "route not found" }],
  ])("GIVEN %s %s WHEN routed THEN %i", async (method, path, status, body) => {
    const answer = await call(f.h.api, albEvent(method, path));

    expect(answer.status).toBe(status);
    expect(answer.json).toEqual(body);
  });
});

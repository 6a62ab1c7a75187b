/**
 * How one region's API behaves when its dependencies are not all there: database down, the
 * cluster a read-only secondary (before promotion), DynamoDB unreachable, a dependency that hangs.
 * Writes that cannot be made write NOTHING anywhere and answer 503 with Retry-After; reads and
 * health still tell the truth, well inside Route 53's two-second budget.
 */
import "aws-sdk-client-mock-jest";

import { randomUUID } from "node:crypto";

import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { DeleteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

import { ServiceUnavailableError } from "../../lambda/shared/errors";
import { statusKey } from "../../lambda/shared/stores/dynamodb-status-store";
import {
  type Harness,
  VALID_BODY,
  albEvent,
  call,
  makeHarness,
  postEvent,
  useLambdaFixture,
} from "./support/harness";
import { blackHole, closedPort, dynamoClient } from "./support/services";

/** How an Aurora secondary (or a reader) looks to a client. */
const READ_ONLY_SESSION = "-c default_transaction_read_only=on";

// f.h is the writer: a healthy region's API and worker, next to the broken ones below.
const f = useLambdaFixture("regional", { migrate: true });
const { aws } = f;
const doc = DynamoDBDocumentClient.from(dynamoClient());

async function snapshot() {
  return {
    transactions: await f.db.count("transactions"),
    outbox: await f.db.count("outbox"),
    items: await f.table.itemCount(),
  };
}

describe("database down", () => {
  let down: Harness;
  beforeAll(async () => {
    down = makeHarness({ db: f.db, tableName: f.table.name, dbPort: await closedPort() });
  });
  afterAll(() => down.close());

  it("GIVEN the database refuses connections WHEN a transaction is posted THEN 503 database_unavailable with Retry-After, and no item and no message", async () => {
    const before = await snapshot();

    const answer = await call(down.api, postEvent(VALID_BODY));

    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: "database_unavailable",
      reason: "cannot connect to the database",
    });
    expect(answer.headers["retry-after"]).toBe("5");
    expect(await snapshot()).toEqual(before);
    expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });

  it("GIVEN the database refuses connections WHEN /health is asked THEN 503 naming database, with DynamoDB still ok", async () => {
    const answer = await call(down.api, albEvent("GET", "/health"));

    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({
      status: "unhealthy",
      failing: ["database"],
      checks: { database: { status: "failing", reason: "error" }, dynamodb: { status: "ok" } },
    });
    expect(answer.json).not.toHaveProperty("role");
  });

  it("GIVEN the database refuses connections WHEN the scheduled outbox drain runs THEN it is skipped and counted, not failed (a failed run would land in the failure queue every minute)", async () => {
    const result = await down.worker({ action: "drain-outbox" });

    expect(result).toEqual({
      action: "drain-outbox",
      claimed: 0,
      published: 0,
      skipped: "database_unavailable",
    });
  });

  it("GIVEN the database refuses connections WHEN the load balancer asks /health/live THEN 200, so targets are not replaced over a database outage", async () => {
    const answer = await call(down.api, albEvent("GET", "/health/live"));

    expect([answer.status, answer.json]).toEqual([200, { status: "alive" }]);
  });
});

describe("secondary region whose cluster endpoint is inactive (Aurora global secondary before promotion)", () => {
  // A global database's secondary has no active writer endpoint; only its reader endpoint
  // (DB_READ_HOST) answers, with read-only sessions.
  let inactive: Harness;
  beforeAll(async () => {
    inactive = makeHarness({
      db: f.db,
      tableName: f.table.name,
      dbPort: await closedPort(),
      reader: { sessionOptions: READ_ONLY_SESSION },
    });
  });
  afterAll(() => inactive.close());

  it("GIVEN only the reader endpoint answers WHEN /health is asked THEN 200 with role reader, so Route 53 can route here", async () => {
    const answer = await call(inactive.api, albEvent("GET", "/health"));

    expect([answer.status, answer.json.role]).toEqual([200, "reader"]);
  });

  it("GIVEN only the reader endpoint answers WHEN a transaction without a status item is read THEN Aurora answers through the reader endpoint", async () => {
    const created = await call(f.h.api, postEvent(VALID_BODY));
    const id = created.json.id as string;
    await doc.send(new DeleteCommand({ TableName: f.table.name, Key: statusKey(id) }));

    const read = await call(inactive.api, albEvent("GET", `/transactions/${id}`));

    expect([read.status, read.json]).toEqual([200, created.json]);
  });

  it("GIVEN only the reader endpoint answers WHEN a transaction is posted THEN 503 and nothing is written", async () => {
    const before = await snapshot();

    const answer = await call(inactive.api, postEvent(VALID_BODY));

    expect(answer.status).toBe(503);
    expect(await snapshot()).toEqual(before);
  });

  it("GIVEN both endpoints answer and the cluster writes WHEN /health is asked THEN the writer endpoint's role wins", async () => {
    const both = makeHarness({ db: f.db, tableName: f.table.name, reader: {} });
    const answer = await call(both.api, albEvent("GET", "/health"));
    await both.close();

    expect([answer.status, answer.json.role]).toEqual([200, "writer"]);
  });
});

describe("secondary region (read-only cluster, before promotion)", () => {
  let secondary: Harness;
  beforeAll(() => {
    secondary = makeHarness({
      db: f.db,
      tableName: f.table.name,
      sessionOptions: READ_ONLY_SESSION,
    });
  });
  afterAll(() => secondary.close());

  it("GIVEN a read-only cluster WHEN a transaction is posted THEN 503 not_writer with Retry-After, and nothing is written anywhere", async () => {
    const before = await snapshot();

    const answer = await call(secondary.api, postEvent(VALID_BODY));

    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: "not_writer",
      reason: "this region's database cluster is read-only (not the writer)",
    });
    expect(answer.headers["retry-after"]).toBe("5");
    expect(await snapshot()).toEqual(before);
    expect(aws.sqs).toHaveReceivedCommandTimes(SendMessageCommand, 0);
  });

  it("GIVEN a transaction written earlier by the primary and no status item here WHEN read on the secondary THEN Aurora answers from the read-only cluster", async () => {
    const created = await call(f.h.api, postEvent(VALID_BODY));
    const id = created.json.id as string;
    await doc.send(new DeleteCommand({ TableName: f.table.name, Key: statusKey(id) }));

    const read = await call(secondary.api, albEvent("GET", `/transactions/${id}`));

    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });

  it("GIVEN a reachable read-only cluster WHEN /health is asked THEN 200 with role reader (Route 53 may route here)", async () => {
    const answer = await call(secondary.api, albEvent("GET", "/health"));

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: "ok", role: "reader", region: "us-east-1" });
  });

  it("GIVEN a writable cluster WHEN /health is asked THEN 200 with role writer", async () => {
    const answer = await call(f.h.api, albEvent("GET", "/health"));

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: "ok", role: "writer" });
  });

  it("GIVEN a read-only cluster WHEN the scheduled outbox drain runs THEN it is skipped, not failed", async () => {
    const result = await secondary.worker({ action: "drain-outbox" });

    expect(result).toEqual({
      action: "drain-outbox",
      claimed: 0,
      published: 0,
      skipped: "not_writer",
    });
  });

  it("GIVEN a session past the writer check WHEN its cluster turns read-only (SQLSTATE 25006) THEN the error maps to not_writer", async () => {
    const attempt = secondary.database.withClient((client) =>
      client.query("INSERT INTO outbox (transaction_id, message) VALUES ($1, '{}')", [
        randomUUID(),
      ]),
    );

    await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(attempt).rejects.toMatchObject({ code: "not_writer" });
  });
});

describe("DynamoDB unreachable", () => {
  let noDynamo: Harness;
  beforeAll(async () => {
    noDynamo = makeHarness({
      db: f.db,
      tableName: f.table.name,
      dynamoEndpoint: `http://127.0.0.1:${await closedPort()}`,
    });
  });
  afterAll(() => noDynamo.close());

  it("GIVEN DynamoDB is unreachable WHEN /health is asked THEN 503 naming dynamodb", async () => {
    const answer = await call(noDynamo.api, albEvent("GET", "/health"));

    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({
      status: "unhealthy",
      failing: ["dynamodb"],
      role: "writer",
      checks: { database: { status: "ok" }, dynamodb: { status: "failing", reason: "error" } },
    });
  });

  it("GIVEN DynamoDB is unreachable WHEN a transaction is posted THEN it is committed (201) and reads fall back to Aurora", async () => {
    const created = await call(noDynamo.api, postEvent(VALID_BODY));

    expect(created.status).toBe(201);
    const read = await call(
      noDynamo.api,
      albEvent("GET", `/transactions/${created.json.id as string}`),
    );
    expect(read.status).toBe(200);
    expect(read.json).toEqual(created.json);
  });
});

describe("a dependency that hangs", () => {
  it("GIVEN a database endpoint that accepts but never answers WHEN /health is asked THEN it answers 503 (timeout) within Route 53's 2 s", async () => {
    const hole = await blackHole();
    const hung = makeHarness({
      db: f.db,
      tableName: f.table.name,
      dbPort: hole.port,
      healthTimeoutMs: 800,
    });
    const started = performance.now();

    const answer = await call(hung.api, albEvent("GET", "/health"));

    const elapsed = performance.now() - started;
    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({
      failing: ["database"],
      checks: { database: { status: "failing", reason: "timeout" } },
    });
    expect(elapsed).toBeLessThan(1500);
    await hole.close();
    await hung.close();
  });
});

/* eslint-disable @typescript-eslint/no-require-imports --
 * Each variant loads the live suite afresh (it reads the outputs file when it is loaded), which
 * only jest.isolateModules with require() can do. */
/**
 * The live API suite (tests/integration/api.test.ts) against two local "regions": the real
 * handlers (lambda/local) on the test run's PostgreSQL (verified TLS) and one dynalite table. The primary connects as a writer; the DR region as a
 * role whose sessions are read-only, which is how an Aurora secondary looks to a client. The
 * outputs are those of a test-mode stack without a domain (regional URLs only), so the DNS cases
 * skip with their reason here. Green on the correct pair; red when the regions' roles are wrong.
 * This is where the write test runs on real PostgreSQL; tests/simulated/ runs every other API
 * test (DNS, TLS, redirect, health) through the simulated internet of a production stack.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type LocalServer, startLocalServer } from "../../lambda/local/server";
import { migrate } from "../../lambda/shared/db/migrations";
import { SIMULATED_OUTPUTS_ENV } from "../integration/stack-outputs";
import type * as Harness from "../simulated/support/harness";
import {
  type TestDatabase,
  type TestTable,
  caFile,
  createTestDatabase,
  createTestTable,
  dynamoEndpoint,
  pgHost,
  pgPort,
} from "./support/services";

const READER = { user: "dr_reader_live", password: "dr-reader-password" };

let db: TestDatabase;
let table: TestTable;
let writer: LocalServer;
let reader: LocalServer;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase("live_api");
  table = await createTestTable("live-api");
  await migrate(db.admin);
  await db.admin.query(`GRANT ALL ON ALL TABLES IN SCHEMA public TO ${db.user}`);
  await db.admin.query(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${db.user}`);
  await db.admin.query(`CREATE ROLE ${READER.user} LOGIN PASSWORD '${READER.password}'`);
  await db.admin.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${READER.user}`);
  await db.admin.query(`ALTER ROLE ${READER.user} SET default_transaction_read_only = on`);
  const server = (user: string, password: string) =>
    startLocalServer({
      port: 0,
      database: {
        host: pgHost(),
        port: pgPort(),
        database: db.name,
        user,
        password,
        tls: { caFile: caFile() },
      },
      dynamodb: { endpoint: dynamoEndpoint(), tableName: table.name },
      outboxDrainIntervalMs: 0,
    });
  writer = await server(db.user, db.password);
  reader = await server(READER.user, READER.password);
  dir = mkdtempSync(join(tmpdir(), "tap-dr-live-api-"));
});

afterAll(async () => {
  await writer?.close();
  await reader?.close();
  await db.admin.query(`DROP OWNED BY ${READER.user}`).catch(() => undefined);
  await db?.drop();
  await db.admin.query(`DROP ROLE IF EXISTS ${READER.user}`).catch(() => undefined);
  await table?.drop();
  delete process.env[SIMULATED_OUTPUTS_ENV];
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

/** The API suite loaded against outputs naming these two URLs as the regions' APIs. */
function apiSuiteAt(primaryApiUrl: string, drApiUrl: string) {
  const file = join(dir, `outputs-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({ stackMode: "test", drTier: "warm-standby", primaryApiUrl, drApiUrl }),
  );
  process.env[SIMULATED_OUTPUTS_ENV] = file;
  // The suite reads the outputs when it is loaded, so each variant loads it in a fresh registry.
  let loaded: typeof Harness | undefined;
  let tests: Harness.LiveTest[] = [];
  jest.isolateModules(() => {
    loaded = require("../simulated/support/harness") as typeof Harness;
    tests = loaded.collectSuite("api");
  });
  const harness = loaded;
  if (harness === undefined) throw new Error("the harness did not load");
  const run = async (title: string) => {
    const matching = tests.filter((t) => t.title.startsWith(title));
    expect(matching).toHaveLength(1);
    return harness.runLiveTest(matching[0]);
  };
  return { tests, run };
}

const HEALTH_PRIMARY = "answers the deep health check directly at the primary";
const HEALTH_DR = "answers the deep health check directly at the dr";
const WRITE = "accepts a transaction once per idempotency key";

describe("the API suite's HTTP tests on two local regions", () => {
  it("pass on a correct pair: a writer primary and a read-only DR region", async () => {
    const suite = apiSuiteAt(writer.url, reader.url);
    const results = await Promise.all([HEALTH_PRIMARY, HEALTH_DR, WRITE].map(suite.run));
    expect(results).toEqual([{ passed: true }, { passed: true }, { passed: true }]);
    // Without a domain the DNS cases skip, and in warm standby the pilot-light ones; each says why.
    const skipped = suite.tests.filter((t) => t.skipped).map((t) => t.title);
    expect(skipped).toHaveLength(6);
    for (const title of skipped) {
      expect(title).toMatch(/\(skipped: (the stack has no domain|the DR region is warm standby)/);
    }
  });

  it.each([
    ["the regions swapped (the DR region writes, the primary is read-only)", "swapped"],
    ["a DR region that accepts writes (not a secondary)", "both-writers"],
  ] as const)("fail on %s", async (_name, variant) => {
    const suite =
      variant === "swapped"
        ? apiSuiteAt(reader.url, writer.url)
        : apiSuiteAt(writer.url, writer.url);
    const failed = async (title: string) => (await suite.run(title)).passed === false;
    if (variant === "swapped") {
      expect([await failed(HEALTH_PRIMARY), await failed(HEALTH_DR), await failed(WRITE)]).toEqual([
        true,
        true,
        true,
      ]);
    } else {
      expect([await failed(HEALTH_PRIMARY), await failed(HEALTH_DR), await failed(WRITE)]).toEqual([
        false,
        true,
        true,
      ]);
    }
  });
});

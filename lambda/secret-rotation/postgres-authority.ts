/**
 * PasswordAuthority on PostgreSQL, over verified TLS, through the host in the secret (the
 * global writer endpoint, so the password is set on whichever cluster writes).
 *
 * The new password never appears in SQL text: the statement carries its SCRAM-SHA-256 verifier,
 * computed here (RFC 5802/7677, the format PostgreSQL stores and accepts pre-hashed), because the
 * cluster logs DDL (log_statement = ddl) and ALTER ROLE is DDL. psql's \password does the same.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Client } from "pg";

import type { DatabaseSecretValue, PasswordAuthority } from "./rotation";

/** PostgreSQL's default iteration count for SCRAM verifiers (scram_iterations). */
export const SCRAM_ITERATIONS = 4096;
/** invalid_password: the server rejected the password. */
const INVALID_PASSWORD = "28P01";

/**
 * The SCRAM-SHA-256 verifier of a password: "SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>".
 * The password must be printable ASCII (the generator's alphabet), for which SASLprep is the
 * identity.
 */
export function scramSha256Verifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): string {
  if (!/^[\x21-\x7e]+$/.test(password)) {
    throw new Error("password must be printable ASCII without spaces");
  }
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const hmac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest();
  const storedKey = createHash("sha256").update(hmac(salted, "Client Key")).digest();
  const serverKey = hmac(salted, "Server Key");
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

export interface PostgresAuthorityOptions {
  /** PEM bundle the server certificate must chain to; undefined: Node's roots plus NODE_EXTRA_CA_CERTS. */
  readonly caFile?: string;
  /** @default 5000 */
  readonly connectionTimeoutMillis?: number;
}

export class PostgresAuthority implements PasswordAuthority {
  private readonly ssl: ConnectionOptions;

  constructor(private readonly options: PostgresAuthorityOptions = {}) {
    this.ssl = {
      rejectUnauthorized: true,
      ...(options.caFile === undefined ? {} : { ca: readFileSync(options.caFile) }),
    };
  }

  async canLogin(secret: DatabaseSecretValue): Promise<boolean> {
    try {
      await this.withClient(secret, (client) => client.query("SELECT 1"));
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === INVALID_PASSWORD) return false;
      throw error;
    }
  }

  async setPassword(as: DatabaseSecretValue, username: string, password: string): Promise<void> {
    await this.withClient(as, async (client) => {
      // format() quotes the role name and the verifier; utility statements take no parameters.
      const { rows } = await client.query<{ statement: string }>(
        "SELECT format('ALTER ROLE %I WITH PASSWORD %L', $1::text, $2::text) AS statement",
        [username, scramSha256Verifier(password)],
      );
      await client.query(rows[0].statement);
    });
  }

  private async withClient<T>(
    secret: DatabaseSecretValue,
    work: (client: Client) => Promise<T>,
  ): Promise<T> {
    const client = new Client({
      host: secret.host,
      port: secret.port,
      database: secret.dbname,
      user: secret.username,
      password: secret.password,
      ssl: this.ssl,
      connectionTimeoutMillis: this.options.connectionTimeoutMillis ?? 5000,
      application_name: "tap-dr-secret-rotation",
    });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

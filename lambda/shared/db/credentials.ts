/**
 * Database credentials from the master secret ({username, password, host, port, dbname}; only
 * username and password are used: the host comes from DB_HOST, this region's cluster endpoint,
 * because the replicated secret names the primary's host).
 *
 * The value is cached for `ttlMs` and dropped by `invalidate()` when PostgreSQL rejects the
 * password (28P01), so a rotation is picked up on the next connection without a redeploy.
 */
import type { SecretSource } from "../stores/ports";

export interface DbCredentials {
  readonly username: string;
  readonly password: string;
}

export interface CredentialsProvider {
  get(): Promise<DbCredentials>;
  invalidate(): void;
}

/** Fixed credentials (local server, tests that do not exercise rotation). */
export class StaticCredentials implements CredentialsProvider {
  constructor(private readonly credentials: DbCredentials) {}

  get(): Promise<DbCredentials> {
    return Promise.resolve(this.credentials);
  }

  invalidate(): void {}
}

export class SecretCredentials implements CredentialsProvider {
  private cached?: { readonly value: Promise<DbCredentials>; readonly readAt: number };

  constructor(
    private readonly source: SecretSource,
    private readonly secretId: string,
    /** @default 15 minutes */
    private readonly ttlMs = 15 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get(): Promise<DbCredentials> {
    const cached = this.cached;
    if (cached !== undefined && this.now() - cached.readAt < this.ttlMs) {
      return cached.value;
    }
    const value = this.read();
    this.cached = { value, readAt: this.now() };
    // A failed read is not cached: the next call tries Secrets Manager again.
    value.catch(() => {
      if (this.cached?.value === value) this.cached = undefined;
    });
    return value;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async read(): Promise<DbCredentials> {
    const text = await this.source.getSecretString(this.secretId);
    return parseCredentials(text, this.secretId);
  }
}

/** Parses the secret; the error names the secret and the missing fields, never the contents. */
export function parseCredentials(text: string, secretId: string): DbCredentials {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Secret ${secretId} is not JSON`);
  }
  if (typeof parsed !== "object" || parsed === null) {
    throw new Error(`Secret ${secretId} is not a JSON object`);
  }
  const { username, password } = parsed as Record<string, unknown>;
  if (typeof username !== "string" || username === "" || typeof password !== "string") {
    throw new Error(`Secret ${secretId} must have string fields "username" and "password"`);
  }
  return { username, password };
}

/**
 * Environment helpers for the Lambda entries. A missing or malformed variable is a deployment
 * bug, so it fails the cold start with a message that names the variable, instead of surfacing
 * later as a confusing connection error.
 */

/** Returns the variable's value; throws naming the variable when it is unset or empty. */
export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value.trim() === "") {
    throw new Error(`Environment variable ${name} is required but is not set`);
  }
  return value;
}

/** Returns the variable's value, or undefined when it is unset or empty. */
export function optionalEnv(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** A required TCP port (1..65535); throws naming the variable and the bad value. */
export function requirePortEnv(name: string, env: NodeJS.ProcessEnv = process.env): number {
  const raw = requireEnv(name, env);
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`Environment variable ${name} must be a TCP port (1-65535), got "${raw}"`);
  }
  return port;
}

/** An optional positive integer; throws naming the variable when it is set but malformed. */
export function optionalPositiveInt(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
): number | undefined {
  const raw = optionalEnv(name, env);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`Environment variable ${name} must be a positive integer, got "${raw}"`);
  }
  return value;
}

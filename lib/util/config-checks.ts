/**
 * The value checks every config module uses. Each adds one line per problem to `problems`,
 * naming the key, the value and what is allowed, and returns a stand-in so the remaining
 * checks still run and every problem is reported at once.
 */

/** One of a fixed set of strings; otherwise the first allowed value stands in. */
export function oneOf<T extends string>(
  key: string,
  value: string,
  allowed: readonly T[],
  problems: string[],
): T {
  if ((allowed as readonly string[]).includes(value)) {
    return value as T;
  }
  problems.push(`${key}: "${value}" is not allowed; use one of ${allowed.join(", ")}`);
  return allowed[0];
}

/** A whole number from min to max; `why` (may be "") says where the range comes from. */
export function wholeNumber(
  key: string,
  value: string,
  min: number,
  max: number,
  why: string,
  problems: string[],
): number | undefined {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
    problems.push(
      `${key}: "${value}" is not allowed; use a whole number from ${min} to ${max}${why}`,
    );
    return undefined;
  }
  return parsed;
}

/**
 * Text of a scalar config value. `pulumi config set --path` stores integers as numbers and
 * true/false as booleans ("When setting the config for a path, \"true\" and \"false\" are
 * treated as boolean values, and integers are treated as numbers", `pulumi config set`
 * reference), so `--path 'tags.CostCenter' 1234` arrives as 1234. Objects, lists and null have
 * no text: undefined.
 */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

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

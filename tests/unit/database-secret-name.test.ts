import {
  ENVIRONMENT_SUFFIX_PATTERN,
  MAX_ENVIRONMENT_SUFFIX_LENGTH,
  SECRET_NAME_FORBIDDEN_ENDING,
  databaseSecretName,
} from "../../lib/naming";

/** Every suffix the config accepts is made of these, with single inner hyphens. */
const SUFFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A deterministic pseudo-random valid suffix (no Math.random: failures must reproduce). */
function validSuffix(seed: number): string {
  let state = seed;
  const next = (modulo: number): number => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state % modulo;
  };
  const length = 1 + next(MAX_ENVIRONMENT_SUFFIX_LENGTH);
  let suffix = "";
  while (suffix.length < length) {
    const canHyphen = suffix.length > 0 && suffix.length < length - 1 && !suffix.endsWith("-");
    suffix += canHyphen && next(4) === 0 ? "-" : SUFFIX_ALPHABET[next(SUFFIX_ALPHABET.length)];
  }
  return suffix;
}

describe("the master secret's name", () => {
  it("is tap-<suffix>-db-master-credentials", () => {
    expect(databaseSecretName("dev")).toBe("tap-dev-db-master-credentials");
  });

  it("forbids exactly what Secrets Manager warns about: a hyphen and six characters at the end", () => {
    // The old name ended "-master": six characters after a hyphen.
    expect(SECRET_NAME_FORBIDDEN_ENDING.test("tap-dev-db-master")).toBe(true);
    expect(SECRET_NAME_FORBIDDEN_ENDING.test("tap-dev-db-abc-ef")).toBe(true);
    expect(SECRET_NAME_FORBIDDEN_ENDING.test("tap-dev-db-maste")).toBe(false);
    expect(SECRET_NAME_FORBIDDEN_ENDING.test("tap-dev-db-masters")).toBe(false);
  });

  it.each([
    ["shortest", "a"],
    ["six characters (the length of the random suffix)", "abcdef"],
    ["ending in a six-character segment", "pr-123456"],
    ["longest", "a".repeat(MAX_ENVIRONMENT_SUFFIX_LENGTH)],
    ["longest with hyphens", "a-b-c-d-e-f-g-h1"],
  ])("never ends with a hyphen and six characters: %s suffix", (_, suffix) => {
    expect(ENVIRONMENT_SUFFIX_PATTERN.test(suffix)).toBe(true);
    expect(databaseSecretName(suffix)).not.toMatch(SECRET_NAME_FORBIDDEN_ENDING);
  });

  it("never ends with a hyphen and six characters, for any valid suffix", () => {
    // The suffix is never the last segment: every name ends with the same 22 characters,
    // so no suffix can change the ending. 2,000 generated suffixes check it end to end.
    const ending = "-db-master-credentials";
    for (let seed = 1; seed <= 2000; seed++) {
      const suffix = validSuffix(seed);
      expect([suffix, ENVIRONMENT_SUFFIX_PATTERN.test(suffix)]).toEqual([suffix, true]);
      const name = databaseSecretName(suffix);
      expect(name.endsWith(ending)).toBe(true);
      expect([name, SECRET_NAME_FORBIDDEN_ENDING.test(name)]).toEqual([name, false]);
    }
  });
});

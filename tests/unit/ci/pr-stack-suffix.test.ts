/**
 * The ephemeral stack's environmentSuffix, derived from the PR number, is a valid suffix for
 * every PR number up to 7 digits: proven exhaustively against the program's own rules
 * (lib/naming.ts) and against the config check that `pulumi up` would run (lib/config.ts).
 */
import { parseConfig } from "../../../lib/config";
import { ENVIRONMENT_SUFFIX_PATTERN, MAX_ENVIRONMENT_SUFFIX_LENGTH } from "../../../lib/naming";
import {
  MAX_PROVEN_PR_NUMBER,
  PR_STACK_PREFIX,
  parsePrNumber,
  prStack,
} from "../../../tools/ci/pr-stack-suffix";
import { outputLines } from "../../../tools/ci/pr-stack";

describe("prStack", () => {
  it("is valid for every PR number from 1 to 9,999,999 (exhaustive)", () => {
    let invalid: number | undefined;
    let longest = 0;
    const seen = new Set<string>();
    for (let n = 1; n <= MAX_PROVEN_PR_NUMBER; n++) {
      const { stack, environmentSuffix } = prStack(n);
      if (
        stack !== environmentSuffix ||
        !ENVIRONMENT_SUFFIX_PATTERN.test(environmentSuffix) ||
        environmentSuffix.length > MAX_ENVIRONMENT_SUFFIX_LENGTH
      ) {
        invalid = n;
        break;
      }
      longest = Math.max(longest, environmentSuffix.length);
      // Distinct PRs never share a stack: spot-check injectivity on a sparse subset.
      if (n % 9_973 === 0) seen.add(environmentSuffix);
    }
    expect(invalid).toBeUndefined();
    expect(longest).toBe("pr-9999999".length);
    expect(seen.size).toBe(Math.floor(MAX_PROVEN_PR_NUMBER / 9_973));
  });

  it.each([
    [1, "pr-1"],
    [9, "pr-9"],
    [10, "pr-10"],
    [99, "pr-99"],
    [100, "pr-100"],
    [999_999, "pr-999999"],
    [1_000_000, "pr-1000000"],
    [9_999_999, "pr-9999999"],
  ])("PR %d -> %s (digit-count boundaries), which the stack config accepts", (n, suffix) => {
    expect(prStack(n)).toEqual({ stack: suffix, environmentSuffix: suffix });
    // The same check `pulumi up` runs first: a test-mode stack with this suffix is valid.
    expect(parseConfig({ environmentSuffix: suffix, mode: "test" }).environmentSuffix).toBe(suffix);
  });

  it("keeps going past 7 digits while the suffix fits: 13 digits is the last that does", () => {
    const last = 9_999_999_999_999;
    expect(prStack(last).environmentSuffix).toHaveLength(MAX_ENVIRONMENT_SUFFIX_LENGTH);
    expect(() => prStack(last + 1)).toThrow(
      `PR number 10000000000000 gives environmentSuffix "pr-10000000000000" (17 characters); at most ${MAX_ENVIRONMENT_SUFFIX_LENGTH} are allowed`,
    );
  });

  it.each([
    [0, "0"],
    [-1, "-1"],
    [-9_999_999, "-9999999"],
    [1.5, "1.5"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "Infinity"],
    [2 ** 53, "9007199254740992"],
  ])("rejects %p with a clear error", (n, shown) => {
    expect(() => prStack(n)).toThrow(
      `PR number must be a positive integer (1, 2, ...); got ${shown}`,
    );
  });

  it("starts every suffix with the prefix the bootstrap's ephemeral deploy role is scoped to", () => {
    expect(PR_STACK_PREFIX).toBe("pr-");
    // A random sample across the range, seeded so a failure is reproducible.
    let seed = 20_261_128;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return 1 + (seed % MAX_PROVEN_PR_NUMBER);
    };
    for (let i = 0; i < 1_000; i++) {
      const n = next();
      expect(prStack(n).environmentSuffix).toBe(`pr-${n}`);
    }
  });
});

describe("parsePrNumber (the workflow passes the number as text)", () => {
  it.each([
    ["1", 1],
    ["42", 42],
    ["9999999", 9_999_999],
  ])("reads %s", (text, n) => {
    expect(parsePrNumber(text)).toBe(n);
  });

  it.each(["", "0", "-1", "+1", "01", "1.0", "1e3", " 1", "1 ", "abc", "0x10"])(
    "refuses %p",
    (text) => {
      expect(() => parsePrNumber(text)).toThrow(
        `PR number "${text}" is not a positive decimal integer (digits only, no leading zero)`,
      );
    },
  );
});

describe("the CLI's output lines", () => {
  it("are the GITHUB_OUTPUT form of prStack", () => {
    expect(outputLines(["123"])).toBe("stack=pr-123\nenvironment-suffix=pr-123\n");
  });

  it.each([[[]], [["1", "2"]]])("refuses %p arguments with its usage", (argv) => {
    expect(() => outputLines(argv)).toThrow("usage: tsx tools/ci/pr-stack.ts <pr number>");
  });
});

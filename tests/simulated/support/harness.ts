/**
 * Test-only: runs a live suite's tests outside jest's own runner, so one jest test can run them
 * against a correct simulated stack and against broken ones and see each pass or fail. It loads
 * the suite file (once per test file) with stand-ins for jest's `describe` and `it` that record
 * each test instead of registering it; the suite's code and assertions are unchanged.
 */
import { join } from "node:path";

type TestFn = (...args: unknown[]) => unknown;

export interface LiveTest {
  readonly suite: string;
  /** The test's title as jest would print it, without the describe block's title. */
  readonly title: string;
  /** Titles of the enclosing describe blocks. */
  readonly blocks: readonly string[];
  readonly skipped: boolean;
  readonly fn: () => Promise<unknown>;
}

export interface LiveResult {
  readonly passed: boolean;
  /** The failure's first lines, for the mutation table. */
  readonly error?: string;
  /** The whole failure message, diff included, without colour codes. */
  readonly detail?: string;
}

/** jest's printf-style placeholders in `it.each` titles. */
function formatTitle(title: string, args: readonly unknown[]): string {
  let next = 0;
  return title.replace(/%[sdifjop#%]/g, (placeholder) => {
    if (placeholder === "%%") return "%";
    if (placeholder === "%#") return String(next);
    const value = args[next];
    next += 1;
    return typeof value === "string" ? value : JSON.stringify(value);
  });
}

interface FakeIt {
  (title: string, fn?: TestFn): void;
  each: (rows: readonly unknown[]) => (title: string, fn: TestFn) => void;
  skip: FakeIt;
  only: FakeIt;
}

interface FakeDescribe {
  (title: string, body: () => void): void;
  skip: FakeDescribe;
  only: FakeDescribe;
}

const collected = new Map<string, LiveTest[]>();

/** The tests of tests/integration/<suite>.test.ts, in their order. */
export function collectSuite(suite: string): LiveTest[] {
  const known = collected.get(suite);
  if (known !== undefined) return known;

  const tests: LiveTest[] = [];
  const blocks: string[] = [];
  let skippedBlocks = 0;
  const makeIt = (skipped: boolean): FakeIt => {
    const add = (title: string, fn: TestFn | undefined, args: readonly unknown[]): void => {
      tests.push({
        suite,
        title,
        blocks: [...blocks],
        skipped: skipped || skippedBlocks > 0 || fn === undefined,
        fn: async () => {
          await fn?.(...args);
        },
      });
    };
    const it = ((title: string, fn?: TestFn) => add(title, fn, [])) as FakeIt;
    it.each = (rows) => (title, fn) => {
      for (const row of rows) {
        const args = Array.isArray(row) ? (row as unknown[]) : [row];
        add(formatTitle(title, args), fn, args);
      }
    };
    return it;
  };
  const makeDescribe = (skipped: boolean): FakeDescribe => {
    const describe = ((title: string, body: () => void) => {
      blocks.push(title);
      if (skipped) skippedBlocks += 1;
      try {
        body();
      } finally {
        blocks.pop();
        if (skipped) skippedBlocks -= 1;
      }
    }) as FakeDescribe;
    return describe;
  };
  const it = makeIt(false);
  it.skip = makeIt(true);
  it.only = it;
  it.skip.skip = it.skip;
  it.skip.only = it.skip;
  const describe = makeDescribe(false);
  describe.skip = makeDescribe(true);
  describe.only = describe;

  const globals = globalThis as unknown as Record<string, unknown>;
  const saved = { describe: globals.describe, it: globals.it, test: globals.test };
  globals.describe = describe;
  globals.it = it;
  globals.test = it;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded under the stand-ins above
    require(join(__dirname, "..", "..", "integration", `${suite}.test.ts`));
  } finally {
    Object.assign(globals, saved);
  }
  collected.set(suite, tests);
  return tests;
}

/**
 * Runs one collected test; a thrown error or failed expectation is a failure. With `fakeTime`,
 * timers and the clock are jest's fakes, advanced until the test settles, so a bounded poll
 * (polling.ts) that never succeeds reaches its deadline at once instead of in real minutes.
 */
export async function runLiveTest(
  test: LiveTest,
  { fakeTime = false }: { fakeTime?: boolean } = {},
): Promise<LiveResult> {
  try {
    if (fakeTime) {
      jest.useFakeTimers({ doNotFake: ["nextTick", "setImmediate", "queueMicrotask"] });
      try {
        // Handled at once, so a rejection while the clock advances is not reported as unhandled.
        let outcome: { error: Error | undefined } | undefined;
        const running = test.fn().then(
          () => {
            outcome = { error: undefined };
          },
          (error: unknown) => {
            outcome = { error: error instanceof Error ? error : new Error(String(error)) };
          },
        );
        while (outcome === undefined) await jest.advanceTimersByTimeAsync(1_000);
        await running;
        if (outcome.error !== undefined) throw outcome.error;
      } finally {
        jest.useRealTimers();
      }
    } else {
      await test.fn();
    }
    return { passed: true };
  } catch (error) {
    // fetch reports every network failure as "fetch failed"; the reason is its cause, which may
    // come from Node's own realm (TLS errors), where `instanceof Error` of jest's realm is false.
    const cause: unknown = error instanceof Error ? error.cause : undefined;
    const causeMessage =
      typeof cause === "object" && cause !== null && "message" in cause
        ? ` (${String(cause.message)})`
        : "";
    const message = error instanceof Error ? `${error.message}${causeMessage}` : String(error);
    // jest's matcher messages carry colour codes; the first lines say what differed.
    // eslint-disable-next-line no-control-regex -- stripping ANSI colour escapes
    const plain = message.replace(/\u001b\[[0-9;]*m/g, "");
    const lines = plain.split("\n").filter(Boolean);
    return { passed: false, error: lines.slice(0, 3).join(" | "), detail: lines.join("\n") };
  }
}

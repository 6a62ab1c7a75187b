/**
 * Runs one benchmark script: captures the handlers' log output, bounds the run in time, runs the
 * registered cleanups whatever happens (success, error, timeout, Ctrl-C), prints the bench's
 * table, saves its result for run-all.ts, and exits non-zero when a goal fails.
 */
import { setTimeout as delay } from "node:timers/promises";

import { type CapturedOutput, captureOutput, print, printError } from "./output";
import { type BenchResult, type Figure, formatTable, resultPasses, saveResult } from "./report";

export interface BenchContext {
  readonly output: CapturedOutput;
  /** Registers a cleanup; cleanups run in reverse order, each bounded to 15 s. */
  readonly defer: (cleanup: () => Promise<unknown>) => void;
}

const CLEANUP_TIMEOUT_MS = 15_000;

export function runBench(
  bench: string,
  options: { readonly deadlineMs: number },
  body: (context: BenchContext) => Promise<readonly Figure[]>,
): void {
  const output = captureOutput();
  // The SDK's "Node 20 support ends" notice is the same on every run; keep it out of diagnostics.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const cleanups: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const step of cleanups.reverse()) {
        await Promise.race([
          step().catch((error: unknown) =>
            printError(`[${bench}] cleanup failed: ${String(error)}`),
          ),
          delay(CLEANUP_TIMEOUT_MS, undefined, { ref: false }),
        ]);
      }
    })());
  const finish = async (result: BenchResult): Promise<never> => {
    await cleanup();
    saveResult(result);
    print();
    print(formatTable([result]));
    const ok = resultPasses(result);
    print(`\n${bench}: ${ok ? "all goals met" : "GOAL FAILED"}`);
    process.exit(ok ? 0 : 1);
  };
  const fail = (message: string, detail?: string): Promise<never> => {
    printError(`\n[${bench}] FAILED: ${detail ?? message}`);
    if (output.recentStderr.length > 0) {
      printError(`[${bench}] last stderr lines of the code under test:`);
      for (const line of output.recentStderr) printError(`  ${line}`);
    }
    return finish({ bench, figures: [], error: message });
  };

  const deadline = setTimeout(() => {
    void fail(`exceeded its time limit of ${options.deadlineMs / 1000} s; aborted`);
  }, options.deadlineMs);
  for (const event of ["uncaughtException", "unhandledRejection"] as const) {
    process.on(event, (error: unknown) => {
      clearTimeout(deadline);
      void fail(`${event}: ${String(error)}`, error instanceof Error ? error.stack : undefined);
    });
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      printError(`\n[${bench}] ${signal}: stopping`);
      void cleanup().then(() => process.exit(130));
    });
  }

  void body({ output, defer: (step) => cleanups.push(step) }).then(
    (figures) => {
      clearTimeout(deadline);
      return finish({ bench, figures });
    },
    (error: unknown) => {
      clearTimeout(deadline);
      return error instanceof Error ? fail(error.message, error.stack) : fail(String(error));
    },
  );
}

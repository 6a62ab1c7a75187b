/**
 * `npm run bench`: runs the benchmarks one after the other, each in its own process (they
 * must not share a CPU or module state), then prints ONE table of every figure next to its goal,
 * and exits non-zero when any goal fails or any benchmark did not finish.
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { print } from "./support/output";
import { type BenchResult, RESULT_FILE_ENV, formatTable, resultPasses } from "./support/report";

const BENCHES = [
  { bench: "handler", file: "handler-vs-pg.ts" },
  { bench: "bundles", file: "bundles.ts" },
  { bench: "load", file: "load.ts" },
  { bench: "decision", file: "decision-latency.ts" },
] as const;
/** Each bench bounds itself; this only catches a child that hangs beyond that. */
const CHILD_TIMEOUT_MS = 7 * 60_000;

function runChild(file: string, resultFile: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, file)], {
      env: { ...process.env, [RESULT_FILE_ENV]: resultFile },
      stdio: "inherit",
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), CHILD_TIMEOUT_MS);
    child.on("error", (error) => resolve(error.message));
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(signal !== null ? `killed by ${signal}` : code === 0 ? undefined : `exit ${code}`);
    });
  });
}

async function main(): Promise<number> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), "tap-dr-bench-results-"));
  const results: BenchResult[] = [];
  try {
    for (const { bench, file } of BENCHES) {
      print(`\n=== ${bench} (bench/${file}) ===`);
      const resultFile = join(dir, `${bench}.json`);
      const exit = await runChild(file, resultFile);
      const saved = await readFile(resultFile, "utf8").then(
        (text) => JSON.parse(text) as BenchResult,
        () => undefined,
      );
      results.push(saved ?? { bench, figures: [], error: `no result (${exit ?? "exit 0"})` });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const ok = results.every(resultPasses);
  print(`\n=== Summary (${((Date.now() - started) / 1000).toFixed(0)} s) ===\n`);
  print(formatTable(results));
  print(`\n${ok ? "PASS: every goal met" : "FAIL: at least one goal not met"}`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    print(`bench runner failed: ${String(error)}`);
    process.exit(1);
  },
);

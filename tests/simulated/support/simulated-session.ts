/**
 * Test-only: one simulated stack for a test file. Runs the real program under mocks with the
 * given config, writes its outputs file (read through TAP_SIMULATED_OUTPUTS), answers the SDK
 * from the current stack and puts the simulated internet behind the global fetch, from the
 * file's beforeAll to its afterAll. Each test file gets its own module registry, so the live
 * suites it collects read this file's outputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SIMULATED_OUTPUTS_ENV } from "../../integration/stack-outputs";
import { type ProgramRun, runProgram } from "../../support/mock-graph";
import { Cloud } from "./cloud";
import { type LiveTest, collectSuite, runLiveTest } from "./harness";
import { type SimulatedInternet, startSimulatedInternet } from "./internet/internet";
import { type SimulatedStack, correctStack, installSimulatedAws } from "./simulated-aws";

/** Every live suite, tests/integration/<name>.test.ts. */
export const LIVE_SUITES = [
  "network",
  "kms",
  "storage",
  "database",
  "state-and-backup",
  "api",
  "failover",
  "monitoring",
] as const;

/**
 * The API suite's Route 53 health-check tests poll with 2 s waits; on jest's fake clock that costs
 * no real time. Its HTTP tests run on the real clock: they do real I/O with the simulated internet.
 */
export const onFakeClock = (test: LiveTest): boolean =>
  test.suite === "api" && /Route 53 health check/.test(test.title);

export const fullTitle = (test: LiveTest): string => [...test.blocks, test.title].join(" > ");

export interface SimulatedSession {
  /** The program's run for this file's config (available from beforeAll on). */
  readonly run: () => ProgramRun;
  /** A fresh correct stack, made the one every simulated call answers from. */
  fresh(): SimulatedStack;
  /** Faults of the simulation itself since the last call (see SimulatedInternet). */
  simulationErrors(): string[];
}

export function useSimulatedStack(config: Record<string, unknown>): SimulatedSession {
  let run: ProgramRun | undefined;
  let dir: string | undefined;
  let current: SimulatedStack | undefined;
  let restore: () => void = () => undefined;
  let internet: SimulatedInternet | undefined;
  const realFetch = globalThis.fetch;
  const stack = (): SimulatedStack => {
    if (current === undefined) throw new Error("the simulated stack exists from beforeAll on");
    return current;
  };

  beforeAll(async () => {
    run = await runProgram(config);
    dir = mkdtempSync(join(tmpdir(), "tap-dr-simulated-"));
    const file = join(dir, "flat-outputs.json");
    writeFileSync(file, JSON.stringify(run.outputs, null, 2));
    process.env[SIMULATED_OUTPUTS_ENV] = file;
    current = correctStack(run);
    restore = installSimulatedAws(stack);
    // The suites call the global fetch; here it reaches the simulated stack's load balancers.
    internet = startSimulatedInternet(() => new Cloud(stack()));
    globalThis.fetch = internet.fetch;
  });

  afterAll(async () => {
    restore();
    globalThis.fetch = realFetch;
    await internet?.close();
    delete process.env[SIMULATED_OUTPUTS_ENV];
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  const program = (): ProgramRun => {
    if (run === undefined) throw new Error("the program runs in beforeAll");
    return run;
  };
  return {
    run: program,
    fresh: () => {
      current = correctStack(program());
      return current;
    },
    simulationErrors: () => internet?.takeSimulationErrors() ?? [],
  };
}

/**
 * Runs every test of a live suite that is not skipped against a fresh correct stack each, on the
 * clock it needs, and returns each failure and each fault of the simulation (none: green).
 */
export async function failuresOfSuite(session: SimulatedSession, suite: string): Promise<string[]> {
  const failures: string[] = [];
  for (const test of collectSuite(suite).filter((t) => !t.skipped)) {
    session.fresh();
    const result = await runLiveTest(test, { fakeTime: onFakeClock(test) });
    if (!result.passed) failures.push(`${fullTitle(test)}: ${result.error ?? ""}`);
    for (const error of session.simulationErrors()) {
      failures.push(`${fullTitle(test)}: simulation fault: ${error}`);
    }
  }
  return failures;
}

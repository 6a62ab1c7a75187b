/**
 * The CLI as a function: argv and ports in, exit code out (0 ok; 1 action failed, refused or
 * usage error; 2 outputs or configuration error). main.ts only wires the real ports.
 */
import { type CliArgs, USAGE, UsageError, parseArgs } from "./args";
import type { AwsClients } from "./aws-clients";
import type { CallerIdentity } from "./caller-identity";
import { OrchestratorError } from "./invoke";
import { ConfigError, type DrOutputs } from "./outputs";
import { renderStatus } from "./render";
import { type Prompt, runRoleChange } from "./role-change";
import { collectStatus, errorText, statusComplete } from "./status";
import { RefusedError } from "./target";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_CONFIG = 2;

/** Attempts per read of a region (throttling and transient errors), a few seconds in all. */
export const READ_ATTEMPTS = 3;

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CliDeps {
  readonly io: CliIo;
  readonly clients: AwsClients;
  readonly callerIdentity: CallerIdentity;
  readonly loadOutputs: (args: Pick<CliArgs, "outputsFile" | "stack">) => Promise<DrOutputs>;
  readonly prompt: Prompt;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** @default 5000 */
  readonly pollIntervalMs?: number;
  /** @default 60 min */
  readonly followTimeoutMs?: number;
}

export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const { io } = deps;
  let args: CliArgs;
  try {
    const parsed = parseArgs(argv);
    if ("help" in parsed) {
      io.out(USAGE);
      return EXIT_OK;
    }
    args = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`error: ${error.message}`);
    io.err("");
    io.err(USAGE);
    return EXIT_FAILED;
  }
  // Reads are retried a little (the clients make one SDK attempt each), with the injected sleep.
  const retry = { attempts: READ_ATTEMPTS, sleep: deps.sleep };
  try {
    const outputs = await deps.loadOutputs({
      ...(args.outputsFile !== undefined ? { outputsFile: args.outputsFile } : {}),
      ...(args.stack !== undefined ? { stack: args.stack } : {}),
    });
    if (args.command === "status") {
      const reports = await collectStatus(outputs, {
        clients: deps.clients,
        now: () => new Date(deps.now()),
        retry,
      });
      renderStatus(outputs.text("globalClusterIdentifier"), reports).forEach((l) => io.out(l));
      return statusComplete(reports) ? EXIT_OK : EXIT_FAILED;
    }
    return await runRoleChange(args.command, { dryRun: args.dryRun, yes: args.yes }, outputs, {
      clients: deps.clients,
      callerIdentity: deps.callerIdentity,
      prompt: deps.prompt,
      now: deps.now,
      sleep: deps.sleep,
      print: (line) => io.out(line),
      retry,
      ...(deps.pollIntervalMs !== undefined ? { pollIntervalMs: deps.pollIntervalMs } : {}),
      ...(deps.followTimeoutMs !== undefined ? { followTimeoutMs: deps.followTimeoutMs } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`error: ${error.message}`);
      return EXIT_CONFIG;
    }
    if (error instanceof RefusedError || error instanceof OrchestratorError) {
      io.err(`error: ${error.message}`);
      return EXIT_FAILED;
    }
    io.err(`error: ${args.command} failed: ${errorText(error)}`);
    return EXIT_FAILED;
  }
}

/** `npm run plan` as a function of its arguments and output streams, so the tests run it too. */
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { USAGE, UsageError, parsePlanArgs } from "./args";
import { formatPlan } from "./format";
import {
  CaptureFn,
  PlanConfigError,
  PlanProgramError,
  ProgramRunTransform,
  buildPlan,
} from "./plan";

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

export interface CliOptions {
  /** @default the repository root */
  readonly projectDir?: string;
  readonly capture?: CaptureFn;
  readonly transformRun?: ProgramRunTransform;
}

/** Exit codes: 0 deployable, 1 a mandatory guardrail or AWS constraint fails, 2 invalid input. */
export async function runPlanCli(
  argv: readonly string[],
  io: CliIo,
  options: CliOptions = {},
): Promise<number> {
  let args;
  try {
    args = parsePlanArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const plan = await buildPlan({
      projectDir: options.projectDir ?? path.resolve(__dirname, "../.."),
      stack: args.stack,
      stackFile: args.stackFile,
      overrides: args.overrides,
      assumptions: args.assumptions,
      capture: options.capture,
      transformRun: options.transformRun,
    });
    io.stdout(
      `${args.json ? JSON.stringify(plan, null, 2) : formatPlan(plan, { treeDepth: args.treeDepth })}\n`,
    );
    if (args.policyPackConfig !== undefined) {
      writeFileSync(args.policyPackConfig, `${JSON.stringify(plan.policyPackConfig, null, 2)}\n`);
    }
    return plan.exitCode;
  } catch (error) {
    if (error instanceof PlanConfigError || error instanceof PlanProgramError) {
      // The message is Pulumi's or the program's own, word for word.
      io.stderr(`${error.message}\n`);
      if (args.json) {
        const kind = error instanceof PlanConfigError ? "invalid-config" : "program-error";
        const source = error instanceof PlanConfigError ? error.source : "program";
        io.stdout(
          `${JSON.stringify({ error: { kind, source, message: error.message } }, null, 2)}\n`,
        );
      }
      return 2;
    }
    throw error;
  }
}

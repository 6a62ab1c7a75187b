/**
 * The command line of `npm run dr -- <command> [options]`. Pure: argv in, a typed request or a
 * UsageError (exit 1) out, so every accepted and refused form is tested without a process.
 */

export const COMMANDS = ["status", "switchover", "failover", "failback"] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  readonly command: Command;
  /** Ask the orchestrator for its plan; nothing is changed and nothing is followed. */
  readonly dryRun: boolean;
  /** Skip the confirmation (required without a terminal). */
  readonly yes: boolean;
  /** Outputs JSON file; undefined: the default file, else `pulumi stack output --json`. */
  readonly outputsFile?: string;
  /** Read the outputs of this Pulumi stack (`pulumi stack output --json --stack <name>`). */
  readonly stack?: string;
}

export type ParsedArgs = CliArgs | { readonly help: true };

export const USAGE = `Usage: npm run dr -- <command> [options]

Commands:
  status      each region's role, cluster status, replication lag, corroborating alarm,
              Route 53 health (when the stack has a domain) and the last failover event
  switchover  planned: promote the secondary region with no data loss (SwitchoverGlobalCluster)
  failover    unplanned: promote the secondary region now, accepting the loss of writes not yet
              replicated (FailoverGlobalCluster with AllowDataLoss); only the secondary region's
              APIs are called, never the failed one's
  failback    switchover back to the stack's primaryRegion, after the old primary has rejoined

Options:
  --dry-run          ask the orchestrator for its plan; change nothing
  --yes, -y          act without asking (needed when not run from a terminal)
  --outputs <file>   stack outputs JSON (default: cfn-outputs/flat-outputs.json when present,
                     else \`pulumi stack output --json\`)
  --stack <name>     read \`pulumi stack output --json --stack <name>\`
  --help, -h         show this text

Exit codes: 0 ok; 1 action failed, refused or usage error; 2 stack outputs or configuration error.`;

/** A command line the CLI does not understand; printed with the usage text, exit 1. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

const VALUE_FLAGS = ["--outputs", "--stack"] as const;

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let command: Command | undefined;
  let dryRun = false;
  let yes = false;
  const values: Partial<Record<(typeof VALUE_FLAGS)[number], string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === undefined) break;
    if (arg === "--help" || arg === "-h") return { help: true };
    if (arg === "--dry-run") {
      dryRun = true;
      continue;
    }
    if (arg === "--yes" || arg === "-y") {
      yes = true;
      continue;
    }
    const [flag, inline] = arg.startsWith("--") ? splitInline(arg) : [arg, undefined];
    if ((VALUE_FLAGS as readonly string[]).includes(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "" || (inline === undefined && value.startsWith("-"))) {
        throw new UsageError(`${flag} needs a value, e.g. ${flag} ${exampleOf(flag)}`);
      }
      values[flag as (typeof VALUE_FLAGS)[number]] = value;
      continue;
    }
    if (arg.startsWith("-")) {
      throw new UsageError(
        `unknown option "${arg}"; allowed: --dry-run, --yes, --outputs <file>, --stack <name>, --help`,
      );
    }
    if (command !== undefined) {
      throw new UsageError(`one command at a time: got "${command}" and "${arg}"`);
    }
    if (!(COMMANDS as readonly string[]).includes(arg)) {
      throw new UsageError(`unknown command "${arg}"; allowed: ${COMMANDS.join(", ")}`);
    }
    command = arg as Command;
  }
  if (command === undefined) {
    throw new UsageError(`a command is required; allowed: ${COMMANDS.join(", ")}`);
  }
  if (values["--outputs"] !== undefined && values["--stack"] !== undefined) {
    throw new UsageError(
      "--outputs and --stack are alternatives: a file, or the outputs of a Pulumi stack",
    );
  }
  if (dryRun && command === "status") {
    throw new UsageError("--dry-run applies to switchover, failover and failback, not status");
  }
  return {
    command,
    dryRun,
    yes,
    ...(values["--outputs"] !== undefined ? { outputsFile: values["--outputs"] } : {}),
    ...(values["--stack"] !== undefined ? { stack: values["--stack"] } : {}),
  };
}

function splitInline(arg: string): [string, string | undefined] {
  const eq = arg.indexOf("=");
  return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
}

function exampleOf(flag: string): string {
  return flag === "--outputs" ? "cfn-outputs/flat-outputs.json" : "dev";
}

/**
 * The stack outputs the DR CLI runs on: `--outputs <file>`, else cfn-outputs/flat-outputs.json
 * when it exists, else `pulumi stack output --json [--stack <name>]`. Every key a command needs is
 * checked before any AWS call, and a missing one names the key, where it was looked for, and the
 * fix (exit 2).
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The file CI (or a person) writes with `pulumi stack output --json > ...`. */
export const DEFAULT_OUTPUTS_FILE = join(__dirname, "..", "..", "cfn-outputs", "flat-outputs.json");

/** Wrong or missing configuration (outputs, pulumi CLI): exit 2, nothing was called. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** The design role of a region in the stack (primaryRegion / drRegion); not who writes now. */
export type DesignRole = "primary" | "dr";

/** Outputs every command needs (regions, global cluster and both clusters). */
export const CORE_OUTPUT_KEYS = [
  "primaryRegion",
  "drRegion",
  "globalClusterIdentifier",
  "primaryClusterArn",
  "drClusterArn",
] as const;

/** Per-region outputs, by suffix after the `primary`/`dr` prefix. */
export type RegionalOutput =
  | "ClusterArn"
  | "ControlTableName"
  | "CorroboratingAlarmName"
  | "OrchestratorFunctionName"
  | "HealthCheckId";

/** Where the outputs came from, as the messages name it. */
export interface OutputsSource {
  readonly description: string;
  /** How to refresh this source after a deploy. */
  readonly refresh: string;
}

export class DrOutputs {
  constructor(
    private readonly values: Readonly<Record<string, unknown>>,
    readonly source: OutputsSource,
  ) {}

  /** A required string output; ConfigError naming the key, the source and the fix. */
  text(key: string): string {
    const value = this.values[key];
    if (typeof value !== "string" || value.trim() === "") {
      throw new ConfigError(
        `stack output "${key}" is missing from ${this.source.description}. ` +
          `Deploy the stack with the DR operations (pulumi up), then ${this.source.refresh}.`,
      );
    }
    return value;
  }

  /** An output only some stacks export (health check ids exist only with a domain). */
  optionalText(key: string): string | undefined {
    const value = this.values[key];
    return typeof value === "string" && value.trim() !== "" ? value : undefined;
  }

  /** Checks every key up front, so a command fails before its first AWS call. */
  requireAll(keys: readonly string[]): void {
    for (const key of keys) this.text(key);
  }

  regional(role: DesignRole, output: RegionalOutput): string {
    return this.text(regionalKey(role, output));
  }

  optionalRegional(role: DesignRole, output: RegionalOutput): string | undefined {
    return this.optionalText(regionalKey(role, output));
  }

  region(role: DesignRole): string {
    return this.text(role === "primary" ? "primaryRegion" : "drRegion");
  }
}

export function regionalKey(role: DesignRole, output: RegionalOutput): string {
  return `${role}${output}`;
}

/** Runs `pulumi` with arguments; resolves stdout. The default uses child_process.execFile. */
export type PulumiRunner = (args: readonly string[]) => Promise<string>;

export interface LoadOutputsOptions {
  readonly outputsFile?: string;
  readonly stack?: string;
  /** @default DEFAULT_OUTPUTS_FILE */
  readonly defaultFile?: string;
  /** @default runPulumi */
  readonly pulumi?: PulumiRunner;
}

export async function loadOutputs(options: LoadOutputsOptions): Promise<DrOutputs> {
  const file =
    options.outputsFile ??
    (options.stack === undefined ? (options.defaultFile ?? DEFAULT_OUTPUTS_FILE) : undefined);
  if (file !== undefined && (options.outputsFile !== undefined || existsSync(file))) {
    return new DrOutputs(readOutputsFile(file), {
      description: file,
      refresh: `refresh the file: pulumi stack output --json > ${file}`,
    });
  }
  const args = ["stack", "output", "--json", ...(options.stack ? ["--stack", options.stack] : [])];
  const stdout = await (options.pulumi ?? runPulumi)(args);
  const command = `pulumi ${args.join(" ")}`;
  return new DrOutputs(parseJsonObject(stdout, command), {
    description: `\`${command}\``,
    refresh: "run the command again",
  });
}

function readOutputsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      `cannot read the outputs file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
        `write it with: pulumi stack output --json > ${file}`,
    );
  }
  return parseJsonObject(text, file);
}

function parseJsonObject(text: string, source: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigError(
      `${source} is not JSON; expected the object \`pulumi stack output --json\` prints`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(
      `${source} is not a JSON object; expected the object \`pulumi stack output --json\` prints`,
    );
  }
  return value as Record<string, unknown>;
}

/** `pulumi <args>` through execFile (no shell); a missing CLI or a failure is a ConfigError. */
export const runPulumi: PulumiRunner = (args) =>
  new Promise((resolve, reject) => {
    execFile("pulumi", [...args], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error === null) {
        resolve(stdout);
        return;
      }
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        reject(
          new ConfigError(
            "the pulumi CLI is not on PATH (it reads the stack outputs when no outputs file is given): install Pulumi " +
              "(https://www.pulumi.com/docs/install/), or pass --outputs <file> with the JSON of " +
              "`pulumi stack output --json`",
          ),
        );
        return;
      }
      reject(
        new ConfigError(
          `\`pulumi ${args.join(" ")}\` failed: ${stderr.trim() || error.message}. ` +
            "Select the stack (pulumi stack select, or --stack <name>) and log in (pulumi login), " +
            "or pass --outputs <file>",
        ),
      );
    });
  });

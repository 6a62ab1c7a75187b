/** Command-line flags of `npm run plan`. Pure, so the tests check the parsing directly. */
import { parseArgs } from "node:util";
import type { CostAssumptions } from "./cost";
import { parseOverride } from "./stack-config";

export interface PlanArgs {
  readonly stack?: string;
  readonly stackFile?: string;
  readonly overrides?: Record<string, string>;
  readonly json: boolean;
  /** Where to write the policy pack's config (the stack's waivers) for `pulumi preview`. */
  readonly policyPackConfig?: string;
  readonly treeDepth: number;
  readonly assumptions: Partial<CostAssumptions>;
  readonly help: boolean;
}

export const USAGE = `Usage: npm run plan [-- options]

Runs the real program offline, under the mock engine the tests use, with the stack's config
(Pulumi.yaml defaults + Pulumi.<stack>.yaml), and prints what it would deploy, the policy pack's
and AWS's checks, the DR budget per tier and a monthly cost estimate.

  --stack <name>                 stack whose Pulumi.<name>.yaml to read (default: dev)
  --stack-file <path>            read this stack file instead, e.g. examples/dev-minimal.yaml
  -c, --config <key>=<value>     set a config value over the stack file's (repeatable), as
                                 \`pulumi up --config\` does: --config environmentSuffix=jdoe
  --json                         print the same content as JSON
  --tree-depth <n>               levels of the component tree to print (default 3)
  --policy-pack-config <file>    also write the stack's policyWaivers as the policy pack's config,
                                 for \`pulumi preview --policy-pack policy --policy-pack-config <file>\`

Cost assumptions:
  --requests-per-month <n>       API requests a month, served by the primary (default 0: idle)
  --lambda-ms <n>                average Lambda duration in ms (default 100)
  --aurora-acu <n>               average ACU of each Serverless v2 instance (default: the minimum)
  --aurora-storage-gb <n>        Aurora storage per cluster (default 1)
  --aurora-ios-per-request <n>   Aurora I/Os per API request (default 10)
  --logs-gb <n>                  CloudWatch Logs ingested per region (default 1)
  --backup-gb <n>                data protected by AWS Backup (default 1)
  --no-free-tier                 ignore the account's monthly free allowances

Exit code: 0 deployable; 1 a mandatory guardrail or an AWS constraint fails; 2 invalid config
(the message Pulumi or the program gives) or a program error.`;

/** Thrown for flags that cannot be parsed; main prints it with the usage. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed) || parsed < 0) {
    throw new UsageError(`--${flag}: "${value}" is not a non-negative number`);
  }
  return parsed;
}

export function parsePlanArgs(argv: readonly string[]): PlanArgs {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    // Under some runtimes the message carries the error's class and code first.
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message.replace(/^\w*Error \[[A-Z_]+\]: /, ""));
  }
  const overrides =
    values.config === undefined
      ? undefined
      : Object.fromEntries(
          values.config.map((text) => {
            try {
              return parseOverride(text);
            } catch (error) {
              throw new UsageError((error as Error).message);
            }
          }),
        );
  const assumptions: Partial<CostAssumptions> = Object.fromEntries(
    Object.entries({
      requestsPerMonth: number("requests-per-month", values["requests-per-month"]),
      lambdaDurationMs: number("lambda-ms", values["lambda-ms"]),
      auroraAverageAcu: number("aurora-acu", values["aurora-acu"]),
      auroraStorageGb: number("aurora-storage-gb", values["aurora-storage-gb"]),
      auroraIosPerRequest: number("aurora-ios-per-request", values["aurora-ios-per-request"]),
      logsGbPerRegion: number("logs-gb", values["logs-gb"]),
      backupGb: number("backup-gb", values["backup-gb"]),
      freeTier: values["no-free-tier"] === true ? false : undefined,
    }).filter(([, value]) => value !== undefined),
  );
  return {
    stack: values.stack,
    stackFile: values["stack-file"],
    overrides,
    json: values.json === true,
    policyPackConfig: values["policy-pack-config"],
    treeDepth: number("tree-depth", values["tree-depth"]) ?? 3,
    assumptions,
    help: values.help === true,
  };
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      stack: { type: "string" },
      "stack-file": { type: "string" },
      config: { type: "string", short: "c", multiple: true },
      json: { type: "boolean" },
      "policy-pack-config": { type: "string" },
      "tree-depth": { type: "string" },
      "requests-per-month": { type: "string" },
      "lambda-ms": { type: "string" },
      "aurora-acu": { type: "string" },
      "aurora-storage-gb": { type: "string" },
      "aurora-ios-per-request": { type: "string" },
      "logs-gb": { type: "string" },
      "backup-gb": { type: "string" },
      "no-free-tier": { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
}

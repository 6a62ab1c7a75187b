/**
 * The command line and the stack outputs: every accepted form, every refused form with its
 * exact message, and where the outputs come from (file, default file, `pulumi stack output`).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { USAGE, UsageError, parseArgs } from "../../../lambda/dr-cli/args";
import { ConfigError, loadOutputs, runPulumi } from "../../../lambda/dr-cli/outputs";
import { stackRegions } from "../../../lambda/dr-cli/regions";
import { OUTPUTS, outputsOf } from "./support";

describe("parseArgs", () => {
  it.each([
    [["status"], { command: "status", dryRun: false, yes: false }],
    [["failover", "--yes"], { command: "failover", dryRun: false, yes: true }],
    [["switchover", "-y", "--dry-run"], { command: "switchover", dryRun: true, yes: true }],
    [
      ["--outputs", "out.json", "failback"],
      { command: "failback", dryRun: false, yes: false, outputsFile: "out.json" },
    ],
    [["status", "--stack=prod"], { command: "status", dryRun: false, yes: false, stack: "prod" }],
  ])("accepts %j", (argv, expected) => {
    expect(parseArgs(argv)).toEqual(expected);
  });

  it.each([
    [[], "a command is required; allowed: status, switchover, failover, failback"],
    [["promote"], 'unknown command "promote"; allowed: status, switchover, failover, failback'],
    [["status", "failover"], 'one command at a time: got "status" and "failover"'],
    [
      ["failover", "--force"],
      'unknown option "--force"; allowed: --dry-run, --yes, --outputs <file>, --stack <name>, --help',
    ],
    [
      ["status", "--outputs"],
      "--outputs needs a value, e.g. --outputs cfn-outputs/flat-outputs.json",
    ],
    [["status", "--stack", "--yes"], "--stack needs a value, e.g. --stack dev"],
    [
      ["status", "--outputs", "a.json", "--stack", "dev"],
      "--outputs and --stack are alternatives: a file, or the outputs of a Pulumi stack",
    ],
    [["status", "--dry-run"], "--dry-run applies to switchover, failover and failback, not status"],
  ])("refuses %j with the exact message", (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it("--help wins over everything else, and the usage names every command and exit code", () => {
    expect(parseArgs(["failover", "--help"])).toEqual({ help: true });
    for (const text of [
      "status",
      "switchover",
      "failover",
      "failback",
      "--dry-run",
      "--yes",
      "--outputs <file>",
      "--stack <name>",
      "Exit codes: 0 ok; 1 action failed, refused or usage error; 2 stack outputs or configuration error.",
    ]) {
      expect(USAGE).toContain(text);
    }
  });
});

describe("loadOutputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "dr-cli-outputs-"));

  it("GIVEN --outputs <file> WHEN loaded THEN the file's values are used and pulumi is not run", async () => {
    const file = join(dir, "given.json");
    writeFileSync(file, JSON.stringify(OUTPUTS));
    const pulumi = jest.fn<Promise<string>, [readonly string[]]>();

    const outputs = await loadOutputs({ outputsFile: file, pulumi });

    expect(outputs.text("drRegion")).toBe("us-west-2");
    expect(pulumi).not.toHaveBeenCalled();
  });

  it("GIVEN the default file exists WHEN loaded without options THEN it is read", async () => {
    const file = join(dir, "flat-outputs.json");
    writeFileSync(file, JSON.stringify({ ...OUTPUTS, drRegion: "eu-west-1" }));

    const outputs = await loadOutputs({ defaultFile: file, pulumi: jest.fn() });

    expect(outputs.text("drRegion")).toBe("eu-west-1");
  });

  it("GIVEN no default file WHEN loaded with --stack THEN `pulumi stack output --json --stack <name>` is run and parsed", async () => {
    const pulumi = jest.fn((_args: readonly string[]) => Promise.resolve(JSON.stringify(OUTPUTS)));

    const outputs = await loadOutputs({
      stack: "prod",
      defaultFile: join(dir, "absent.json"),
      pulumi,
    });

    expect(pulumi).toHaveBeenCalledWith(["stack", "output", "--json", "--stack", "prod"]);
    expect(outputs.text("primaryRegion")).toBe("us-east-1");
    expect(() => outputs.text("drOrchestratorFunctionName2")).toThrow(
      'stack output "drOrchestratorFunctionName2" is missing from `pulumi stack output --json --stack prod`. Deploy the stack with the DR operations (pulumi up), then run the command again.',
    );
  });

  it("GIVEN --stack and an existing default file WHEN loaded THEN the stack wins (the file may belong to another stack)", async () => {
    const file = join(dir, "other-stack.json");
    writeFileSync(file, JSON.stringify({ drRegion: "file" }));
    const pulumi = jest.fn(() => Promise.resolve(JSON.stringify({ drRegion: "stack" })));

    const outputs = await loadOutputs({ stack: "dev", defaultFile: file, pulumi });

    expect(outputs.text("drRegion")).toBe("stack");
  });

  it.each([
    [
      "missing",
      "missing.json",
      undefined,
      "cannot read the outputs file <dir>/missing.json (ENOENT); write it with: pulumi stack output --json > <dir>/missing.json",
    ],
    [
      "not JSON",
      "notjson.json",
      "{oops",
      "<dir>/notjson.json is not JSON; expected the object `pulumi stack output --json` prints",
    ],
    [
      "a JSON array",
      "array.json",
      "[]",
      "<dir>/array.json is not a JSON object; expected the object `pulumi stack output --json` prints",
    ],
  ])(
    "GIVEN an outputs file that is %s WHEN loaded THEN a ConfigError says what to do",
    async (_title, name, content, message) => {
      const file = join(dir, name);
      if (content !== undefined) writeFileSync(file, content);

      const error = await loadOutputs({ outputsFile: file }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(message.replaceAll("<dir>", dir));
    },
  );

  it("GIVEN the pulumi CLI is not on PATH WHEN its outputs are needed THEN the ConfigError says to install it or pass --outputs", async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, "no-such-bin");
    try {
      await expect(runPulumi(["stack", "output", "--json"])).rejects.toThrow(
        new ConfigError(
          "the pulumi CLI is not on PATH (it reads the stack outputs when no outputs file is given): install Pulumi (https://www.pulumi.com/docs/install/), or pass --outputs <file> with the JSON of `pulumi stack output --json`",
        ),
      );
    } finally {
      process.env.PATH = path;
    }
  });

  it("GIVEN a cluster ARN output that is not an RDS cluster ARN THEN the ConfigError names the key and the expected shape", () => {
    expect(() => stackRegions(outputsOf({ ...OUTPUTS, drClusterArn: "tap-dr-dev" }))).toThrow(
      new ConfigError(
        'stack output drClusterArn is not an RDS cluster ARN (arn:aws:rds:<region>:<account>:cluster:<id>): "tap-dr-dev"',
      ),
    );
  });
});

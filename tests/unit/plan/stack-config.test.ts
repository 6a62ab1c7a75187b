import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, parseConfig } from "../../../lib/config";
import { PlanConfigError, tapConfigOf } from "../../../tools/plan/plan";
import {
  ProjectFile,
  PulumiConfigError,
  loadStackConfig,
  mergeStackConfig,
  readProjectFile,
} from "../../../tools/plan/stack-config";

const PROJECT_DIR = path.resolve(__dirname, "../../..");

const PROJECT: ProjectFile = {
  name: "tap-dr",
  config: {
    environmentSuffix: { type: "string" },
    azCount: { type: "integer", default: 3 },
    dbMinAcu: { type: "string", default: "2" },
    protectResources: { type: "boolean", default: true },
    albIngressCidrs: { type: "array", items: { type: "string" }, default: ["0.0.0.0/0"] },
    primaryAvailabilityZones: { type: "array", items: { type: "string" }, default: [] },
  },
};

describe("mergeStackConfig: the config the Pulumi CLI hands the program", () => {
  it("takes Pulumi.yaml defaults for keys the stack leaves out, as text (lists as JSON)", () => {
    const { values, defaulted } = mergeStackConfig(PROJECT, "dev", {
      "tap-dr:environmentSuffix": "dev",
    });
    expect(values).toEqual({
      "tap-dr:environmentSuffix": "dev",
      "tap-dr:azCount": "3",
      "tap-dr:dbMinAcu": "2",
      "tap-dr:protectResources": "true",
      "tap-dr:albIngressCidrs": '["0.0.0.0/0"]',
      "tap-dr:primaryAvailabilityZones": "[]",
    });
    expect(defaulted).toEqual([
      "albIngressCidrs",
      "azCount",
      "dbMinAcu",
      "primaryAvailabilityZones",
      "protectResources",
    ]);
  });

  it("lets stack values win, passes YAML numbers, booleans and maps as Pulumi does, and keeps other namespaces", () => {
    const { values } = mergeStackConfig(PROJECT, "dev", {
      "tap-dr:environmentSuffix": "dev",
      "tap-dr:azCount": 2,
      "tap-dr:dbMinAcu": 0.5,
      "tap-dr:protectResources": false,
      "tap-dr:tags": { CostCenter: "payments" },
      "aws:profile": "ops",
      "pulumi:disable-default-providers": ["aws"],
    });
    expect(values).toMatchObject({
      "tap-dr:azCount": "2",
      "tap-dr:dbMinAcu": "0.5",
      "tap-dr:protectResources": "false",
      "tap-dr:tags": '{"CostCenter":"payments"}',
      "aws:profile": "ops",
      "pulumi:disable-default-providers": '["aws"]',
    });
  });

  it.each([
    [
      "a key without a default",
      {},
      "Stack 'dev' is missing configuration value 'environmentSuffix'",
    ],
    [
      "a non-integer integer",
      { "tap-dr:environmentSuffix": "dev", "tap-dr:azCount": "three" },
      "Stack 'dev' with configuration key 'azCount' must be of type 'integer'",
    ],
    [
      "text for a list",
      { "tap-dr:environmentSuffix": "dev", "tap-dr:albIngressCidrs": "10.0.0.0/8" },
      "Stack 'dev' with configuration key 'albIngressCidrs' must be of type 'array<string>'",
    ],
    [
      "a boolean that is not true or false",
      { "tap-dr:environmentSuffix": "dev", "tap-dr:protectResources": "yes" },
      "Stack 'dev' with configuration key 'protectResources' must be of type 'boolean'",
    ],
    [
      "an encrypted value",
      { "tap-dr:environmentSuffix": { secure: "AAABAC..." } },
      "Stack 'dev' has an encrypted value for 'tap-dr:environmentSuffix', which the offline plan cannot decrypt; give a stand-in with --config environmentSuffix=<value>",
    ],
  ])("refuses %s with the CLI's message", (_case, stack, message) => {
    expect(() => mergeStackConfig(PROJECT, "dev", stack)).toThrow(new PulumiConfigError(message));
  });
});

describe("loadStackConfig on this repository", () => {
  it("merges Pulumi.dev.yaml with every Pulumi.yaml default, and the program parses it as parseConfig does", () => {
    const project = readProjectFile(PROJECT_DIR);
    const config = loadStackConfig({ projectDir: PROJECT_DIR });
    expect(config.stack).toBe("dev");
    // Every project key has a value: the stack's or the default.
    for (const key of Object.keys(project.config)) {
      expect([key, config.values[`tap-dr:${key}`]]).toEqual([key, expect.any(String)]);
    }
    expect(config.defaulted).not.toContain("mode");
    expect(config.values["tap-dr:mode"]).toBe("test");
    expect(config.values["tap-dr:azCount"]).toBe("3");
    expect(config.values["tap-dr:albIngressCidrs"]).toBe('["0.0.0.0/0"]');
    expect(tapConfigOf(config.values)).toEqual(
      parseConfig({
        environmentSuffix: "dev",
        mode: "test",
        primaryRegion: "us-east-1",
        drRegion: "us-east-2",
      }),
    );
  });

  it("reads a stack file from examples/ with --config values over it", () => {
    const config = loadStackConfig({
      projectDir: PROJECT_DIR,
      stackFile: path.join(PROJECT_DIR, "examples/dev-minimal.yaml"),
      overrides: { environmentSuffix: "jdoe" },
    });
    expect([config.stack, config.stackFile]).toEqual(["dev-minimal", "examples/dev-minimal.yaml"]);
    expect(config.values).toMatchObject({
      "tap-dr:environmentSuffix": "jdoe",
      "tap-dr:drDbInstances": "0",
      "tap-dr:dbMinAcu": "0.5",
    });
  });

  it("gives a bad value the program's ConfigError message, word for word", () => {
    // The file a user would write.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tap-dr-plan-"));
    const file = path.join(dir, "Pulumi.bad.yaml");
    fs.writeFileSync(file, "config:\n  tap-dr:environmentSuffix: dev\n  tap-dr:dbMinAcu: 0\n");
    try {
      const values = loadStackConfig({ projectDir: PROJECT_DIR, stackFile: file }).values;
      let expected: ConfigError | undefined;
      try {
        parseConfig({ environmentSuffix: "dev", dbMinAcu: "0" });
      } catch (error) {
        expected = error as ConfigError;
      }
      expect(expected).toBeInstanceOf(ConfigError);
      expect(() => tapConfigOf(values)).toThrow(new PlanConfigError(expected!.message, "program"));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names a missing stack file", () => {
    expect(() => loadStackConfig({ projectDir: PROJECT_DIR, stack: "nope" })).toThrow(
      "no stack file Pulumi.nope.yaml; create it (pulumi stack init nope) or copy one from examples/",
    );
  });
});

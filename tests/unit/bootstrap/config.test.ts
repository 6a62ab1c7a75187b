/** The bootstrap's config: defaults, the example file, and every refusal with its exact message. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import {
  BootstrapConfigError,
  type RawBootstrapConfig,
  TAP_DR_PROJECT,
  parseBootstrapConfig,
  targetId,
} from "../../../bootstrap/lib/config";
import { BOOTSTRAP_DIR, exampleConfig } from "./support/example-config";
import { BOOTSTRAP_PROJECT } from "./support/run-bootstrap";

const staging = {
  stack: "staging",
  environment: "staging",
  environmentSuffix: "staging",
  regions: ["us-east-1", "us-east-2"],
};
const base: RawBootstrapConfig = { githubRepository: "acme/tap-dr", targets: [staging] };

/** The problems a config is refused with. */
function problemsOf(raw: RawBootstrapConfig): readonly string[] {
  try {
    parseBootstrapConfig(raw);
  } catch (error) {
    if (error instanceof BootstrapConfigError) return error.problems;
    throw error;
  }
  throw new Error("the config was accepted");
}

describe("parseBootstrapConfig", () => {
  it("applies the defaults: us-east-1, the S3 backend, 4-hour sessions, a read environment per stack", () => {
    expect(parseBootstrapConfig(base)).toEqual({
      githubRepository: "acme/tap-dr",
      region: "us-east-1",
      stateBackend: "s3",
      maxSessionDurationSeconds: 14_400,
      targets: [{ ...staging, readEnvironment: "staging-read" }],
    });
  });

  it("gives an ephemeral pattern no read role unless one is named, and null turns it off", () => {
    const { targets } = parseBootstrapConfig({
      ...base,
      targets: [
        { ...staging, readEnvironment: null },
        {
          stack: "pr-*",
          environment: "pr-ephemeral",
          environmentSuffix: "pr-*",
          regions: ["us-east-1", "us-east-2"],
        },
      ],
    });
    expect(targets.map((t) => t.readEnvironment)).toEqual([undefined, undefined]);
  });

  it("accepts bootstrap/Pulumi.example.yaml", () => {
    const config = parseBootstrapConfig(exampleConfig());
    expect(config.targets.map((t) => [t.stack, t.environment, t.readEnvironment])).toEqual([
      ["staging", "staging", "staging-read"],
      ["production", "production", "production-read"],
      ["pr-*", "pr-ephemeral", undefined],
    ]);
  });

  it.each([
    [
      { githubRepository: undefined },
      "githubRepository: is required; set it with `pulumi config set githubRepository <owner>/<name>`",
    ],
    [
      { githubRepository: "acme" },
      'githubRepository: "acme" is not of the form owner/name; set it with `pulumi config set githubRepository <owner>/<name>`',
    ],
    [
      { githubRepository: "acme/*" },
      'githubRepository: "acme/*" is not of the form owner/name; set it with `pulumi config set githubRepository <owner>/<name>`',
    ],
    [{ region: "us-east" }, 'region: "us-east" is not an AWS commercial region'],
    [{ stateBackend: "gcs" }, 'stateBackend: "gcs" must be one of s3, pulumi-cloud'],
    [
      { maxSessionDurationSeconds: 900 },
      "maxSessionDurationSeconds: 900 must be a whole number of seconds from 3600 to 43200 (IAM's MaxSessionDuration range)",
    ],
    [
      { existingOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/gitlab.com" },
      'existingOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/gitlab.com" is not the ARN of a token.actions.githubusercontent.com OIDC provider',
    ],
    [
      { targets: [] },
      "targets: list at least one stack, for example [{stack: staging, environment: staging, environmentSuffix: staging, regions: [us-east-1, us-east-2]}]",
    ],
  ])("refuses %p", (change, message) => {
    expect(problemsOf({ ...base, ...change })).toEqual([message]);
  });

  it.each([
    [
      { environment: "*" },
      'targets[0].environment: "*" must be a GitHub environment name of letters, digits, ".", "_" and "-" (no wildcards: it is matched exactly)',
    ],
    [
      { readEnvironment: "staging:read" },
      'targets[0].readEnvironment: "staging:read" must be a GitHub environment name of letters, digits, ".", "_" and "-" (no wildcards: it is matched exactly)',
    ],
    [
      { stack: "Staging" },
      'targets[0].stack: "Staging" must be a stack name (lowercase letters, digits, hyphens) or a prefix ending in "-*" (for example "pr-*")',
    ],
    [
      { environmentSuffix: "Staging" },
      'targets[0].environmentSuffix: "Staging" is not an environmentSuffix (lowercase letters, digits and single inner hyphens) or such a prefix followed by "-*" (for example "staging" or "pr-*")',
    ],
    [
      { environmentSuffix: "a-very-long-suffix" },
      'targets[0].environmentSuffix: "a-very-long-suffix" is longer than the 16-character environmentSuffix limit',
    ],
    [
      { environmentSuffix: "pr-*" },
      'targets[0]: stack "staging" and environmentSuffix "pr-*" must both be patterns ending in "*" (ephemeral stacks) or both plain names',
    ],
    [
      { regions: ["us-east-1"] },
      'targets[0].regions: must list the stack\'s primaryRegion and drRegion, for example ["us-east-1", "us-east-2"]',
    ],
    [
      { regions: ["us-east-1", "us-east-1"] },
      'targets[0].regions: primaryRegion and drRegion must differ (both are "us-east-1")',
    ],
    [
      { regions: ["us-east-1", "mars-1"] },
      'targets[0].regions: "mars-1" is not an AWS commercial region',
    ],
    [
      { domainName: "Payments.Example.com" },
      'targets[0].domainName: "Payments.Example.com" is not a lowercase DNS name such as payments.example.com',
    ],
  ])("refuses a target with %p", (change, message) => {
    expect(problemsOf({ ...base, targets: [{ ...staging, ...change }] })).toEqual([message]);
  });

  it("refuses targets that would share names, trust or resources", () => {
    expect(
      problemsOf({
        ...base,
        targets: [
          staging,
          {
            ...staging,
            stack: "staging-eu",
            environmentSuffix: "staging-eu",
            readEnvironment: null,
          },
          {
            stack: "pr-*",
            environment: "pr",
            environmentSuffix: "pr-*",
            regions: ["us-east-1", "us-east-2"],
          },
          {
            stack: "pr-5",
            environment: "pr-5",
            environmentSuffix: "pr-5",
            regions: ["us-east-1", "us-east-2"],
            readEnvironment: null,
          },
        ],
      }),
    ).toEqual([
      'targets: the environmentSuffix "staging" of "staging" and "staging-eu" of "staging-eu" overlap (names starting "tap-staging-" belong to both); choose suffixes where neither is the other followed by "-"',
      'targets: the environmentSuffix "pr-*" of "pr-*" and "pr-5" of "pr-5" overlap (names starting "tap-pr-" belong to both); choose suffixes where neither is the other followed by "-"',
      'targets: "staging" and "staging-eu" share the environment staging; each needs its own',
    ]);
  });

  it("lists every problem at once", () => {
    expect(problemsOf({ githubRepository: "x", region: "nowhere", targets: [] })).toHaveLength(3);
  });
});

describe("targetId", () => {
  it.each([
    ["staging", "staging"],
    ["pr-*", "pr"],
  ])("%s -> %s", (stack, id) => {
    expect(targetId(stack)).toBe(id);
  });
});

describe("bootstrap/Pulumi.yaml", () => {
  const project = parse(readFileSync(path.join(BOOTSTRAP_DIR, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config: Record<string, { default?: unknown }>;
  };

  it("is its own project, separate from tap-dr's", () => {
    expect(project.name).toBe(BOOTSTRAP_PROJECT);
    const main = parse(readFileSync(path.join(BOOTSTRAP_DIR, "..", "Pulumi.yaml"), "utf8")) as {
      name: string;
    };
    // The state policies scope objects by tap-dr's project name: it must be the real one.
    expect(main.name).toBe(TAP_DR_PROJECT);
  });

  it("declares the scalar keys index.ts reads, with the code's defaults (targets is a list of maps)", () => {
    expect(Object.keys(project.config).sort()).toEqual([
      "existingOidcProviderArn",
      "githubRepository",
      "maxSessionDurationSeconds",
      "region",
      "stateBackend",
    ]);
    const defaults = parseBootstrapConfig(base);
    expect(project.config.region.default).toBe(defaults.region);
    expect(project.config.stateBackend.default).toBe(defaults.stateBackend);
    expect(project.config.maxSessionDurationSeconds.default).toBe(
      defaults.maxSessionDurationSeconds,
    );
    expect(project.config.githubRepository.default).toBeUndefined();
  });
});

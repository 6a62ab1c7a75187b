/* eslint-disable @typescript-eslint/no-require-imports --
 * The program and @pulumi/pulumi must be loaded fresh, after setMocks, for each
 * run; jest.isolateModules and a cleared require cache only work with require(). */
/**
 * The one graph-capture module: runs a Pulumi program under mocks with a given config and
 * returns every resource it registered, its stack outputs and its lookups. By default the
 * program is the real one (index.ts, MAIN_PROGRAM); the unit tests (through
 * tests/support/mock-graph.ts, which adds a cache shared by jest workers), `npm run plan` and
 * the policy pack's offline evaluation all read that capture. The bootstrap program's tests
 * pass their own ProgramSpec (tests/unit/bootstrap/support/run-bootstrap.ts).
 * It runs under jest (each run in jest.isolateModules) and under plain node or tsx (each run
 * after the program's modules are dropped from the require cache).
 */
import * as path from "node:path";
import type * as PulumiModule from "@pulumi/pulumi";
import {
  TEST_ACCOUNT_ID,
  TEST_PARTITION,
  availabilityZones,
  computedAttributes,
  fakeArn,
  physicalNameOf,
} from "./aws-mocks";

type Pulumi = typeof PulumiModule;

/** One resource the program registered, with what a deployment depends on. */
export interface CapturedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
  /** URN of the parent ("" for the stack itself). */
  readonly parent: string;
  /** URNs of explicit and implicit (input) dependencies. */
  readonly dependencies: readonly string[];
  /** URN of the provider, for custom resources. undefined means the ambient default provider. */
  readonly providerUrn: string | undefined;
  /** Region of that provider; "" for a custom resource on the ambient provider (a bug here). */
  region: string;
  readonly retainOnDelete: boolean;
  readonly protect: boolean;
  readonly ignoreChanges: readonly string[];
}

export interface ProgramRun {
  readonly resources: CapturedResource[];
  /** The program's stack outputs, resolved. */
  readonly outputs: Record<string, unknown>;
  /** Every lookup the program made, with the region it ran in. */
  readonly lookups: { token: string; region: string }[];
}

/** The program threw; `resources` holds what was registered before it did. */
export class ProgramFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly resources: readonly CapturedResource[],
  ) {
    super(error instanceof Error ? error.message : String(error));
    this.name = "ProgramFailure";
  }
}

/** Project and stack names the program sees; config keys are namespaced by the project. */
export const PROJECT = "tap-dr";
export const STACK = "dev";

/** A resource the program registers, as the mock AWS is asked to create it. */
export interface NewResource {
  readonly type: string;
  /** The logical name. */
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Region of the resource's provider ("" for the ambient one); a provider's own region. */
  readonly region: string;
}

/** A lookup (an invoke such as aws.getCallerIdentity) through a provider with a region. */
export interface Lookup {
  readonly token: string;
  readonly region: string;
  /** The provider's defaultTags, for aws.getDefaultTags. */
  readonly defaultTags: Record<string, string>;
}

/**
 * What AWS answers a program under mocks. The capture has already refused a lookup without a
 * provider or in an unreachable region, so `lookup` only answers, or throws for a token it
 * does not mock.
 */
export interface MockAws {
  newResource(resource: NewResource): { id: string; state: Record<string, unknown> };
  lookup(lookup: Lookup): Record<string, unknown>;
}

/** A program to capture, and the mock AWS it runs against. */
export interface ProgramSpec {
  /** The entry module as require() takes it: an absolute path, without extension. */
  readonly entry: string;
  /** The project name (pulumi.getProject()): the namespace of config keys that give none. */
  readonly project: string;
  /** The stack name (pulumi.getStack()) unless CaptureOptions.stack names one. */
  readonly stack: string;
  /**
   * The program's own files, and folders ending in path.sep: loaded fresh for each run under
   * node (under jest every module is, in an isolated registry).
   */
  readonly sources: readonly string[];
  readonly aws: MockAws;
}

export interface CaptureOptions {
  /** Every lookup in this region fails, as it would during the region's outage. */
  readonly unreachableRegion?: string;
  /** The stack name the program sees (pulumi.getStack()). @default program.stack */
  readonly stack?: string;
  /** The program to run. @default MAIN_PROGRAM */
  readonly program?: ProgramSpec;
}

/** The project root: index.ts and lib/ are loaded from here. */
const PROJECT_ROOT = path.resolve(__dirname, "../..");

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getDependenciesList(): string[];
  getProvider(): string;
  getRetainondelete(): boolean | undefined;
  getProtect(): boolean | undefined;
  getIgnorechangesList(): string[];
  getObject(): Parameters<Pulumi["runtime"]["deserializeProperties"]>[0];
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (err: Error | null, resp?: RegisterResponse) => void;
interface Monitor {
  registerResource(req: RegisterRequest, callback: Callback): void;
}

const providerUrnOf = (ref: string): string | undefined =>
  ref === "" ? undefined : ref.split("::").slice(0, -1).join("::");

function resolve(pulumi: Pulumi, value: unknown): Promise<unknown> {
  const output: PulumiModule.Output<unknown> = pulumi.output(value);
  return new Promise<unknown>((done) => {
    output.apply((resolved: unknown) => {
      done(resolved);
      return resolved;
    });
  });
}

const stringOf = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * Config as the engine hands it to a program: keys namespaced by the project unless they
 * carry their own namespace (`aws:profile`), values as text (lists and maps as JSON).
 */
export function namespacedConfig(
  config: Record<string, unknown>,
  project: string = PROJECT,
): Record<string, string> {
  const namespaced: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    namespaced[key.includes(":") ? key : `${project}:${key}`] =
      typeof value === "string" ? value : JSON.stringify(value);
  }
  return namespaced;
}

/**
 * The fake AWS of the main program (aws-mocks.ts): ids `${logicalName}-id`, physical names,
 * ARNs and computed attributes as AWS would form them in the resource's region, and the
 * lookups index.ts makes.
 */
export const MAIN_PROGRAM_AWS: MockAws = {
  newResource: ({ type, name: logicalName, inputs, region }) => {
    const id = `${logicalName}-id`;
    const name = physicalNameOf(type, logicalName, inputs);
    return {
      id,
      state: {
        ...inputs,
        name,
        arn: fakeArn(type, name, id, region),
        keyId: id,
        region,
        ...computedAttributes(type, name, region),
      },
    };
  },
  lookup: ({ token, region, defaultTags }) => {
    switch (token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const names = availabilityZones(region);
        return { id: region, names, zoneIds: names.map((_, i) => `${region}-az${i + 1}`) };
      }
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          id: TEST_ACCOUNT_ID,
          accountId: TEST_ACCOUNT_ID,
          arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:user/ci`,
          userId: "AIDATEST",
        };
      case "aws:index/getPartition:getPartition":
        return { id: TEST_PARTITION, partition: TEST_PARTITION, dnsSuffix: "amazonaws.com" };
      case "aws:index/getDefaultTags:getDefaultTags":
        return { id: region, tags: defaultTags };
      default:
        throw new Error(`unmocked lookup ${token} in ${region}`);
    }
  },
};

/** The real program: index.ts and lib/, as project PROJECT, stack STACK. */
export const MAIN_PROGRAM: ProgramSpec = {
  entry: path.join(PROJECT_ROOT, "index"),
  project: PROJECT,
  stack: STACK,
  sources: [path.join(PROJECT_ROOT, "index.ts"), path.join(PROJECT_ROOT, "lib") + path.sep],
  aws: MAIN_PROGRAM_AWS,
};

/**
 * Loads `load`'s modules fresh. Under jest, in an isolated module registry. Under node,
 * after dropping @pulumi/* and the program's own files from the require cache, so a second
 * run in the same process registers with a new engine and runs the program again.
 */
function isolated(ownFiles: readonly string[], load: () => void): void {
  if (typeof jest !== "undefined" && typeof jest.isolateModules === "function") {
    jest.isolateModules(load);
    return;
  }
  const pulumiPackages = `${path.sep}node_modules${path.sep}@pulumi${path.sep}`;
  for (const file of Object.keys(require.cache)) {
    if (file.includes(pulumiPackages) || ownFiles.some((own) => file.startsWith(own))) {
      delete require.cache[file];
    }
  }
  load();
}

/**
 * Runs the program (the real one, index.ts, unless `options.program` names another) under
 * pulumi mocks with the given config (keys without the project namespace, or namespaced ones
 * such as `aws:profile`) and returns every registered resource, the resolved stack outputs
 * and the lookups. Lookups are answered per region by the program's MockAws; one without a
 * provider (the ambient region) fails the run. A program error is thrown as a ProgramFailure
 * holding what was registered before it.
 *
 * Pulumi keeps `new Error().stack` on every promise it makes and parses one stack per
 * resource for its source position; jest source-maps each of those stacks, which was most of
 * a run's time. Neither is used here, so during the run a stack is just the error's message.
 * V8 formats a stack when it is first read, so the stack of an error the program threw, read
 * after the run, is complete and source-mapped.
 */
export async function captureProgram(
  config: Record<string, unknown>,
  options: CaptureOptions = {},
): Promise<ProgramRun> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back, not called
  const prepareStackTrace = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error) => String(error);
  try {
    return await captureWithMocks(config, options);
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
  }
}

async function captureWithMocks(
  config: Record<string, unknown>,
  options: CaptureOptions,
): Promise<ProgramRun> {
  const { unreachableRegion, program = MAIN_PROGRAM } = options;
  const resources: CapturedResource[] = [];
  const lookups: { token: string; region: string }[] = [];
  const providerRegions = new Map<string, string>();
  /** Each provider's defaultTags, for the getDefaultTags lookup. */
  const providerTags = new Map<string, Record<string, string>>();
  const regionOfProviderRef = (ref: string | undefined): string => {
    const urn = ref === undefined ? undefined : providerUrnOf(ref);
    return urn === undefined ? "" : (providerRegions.get(urn) ?? "");
  };

  let pulumi: Pulumi | undefined;
  let programError: unknown;
  let programModule: Record<string, unknown> = {};

  // Pulumi keeps its run state on the global; start each run fresh.
  delete (globalThis as { globalStore?: unknown }).globalStore;

  isolated(program.sources, () => {
    pulumi = require("@pulumi/pulumi") as Pulumi;
    const runtime = pulumi.runtime;
    runtime.setAllConfig(namespacedConfig(config, program.project));
    void runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown>;
          const region =
            args.type === "pulumi:providers:aws"
              ? stringOf(inputs.region)
              : regionOfProviderRef(args.provider);
          return program.aws.newResource({ type: args.type, name: args.name, inputs, region });
        },
        call: (args) => {
          const region = regionOfProviderRef(args.provider);
          lookups.push({ token: args.token, region });
          if (region === "") {
            throw new Error(`lookup ${args.token} ran without a provider (ambient region)`);
          }
          if (region === unreachableRegion) {
            throw new Error(
              `lookup ${args.token} failed: ${region} is unreachable (simulated outage)`,
            );
          }
          const urn = args.provider === undefined ? undefined : providerUrnOf(args.provider);
          return program.aws.lookup({
            token: args.token,
            region,
            defaultTags: (urn && providerTags.get(urn)) || {},
          });
        },
      },
      program.project,
      options.stack ?? program.stack,
      false,
    );

    const monitor = runtime.getMonitor() as unknown as Monitor;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      register(req, (err, resp) => {
        if (!err && resp) {
          const inputs = runtime.deserializeProperties(req.getObject()) as Record<string, unknown>;
          const urn = resp.getUrn();
          if (req.getType() === "pulumi:providers:aws") {
            providerRegions.set(urn, stringOf(inputs.region));
            const raw = inputs.defaultTags;
            const defaults = (typeof raw === "string" ? JSON.parse(raw) : raw) as
              { tags?: Record<string, string> } | undefined;
            providerTags.set(urn, defaults?.tags ?? {});
          }
          resources.push({
            urn,
            type: req.getType(),
            name: req.getName(),
            custom: req.getCustom(),
            inputs,
            parent: req.getParent(),
            dependencies: req.getDependenciesList(),
            providerUrn: providerUrnOf(req.getProvider()),
            region: "",
            retainOnDelete: req.getRetainondelete() ?? false,
            protect: req.getProtect() ?? false,
            ignoreChanges: req.getIgnorechangesList(),
          });
        }
        callback(err, resp);
      });
    };

    try {
      programModule = require(program.entry) as Record<string, unknown>;
    } catch (error) {
      programError = error;
    }
  });

  if (pulumi === undefined) {
    throw new Error("@pulumi/pulumi did not load");
  }
  const runtime = pulumi.runtime as Pulumi["runtime"] & { waitForRPCs(): Promise<void> };
  await runtime.waitForRPCs();
  if (programError !== undefined) {
    throw new ProgramFailure(programError, resources);
  }

  for (const resource of resources) {
    if (resource.type === "pulumi:providers:aws") {
      resource.region = stringOf(resource.inputs.region);
    } else if (resource.providerUrn !== undefined) {
      resource.region = providerRegions.get(resource.providerUrn) ?? "";
    }
  }

  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(programModule)) {
    outputs[key] = await resolve(pulumi, value);
  }
  return { resources, outputs, lookups };
}

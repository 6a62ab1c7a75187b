/* eslint-disable @typescript-eslint/no-require-imports --
 * The program and @pulumi/pulumi must be loaded fresh, after setMocks, for each
 * run; jest.isolateModules only works with require(). */
import type * as PulumiModule from "@pulumi/pulumi";
import {
  TEST_ACCOUNT_ID,
  TEST_PARTITION,
  availabilityZones,
  computedAttributes,
  fakeArn,
  physicalNameOf,
} from "./aws-mocks";
import { RUN_CACHE_DIR_ENV, cachedText, deserialize, serialize, stableJson } from "./run-cache";

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
 * Runs the real program (index.ts) under pulumi mocks with the given config
 * (keys without the project namespace) and returns every registered resource.
 * Lookups are answered per region; any other lookup fails the run.
 *
 * The program is deterministic, so within a jest run each config runs once:
 * every caller gets its own copy of that run, read back from the run cache
 * (run-cache.ts), and a ProgramFailure is thrown again with the same message
 * and resources. `fresh` runs it in this worker instead. `unreachableRegion` makes every
 * lookup in that region fail, as it would during the region's outage.
 */
export async function runProgram(
  config: Record<string, unknown>,
  options: { fresh?: boolean; unreachableRegion?: string } = {},
): Promise<ProgramRun> {
  const dir = process.env[RUN_CACHE_DIR_ENV];
  const unreachable = options.unreachableRegion;
  if (options.fresh === true || dir === undefined) {
    return captureProgram(config, unreachable);
  }
  const key = stableJson(unreachable === undefined ? config : { config, unreachable });
  const text = await cachedText(dir, key, async () => {
    try {
      return await serialize({ run: await captureProgram(config, unreachable) });
    } catch (error) {
      if (!(error instanceof ProgramFailure)) {
        throw error;
      }
      const cause = error.error instanceof Error ? error.error : undefined;
      return serialize({
        failure: {
          message: error.message,
          name: cause?.name,
          stack: cause?.stack,
          resources: error.resources,
        },
      });
    }
  });
  const cached = deserialize(text) as { run?: ProgramRun; failure?: CachedFailure };
  if (cached.failure !== undefined) {
    const { message, name, stack, resources } = cached.failure;
    const cause = new Error(message);
    cause.name = name ?? cause.name;
    cause.stack = stack ?? cause.stack;
    throw new ProgramFailure(cause, resources);
  }
  return cached.run!;
}

interface CachedFailure {
  message: string;
  name?: string;
  stack?: string;
  resources: CapturedResource[];
}

/**
 * Pulumi keeps `new Error().stack` on every promise it makes and parses one
 * stack per resource for its source position; jest source-maps each of those
 * stacks, which was most of a run's time. Neither is used here, so during the
 * run a stack is just the error's message. V8 formats a stack when it is first
 * read, so the stack of an error the program threw, read after the run, is
 * complete and source-mapped.
 */
async function captureProgram(
  config: Record<string, unknown>,
  unreachableRegion?: string,
): Promise<ProgramRun> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back, not called
  const prepareStackTrace = Error.prepareStackTrace;
  Error.prepareStackTrace = (error: Error) => String(error);
  try {
    return await captureWithMocks(config, unreachableRegion);
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
  }
}

async function captureWithMocks(
  config: Record<string, unknown>,
  unreachableRegion: string | undefined,
): Promise<ProgramRun> {
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

  // Pulumi keeps its run state on the (per-test-file) global; start each run fresh.
  delete (globalThis as { globalStore?: unknown }).globalStore;

  jest.isolateModules(() => {
    pulumi = require("@pulumi/pulumi") as Pulumi;
    const runtime = pulumi.runtime;
    const namespaced: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
      namespaced[key.includes(":") ? key : `${PROJECT}:${key}`] =
        typeof value === "string" ? value : JSON.stringify(value);
    }
    runtime.setAllConfig(namespaced);
    void runtime.setMocks(
      {
        newResource: (args) => {
          const inputs = args.inputs as Record<string, unknown>;
          const region =
            args.type === "pulumi:providers:aws"
              ? stringOf(inputs.region)
              : regionOfProviderRef(args.provider);
          const id = `${args.name}-id`;
          const name = physicalNameOf(args.type, args.name, inputs);
          return {
            id,
            state: {
              ...inputs,
              name,
              arn: fakeArn(args.type, name, id, region),
              keyId: id,
              region,
              ...computedAttributes(args.type, name, region),
            },
          };
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
          switch (args.token) {
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
            case "aws:index/getDefaultTags:getDefaultTags": {
              const urn = args.provider === undefined ? undefined : providerUrnOf(args.provider);
              return { id: region, tags: (urn && providerTags.get(urn)) || {} };
            }
            default:
              throw new Error(`unmocked lookup ${args.token} in ${region}`);
          }
        },
      },
      PROJECT,
      STACK,
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
      programModule = require("../../index") as Record<string, unknown>;
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

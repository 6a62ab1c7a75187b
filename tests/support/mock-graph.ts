/**
 * The program under pulumi mocks, for the jest suites: tools/graph/capture.ts captures a run
 * (the same module `npm run plan` and the policy pack's offline evaluation use), and this
 * adapter shares each config's run between the jest workers through the run cache.
 */
import {
  CapturedResource,
  PROJECT,
  ProgramFailure,
  ProgramRun,
  STACK,
  captureProgram,
} from "../../tools/graph/capture";
import { RUN_CACHE_DIR_ENV, cachedText, deserialize, serialize, stableJson } from "./run-cache";

export { PROJECT, ProgramFailure, STACK };
export type { CapturedResource, ProgramRun };

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
  const capture = () => captureProgram(config, { unreachableRegion: unreachable });
  if (options.fresh === true || dir === undefined) {
    return capture();
  }
  const key = stableJson(unreachable === undefined ? config : { config, unreachable });
  const text = await cachedText(dir, key, async () => {
    try {
      return await serialize({ run: await capture() });
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

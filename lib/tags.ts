import { TapConfig } from "./config";

/**
 * Stack-wide tags, applied through each provider's defaultTags so that every
 * taggable resource gets them. Order is fixed: base tags, then the stack's
 * `tags` config (which may override a base tag), then per-resource tags such
 * as Name (set on the resource).
 */
export function stackTags(
  config: Pick<TapConfig, "environmentSuffix" | "mode" | "tags">,
): Record<string, string> {
  return {
    Project: "tap-dr",
    Environment: config.environmentSuffix,
    StackMode: config.mode,
    ManagedBy: "pulumi",
    ...config.tags,
  };
}

/** The stack context of the rules, derived from the graph: regions, each region's keys, the mode. */
import { GraphResource, PolicyContext, StackMode, isUnknown } from "./model";
import { ResourceIndex } from "./resource-index";
import { isKmsKeyArn, parseArn } from "./values";

const PROVIDER = "pulumi:providers:aws";
const KEY = "aws:kms/key:Key";

export interface PolicyContextInput {
  /** The stack's mode. @default the StackMode default tag of the AWS providers, else "production" */
  readonly mode?: StackMode;
  /** @default the regions of the graph's AWS providers */
  readonly regions?: readonly string[];
  /** @default the ARNs of the graph's KMS keys (see keyArnsByRegion) */
  readonly regionKeys?: Readonly<Record<string, readonly string[]>>;
}

export function buildPolicyContext(
  resources: readonly GraphResource[],
  input: PolicyContextInput = {},
): PolicyContext {
  return {
    mode: input.mode ?? modeOfGraph(resources) ?? "production",
    regions: input.regions ?? regionsOfGraph(resources),
    regionKeys: input.regionKeys ?? keyArnsByRegion(resources),
    graph: new ResourceIndex(resources),
  };
}

export function regionsOfGraph(resources: readonly GraphResource[]): string[] {
  const providers = resources.filter((resource) => resource.type === PROVIDER);
  const source = providers.length > 0 ? providers : resources;
  return [...new Set(source.map((resource) => resource.region).filter((r) => r !== ""))].sort();
}

/**
 * The stack's mode as the program tags it: every provider's default tags carry StackMode
 * (lib/tags.ts). undefined when no provider says.
 */
export function modeOfGraph(resources: readonly GraphResource[]): StackMode | undefined {
  for (const provider of resources.filter((resource) => resource.type === PROVIDER)) {
    const mode = stackModeTag(provider.inputs.defaultTags);
    if (mode !== undefined) return mode;
  }
  return undefined;
}

/** The StackMode tag of a provider's defaultTags input (an object, or JSON text as providers pass it). */
export function stackModeTag(defaultTags: unknown): StackMode | undefined {
  let value: unknown = defaultTags;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  const mode = (value as { tags?: Record<string, unknown> } | undefined)?.tags?.StackMode;
  return mode === "test" || mode === "production" ? mode : undefined;
}

/**
 * Each region's customer-managed key ARNs. A key's ARN is its `arn` where known (the engine's
 * state after a deploy); otherwise the key ARN of the key's region that most of the resources
 * depending on the key hold in their inputs (under mocks no ARN is an input of the key itself).
 */
export function keyArnsByRegion(resources: readonly GraphResource[]): Record<string, string[]> {
  const keys = resources.filter((resource) => resource.type === KEY);
  const result: Record<string, string[]> = {};
  const add = (region: string, arn: string) => {
    const list = (result[region] ??= []);
    if (!list.includes(arn)) list.push(arn);
  };
  for (const key of keys) {
    const own = key.inputs.arn;
    if (typeof own === "string" && isKmsKeyArn(parseArn(own))) {
      add(parseArn(own)!.region, own);
      continue;
    }
    const counts = new Map<string, number>();
    for (const dependent of resources) {
      if (!(dependent.dependencies ?? []).includes(key.urn)) continue;
      const found = new Set<string>();
      collectKeyArns(dependent.inputs, key.region, found);
      for (const arn of found) counts.set(arn, (counts.get(arn) ?? 0) + 1);
    }
    const most = Math.max(0, ...counts.values());
    for (const [arn, count] of counts) {
      if (count === most) add(key.region, arn);
    }
  }
  return result;
}

function collectKeyArns(value: unknown, region: string, found: Set<string>): void {
  if (isUnknown(value)) return;
  if (typeof value === "string") {
    const arn = parseArn(value);
    if (isKmsKeyArn(arn) && arn.region === region) found.add(value);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item) => collectKeyArns(item, region, found));
  } else if (typeof value === "object" && value !== null) {
    Object.values(value).forEach((item) => collectKeyArns(item, region, found));
  }
}

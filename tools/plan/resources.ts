/**
 * What a stack would deploy, from its captured graph: the component tree with resource
 * counts, the count per type and region, and the stack outputs with what is known before the
 * deploy and what is not.
 */
import { TEST_ACCOUNT_ID, availabilityZones } from "../graph/aws-mocks";
import type { CapturedResource, ProgramRun } from "../graph/capture";
import {
  GraphIndex,
  collectStrings,
  computedValuesOf,
  isCloudResource,
  isComponent,
} from "../graph/graph-index";

export interface ComponentNode {
  readonly name: string;
  readonly type: string;
  /** AWS resources anywhere below the component. */
  readonly resources: number;
  /** The same, per region. */
  readonly byRegion: Readonly<Record<string, number>>;
  readonly children: ComponentNode[];
}

export interface TypeRegionCount {
  readonly type: string;
  /** "(none)" for a resource without a provider: the ambient region, a bug here. */
  readonly region: string;
  readonly count: number;
}

export interface ResourceSummary {
  /** Every resource the engine would register: AWS resources, providers, components, others. */
  readonly total: number;
  readonly aws: number;
  readonly components: number;
  readonly providers: number;
  /** Engine-side resources that live in no region (@pulumi/random). */
  readonly other: number;
  readonly byRegion: Readonly<Record<string, number>>;
  readonly tree: ComponentNode[];
  readonly byTypeAndRegion: TypeRegionCount[];
}

const increment = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

const regionLabel = (resource: CapturedResource): string =>
  resource.region === "" ? "(none)" : resource.region;

/** The component tree under the stack, with the AWS resources below each component. */
export function componentTree(run: ProgramRun): ComponentNode[] {
  const graph = new GraphIndex(run);
  const below = new Map<string, Record<string, number>>();
  for (const resource of graph.cloudResources) {
    for (const ancestor of graph.ancestorsOf(resource)) {
      const counts = below.get(ancestor.urn) ?? {};
      increment(counts, regionLabel(resource));
      below.set(ancestor.urn, counts);
    }
  }
  const node = (component: CapturedResource): ComponentNode => {
    const byRegion = below.get(component.urn) ?? {};
    return {
      name: component.name,
      type: component.type,
      resources: Object.values(byRegion).reduce((sum, n) => sum + n, 0),
      byRegion,
      children: graph.childrenOf(component).filter(isComponent).map(node),
    };
  };
  const isTopLevel = (resource: CapturedResource): boolean => {
    const parent = graph.parentOf(resource);
    return parent === undefined || !isComponent(parent);
  };
  return run.resources.filter((r) => isComponent(r) && isTopLevel(r)).map(node);
}

export function countByTypeAndRegion(resources: readonly CapturedResource[]): TypeRegionCount[] {
  const counts = new Map<string, TypeRegionCount>();
  for (const resource of resources.filter(isCloudResource)) {
    const region = regionLabel(resource);
    const key = `${resource.type}\u0000${region}`;
    counts.set(key, { type: resource.type, region, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort(
    (a, b) => a.type.localeCompare(b.type) || a.region.localeCompare(b.region),
  );
}

export function summarizeResources(run: ProgramRun): ResourceSummary {
  const aws = run.resources.filter(isCloudResource);
  const byRegion: Record<string, number> = {};
  for (const resource of aws) increment(byRegion, regionLabel(resource));
  const providers = run.resources.filter((r) => r.type.startsWith("pulumi:providers:")).length;
  const components = run.resources.filter(isComponent).length;
  return {
    total: run.resources.length,
    aws: aws.length,
    components,
    providers,
    other: run.resources.length - aws.length - components - providers,
    byRegion,
    tree: componentTree(run),
    byTypeAndRegion: countByTypeAndRegion(run.resources),
  };
}

/**
 * config: follows from the config alone, so `pulumi preview` shows it too. lookup: read from
 * the AWS account at preview time (account id, AZ names); the plan shows the mock's values.
 * computed: AWS assigns it at deploy (ids, ARNs, endpoints); `pulumi preview` shows it as
 * unknown. absent: the stack does not export it with this config.
 */
export type OutputKind = "config" | "lookup" | "computed" | "absent";

export interface PlannedOutput {
  readonly name: string;
  readonly kind: OutputKind;
  /** The value, for config outputs; the mock's stand-in for lookups; undefined otherwise. */
  readonly value?: unknown;
}

/** Values the mock engine answered lookups with, for the lookups the program made. */
function lookupValues(run: ProgramRun): string[] {
  const values = new Set<string>();
  for (const lookup of run.lookups) {
    if (lookup.token === "aws:index/getCallerIdentity:getCallerIdentity")
      values.add(TEST_ACCOUNT_ID);
    if (lookup.token === "aws:index/getAvailabilityZones:getAvailabilityZones") {
      availabilityZones(lookup.region).forEach((zone, i) => {
        values.add(zone);
        values.add(`${lookup.region}-az${i + 1}`);
      });
    }
  }
  return [...values];
}

/** Invented values shorter than this are too generic to attribute ("$LATEST"). */
const MIN_TOKEN_LENGTH = 6;

/** Each stack output, with whether it is known before the deploy. */
export function classifyOutputs(run: ProgramRun): PlannedOutput[] {
  const computed = [...new Set(run.resources.flatMap(computedValuesOf))].filter(
    (token) => token.length >= MIN_TOKEN_LENGTH,
  );
  const lookups = lookupValues(run);
  const contains = (tokens: string[]) => (text: string) =>
    tokens.some((token) => text.includes(token));
  return Object.keys(run.outputs)
    .sort()
    .map((name) => {
      const value = run.outputs[name];
      if (value === undefined) return { name, kind: "absent" as const };
      const strings = collectStrings(value);
      if (strings.some(contains(computed))) return { name, kind: "computed" as const };
      if (strings.some(contains(lookups))) return { name, kind: "lookup" as const, value };
      return { name, kind: "config" as const, value };
    });
}

/**
 * Lookups over a captured run that the offline tools share: resources by URN, by the mock's
 * id and ARN, and the component tree. Every value the mock engine invented (ids, ARNs,
 * endpoints, autonames) is derived here the same way aws-mocks.ts invented it, so a tool can
 * tell a config-derived value from one AWS only knows after deploy.
 */
import { computedAttributes, fakeArn, physicalNameOf } from "./aws-mocks";
import type { CapturedResource, ProgramRun } from "./capture";

/**
 * AWS resources: not components, not providers, and not @pulumi/random values, which are
 * computed by the engine and live in no region.
 */
export const isCloudResource = (resource: CapturedResource): boolean =>
  resource.custom && resource.type.startsWith("aws:");

export const isComponent = (resource: CapturedResource): boolean =>
  !resource.custom && resource.type !== "pulumi:pulumi:Stack";

export class GraphIndex {
  private readonly byUrnMap: Map<string, CapturedResource>;
  private arnMap: Map<string, CapturedResource> | undefined;

  constructor(readonly run: ProgramRun) {
    this.byUrnMap = new Map(run.resources.map((resource) => [resource.urn, resource]));
  }

  get resources(): readonly CapturedResource[] {
    return this.run.resources;
  }

  get cloudResources(): CapturedResource[] {
    return this.run.resources.filter(isCloudResource);
  }

  ofType(type: string): CapturedResource[] {
    return this.run.resources.filter((resource) => resource.type === type);
  }

  byUrn(urn: string): CapturedResource | undefined {
    return this.byUrnMap.get(urn);
  }

  parentOf(resource: CapturedResource): CapturedResource | undefined {
    return this.byUrnMap.get(resource.parent);
  }

  /** The resource's ancestors, nearest first. */
  ancestorsOf(resource: CapturedResource): CapturedResource[] {
    const chain: CapturedResource[] = [];
    for (let parent = this.parentOf(resource); parent; parent = this.parentOf(parent)) {
      chain.push(parent);
    }
    return chain;
  }

  childrenOf(resource: CapturedResource): CapturedResource[] {
    return this.run.resources.filter((child) => child.parent === resource.urn);
  }

  /** The resource a mock ARN belongs to (see fakeArn), if any. */
  byArn(arn: unknown): CapturedResource | undefined {
    if (this.arnMap === undefined) {
      this.arnMap = new Map();
      for (const resource of this.run.resources) {
        // Autonamed resources of one service can share a default-form mock ARN (a subnet and
        // its route table association, both named after the tier): the first registered wins.
        const arn = mockArnOf(resource);
        if (!this.arnMap.has(arn)) this.arnMap.set(arn, resource);
      }
    }
    return typeof arn === "string" ? this.arnMap.get(arn) : undefined;
  }

  dependsOn(resource: CapturedResource, dependency: CapturedResource): boolean {
    return resource.dependencies.includes(dependency.urn);
  }
}

export const physicalNameOfResource = (resource: CapturedResource): string =>
  physicalNameOf(resource.type, resource.name, resource.inputs);

export const mockIdOf = (resource: CapturedResource): string => `${resource.name}-id`;

export const mockArnOf = (resource: CapturedResource): string =>
  fakeArn(resource.type, physicalNameOfResource(resource), mockIdOf(resource), resource.region);

/**
 * The values the mock engine made up for a resource that AWS computes at deploy time: its
 * id, ARN, autoname and computed attributes (endpoints, URLs, zone ids). A value the program
 * passed in as an input is not among them: `pulumi preview` knows it too.
 */
export function computedValuesOf(resource: CapturedResource): string[] {
  if (!resource.custom) return [];
  const inputs = new Set(collectStrings(resource.inputs));
  const name = physicalNameOfResource(resource);
  const arn = mockArnOf(resource);
  const invented = [
    mockIdOf(resource),
    arn,
    // The resource part of the ARN, which a program may carry over into another ARN (a
    // replica's): AWS may add to it, like the random suffix of a secret's ARN.
    arn.split(":").slice(5).join(":"),
    name,
    ...collectStrings(computedAttributes(resource.type, name, resource.region)),
  ];
  return invented.filter((value) => !inputs.has(value));
}

/** Every string inside a value, depth first. */
export function collectStrings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value !== null && typeof value === "object") {
    return Object.values(value as Record<string, unknown>).flatMap(collectStrings);
  }
  return [];
}

/** A string input, or "" when it is not a string. */
export const textOf = (value: unknown): string => (typeof value === "string" ? value : "");

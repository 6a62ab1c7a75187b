import { GraphIndex, isCloudResource, mockIdOf } from "../../tools/graph/graph-index";
import { CapturedResource, ProgramRun } from "./mock-graph";

export { isCloudResource };

/**
 * Queries over a captured program run. Every finder fails loudly when nothing matches. The
 * lookups themselves are tools/graph/graph-index.ts's, the ones `npm run plan` makes, so the
 * tests find resources the way the plan does; this only adds the failures and test finders.
 * It wraps the index rather than extending it: byArn here throws where the index's returns
 * undefined, so a Graph must not be passed where a GraphIndex is expected (use `index`).
 */
export class Graph {
  readonly index: GraphIndex;

  constructor(readonly run: ProgramRun) {
    this.index = new GraphIndex(run);
  }

  get resources(): readonly CapturedResource[] {
    return this.index.resources;
  }

  /** See isCloudResource. */
  get cloudResources(): CapturedResource[] {
    return this.index.cloudResources;
  }

  ofType(type: string): CapturedResource[] {
    return this.index.ofType(type);
  }

  one(type: string, name: string): CapturedResource {
    const found = this.run.resources.find(
      (resource) => resource.type === type && resource.name === name,
    );
    if (!found) {
      throw new Error(`no ${type} named ${name} in the graph`);
    }
    return found;
  }

  parentOf(resource: CapturedResource): CapturedResource | undefined {
    return this.index.parentOf(resource);
  }

  /** The resource's ancestors, nearest first. */
  ancestorsOf(resource: CapturedResource): CapturedResource[] {
    return this.index.ancestorsOf(resource);
  }

  /** Every resource below the first component of the given type. */
  descendantsOfComponent(componentType: string): CapturedResource[] {
    const component = this.ofType(componentType)[0];
    if (!component) {
      throw new Error(`no component ${componentType} in the graph`);
    }
    return this.run.resources.filter((resource) =>
      this.ancestorsOf(resource).some((ancestor) => ancestor.urn === component.urn),
    );
  }

  /** The resource whose mock id (see mockIdOf) this is. */
  byId(id: unknown): CapturedResource {
    const found = this.run.resources.find((resource) => mockIdOf(resource) === id);
    if (!found) {
      throw new Error(`no resource with id ${String(id)}`);
    }
    return found;
  }

  /** The resource whose mock ARN this is (see mockArnOf). */
  byArn(arn: unknown): CapturedResource {
    const found = this.index.byArn(arn);
    if (!found) {
      throw new Error(`no resource with ARN ${String(arn)}`);
    }
    return found;
  }

  dependsOn(resource: CapturedResource, dependency: CapturedResource): boolean {
    return this.index.dependsOn(resource, dependency);
  }
}

/** The region field of an ARN ("" for global services such as S3 and IAM). */
export const regionOfArn = (arn: unknown): string => String(arn).split(":")[3] ?? "";

/** A string input, or a failure naming the resource and field. */
export function str(resource: CapturedResource, field: string): string {
  const value = resource.inputs[field];
  if (typeof value !== "string") {
    throw new Error(
      `${resource.type} ${resource.name}: input ${field} is ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A JSON policy input, parsed. */
export function policyOf(resource: CapturedResource, field = "policy"): PolicyDocument {
  return JSON.parse(str(resource, field)) as PolicyDocument;
}

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: { AWS?: string | string[]; Service?: string | string[] };
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A provider's defaultTags: provider inputs reach the engine JSON-encoded. */
export function providerDefaultTags(provider: CapturedResource): Record<string, string> {
  const raw = provider.inputs.defaultTags;
  const parsed = (typeof raw === "string" ? JSON.parse(raw) : raw) as {
    tags?: Record<string, string>;
  };
  return parsed.tags ?? {};
}

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** A secret input's plain value (the engine marks secrets with a signature key). */
export function unsecret(value: unknown): unknown {
  if (typeof value === "object" && value !== null && SECRET_SIGNATURE in value) {
    return (value as unknown as { value: unknown }).value;
  }
  return value;
}

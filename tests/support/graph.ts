import { fakeArn, physicalNameOf } from "./aws-mocks";
import { CapturedResource, ProgramRun } from "./mock-graph";

/** Queries over a captured program run. Every finder fails loudly when nothing matches. */
export class Graph {
  private readonly byUrn: Map<string, CapturedResource>;

  constructor(readonly run: ProgramRun) {
    this.byUrn = new Map(run.resources.map((resource) => [resource.urn, resource]));
  }

  get resources(): readonly CapturedResource[] {
    return this.run.resources;
  }

  /**
   * AWS resources: not components, not providers, and not @pulumi/random
   * values, which are computed by the engine and live in no region.
   */
  get cloudResources(): CapturedResource[] {
    return this.run.resources.filter(isCloudResource);
  }

  ofType(type: string): CapturedResource[] {
    return this.run.resources.filter((resource) => resource.type === type);
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
    return this.byUrn.get(resource.parent);
  }

  /** The resource's ancestors, nearest first. */
  ancestorsOf(resource: CapturedResource): CapturedResource[] {
    const chain: CapturedResource[] = [];
    for (let parent = this.parentOf(resource); parent; parent = this.parentOf(parent)) {
      chain.push(parent);
    }
    return chain;
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

  /** Inputs of the resource whose id the mock gave as `${logicalName}-id`. */
  byId(id: unknown): CapturedResource {
    const found = this.run.resources.find((resource) => `${resource.name}-id` === id);
    if (!found) {
      throw new Error(`no resource with id ${String(id)}`);
    }
    return found;
  }

  /** The resource whose mock ARN this is (see fakeArn). */
  byArn(arn: unknown): CapturedResource {
    const found = this.run.resources.find(
      (resource) =>
        fakeArn(
          resource.type,
          physicalNameOf(resource.type, resource.name, resource.inputs),
          `${resource.name}-id`,
          resource.region,
        ) === arn,
    );
    if (!found) {
      throw new Error(`no resource with ARN ${String(arn)}`);
    }
    return found;
  }

  dependsOn(resource: CapturedResource, dependency: CapturedResource): boolean {
    return resource.dependencies.includes(dependency.urn);
  }
}

/** The region field of an ARN ("" for global services such as S3 and IAM). */
export const regionOfArn = (arn: unknown): string => String(arn).split(":")[3] ?? "";

export const isCloudResource = (resource: CapturedResource): boolean =>
  resource.custom && resource.type.startsWith("aws:");

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

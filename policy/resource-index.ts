/**
 * Relations between the resources of one stack, for rules that look past a single resource (a
 * bucket's public access block, a queue's policy, the security group an ALB uses).
 *
 * A reference is resolved, most precise first, from the input's property dependencies (the
 * policy engine passes them), the resource's dependencies (the mocks capture those), and the
 * input's value compared with the candidates' physical names and ARNs. Several candidates of the
 * same type (a bucket's logging config depends on its own bucket and on the log bucket) are told
 * apart by that value, then by a shared parent component.
 */
import { GraphResource } from "./model";
import { parseArn } from "./values";

/** Inputs that hold a resource's own physical name, by the name each API gives it. */
const NAME_FIELDS = [
  "name",
  "bucket",
  "clusterIdentifier",
  "identifier",
  "globalClusterIdentifier",
];

export class ResourceIndex {
  private readonly byUrnMap: Map<string, GraphResource>;
  private readonly byTypeMap = new Map<string, GraphResource[]>();

  constructor(readonly resources: readonly GraphResource[]) {
    this.byUrnMap = new Map(resources.map((resource) => [resource.urn, resource]));
    for (const resource of resources) {
      const list = this.byTypeMap.get(resource.type) ?? [];
      list.push(resource);
      this.byTypeMap.set(resource.type, list);
    }
  }

  byUrn(urn: string): GraphResource | undefined {
    return this.byUrnMap.get(urn);
  }

  ofType(type: string): readonly GraphResource[] {
    return this.byTypeMap.get(type) ?? [];
  }

  /** Resources of `type` that `resource` refers to through its input `field`. */
  referencedBy(resource: GraphResource, field: string, type: string): GraphResource[] {
    const value = resource.inputs[field];
    const byProperty = resource.propertyDependencies?.[field];
    if (byProperty !== undefined && byProperty.length > 0) {
      return this.resolve(byProperty).filter((candidate) => candidate.type === type);
    }
    if (resource.dependencies === undefined) {
      // No dependency information (a hand-built resource): match the value alone.
      return this.ofType(type).filter((candidate) => refersTo(value, candidate));
    }
    const candidates = this.resolve(resource.dependencies).filter((c) => c.type === type);
    if (candidates.length <= 1) return candidates;
    const byValue = candidates.filter((candidate) => refersTo(value, candidate));
    if (byValue.length > 0) return byValue;
    const siblings = candidates.filter((candidate) => candidate.parent === resource.parent);
    return siblings.length > 0 ? siblings : candidates;
  }

  /** Resources of `type` whose input `field` refers to `target`. */
  referencing(target: GraphResource, type: string, field: string): GraphResource[] {
    return this.ofType(type).filter((resource) =>
      this.referencedBy(resource, field, target.type).some((found) => found.urn === target.urn),
    );
  }

  /** The resource of `type` with this physical name or ARN, if the graph has one. */
  named(type: string, nameOrArn: unknown): GraphResource | undefined {
    return this.ofType(type).find((candidate) => refersTo(nameOrArn, candidate));
  }

  private resolve(urns: readonly string[]): GraphResource[] {
    return urns
      .map((urn) => this.byUrnMap.get(urn))
      .filter((found): found is GraphResource => found !== undefined);
  }
}

/** The physical names a resource is known by: its name inputs and, where known, its ARN. */
export function physicalNamesOf(resource: GraphResource): string[] {
  const fields = resource.type === "aws:s3/bucket:Bucket" ? ["bucket"] : NAME_FIELDS;
  return fields
    .map((field) => resource.inputs[field])
    .filter((value): value is string => typeof value === "string" && value !== "");
}

/**
 * Whether an input value (a name, an ARN, a URL, or a list of them) names the candidate: equal
 * to its physical name or ARN, or an ARN or queue URL whose last part is that name.
 */
export function refersTo(value: unknown, candidate: GraphResource): boolean {
  const names = physicalNamesOf(candidate);
  const arn = candidate.inputs.arn;
  return (Array.isArray(value) ? (value as unknown[]) : [value]).some((item) => {
    if (typeof item !== "string" || item === "") return false;
    if (item === arn || names.includes(item)) return true;
    // An ARN or URL of the same name in another region is another resource.
    const region = regionOf(item);
    if (
      region !== undefined &&
      region !== "" &&
      candidate.region !== "" &&
      region !== candidate.region
    ) {
      return false;
    }
    const last = lastNamePart(item);
    return last !== undefined && names.includes(last);
  });
}

/** The region an ARN or queue URL names; undefined for other values. */
function regionOf(value: string): string | undefined {
  const arn = parseArn(value);
  if (arn !== undefined) return arn.region;
  return /^https:\/\/sqs\.([a-z0-9-]+)\./.exec(value)?.[1];
}

/** The name at the end of an ARN (`...:name`, `.../name`) or an SQS queue URL. */
function lastNamePart(value: string): string | undefined {
  const arn = parseArn(value);
  if (arn !== undefined) {
    const parts = arn.resource.split(/[:/]/);
    return parts[parts.length - 1];
  }
  if (/^https:\/\/sqs\./.test(value)) {
    return value.split("/").pop();
  }
  return undefined;
}

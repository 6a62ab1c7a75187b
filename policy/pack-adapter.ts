/**
 * Adapts the rules (policy/rules) to @pulumi/policy policies for `pulumi preview --policy-pack
 * policy`. Kept apart from policy/index.ts, whose `new PolicyPack(...)` starts a gRPC server, so
 * tests can build the policies and call them with hand-made arguments.
 *
 * What the engine gives a policy, and what the rules then know:
 * - A resource-scope rule runs as a ResourceValidationPolicy, before the resource is created or
 *   updated. It sees the resource's inputs and its provider, so it knows the resource's region
 *   (the provider's `region`, or the resource's own `region` input) and the stack's mode (the
 *   providers' StackMode default tag, lib/tags.ts). It does not see the other resources, so an
 *   encryption rule checks that the key is a KMS key ARN in the resource's own region, not that
 *   it is one of this stack's keys.
 * - A stack-scope rule (it relates resources, such as a bucket and its public access block) runs
 *   as a StackValidationPolicy over every resource of the stack, with the same context `npm run
 *   plan` derives from the mock graph, including each region's keys.
 * - During a preview, values that depend on resources not created yet are unknown; the rules
 *   pass over them rather than guess.
 * - The engine does not pass `retainOnDelete`, so the production retention checks that use it
 *   (TAP-KMS-3, TAP-LOG-2) are decided by `npm run plan` and the tests only.
 */
import type {
  PolicyConfigSchema,
  PolicyProviderResource,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { buildPolicyContext, modeOfGraph, stackModeTag } from "./context";
import { normalizeResource } from "./evaluate";
import { GraphResource, PolicyContext, PolicyRule, StackMode, UNKNOWN } from "./model";
import { ResourceIndex } from "./resource-index";
import {
  BuiltInWaiver,
  PolicyWaiver,
  builtInWaiverApplies,
  waiverMatchesResource,
} from "./waivers";

/**
 * The engine's markers for values not known during a preview (the `unknown*Value` sentinels of
 * @pulumi/policy's proxy.js, which does not export them in its typings).
 */
export const ENGINE_UNKNOWNS: readonly string[] = [
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
];

/** @pulumi/policy's key for the object behind its unknown-checking proxy. */
const PROXY_TARGET = "__getSpecialProxyTarget";

/**
 * The props as plain data: the object behind @pulumi/policy's proxy (which throws on reading an
 * unknown value), with each unknown replaced by UNKNOWN.
 */
export function plainProps(props: Record<string, unknown>): Record<string, unknown> {
  const target = props[PROXY_TARGET] ?? props;
  return replaceUnknowns(target) as Record<string, unknown>;
}

function replaceUnknowns(value: unknown): unknown {
  if (typeof value === "string") return ENGINE_UNKNOWNS.includes(value) ? UNKNOWN : value;
  if (Array.isArray(value)) return value.map(replaceUnknowns);
  if (typeof value === "object" && value !== null) {
    const raw = (value as Record<string, unknown>)[PROXY_TARGET] ?? value;
    return Object.fromEntries(
      Object.entries(raw as Record<string, unknown>).map(([key, item]) => [
        key,
        replaceUnknowns(item),
      ]),
    );
  }
  return value;
}

const providerRegion = (provider: PolicyProviderResource | undefined): string => {
  const region = provider === undefined ? undefined : plainProps(provider.props).region;
  return typeof region === "string" ? region : "";
};

/** The resource a ResourceValidationPolicy is called with, as the rules see it. */
export function graphResourceOfArgs(args: ResourceValidationArgs): GraphResource {
  return normalizeResource({
    urn: args.urn,
    type: args.type,
    name: args.name,
    inputs: plainProps(args.props),
    region: providerRegion(args.provider),
    protect: args.opts.protect,
    parent: args.opts.parent ?? "",
  });
}

/** The resources a StackValidationPolicy is called with, as the rules see them. */
export function graphResourcesOfStack(resources: readonly PolicyResource[]): GraphResource[] {
  return resources.map((resource) =>
    normalizeResource({
      urn: resource.urn,
      type: resource.type,
      name: resource.name,
      inputs: plainProps(resource.props),
      region:
        resource.type === "pulumi:providers:aws"
          ? providerRegion({ ...resource, props: resource.props })
          : providerRegion(resource.provider),
      protect: resource.opts.protect,
      parent: resource.parent?.urn ?? "",
      dependencies: resource.dependencies.map((dependency) => dependency.urn),
      propertyDependencies: Object.fromEntries(
        Object.entries(resource.propertyDependencies).map(([key, list]) => [
          key,
          list.map((dependency) => dependency.urn),
        ]),
      ),
    }),
  );
}

/** Each policy's config: the stack's waivers of that rule (`--policy-pack-config`). */
export const WAIVER_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    waivers: {
      type: "array",
      items: {
        type: "object",
        properties: {
          resource: { type: "string", minLength: 1 },
          reason: { type: "string", minLength: 1 },
        },
        required: ["resource", "reason"],
      },
    },
  },
};

interface WaiverConfig {
  readonly waivers?: readonly { resource: string; reason: string }[];
}

/**
 * The `--policy-pack-config` JSON for a stack's `policyWaivers`: per rule id, its waivers. Write
 * it to a file and pass it to `pulumi preview --policy-pack policy --policy-pack-config <file>`.
 */
export function policyPackConfigOf(
  waivers: readonly PolicyWaiver[],
): Record<string, { waivers: { resource: string; reason: string }[] }> {
  const config: Record<string, { waivers: { resource: string; reason: string }[] }> = {};
  for (const { rule, resource, reason } of waivers) {
    (config[rule] ??= { waivers: [] }).waivers.push({ resource, reason });
  }
  return config;
}

function isWaived(
  rule: PolicyRule,
  resource: GraphResource,
  message: string,
  mode: StackMode,
  builtIns: readonly BuiltInWaiver[],
  config: WaiverConfig,
): boolean {
  return (
    builtIns.some(
      (waiver) => waiver.rule === rule.id && builtInWaiverApplies(waiver, resource, message, mode),
    ) || (config.waivers ?? []).some((waiver) => waiverMatchesResource(waiver.resource, resource))
  );
}

function metadataOf(rule: PolicyRule) {
  return {
    name: rule.id,
    description: `${rule.title}. Baseline: ${rule.baseline}.`,
    enforcementLevel: rule.enforcement,
    severity: rule.severity,
    remediationSteps: rule.remediation,
    configSchema: WAIVER_CONFIG_SCHEMA,
  };
}

/** One policy per rule: resource-scope rules validate each resource, stack-scope rules the stack. */
export function policiesOf(
  rules: readonly PolicyRule[],
  builtIns: readonly BuiltInWaiver[],
): (ResourceValidationPolicy | StackValidationPolicy)[] {
  return rules.map((rule) =>
    rule.scope === "resource"
      ? {
          ...metadataOf(rule),
          validateResource: (args: ResourceValidationArgs, report: ReportViolation) => {
            if (!rule.resourceTypes.includes(args.type)) return;
            const resource = graphResourceOfArgs(args);
            const mode = stackModeTag(args.provider?.props.defaultTags) ?? "production";
            const context: PolicyContext = {
              mode,
              regions: resource.region === "" ? [] : [resource.region],
              regionKeys: undefined,
              graph: new ResourceIndex([resource]),
            };
            const config = args.getConfig<WaiverConfig>();
            for (const message of rule.validate(resource, context)) {
              if (!isWaived(rule, resource, message, mode, builtIns, config)) report(message);
            }
          },
        }
      : {
          ...metadataOf(rule),
          validateStack: (args: StackValidationArgs, report: ReportViolation) => {
            const resources = graphResourcesOfStack(args.resources);
            const mode = modeOfGraph(resources) ?? "production";
            const context = buildPolicyContext(resources, { mode });
            const config = args.getConfig<WaiverConfig>();
            for (const resource of resources) {
              if (!rule.resourceTypes.includes(resource.type)) continue;
              for (const message of rule.validate(resource, context)) {
                if (!isWaived(rule, resource, message, mode, builtIns, config)) {
                  report(`${resource.name}: ${message}`, resource.urn);
                }
              }
            }
          },
        },
  );
}

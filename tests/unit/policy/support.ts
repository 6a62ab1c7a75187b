/** Hand-built resources for the policy rules' tests: each region has one stack key. */
import { buildPolicyContext } from "../../../policy/context";
import { GraphResource, PolicyContext, PolicyRule, StackMode } from "../../../policy/model";

export const KEY_USE1 = "arn:aws:kms:us-east-1:123456789012:key/primary-key";
export const KEY_USE2 = "arn:aws:kms:us-east-2:123456789012:key/dr-key";
/** A key ARN in the right region that is not one of the stack's keys. */
export const FOREIGN_KEY_USE1 = "arn:aws:kms:us-east-1:999999999999:key/someone-else";

let counter = 0;

/** A resource in us-east-1 (unless `extra.region` says otherwise), with the given inputs. */
export function res(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<GraphResource> = {},
): GraphResource {
  counter += 1;
  return {
    urn: `urn:pulumi:dev::tap-dr::${type}::${name}`,
    type,
    name,
    inputs,
    region: "us-east-1",
    protect: false,
    retainOnDelete: false,
    parent: `urn:pulumi:dev::tap-dr::tap:test:Parent::parent-${counter}`,
    ...extra,
  };
}

export function contextFor(resources: readonly GraphResource[], mode: StackMode): PolicyContext {
  return buildPolicyContext(resources, {
    mode,
    regions: ["us-east-1", "us-east-2"],
    regionKeys: { "us-east-1": [KEY_USE1], "us-east-2": [KEY_USE2] },
  });
}

/** The rule's messages for `target`, in a graph of `target` and `others`. */
export function check(
  rule: PolicyRule,
  target: GraphResource,
  others: readonly GraphResource[] = [],
  mode: StackMode = "production",
): string[] {
  return rule.validate(target, contextFor([target, ...others], mode));
}

/** A JSON policy document. */
export const policyDocument = (...statements: Record<string, unknown>[]): string =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

export const denyWithoutTls = (service: string): Record<string, unknown> => ({
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: `${service}:*`,
  Resource: "*",
  Condition: { Bool: { "aws:SecureTransport": "false" } },
});

/**
 * IAM identity policies: no full-service wildcards, no wildcard actions on every resource, and
 * every grant on Resource "*" justified (the built-in waivers name each statement by its Sid).
 */
import { GraphResource, PolicyRule, isUnknown } from "../model";
import { PolicyStatement, asArray, objectsOf, statementLabel, statementsOf } from "../values";
import { TYPES } from "./types";

const POLICY_TYPES = [
  TYPES.iamPolicy,
  TYPES.iamRolePolicy,
  TYPES.iamUserPolicy,
  TYPES.iamGroupPolicy,
  TYPES.iamRole,
];

interface LabeledStatement {
  readonly statement: PolicyStatement;
  /** `statement "Sid"`, prefixed with the inline policy's name on a role. */
  readonly label: string;
}

/** The Allow statements of a policy resource, or of a role's inline policies. */
function allowStatements(resource: GraphResource): LabeledStatement[] {
  const documents: { policy: unknown; prefix: string }[] =
    resource.type === TYPES.iamRole
      ? (() => {
          const inline = objectsOf(resource.inputs.inlinePolicies);
          return isUnknown(inline)
            ? []
            : inline.map((entry) => ({
                policy: entry.policy,
                prefix: `inline policy ${JSON.stringify(entry.name ?? "")} `,
              }));
        })()
      : [{ policy: resource.inputs.policy, prefix: "" }];
  return documents.flatMap(({ policy, prefix }) => {
    const statements = statementsOf(policy);
    if (!Array.isArray(statements)) return [];
    return statements
      .map((statement, index) => ({
        statement,
        label: `${prefix}statement ${statementLabel(statement, index)}`,
      }))
      .filter(({ statement }) => statement.Effect === "Allow");
  });
}

const resourcesOf = (statement: PolicyStatement): string[] => asArray(statement.Resource);
const actionsOf = (statement: PolicyStatement): string[] => asArray(statement.Action);
const onEverything = (statement: PolicyStatement): boolean => resourcesOf(statement).includes("*");

export const iamNoServiceWildcards: PolicyRule = {
  id: "TAP-IAM-1",
  title: 'IAM policies allow no "*" or "<service>:*" action (and no NotAction)',
  baseline: "FSBP IAM.1, FSBP IAM.21, CKV_AWS_62, CKV_AWS_63",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: POLICY_TYPES,
  scope: "resource",
  remediation: "List the actions the principal needs.",
  validate(resource) {
    const problems: string[] = [];
    for (const { statement, label } of allowStatements(resource)) {
      const wide = actionsOf(statement).filter(
        (action) => action === "*" || /^[^:]+:\*$/.test(action),
      );
      if (wide.length > 0) {
        problems.push(`${label} allows ${wide.map((a) => `"${a}"`).join(", ")}`);
      }
      if (statement.NotAction !== undefined) {
        problems.push(`${label} allows everything except NotAction`);
      }
    }
    return problems;
  },
};

export const iamNoWildcardActionsOnEverything: PolicyRule = {
  id: "TAP-IAM-2",
  title: 'IAM policies allow no wildcard action (such as "s3:Get*") on Resource "*"',
  baseline: "AwsSolutions-IAM5, CKV_AWS_355",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: POLICY_TYPES,
  scope: "resource",
  remediation: "Name the actions, or scope the resources to ARNs.",
  validate(resource) {
    return allowStatements(resource)
      .filter(({ statement }) => onEverything(statement))
      .flatMap(({ statement, label }) => {
        const wild = actionsOf(statement).filter((action) => action.includes("*"));
        return wild.length === 0
          ? []
          : [`${label} allows ${wild.map((a) => `"${a}"`).join(", ")} on Resource "*"`];
      });
  },
};

export const iamResourceScoped: PolicyRule = {
  id: "TAP-IAM-3",
  title: 'IAM policies scope grants to ARNs; every Allow on Resource "*" is justified',
  baseline: "AwsSolutions-IAM5, CKV_AWS_355, CKV_AWS_290",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: POLICY_TYPES,
  scope: "resource",
  remediation:
    "Scope the statement to ARNs; if the actions have no resource-level permissions, waive the statement with its reason (policy/built-in-waivers.ts or config policyWaivers).",
  validate(resource) {
    return allowStatements(resource)
      .filter(({ statement }) => onEverything(statement))
      .map(
        ({ statement, label }) =>
          `${label} allows ${actionsOf(statement).join(", ")} on Resource "*"`,
      );
  },
};

export const IAM_RULES: readonly PolicyRule[] = [
  iamNoServiceWildcards,
  iamNoWildcardActionsOnEverything,
  iamResourceScoped,
];

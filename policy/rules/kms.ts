/** KMS: rotation, key policies that grant nothing to anyone, deletion safety in production. */
import { PolicyRule, isUnknown } from "../model";
import { flag, publicAllowStatements, shown, statementLabel, statementsOf } from "../values";
import { TYPES } from "./types";

/** Key specs KMS rotates automatically; asymmetric and HMAC keys cannot rotate. */
const SYMMETRIC = "SYMMETRIC_DEFAULT";

export const kmsRotation: PolicyRule = {
  id: "TAP-KMS-1",
  title: "Symmetric KMS keys rotate their key material",
  baseline: "Security Hub KMS.4 (NIST 800-53), AwsSolutions-KMS5, CKV_AWS_7",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.kmsKey],
  scope: "resource",
  remediation: "Set enableKeyRotation: true on the key.",
  validate(key) {
    const spec = key.inputs.customerMasterKeySpec ?? key.inputs.keySpec ?? SYMMETRIC;
    if (isUnknown(spec) || spec !== SYMMETRIC) return [];
    const rotation = key.inputs.enableKeyRotation;
    return isUnknown(rotation) || flag(rotation) === true
      ? []
      : [`enableKeyRotation is ${shown(rotation)}; a symmetric key must rotate (set it to true)`];
  },
};

export const kmsPolicyNotPublic: PolicyRule = {
  id: "TAP-KMS-2",
  title: "KMS key policies grant nothing to anyone (no unconditioned Principal *)",
  baseline: "FSBP KMS.5, CKV_AWS_33",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.kmsKey, TYPES.kmsKeyPolicy],
  scope: "resource",
  remediation:
    'Grant key use to named principals (the account root, services with conditions), never "*".',
  validate(key) {
    const problems: string[] = [];
    if (flag(key.inputs.bypassPolicyLockoutSafetyCheck) === true) {
      problems.push("bypassPolicyLockoutSafetyCheck is true; a bad policy could lock the key out");
    }
    const statements = statementsOf(key.inputs.policy);
    if (Array.isArray(statements)) {
      for (const statement of publicAllowStatements(statements)) {
        problems.push(
          `statement ${statementLabel(statement, statements.indexOf(statement))} allows anyone (Principal "*") without a condition`,
        );
      }
    }
    return problems;
  },
};

export const kmsDeletionSafety: PolicyRule = {
  id: "TAP-KMS-3",
  title: "KMS keys stay enabled; in production they wait 30 days before deletion and are retained",
  baseline: "FSBP KMS.3, CKV_AWS_227",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.kmsKey],
  scope: "resource",
  remediation:
    "Leave isEnabled unset or true; in production set deletionWindowInDays 30 and retainOnDelete (lib/modes.ts).",
  validate(key, context) {
    const problems: string[] = [];
    if (flag(key.inputs.isEnabled) === false) {
      problems.push("isEnabled is false; everything the key encrypts becomes unreadable");
    }
    if (context.mode !== "production") return problems;
    const window = key.inputs.deletionWindowInDays;
    if (!isUnknown(window) && window !== 30) {
      problems.push(
        `deletionWindowInDays is ${shown(window)}; production keys wait the longest window AWS allows, 30 days`,
      );
    }
    if (key.retainOnDelete === false) {
      problems.push(
        "is not retained on delete; a production key must outlive the stack so its data stays readable",
      );
    }
    return problems;
  },
};

export const KMS_RULES: readonly PolicyRule[] = [
  kmsRotation,
  kmsPolicyNotPublic,
  kmsDeletionSafety,
];

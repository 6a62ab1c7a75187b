/** DynamoDB: each replica encrypted with its region's key, point-in-time recovery, deletion protection. */
import { PolicyRule, isUnknown } from "../model";
import { flag, objectOf, objectsOf, regionalKeyProblems, shown } from "../values";
import { TYPES } from "./types";

export const dynamoEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-DDB-1",
  title: "DynamoDB tables and each replica are encrypted with their own region's key",
  baseline: "CKV_AWS_119",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.dynamoTable],
  scope: "resource",
  remediation:
    "Set serverSideEncryption { enabled: true, kmsKeyArn: the region's key } and each replicas[].kmsKeyArn to the replica region's key.",
  validate(table, context) {
    const sse = objectOf(table.inputs.serverSideEncryption);
    if (isUnknown(sse)) return [];
    const problems: string[] = [];
    if (flag(sse?.enabled) !== true) {
      problems.push(
        "serverSideEncryption is not enabled, so the table uses an AWS-owned key; use the region's customer-managed key",
      );
    } else {
      problems.push(
        ...regionalKeyProblems(
          sse?.kmsKeyArn,
          "serverSideEncryption.kmsKeyArn",
          table.region,
          context,
        ),
      );
    }
    const replicas = objectsOf(table.inputs.replicas);
    if (isUnknown(replicas)) return problems;
    for (const replica of replicas) {
      const region = typeof replica.regionName === "string" ? replica.regionName : "";
      problems.push(
        ...regionalKeyProblems(
          replica.kmsKeyArn,
          `replica ${region || "?"} kmsKeyArn`,
          region,
          context,
        ),
      );
    }
    return problems;
  },
};

export const dynamoPointInTimeRecovery: PolicyRule = {
  id: "TAP-DDB-2",
  title: "DynamoDB tables and each replica have point-in-time recovery",
  baseline: "FSBP DynamoDB.2, AwsSolutions-DDB3, CKV_AWS_28",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.dynamoTable],
  scope: "resource",
  remediation:
    "Set pointInTimeRecovery { enabled: true } and replicas[].pointInTimeRecovery: true.",
  validate(table) {
    const problems: string[] = [];
    const pitr = objectOf(table.inputs.pointInTimeRecovery);
    if (!isUnknown(pitr) && !isUnknown(pitr?.enabled) && flag(pitr?.enabled) !== true) {
      problems.push("pointInTimeRecovery is not enabled");
    }
    const replicas = objectsOf(table.inputs.replicas);
    if (isUnknown(replicas)) return problems;
    for (const replica of replicas) {
      if (!isUnknown(replica.pointInTimeRecovery) && flag(replica.pointInTimeRecovery) !== true) {
        problems.push(`replica ${shown(replica.regionName)} has no point-in-time recovery`);
      }
    }
    return problems;
  },
};

export const dynamoDeletionProtection: PolicyRule = {
  id: "TAP-DDB-3",
  title: "In production, DynamoDB tables and each replica have deletion protection",
  baseline: "FSBP DynamoDB.6",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.dynamoTable],
  scope: "resource",
  remediation: "In production set deletionProtectionEnabled: true on the table and each replica.",
  validate(table, context) {
    if (context.mode !== "production") return [];
    const problems: string[] = [];
    const enabled = table.inputs.deletionProtectionEnabled;
    if (!isUnknown(enabled) && flag(enabled) !== true) {
      problems.push(`deletionProtectionEnabled is ${shown(enabled)}; a production table needs it`);
    }
    const replicas = objectsOf(table.inputs.replicas);
    if (isUnknown(replicas)) return problems;
    for (const replica of replicas) {
      if (
        !isUnknown(replica.deletionProtectionEnabled) &&
        flag(replica.deletionProtectionEnabled) !== true
      ) {
        problems.push(`replica ${shown(replica.regionName)} has no deletion protection`);
      }
    }
    return problems;
  },
};

export const DYNAMODB_RULES: readonly PolicyRule[] = [
  dynamoEncryptedWithRegionalKey,
  dynamoPointInTimeRecovery,
  dynamoDeletionProtection,
];

/** Aurora and RDS: encryption with the region's key, deletion safety, backups, IAM auth, TLS, logs. */
import { PolicyRule, isUnknown } from "../model";
import { flag, objectsOf, regionalKeyProblems, shown } from "../values";
import { TYPES } from "./types";

const isPostgres = (engine: unknown): boolean =>
  typeof engine === "string" && engine.includes("postgres");
const isMysql = (engine: unknown): boolean =>
  typeof engine === "string" && (engine.includes("mysql") || engine === "aurora");

export const rdsEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-RDS-1",
  title: "Aurora and RDS storage is encrypted, clusters with their own region's key",
  baseline: "FSBP RDS.27, AwsSolutions-RDS2, CKV_AWS_96, CKV_AWS_327",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsCluster, TYPES.rdsGlobalCluster, TYPES.rdsInstance],
  scope: "resource",
  remediation:
    "Set storageEncrypted: true, and kmsKeyId to the ARN of the cluster's region's key (a global secondary uses its own region's key).",
  validate(database, context) {
    const problems: string[] = [];
    const encrypted = database.inputs.storageEncrypted;
    if (!isUnknown(encrypted) && flag(encrypted) !== true) {
      problems.push(`storageEncrypted is ${shown(encrypted)}; set it to true`);
    }
    // A global cluster has no key of its own: each member cluster uses its region's key.
    if (database.type !== TYPES.rdsGlobalCluster) {
      problems.push(
        ...regionalKeyProblems(database.inputs.kmsKeyId, "kmsKeyId", database.region, context),
      );
    }
    return problems;
  },
};

export const rdsDeletionProtection: PolicyRule = {
  id: "TAP-RDS-2",
  title: "In production, databases have deletion protection and take a final snapshot",
  baseline: "FSBP RDS.7, AwsSolutions-RDS10, CKV_AWS_139",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsCluster, TYPES.rdsGlobalCluster, TYPES.rdsInstance],
  scope: "resource",
  remediation:
    "In production set deletionProtection: true and skipFinalSnapshot: false (lib/modes.ts decides both).",
  validate(database, context) {
    if (context.mode !== "production") return [];
    const problems: string[] = [];
    const protection = database.inputs.deletionProtection;
    if (!isUnknown(protection) && flag(protection) !== true) {
      problems.push(`deletionProtection is ${shown(protection)}; a production database needs it`);
    }
    if (
      database.type !== TYPES.rdsGlobalCluster &&
      flag(database.inputs.skipFinalSnapshot) === true
    ) {
      problems.push("skipFinalSnapshot is true; a production database keeps a final snapshot");
    }
    return problems;
  },
};

/** RDS.50 and checkov both ask for a week of point-in-time recovery. */
const MIN_BACKUP_RETENTION_DAYS = 7;

export const rdsBackupRetention: PolicyRule = {
  id: "TAP-RDS-3",
  title: `Aurora clusters keep automated backups (point-in-time recovery) for at least ${MIN_BACKUP_RETENTION_DAYS} days`,
  baseline: "FSBP RDS.50, CKV_AWS_133",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsCluster],
  scope: "resource",
  remediation: `Set backupRetentionPeriod to ${MIN_BACKUP_RETENTION_DAYS}-35 (config dbBackupRetentionDays).`,
  validate(cluster) {
    const days = cluster.inputs.backupRetentionPeriod;
    if (isUnknown(days)) return [];
    return typeof days === "number" && days >= MIN_BACKUP_RETENTION_DAYS
      ? []
      : [
          `backupRetentionPeriod is ${shown(days)} (AWS's default is 1); keep at least ${MIN_BACKUP_RETENTION_DAYS} days`,
        ];
  },
};

export const rdsIamAuthentication: PolicyRule = {
  id: "TAP-RDS-4",
  title: "Aurora clusters allow IAM database authentication",
  baseline: "FSBP RDS.12, AwsSolutions-RDS6, CKV_AWS_162",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsCluster],
  scope: "resource",
  remediation: "Set iamDatabaseAuthenticationEnabled: true.",
  validate(cluster) {
    const enabled = cluster.inputs.iamDatabaseAuthenticationEnabled;
    return isUnknown(enabled) || flag(enabled) === true
      ? []
      : [`iamDatabaseAuthenticationEnabled is ${shown(enabled)}; set it to true`];
  },
};

export const rdsTlsEnforced: PolicyRule = {
  id: "TAP-RDS-5",
  title: "Aurora clusters refuse connections without TLS (cluster parameter group)",
  baseline: "CKV2_AWS_69",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsCluster],
  scope: "stack",
  remediation:
    'Give the cluster a ClusterParameterGroup with rds.force_ssl "1" (PostgreSQL) or require_secure_transport "ON" (MySQL).',
  validate(cluster, context) {
    const engine = cluster.inputs.engine;
    const required = isPostgres(engine)
      ? { name: "rds.force_ssl", values: ["1"] }
      : isMysql(engine)
        ? { name: "require_secure_transport", values: ["ON", "1"] }
        : undefined;
    if (required === undefined) return [];
    const groupName = cluster.inputs.dbClusterParameterGroupName;
    if (isUnknown(groupName)) return [];
    if (groupName === undefined) {
      return [
        `uses the default cluster parameter group, where ${required.name} is off; set dbClusterParameterGroupName to a group with ${required.name} ${required.values[0]}`,
      ];
    }
    const group = context.graph.named(TYPES.rdsClusterParameterGroup, groupName);
    if (group === undefined) {
      return [
        `cluster parameter group ${shown(groupName)} is not part of this stack, so ${required.name} cannot be checked; manage it here with ${required.name} ${required.values[0]}`,
      ];
    }
    const parameters = objectsOf(group.inputs.parameters);
    if (isUnknown(parameters)) return [];
    const value = parameters.find((parameter) => parameter.name === required.name)?.value;
    return typeof value === "string" && required.values.includes(value)
      ? []
      : [
          `cluster parameter group ${shown(groupName)} sets ${required.name} to ${shown(value)}; set it to "${required.values[0]}"`,
        ];
  },
};

export const rdsInstanceNotPublic: PolicyRule = {
  id: "TAP-RDS-6",
  title: "Database instances are not publicly accessible",
  baseline: "FSBP RDS.2, CKV_AWS_17",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsClusterInstance, TYPES.rdsInstance],
  scope: "resource",
  remediation: "Set publiclyAccessible: false.",
  validate(instance) {
    return flag(instance.inputs.publiclyAccessible) === true
      ? ["publiclyAccessible is true; the database would get a public address"]
      : [];
  },
};

export const rdsLogExports: PolicyRule = {
  id: "TAP-RDS-7",
  title: "Aurora clusters export their database log to CloudWatch Logs",
  baseline: "FSBP RDS.37, CKV_AWS_324",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsCluster],
  scope: "resource",
  remediation:
    'Set enabledCloudwatchLogsExports to ["postgresql"] (Aurora PostgreSQL) or include "audit" and "error" (Aurora MySQL).',
  validate(cluster) {
    const exports = cluster.inputs.enabledCloudwatchLogsExports;
    if (isUnknown(exports)) return [];
    const wanted = isPostgres(cluster.inputs.engine)
      ? ["postgresql"]
      : isMysql(cluster.inputs.engine)
        ? ["audit", "error"]
        : [];
    const present = Array.isArray(exports) ? exports : [];
    const missing = wanted.filter((log) => !present.includes(log));
    return missing.length === 0
      ? []
      : [`enabledCloudwatchLogsExports lacks ${missing.map((m) => `"${m}"`).join(", ")}`];
  },
};

export const rdsPerformanceInsightsKey: PolicyRule = {
  id: "TAP-RDS-8",
  title: "Performance Insights data is encrypted with the instance's region's key",
  baseline: "CKV_AWS_354",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.rdsClusterInstance, TYPES.rdsInstance],
  scope: "resource",
  remediation: "Set performanceInsightsKmsKeyId to the ARN of the region's key.",
  validate(instance, context) {
    if (flag(instance.inputs.performanceInsightsEnabled) !== true) return [];
    return regionalKeyProblems(
      instance.inputs.performanceInsightsKmsKeyId,
      "performanceInsightsKmsKeyId",
      instance.region,
      context,
    );
  },
};

export const RDS_RULES: readonly PolicyRule[] = [
  rdsEncryptedWithRegionalKey,
  rdsDeletionProtection,
  rdsBackupRetention,
  rdsIamAuthentication,
  rdsTlsEnforced,
  rdsInstanceNotPublic,
  rdsLogExports,
  rdsPerformanceInsightsKey,
];

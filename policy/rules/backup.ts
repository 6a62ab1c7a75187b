/** AWS Backup vaults: the region's key. */
import { PolicyRule } from "../model";
import { regionalKeyProblems } from "../values";
import { TYPES } from "./types";

export const backupVaultEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-BAK-1",
  title: "Backup vaults encrypt recovery points with their region's key",
  baseline: "FSBP Backup.1, CKV_AWS_166",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.backupVault],
  scope: "resource",
  remediation:
    "Set kmsKeyArn to the ARN of the vault's region's key (copies to the DR vault are re-encrypted with the DR key).",
  validate(vault, context) {
    return regionalKeyProblems(vault.inputs.kmsKeyArn, "kmsKeyArn", vault.region, context);
  },
};

export const BACKUP_RULES: readonly PolicyRule[] = [backupVaultEncryptedWithRegionalKey];

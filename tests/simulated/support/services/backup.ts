/** Test-only: the simulated backup API (see ../simulated-aws.ts). */
import {
  BackupClient,
  DescribeBackupVaultCommand,
  type DescribeBackupVaultCommandInput,
  DescribeRegionSettingsCommand,
  GetBackupPlanCommand,
  type GetBackupPlanCommandInput,
  GetBackupSelectionCommand,
  type GetBackupSelectionCommandInput,
  ListBackupPlansCommand,
  ListBackupSelectionsCommand,
  type ListBackupSelectionsCommandInput,
} from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, awsError, awsManagedKey, records, regionOf, text } from "../cloud";

export function installBackup(cloud: () => Cloud): () => void {
  const backup = mockClient(BackupClient);
  // DescribeBackupVaultOutput; without a customer key, AWS Backup uses aws/backup. Locked and
  // the retention bounds come from the vault's lock configuration, when it has one.
  backup
    .on(DescribeBackupVaultCommand)
    .callsFake(async (input: DescribeBackupVaultCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const vault = c
        .of("aws:backup/vault:Vault", region)
        .find((v) => c.nameOf(v) === input.BackupVaultName);
      if (!vault) throw awsError("ResourceNotFoundException", "Backup vault not found");
      const lock = c
        .of("aws:backup/vaultLockConfiguration:VaultLockConfiguration", region)
        .find((l) => l.inputs.backupVaultName === c.nameOf(vault));
      const days = (value: unknown) => (typeof value === "number" ? value : undefined);
      return {
        BackupVaultName: c.nameOf(vault),
        BackupVaultArn: c.arnOf(vault),
        EncryptionKeyArn: text(vault.inputs.kmsKeyArn) ?? awsManagedKey(region, "backup"),
        Locked: lock !== undefined,
        MinRetentionDays: days(lock?.inputs.minRetentionDays),
        MaxRetentionDays: days(lock?.inputs.maxRetentionDays),
      };
    });
  // GetBackupPlanOutput.BackupPlan: BackupPlan with Rules: BackupRule[]
  backup.on(GetBackupPlanCommand).callsFake(async (input: GetBackupPlanCommandInput, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    const plan = c.of("aws:backup/plan:Plan", region).find((p) => c.idOf(p) === input.BackupPlanId);
    if (!plan) throw awsError("ResourceNotFoundException", "Backup plan not found");
    return {
      BackupPlanId: c.idOf(plan),
      BackupPlanArn: c.arnOf(plan),
      BackupPlan: {
        BackupPlanName: c.nameOf(plan),
        Rules: records(plan.inputs.rules).map((rule) => ({
          RuleName: text(rule.ruleName),
          TargetBackupVaultName: text(rule.targetVaultName),
          ScheduleExpression: text(rule.schedule),
          CopyActions: records(rule.copyActions).map((copy) => ({
            DestinationBackupVaultArn: text(copy.destinationVaultArn),
          })),
        })),
      },
    };
  });
  // ListBackupPlansOutput.BackupPlansList: BackupPlansListMember[]
  backup.on(ListBackupPlansCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    return {
      BackupPlansList: c.of("aws:backup/plan:Plan", region).map((plan) => ({
        BackupPlanId: c.idOf(plan),
        BackupPlanArn: c.arnOf(plan),
        BackupPlanName: c.nameOf(plan),
      })),
    };
  });
  const selectionsOf = (c: Cloud, region: string, planId: unknown) =>
    c.of("aws:backup/selection:Selection", region).filter((s) => s.inputs.planId === planId);
  // ListBackupSelectionsOutput.BackupSelectionsList: BackupSelectionsListMember[]
  backup
    .on(ListBackupSelectionsCommand)
    .callsFake(async (input: ListBackupSelectionsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      return {
        BackupSelectionsList: selectionsOf(c, region, input.BackupPlanId).map((s) => ({
          SelectionId: c.idOf(s),
          SelectionName: c.nameOf(s),
          BackupPlanId: input.BackupPlanId,
        })),
      };
    });
  // GetBackupSelectionOutput.BackupSelection: Resources is string[]
  backup
    .on(GetBackupSelectionCommand)
    .callsFake(async (input: GetBackupSelectionCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const selection = selectionsOf(c, region, input.BackupPlanId).find(
        (s) => c.idOf(s) === input.SelectionId,
      );
      if (!selection) throw awsError("ResourceNotFoundException", "Backup selection not found");
      return {
        SelectionId: c.idOf(selection),
        BackupPlanId: input.BackupPlanId,
        BackupSelection: {
          SelectionName: c.nameOf(selection),
          IamRoleArn: text(selection.inputs.iamRoleArn),
          Resources: (Array.isArray(selection.inputs.resources)
            ? selection.inputs.resources
            : []
          ).map(String),
        },
      };
    });
  // DescribeRegionSettingsOutput: an account-wide setting per region, from the service state.
  backup.on(DescribeRegionSettingsCommand).callsFake(async (_input, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    return {
      ResourceTypeOptInPreference: { Aurora: true, DynamoDB: true },
      ResourceTypeManagementPreference: {
        DynamoDB: c.stack.service.advancedDynamoDbBackupRegions.includes(region),
        EFS: true,
      },
    };
  });
  return () => backup.restore();
}

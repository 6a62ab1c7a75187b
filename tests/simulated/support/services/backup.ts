/** Test-only: the simulated backup API (see ../simulated-aws.ts). */
import {
  BackupClient,
  DescribeBackupVaultCommand,
  type DescribeBackupVaultCommandInput,
  GetBackupPlanCommand,
  type GetBackupPlanCommandInput,
} from "@aws-sdk/client-backup";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, awsError, awsManagedKey, records, regionOf, text } from "../cloud";

export function installBackup(cloud: () => Cloud): () => void {
  const backup = mockClient(BackupClient);
  // DescribeBackupVaultOutput; without a customer key, AWS Backup uses aws/backup.
  backup
    .on(DescribeBackupVaultCommand)
    .callsFake(async (input: DescribeBackupVaultCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const vault = c
        .of("aws:backup/vault:Vault", region)
        .find((v) => c.nameOf(v) === input.BackupVaultName);
      if (!vault) throw awsError("ResourceNotFoundException", "Backup vault not found");
      return {
        BackupVaultName: c.nameOf(vault),
        BackupVaultArn: c.arnOf(vault),
        EncryptionKeyArn: text(vault.inputs.kmsKeyArn) ?? awsManagedKey(region, "backup"),
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
  return () => backup.restore();
}

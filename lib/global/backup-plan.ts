import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { BackupConfig } from "../data/data-tier-config";
import { createServiceRole } from "../security/service-role";

/** 05:00 UTC daily, after the Aurora automated backup window (03:00-04:00). */
export const DAILY_BACKUP_SCHEDULE = "cron(0 5 ? * * *)";
export const HOURLY_BACKUP_SCHEDULE = "cron(0 * ? * * *)";
/**
 * Minutes a job may wait to start (AWS's minimum is 60), and to finish, counted from
 * the scheduled time, not from the start: the completion window must leave room
 * after the start window, or a late-starting job is cancelled at once.
 */
export const BACKUP_START_WINDOW_MINUTES = 60;
export const BACKUP_COMPLETION_WINDOW_MINUTES = 360;
/** Hourly jobs must finish before the next one is due plus a start window. */
export const HOURLY_COMPLETION_WINDOW_MINUTES = 120;

/** The daily rule: it backs up into the region's vault and copies to the other region's. */
export const DAILY_RULE_NAME = "daily-with-cross-region-copy";

export interface BackupPlanArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The plan's region: its provider's, and the region of its vault and of what it selects. */
  readonly region: string;
  /** Retention of daily and hourly recovery points. */
  readonly backup: BackupConfig;
  /** This region's vault, where the rules write. */
  readonly vaultName: pulumi.Input<string>;
  /** The other region's vault: daily recovery points are copied there (under its key). */
  readonly copyVaultArn: pulumi.Input<string>;
  /** What the plan protects: this region's Aurora cluster and DynamoDB table replica. */
  readonly resourceArns: pulumi.Input<string>[];
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

/**
 * AWS Backup in one region (give it that region's provider through `providers: { aws }`):
 * daily recovery points of the region's own cluster and table replica, copied to the other
 * region's vault (under that region's key), and optional hourly ones kept locally. Each region
 * has one, so whichever region writes after a failover is backed up and copies back for
 * failback. It lives in GlobalResources because it needs the other region's vault and the
 * global table.
 */
export class BackupPlan extends pulumi.ComponentResource {
  public readonly planId: pulumi.Output<string>;

  constructor(name: string, args: BackupPlanArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:global:BackupPlan", name, {}, opts);
    const child = { parent: this };
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const { dailyRetentionDays, hourlyRetentionDays } = args.backup;

    const { role, attachments } = createServiceRole(
      `${name}-role`,
      {
        roleName: physicalName("iamRole", "backup", scope),
        description: "AWS Backup: back up and copy the transaction stores",
        service: "backup.amazonaws.com",
        managedServicePolicies: [
          "AWSBackupServiceRolePolicyForBackup",
          "AWSBackupServiceRolePolicyForRestores",
        ],
        accountId: args.accountId,
        partition: args.partition,
      },
      child,
    );

    const plan = new aws.backup.Plan(
      name,
      {
        name: physicalName("backupVault", "plan", scope),
        rules: [
          {
            ruleName: DAILY_RULE_NAME,
            targetVaultName: args.vaultName,
            schedule: DAILY_BACKUP_SCHEDULE,
            startWindow: BACKUP_START_WINDOW_MINUTES,
            completionWindow: BACKUP_COMPLETION_WINDOW_MINUTES,
            lifecycle: { deleteAfter: dailyRetentionDays },
            copyActions: [
              {
                destinationVaultArn: args.copyVaultArn,
                lifecycle: { deleteAfter: dailyRetentionDays },
              },
            ],
          },
          ...(hourlyRetentionDays > 0
            ? [
                {
                  ruleName: "hourly",
                  targetVaultName: args.vaultName,
                  schedule: HOURLY_BACKUP_SCHEDULE,
                  startWindow: BACKUP_START_WINDOW_MINUTES,
                  completionWindow: HOURLY_COMPLETION_WINDOW_MINUTES,
                  lifecycle: { deleteAfter: hourlyRetentionDays },
                },
              ]
            : []),
        ],
      },
      child,
    );
    new aws.backup.Selection(
      `${name}-selection`,
      {
        name: physicalName("backupVault", "stores", scope),
        planId: plan.id,
        iamRoleArn: role.arn,
        resources: args.resourceArns,
      },
      // AWS Backup validates that it can assume the role and use its policies.
      { ...child, dependsOn: attachments },
    );

    this.planId = plan.id;
    this.registerOutputs({ planId: this.planId });
  }
}

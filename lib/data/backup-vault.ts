import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";

export interface BackupVaultArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's key: recovery points in this vault are encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Delete recovery points with the vault (test mode). */
  readonly forceDestroy: boolean;
  /** Keep the vault and its recovery points when the stack deletes it (production). */
  readonly retainOnDelete: boolean;
  /** Pulumi `protect` on the vault (production): destroy refuses before it starts. */
  readonly protect: boolean;
  /**
   * AWS Backup Vault Lock (production). Governance: no ChangeableForDays, so the lock stays
   * removable. Compliance: ChangeableForDays = coolingOffDays; after that the lock is immutable
   * and cannot be changed or deleted, irreversibly. undefined: no lock (test mode).
   */
  readonly lock?: {
    readonly mode: "governance" | "compliance";
    readonly coolingOffDays: number;
    /** The shortest retention any backup rule writes into the vault. */
    readonly minRetentionDays: number;
  };
}

/** The region's AWS Backup vault; the DR vault receives the primary's cross-region copies. */
export class BackupVault extends pulumi.ComponentResource {
  public readonly vaultName: pulumi.Output<string>;
  public readonly vaultArn: pulumi.Output<string>;

  constructor(name: string, args: BackupVaultArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:BackupVault", name, {}, opts);
    const vault = new aws.backup.Vault(
      name,
      {
        name: physicalName("backupVault", "vault", {
          environmentSuffix: args.environmentSuffix,
          region: args.region,
        }),
        kmsKeyArn: args.kmsKeyArn,
        forceDestroy: args.forceDestroy,
      },
      { parent: this, retainOnDelete: args.retainOnDelete, protect: args.protect },
    );
    if (args.lock !== undefined) {
      // No maxRetentionDays: in compliance mode the lock can never be changed after the
      // cooling-off, so an upper bound would make every later increase of the backup retention
      // config fail its jobs. The lower bound is the shortest retention the plans use; a later
      // decrease below it fails the jobs in compliance mode (that is what the lock is for).
      new aws.backup.VaultLockConfiguration(
        `${name}-lock`,
        {
          backupVaultName: vault.name,
          minRetentionDays: args.lock.minRetentionDays,
          ...(args.lock.mode === "compliance"
            ? { changeableForDays: args.lock.coolingOffDays }
            : {}),
        },
        { parent: this, retainOnDelete: args.retainOnDelete, protect: args.protect },
      );
    }
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn });
  }
}

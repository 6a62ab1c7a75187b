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
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;
    this.registerOutputs({ vaultName: this.vaultName, vaultArn: this.vaultArn });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createRegionalProvider } from "./aws-provider";
import { StackMode } from "./config";
import { MasterCredentials } from "./data/aurora-cluster";
import { BackupConfig } from "./data/data-tier-config";
import { DATA_BUCKET_PURPOSES, DataBucketPurpose } from "./data/regional-data-tier";
import { BackupPlan } from "./global/backup-plan";
import { BucketReplication } from "./global/bucket-replication";
import { DatabaseSecret } from "./global/database-secret";
import { TransactionStateTable } from "./global/transaction-state-table";
import { modeSettings } from "./modes";
import { CrossRegionPeering } from "./network/vpc-peering";

/** What GlobalResources needs from one region's component: plain values and Outputs only. */
export interface RegionEndpoint {
  /** The region this endpoint describes. */
  readonly region: string;
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** The region's VPC CIDR block. */
  readonly vpcCidr: string;
  /** Private and isolated route tables that get routes to the other region. */
  readonly internalRouteTableIds: pulumi.Input<string>[];
  /** The region's key: replicas in this region are encrypted with it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Data buckets by purpose; name and ARN resolve once versioning is on. */
  readonly buckets: Readonly<
    Record<DataBucketPurpose, { bucketName: pulumi.Input<string>; bucketArn: pulumi.Input<string> }>
  >;
  /** The role S3 uses to replicate this region's buckets out. */
  readonly replicationRoleArn: pulumi.Input<string>;
  /** Name of that role, for the destination-side policy. */
  readonly replicationRoleName: pulumi.Input<string>;
  /** The region's backup vault. */
  readonly backupVaultName: pulumi.Input<string>;
  /** ARN of that vault: the target of cross-region copies. */
  readonly backupVaultArn: pulumi.Input<string>;
  /** The region's Aurora member cluster. */
  readonly clusterArn: pulumi.Input<string>;
}

/** What only the primary region provides. */
export interface PrimaryEndpoint extends RegionEndpoint {
  /** The master credentials, stored in the replicated secret. */
  readonly masterCredentials: MasterCredentials;
  /** The global writer endpoint: the host stored in the secret. */
  readonly globalWriterEndpoint: pulumi.Input<string>;
}

export interface GlobalResourcesArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** test: destroys cleanly; production: protected. @default "production" */
  readonly mode?: StackMode;
  /** Retention of daily and hourly recovery points. */
  readonly backup: BackupConfig;
  /** The primary region's outputs. */
  readonly primary: PrimaryEndpoint;
  /** The DR region's outputs. */
  readonly dr: RegionEndpoint;
  /** Stack-wide tags for this component's providers. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Everything that spans both regions and so can only be built once both exist:
 * the VPC peering, the replicated database secret and the DynamoDB global table
 * (their replicas need the DR key), S3 replication both ways, and the backup
 * plan that copies to the DR vault; Route 53 failover as a later issue adds it.
 * Data flows Primary -> DR -> Global, so nothing here is passed back to a region.
 */
export class GlobalResources extends pulumi.ComponentResource {
  public readonly vpcPeeringConnectionId: pulumi.Output<string>;
  public readonly databaseSecretArn: pulumi.Output<string>;
  public readonly drDatabaseSecretArn: pulumi.Output<string>;
  public readonly tableName: pulumi.Output<string>;
  public readonly tableReplicaRegions: pulumi.Output<string[]>;
  public readonly backupPlanId: pulumi.Output<string>;

  constructor(name: string, args: GlobalResourcesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:global:GlobalResources", name, {}, opts);
    const tags = args.tags ?? {};
    // Cross-region resources must be created in each side's own region, so this
    // component owns one provider per region rather than borrowing the regions'.
    const primaryProvider: aws.Provider = createRegionalProvider(
      `${name}-primary-aws`,
      args.primary.region,
      tags,
      this,
    );
    const drProvider: aws.Provider = createRegionalProvider(
      `${name}-dr-aws`,
      args.dr.region,
      tags,
      this,
    );

    const peering = new CrossRegionPeering(
      `${name}-peering`,
      {
        environmentSuffix: args.environmentSuffix,
        requester: {
          region: args.primary.region,
          vpcId: args.primary.vpcId,
          vpcCidr: args.primary.vpcCidr,
          routeTableIds: args.primary.internalRouteTableIds,
          provider: primaryProvider,
        },
        accepter: {
          region: args.dr.region,
          vpcId: args.dr.vpcId,
          vpcCidr: args.dr.vpcCidr,
          routeTableIds: args.dr.internalRouteTableIds,
          provider: drProvider,
        },
      },
      { parent: this },
    );

    const settings = modeSettings(args.mode ?? "production");
    const { primary, dr } = args;
    const lookupOptions = { parent: this, provider: primaryProvider };
    const accountId = aws.getCallerIdentityOutput({}, lookupOptions).accountId;
    const partition = aws.getPartitionOutput({}, lookupOptions).partition;

    const secret = new DatabaseSecret(
      `${name}-db-secret`,
      {
        environmentSuffix: args.environmentSuffix,
        primaryRegion: primary.region,
        drRegion: dr.region,
        primaryKmsKeyArn: primary.kmsKeyArn,
        drKmsKeyArn: dr.kmsKeyArn,
        credentials: primary.masterCredentials,
        host: primary.globalWriterEndpoint,
        recoveryWindowInDays: settings.secretRecoveryWindowDays,
      },
      { parent: this, providers: { aws: primaryProvider } },
    );

    const table = new TransactionStateTable(
      `${name}-state-table`,
      {
        environmentSuffix: args.environmentSuffix,
        drRegion: dr.region,
        primaryKmsKeyArn: primary.kmsKeyArn,
        drKmsKeyArn: dr.kmsKeyArn,
        deletionProtection: settings.deletionProtection,
        retainOnDelete: settings.retainDataOnDelete,
      },
      { parent: this, providers: { aws: primaryProvider } },
    );

    const directions = [
      { label: "to-dr", from: primary, to: dr, provider: primaryProvider },
      { label: "to-primary", from: dr, to: primary, provider: drProvider },
    ] as const;
    for (const { label, from, to, provider } of directions) {
      new BucketReplication(
        `${name}-replication-${label}`,
        {
          environmentSuffix: args.environmentSuffix,
          sourceRegion: from.region,
          destinationRegion: to.region,
          roleArn: from.replicationRoleArn,
          roleName: from.replicationRoleName,
          destinationKeyArn: to.kmsKeyArn,
          pairs: DATA_BUCKET_PURPOSES.map((purpose) => ({
            purpose,
            sourceBucketName: from.buckets[purpose].bucketName,
            destinationBucketArn: to.buckets[purpose].bucketArn,
          })),
        },
        { parent: this, providers: { aws: provider } },
      );
    }

    const backupPlan = new BackupPlan(
      `${name}-backup`,
      {
        environmentSuffix: args.environmentSuffix,
        primaryRegion: primary.region,
        backup: args.backup,
        vaultName: primary.backupVaultName,
        drVaultArn: dr.backupVaultArn,
        resourceArns: [primary.clusterArn, table.tableArn],
        accountId,
        partition,
      },
      { parent: this, providers: { aws: primaryProvider } },
    );

    this.vpcPeeringConnectionId = peering.peeringConnectionId;
    this.databaseSecretArn = secret.secretArn;
    this.drDatabaseSecretArn = secret.replicaSecretArn;
    this.tableName = table.tableName;
    this.tableReplicaRegions = table.replicaRegions;
    this.backupPlanId = backupPlan.planId;
    this.registerOutputs({
      vpcPeeringConnectionId: this.vpcPeeringConnectionId,
      databaseSecretArn: this.databaseSecretArn,
      drDatabaseSecretArn: this.drDatabaseSecretArn,
      tableName: this.tableName,
      tableReplicaRegions: this.tableReplicaRegions,
      backupPlanId: this.backupPlanId,
    });
  }
}

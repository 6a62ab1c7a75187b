import * as pulumi from "@pulumi/pulumi";
import { ModeSettings } from "../modes";
import { bucketName, physicalName } from "../naming";
import { accessLogBucketPolicy, tlsOnlyBucketPolicy } from "../security/resource-policies";
import { AuroraCluster, MasterCredentials } from "./aurora-cluster";
import { BackupVault } from "./backup-vault";
import { DatabaseConfig } from "./data-tier-config";
import { ReplicationRole } from "./replication-role";
import { SecureBucket } from "./secure-bucket";
import { TransactionQueues } from "./transaction-queues";

/** The data buckets every region has; each replicates to its counterpart in the other region. */
export const DATA_BUCKET_PURPOSES = ["txlogs", "documents"] as const;
export type DataBucketPurpose = (typeof DATA_BUCKET_PURPOSES)[number];

export interface BucketOutputs {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
}

/** How this region's cluster belongs to the global database. */
export interface DatabaseMembership {
  readonly globalClusterIdentifier: pulumi.Input<string>;
  /** Only the primary: it creates the database. */
  readonly masterCredentials?: MasterCredentials;
  /** Only a secondary: the primary's region. */
  readonly sourceRegion?: string;
  readonly instanceCount: number;
  /** rds.global_db_rpo for this cluster; only the primary's parameter group sets it. */
  readonly rpoSeconds?: number;
}

export interface RegionalDataTierArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's customer-managed key. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Isolated subnets (no route to the internet) for the database. */
  readonly isolatedSubnetIds: pulumi.Input<string>[];
  /** App subnets of both VPCs: the only clients of the database. */
  readonly databaseClientCidrs: readonly string[];
  /** Aurora capacity, RPO and automated backups (validated config). */
  readonly database: DatabaseConfig;
  /** How this region's cluster belongs to the global database. */
  readonly membership: DatabaseMembership;
  /** What the stack mode means for these resources (lib/modes.ts). */
  readonly settings: ModeSettings;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

/**
 * The stores of one region, the same in both: the Aurora member cluster,
 * buckets with their access logs, the S3 replication role out of the region,
 * the transaction queues and the backup vault. Cross-region wiring (global
 * table, replication rules, replicated secret, backup plan) is in GlobalResources.
 */
export class RegionalDataTier extends pulumi.ComponentResource {
  public readonly database: AuroraCluster;
  public readonly buckets: Readonly<Record<DataBucketPurpose, BucketOutputs>>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  public readonly replicationRoleArn: pulumi.Output<string>;
  public readonly replicationRoleName: pulumi.Output<string>;
  public readonly queues: TransactionQueues;
  public readonly backupVaultName: pulumi.Output<string>;
  public readonly backupVaultArn: pulumi.Output<string>;

  constructor(name: string, args: RegionalDataTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:RegionalDataTier", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const { settings } = args;
    const child = { parent: this };

    this.database = new AuroraCluster(
      `${name}-aurora`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        globalClusterIdentifier: args.membership.globalClusterIdentifier,
        masterCredentials: args.membership.masterCredentials,
        sourceRegion: args.membership.sourceRegion,
        kmsKeyArn: args.kmsKeyArn,
        vpcId: args.vpcId,
        subnetIds: args.isolatedSubnetIds,
        clientCidrs: args.databaseClientCidrs,
        database: { ...args.database, rpoSeconds: args.membership.rpoSeconds },
        instanceCount: args.membership.instanceCount,
        accountId: args.accountId,
        partition: args.partition,
        deletionProtection: settings.deletionProtection,
        finalSnapshot: settings.finalSnapshot,
        logRetentionDays: settings.auditLogRetentionDays,
        retainLogsOnDelete: settings.retainDataOnDelete,
        protect: settings.protectData,
      },
      child,
    );

    const nameOf = (purpose: string): pulumi.Output<string> =>
      pulumi.output(args.accountId).apply((accountId) => bucketName(purpose, scope, accountId));
    const common = {
      accountId: args.accountId,
      partition: args.partition,
      forceDestroy: settings.forceDestroy,
      retainOnDelete: settings.retainDataOnDelete,
      protect: settings.protectData,
      noncurrentVersionDays: settings.noncurrentVersionDays,
    };
    const accessLogs = new SecureBucket(
      `${name}-access-logs`,
      {
        ...common,
        bucketName: nameOf("access-logs"),
        // S3 server access logging cannot deliver into an SSE-KMS bucket.
        encryption: { kind: "s3-managed" },
        expireCurrentAfterDays: settings.auditLogRetentionDays,
        policy: ({ bucketArn, accountId, partition }) =>
          accessLogBucketPolicy(
            bucketArn,
            accountId,
            // This stack's buckets in this region: "tap-<suffix>-*-<region code>".
            `arn:${partition}:s3:::${physicalName("s3Bucket", "*", scope)}`,
          ),
        nameTag: physicalName("nameTag", "access-logs", scope),
      },
      child,
    );
    this.accessLogBucketName = accessLogs.bucketName;
    const dataBuckets = DATA_BUCKET_PURPOSES.map(
      (purpose) =>
        [
          purpose,
          new SecureBucket(
            `${name}-${purpose}`,
            {
              ...common,
              bucketName: nameOf(purpose),
              encryption: { kind: "kms", keyArn: args.kmsKeyArn },
              policy: ({ bucketArn }) => tlsOnlyBucketPolicy(bucketArn),
              accessLogBucket: accessLogs,
              nameTag: physicalName("nameTag", purpose, scope),
            },
            child,
          ),
        ] as const,
    );
    this.buckets = Object.fromEntries(
      dataBuckets.map(([purpose, bucket]) => [
        purpose,
        { bucketName: bucket.bucketName, bucketArn: bucket.bucketArn },
      ]),
    ) as Record<DataBucketPurpose, BucketOutputs>;

    const replicationRole = new ReplicationRole(
      `${name}-replication-role`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        sourceBucketArns: dataBuckets.map(([, bucket]) => bucket.bucketArn),
        sourceKeyArn: args.kmsKeyArn,
        accountId: args.accountId,
      },
      child,
    );
    this.replicationRoleArn = replicationRole.roleArn;
    this.replicationRoleName = replicationRole.roleName;

    this.queues = new TransactionQueues(
      `${name}-queues`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        kmsKeyArn: args.kmsKeyArn,
        protect: settings.protectData,
      },
      child,
    );
    const vault = new BackupVault(
      `${name}-backup-vault`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        kmsKeyArn: args.kmsKeyArn,
        forceDestroy: settings.forceDestroy,
        retainOnDelete: settings.retainDataOnDelete,
        protect: settings.protectData,
      },
      child,
    );
    this.backupVaultName = vault.vaultName;
    this.backupVaultArn = vault.vaultArn;

    this.registerOutputs({
      clusterArn: this.database.clusterArn,
      accessLogBucketName: this.accessLogBucketName,
      replicationRoleArn: this.replicationRoleArn,
      queueUrl: this.queues.queueUrl,
      backupVaultName: this.backupVaultName,
    });
  }
}

import * as pulumi from "@pulumi/pulumi";
import { ModeSettings } from "../modes";
import { bucketName, physicalName } from "../naming";
import { accessLogBucketPolicy, tlsOnlyBucketPolicy } from "../security/resource-policies";
import { AuroraCluster, MasterCredentials } from "./aurora-cluster";
import { BackupVault } from "./backup-vault";
import { DatabaseConfig, RetentionLockConfig } from "./data-tier-config";
import { ReplicationRole } from "./replication-role";
import { SecureBucket } from "./secure-bucket";
import { TransactionQueues } from "./transaction-queues";

/** The data buckets every region has; each replicates to its counterpart in the other region. */
export const DATA_BUCKET_PURPOSES = ["txlogs", "documents"] as const;
export type DataBucketPurpose = (typeof DATA_BUCKET_PURPOSES)[number];

/**
 * The bucket the region's metric stream delivers to (operations.metricStreams): only stacks with
 * metric streams have it, and it replicates like the data buckets (lib/monitoring/metric-stream.ts).
 */
export const METRICS_BUCKET_PURPOSE = "metrics";
/**
 * Days the metrics bucket keeps an object (its own region's metrics and the other region's
 * replicas): a month of history plus a margin, for the investigation after an outage.
 */
export const METRICS_RETENTION_DAYS = 35;
/**
 * Days an expired metrics object's noncurrent version stays. Firehose never overwrites an object,
 * so the only noncurrent versions are the ones the expiry leaves behind.
 */
export const METRICS_NONCURRENT_DAYS = 1;

/** Every purpose whose buckets replicate to the other region. */
export type ReplicatedBucketPurpose = DataBucketPurpose | typeof METRICS_BUCKET_PURPOSE;

export interface BucketOutputs {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
}

/** A region's replicated buckets by purpose: the data buckets always, the metrics bucket if any. */
export type RegionBuckets<T> = Readonly<Record<DataBucketPurpose, T>> & {
  readonly [METRICS_BUCKET_PURPOSE]?: T;
};

/** The purposes a region has buckets for, data buckets first. */
export function bucketPurposesOf(buckets: RegionBuckets<unknown>): ReplicatedBucketPurpose[] {
  const purposes: ReplicatedBucketPurpose[] = [...DATA_BUCKET_PURPOSES];
  if (buckets[METRICS_BUCKET_PURPOSE] !== undefined) {
    purposes.push(METRICS_BUCKET_PURPOSE);
  }
  return purposes;
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
  /** Object Lock of the txlogs bucket and Vault Lock of the vault, when settings.retentionLocks. */
  readonly locks: RetentionLockConfig;
  /** How this region's cluster belongs to the global database. */
  readonly membership: DatabaseMembership;
  /** What the stack mode means for these resources (lib/modes.ts). */
  readonly settings: ModeSettings;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
  /**
   * A metrics bucket for the region's metric stream, replicated like the data buckets
   * (operations.metricStreams). A plain value: it decides whether the bucket exists.
   * @default false
   */
  readonly metricsBucket?: boolean;
}

/**
 * The stores of one region, the same in both: the Aurora member cluster,
 * buckets with their access logs, the S3 replication role out of the region,
 * the transaction queues and the backup vault. Cross-region wiring (global
 * table, replication rules, replicated secret, backup plan) is in GlobalResources.
 */
export class RegionalDataTier extends pulumi.ComponentResource {
  public readonly database: AuroraCluster;
  public readonly buckets: RegionBuckets<BucketOutputs>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  /** The server access log bucket, for the region's other buckets (the app tier's included). */
  public readonly accessLogBucket: SecureBucket;
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
    this.accessLogBucket = accessLogs;
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
              // Transaction logs are immutable in production (issue #10): Object Lock on both
              // regions' txlogs buckets, so the replicas keep their retention too.
              ...(purpose === "txlogs" && settings.retentionLocks
                ? { objectLock: args.locks.txlogs }
                : {}),
            },
            child,
          ),
        ] as const,
    );
    // Metrics are an archive, not business data: they expire, and the only noncurrent versions
    // are the ones that expiry leaves behind. The rest (key, TLS-only policy, public access
    // block, versioning, access logs, force-destroy or retain) is the data buckets'.
    const metricsBucket =
      args.metricsBucket === true
        ? new SecureBucket(
            `${name}-${METRICS_BUCKET_PURPOSE}`,
            {
              ...common,
              bucketName: nameOf(METRICS_BUCKET_PURPOSE),
              encryption: { kind: "kms", keyArn: args.kmsKeyArn },
              policy: ({ bucketArn }) => tlsOnlyBucketPolicy(bucketArn),
              accessLogBucket: accessLogs,
              noncurrentVersionDays: METRICS_NONCURRENT_DAYS,
              expireCurrentAfterDays: METRICS_RETENTION_DAYS,
              nameTag: physicalName("nameTag", METRICS_BUCKET_PURPOSE, scope),
            },
            child,
          )
        : undefined;
    const outputsOf = (bucket: SecureBucket): BucketOutputs => ({
      bucketName: bucket.bucketName,
      bucketArn: bucket.bucketArn,
    });
    this.buckets = {
      ...(Object.fromEntries(
        dataBuckets.map(([purpose, bucket]) => [purpose, outputsOf(bucket)]),
      ) as Record<DataBucketPurpose, BucketOutputs>),
      ...(metricsBucket === undefined
        ? {}
        : { [METRICS_BUCKET_PURPOSE]: outputsOf(metricsBucket) }),
    };

    const replicationRole = new ReplicationRole(
      `${name}-replication-role`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        sourceBucketArns: [
          ...dataBuckets.map(([, bucket]) => bucket),
          ...(metricsBucket ? [metricsBucket] : []),
        ].map((bucket) => bucket.bucketArn),
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
        lock: settings.retentionLocks ? args.locks.vault : undefined,
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

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName, rdsClusterLogGroupName } from "../naming";
import { createServiceRole } from "../security/service-role";
import { DatabaseConfig } from "./data-tier-config";
import {
  AURORA_ENGINE,
  AURORA_ENGINE_VERSION,
  AURORA_LOG_EXPORTS,
  AURORA_PARAMETER_GROUP_FAMILY,
  AURORA_PORT,
  DATABASE_NAME,
  ENHANCED_MONITORING_INTERVAL_SECONDS,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS,
  SERVERLESS_INSTANCE_CLASS,
} from "./aurora-engine";
import { clusterParameters, instanceParameters } from "./aurora-parameters";

/**
 * Inputs a member cluster reads back differently from what it was created
 * with, or that a switchover/failover changes behind Pulumi's back. Without
 * these, a `pulumi up` after a role swap would try to detach the cluster from
 * the global database (the provider reads globalClusterIdentifier back as
 * empty on some members), re-point or promote it (replicationSourceIdentifier,
 * sourceRegion), or downgrade it after an engine upgrade done on the global
 * cluster (engineVersion).
 */
export const MEMBER_CLUSTER_IGNORED_CHANGES = [
  "globalClusterIdentifier",
  "replicationSourceIdentifier",
  "sourceRegion",
  "engineVersion",
] as const;

/** The RDS CA with RSA 2048 keys, valid to 2061; clients pin it for TLS verification. */
export const DB_CA_CERTIFICATE = "rds-ca-rsa2048-g1";

/** Master credentials: only the cluster that creates the database has them. */
export interface MasterCredentials {
  readonly username: string;
  readonly password: pulumi.Input<string>;
}

export interface AuroraClusterArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The global cluster this cluster joins at creation (it cannot join later). */
  readonly globalClusterIdentifier: pulumi.Input<string>;
  /**
   * Credentials for the cluster that creates the database (the primary). A
   * secondary gets none: AWS rejects a user name or password on a
   * cross-region replica ("Cannot specify user name / password").
   */
  readonly masterCredentials?: MasterCredentials;
  /** For a secondary: the primary's region, which RDS needs to pre-sign the replication request. */
  readonly sourceRegion?: string;
  /** The region's key: storage, Performance Insights and logs. A secondary must use its own region's key. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Isolated subnets (no route to the internet) for the DB subnet group. */
  readonly subnetIds: pulumi.Input<string>[];
  /** App-tier subnets allowed to reach the port: this VPC's and the peer VPC's. */
  readonly clientCidrs: readonly string[];
  /** Aurora capacity, RPO and automated backups (validated config). */
  readonly database: DatabaseConfig;
  /** Instances in this cluster; 0 makes a headless (storage-only) secondary. */
  readonly instanceCount: number;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
  /** Refuse deletion (production mode). */
  readonly deletionProtection: boolean;
  /** Take a final snapshot when the cluster is deleted (production mode). */
  readonly finalSnapshot: boolean;
  /** Retention of the exported database logs, in days. */
  readonly logRetentionDays: number;
  /** Keep the log groups when the stack deletes them (production mode). */
  readonly retainLogsOnDelete: boolean;
  /**
   * Pulumi `protect` on the cluster and its instances (production mode). RDS deletes the
   * instances of a cluster with deletion protection, so only this keeps them; removing one
   * (a lower instance count) first needs `pulumi state unprotect` on it.
   */
  readonly protect: boolean;
}

/**
 * One member cluster of the Aurora PostgreSQL global database, in its region:
 * the same code builds the primary (with credentials and the database) and the
 * secondary (joined to the global cluster), so both are configured alike and
 * either can take over.
 */
export class AuroraCluster extends pulumi.ComponentResource {
  public readonly clusterIdentifier: pulumi.Output<string>;
  public readonly clusterArn: pulumi.Output<string>;
  public readonly endpoint: pulumi.Output<string>;
  public readonly readerEndpoint: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  /** Instance 0 is the writer in the primary; the secondary's instances are readers until promotion. */
  public readonly instances: aws.rds.ClusterInstance[];
  /**
   * Instance 0, created before the others: the writer in the primary cluster (RDS makes the
   * first instance that becomes available the writer), undefined in a headless cluster.
   */
  public readonly writer: aws.rds.ClusterInstance | undefined;

  constructor(name: string, args: AuroraClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:AuroraCluster", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const clusterIdentifier = physicalName("rdsIdentifier", "db", scope);
    const isPrimary = args.masterCredentials !== undefined;

    const subnetGroup = new aws.rds.SubnetGroup(
      `${name}-subnets`,
      {
        name: physicalName("rdsGroup", "db", scope),
        description: "Isolated subnets of the transaction database",
        subnetIds: args.subnetIds,
      },
      child,
    );
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: physicalName("securityGroup", "db", scope),
        description: "PostgreSQL from the app subnets of both regions only",
        vpcId: args.vpcId,
        tags: { Name: physicalName("nameTag", "db", scope) },
      },
      child,
    );
    args.clientCidrs.forEach((cidr, index) => {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-sg-client-${index}`,
        {
          securityGroupId: securityGroup.id,
          description: `PostgreSQL from app subnet ${cidr}`,
          ipProtocol: "tcp",
          fromPort: AURORA_PORT,
          toPort: AURORA_PORT,
          cidrIpv4: cidr,
        },
        child,
      );
    });

    const clusterParameterGroup = new aws.rds.ClusterParameterGroup(
      `${name}-cluster-params`,
      {
        name: physicalName("rdsGroup", "db-cluster", scope),
        family: AURORA_PARAMETER_GROUP_FAMILY,
        description: "TLS only, audit logging, managed RPO",
        parameters: clusterParameters({ rpoSeconds: args.database.rpoSeconds }),
      },
      child,
    );
    const instanceParameterGroup = new aws.rds.ParameterGroup(
      `${name}-instance-params`,
      {
        name: physicalName("rdsGroup", "db-instance", scope),
        family: AURORA_PARAMETER_GROUP_FAMILY,
        description: "Slow statement logging",
        parameters: instanceParameters(),
      },
      child,
    );

    // Created before the cluster so RDS writes into a group with our key and retention,
    // instead of creating an unencrypted one that never expires.
    const logGroups = AURORA_LOG_EXPORTS.map(
      (logType) =>
        new aws.cloudwatch.LogGroup(
          `${name}-log-${logType}`,
          {
            name: rdsClusterLogGroupName(clusterIdentifier, logType),
            kmsKeyId: args.kmsKeyArn,
            retentionInDays: args.logRetentionDays,
          },
          { parent: this, retainOnDelete: args.retainLogsOnDelete },
        ),
    );

    const monitoring = createServiceRole(
      `${name}-monitoring-role`,
      {
        roleName: physicalName("iamRole", "rds-monitoring", scope),
        description: "RDS enhanced monitoring of the transaction database",
        service: "monitoring.rds.amazonaws.com",
        managedServicePolicies: ["AmazonRDSEnhancedMonitoringRole"],
        accountId: args.accountId,
        partition: args.partition,
      },
      child,
    );

    const serverless = args.database.capacity === "serverless";
    const cluster = new aws.rds.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier,
        engine: AURORA_ENGINE,
        engineVersion: AURORA_ENGINE_VERSION,
        engineMode: "provisioned",
        globalClusterIdentifier: args.globalClusterIdentifier,
        ...(isPrimary
          ? {
              masterUsername: args.masterCredentials.username,
              masterPassword: args.masterCredentials.password,
              databaseName: DATABASE_NAME,
            }
          : { sourceRegion: args.sourceRegion }),
        port: AURORA_PORT,
        storageEncrypted: true,
        kmsKeyId: args.kmsKeyArn,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [securityGroup.id],
        dbClusterParameterGroupName: clusterParameterGroup.name,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: [...AURORA_LOG_EXPORTS],
        backupRetentionPeriod: args.database.backupRetentionDays,
        preferredBackupWindow: "03:00-04:00",
        // Before the RDS backup window (03:00) and the AWS Backup job (05:00), never overlapping.
        preferredMaintenanceWindow: "sun:01:00-sun:02:00",
        copyTagsToSnapshot: true,
        deletionProtection: args.deletionProtection,
        skipFinalSnapshot: !args.finalSnapshot,
        ...(args.finalSnapshot ? { finalSnapshotIdentifier: `${clusterIdentifier}-final` } : {}),
        ...(serverless
          ? {
              serverlessv2ScalingConfiguration: {
                minCapacity: args.database.minAcu,
                maxCapacity: args.database.maxAcu,
              },
            }
          : {}),
      },
      {
        parent: this,
        dependsOn: logGroups,
        ignoreChanges: [...MEMBER_CLUSTER_IGNORED_CHANGES],
        protect: args.protect,
      },
    );

    // RDS makes the first instance that becomes available the writer, so instance 0 is created
    // alone and the others wait for it: the writer is instance 0, not whichever won a race.
    const instances: aws.rds.ClusterInstance[] = [];
    for (let index = 0; index < args.instanceCount; index++) {
      const instanceIdentifier = physicalName("rdsIdentifier", `db-${index + 1}`, scope);
      const first = instances[0];
      const instance = new aws.rds.ClusterInstance(
        `${name}-instance-${index + 1}`,
        {
          identifier: instanceIdentifier,
          clusterIdentifier: cluster.id,
          engine: AURORA_ENGINE,
          engineVersion: AURORA_ENGINE_VERSION,
          instanceClass: serverless ? SERVERLESS_INSTANCE_CLASS : args.database.instanceClass,
          dbSubnetGroupName: subnetGroup.name,
          dbParameterGroupName: instanceParameterGroup.name,
          publiclyAccessible: false,
          caCertIdentifier: DB_CA_CERTIFICATE,
          // Both regions must run the same minor version for a switchover; upgrades go
          // through the global cluster, never per instance.
          autoMinorVersionUpgrade: false,
          promotionTier: index,
          performanceInsightsEnabled: true,
          performanceInsightsKmsKeyId: args.kmsKeyArn,
          performanceInsightsRetentionPeriod: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
          monitoringInterval: ENHANCED_MONITORING_INTERVAL_SECONDS,
          monitoringRoleArn: monitoring.role.arn,
          copyTagsToSnapshot: true,
          tags: { Name: instanceIdentifier },
        },
        // RDS rejects a monitoring role that does not yet carry its policy.
        {
          parent: this,
          dependsOn: [...monitoring.attachments, ...(first === undefined ? [] : [first])],
          ignoreChanges: ["engineVersion"],
          protect: args.protect,
        },
      );
      instances.push(instance);
    }
    this.instances = instances;
    this.writer = instances[0];

    this.clusterIdentifier = cluster.clusterIdentifier;
    this.clusterArn = cluster.arn;
    this.endpoint = cluster.endpoint;
    this.readerEndpoint = cluster.readerEndpoint;
    this.securityGroupId = securityGroup.id;
    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      clusterArn: this.clusterArn,
      endpoint: this.endpoint,
      readerEndpoint: this.readerEndpoint,
      securityGroupId: this.securityGroupId,
    });
  }
}

import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./lib/config";
import { drServingTier } from "./lib/operations/rto-budget";
import { TapStack } from "./lib/tap-stack";

// Validation throws before any resource is registered.
const config = loadConfig();
const stack = new TapStack("tap", config);

const all = (ids: pulumi.Output<string>[]): pulumi.Output<string[]> => pulumi.all(ids);

// Stack outputs: flat camelCase names, read by operators and by tests/integration
// through `pulumi stack output --json > cfn-outputs/flat-outputs.json`.
export const environmentSuffix = config.environmentSuffix;
export const stackMode = config.mode;
export const primaryRegion = config.primaryRegion;
export const drRegion = config.drRegion;

// Pin these in config (accountId, primaryAvailabilityZones, drAvailabilityZones) so that an
// update of one region never needs a lookup in the other (README: Pulumi during a regional outage).
export const accountId = stack.primary.accountId;
export const primaryAvailabilityZones = stack.primary.availabilityZones;
export const drAvailabilityZones = stack.dr.availabilityZones;

export const primaryVpcId = stack.primary.vpcId;
export const primaryVpcCidr = stack.primary.vpcCidr;
export const primaryPublicSubnetIds = all(stack.primary.publicSubnetIds);
export const primaryPrivateSubnetIds = all(stack.primary.privateSubnetIds);
export const primaryIsolatedSubnetIds = all(stack.primary.isolatedSubnetIds);
export const primaryKmsKeyArn = stack.primary.kmsKeyArn;
export const primaryKmsKeyAlias = stack.primary.kmsKeyAlias;
export const primaryFlowLogGroupName = stack.primary.flowLogGroupName;

export const drVpcId = stack.dr.vpcId;
export const drVpcCidr = stack.dr.vpcCidr;
export const drPublicSubnetIds = all(stack.dr.publicSubnetIds);
export const drPrivateSubnetIds = all(stack.dr.privateSubnetIds);
export const drIsolatedSubnetIds = all(stack.dr.isolatedSubnetIds);
export const drKmsKeyArn = stack.dr.kmsKeyArn;
export const drKmsKeyAlias = stack.dr.kmsKeyAlias;
export const drFlowLogGroupName = stack.dr.flowLogGroupName;

export const vpcPeeringConnectionId = stack.global.vpcPeeringConnectionId;

// Data tier. The cluster endpoints are regional; the global writer endpoint
// follows the writer across a switchover or failover.
export const globalClusterIdentifier = stack.primary.globalClusterIdentifier;
export const globalWriterEndpoint = stack.primary.globalWriterEndpoint;
export const databaseSecretArn = stack.global.databaseSecretArn;
export const drDatabaseSecretArn = stack.global.drDatabaseSecretArn;
// The master secret's rotation: its schedule and the function Secrets Manager invokes (primary region).
export const dbSecretRotationDays = config.database.secretRotationDays;
export const secretRotationFunctionName = stack.primary.secretRotation.functionName;
export const transactionTableName = stack.global.tableName;
export const transactionTableReplicaRegions = stack.global.tableReplicaRegions;
export const backupPlanId = stack.global.backupPlanId;
export const drBackupPlanId = stack.global.drBackupPlanId;

export const primaryClusterArn = stack.primary.data.database.clusterArn;
export const primaryClusterEndpoint = stack.primary.data.database.endpoint;
export const primaryClusterReaderEndpoint = stack.primary.data.database.readerEndpoint;
export const primaryTxlogsBucketName = stack.primary.data.buckets.txlogs.bucketName;
export const primaryTxlogsBucketArn = stack.primary.data.buckets.txlogs.bucketArn;
export const primaryDocumentsBucketName = stack.primary.data.buckets.documents.bucketName;
export const primaryDocumentsBucketArn = stack.primary.data.buckets.documents.bucketArn;
export const primaryAccessLogBucketName = stack.primary.data.accessLogBucketName;
export const primaryReplicationRoleArn = stack.primary.data.replicationRoleArn;
export const primaryQueueUrl = stack.primary.data.queues.queueUrl;
export const primaryDeadLetterQueueUrl = stack.primary.data.queues.deadLetterQueueUrl;
export const primaryBackupVaultName = stack.primary.data.backupVaultName;

export const drClusterArn = stack.dr.data.database.clusterArn;
export const drClusterEndpoint = stack.dr.data.database.endpoint;
export const drClusterReaderEndpoint = stack.dr.data.database.readerEndpoint;
export const drTxlogsBucketName = stack.dr.data.buckets.txlogs.bucketName;
export const drTxlogsBucketArn = stack.dr.data.buckets.txlogs.bucketArn;
export const drDocumentsBucketName = stack.dr.data.buckets.documents.bucketName;
export const drDocumentsBucketArn = stack.dr.data.buckets.documents.bucketArn;
export const drAccessLogBucketName = stack.dr.data.accessLogBucketName;
export const drReplicationRoleArn = stack.dr.data.replicationRoleArn;
export const drQueueUrl = stack.dr.data.queues.queueUrl;
export const drDeadLetterQueueUrl = stack.dr.data.queues.deadLetterQueueUrl;
export const drBackupVaultName = stack.dr.data.backupVaultName;

// Application tier and traffic failover. The regional URLs exist in every stack (HTTP ALB names
// without a domain); the DNS outputs exist only with a domain (always in production mode).
export const primaryApiUrl = stack.global.primaryApiUrl;
export const drApiUrl = stack.global.drApiUrl;
export const hostedZoneId = stack.global.hostedZoneId;
// Where to delegate the domain when the stack created the zone (empty for an adopted zone).
export const hostedZoneNameServers = stack.primary.hostedZone?.nameServers;
export const apiFailoverName = stack.global.apiFailoverName;
export const apiFailoverUrl = stack.global.apiFailoverUrl;
export const primaryHealthCheckId = stack.global.primaryHealthCheckId;
export const drHealthCheckId = stack.global.drHealthCheckId;
export const failoverBudgetSeconds = stack.global.failoverBudgetSeconds;

// Failover automation and monitoring, per region: what `npm run dr` and the live tests read.
export const primaryOrchestratorFunctionName = stack.primary.failover.orchestratorFunctionName;
export const drOrchestratorFunctionName = stack.dr.failover.orchestratorFunctionName;
export const primaryControlTableName = stack.primary.failover.controlTableName;
export const drControlTableName = stack.dr.failover.controlTableName;
export const primaryStateMachineArn = stack.primary.failover.stateMachineArn;
export const drStateMachineArn = stack.dr.failover.stateMachineArn;
export const primaryProberFunctionName = stack.primary.failover.proberFunctionName;
export const drProberFunctionName = stack.dr.failover.proberFunctionName;
export const primaryFailoverQueueUrl = stack.primary.failover.failureQueueUrl;
export const drFailoverQueueUrl = stack.dr.failover.failureQueueUrl;
export const primaryAlertTopicArn = stack.primary.alertTopicArn;
export const drAlertTopicArn = stack.dr.alertTopicArn;
export const primaryCorroboratingAlarmName = stack.primary.monitoring.corroboratingAlarmName;
export const drCorroboratingAlarmName = stack.dr.monitoring.corroboratingAlarmName;
export const primaryAlarmNames = stack.primary.monitoring.alarmNames;
export const drAlarmNames = stack.dr.monitoring.alarmNames;
export const primaryDashboardName = stack.primary.monitoring.dashboardName;
export const drDashboardName = stack.dr.monitoring.dashboardName;
export const globalDashboardName = stack.global.globalDashboardName;
export const primaryProberTargetUrl = stack.global.primaryProberTargetUrl;
export const drProberTargetUrl = stack.global.drProberTargetUrl;
export const failoverMode = config.operations.failoverMode;
// "pilot-light" while the DR region cannot serve before a failover (no database or app
// instance): its health checks answer 503 by design, which the live tests expect.
export const drTier = drServingTier({
  drInstances: config.database.drInstances,
  appTier: config.app.tier,
  drAppDesiredCapacity: config.app.drCapacity.desired,
});
// Route 53 health-check alarms (us-east-1) exist only with a domain, like the checks.
export const healthCheckAlarmNames =
  config.dns.domainName === undefined ? undefined : stack.global.healthCheckAlarmNames;

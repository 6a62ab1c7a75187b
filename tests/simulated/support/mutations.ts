/**
 * Broken variants of the simulated stack: each is a fault a live test exists to catch, as a
 * change to the captured inputs (what got deployed) or to the service-side state (what AWS
 * reports). The table test (tests/simulated/live-suites.test.ts) runs the named test on each.
 */
import { Cloud } from "./cloud";
import { type Mutation, failingHealthCheck, find, output, remove, set } from "./mutation-helpers";
import { API_HTTP_MUTATIONS } from "./api-mutations";
import type { SimulatedStack } from "./simulated-aws";

export type { Mutation } from "./mutation-helpers";

const keyArn = (stack: SimulatedStack, side: "primary" | "dr"): string =>
  String(stack.run.outputs[`${side}KmsKeyArn`]);

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const DEFAULT_NACL = "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl";
const KEY = "aws:kms/key:Key";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const QUEUE = "aws:sqs/queue:Queue";
const CLUSTER = "aws:rds/cluster:Cluster";
const PARAMS = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
const SECRET = "aws:secretsmanager/secret:Secret";
const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const TABLE = "aws:dynamodb/table:Table";
const FUNCTION = "aws:lambda/function:Function";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "aws:sns/topic:Topic";
const STATE_MACHINE = "aws:sfn/stateMachine:StateMachine";
const RULE = "aws:cloudwatch/eventRule:EventRule";
const TARGET = "aws:cloudwatch/eventTarget:EventTarget";
const PERMISSION = "aws:lambda/permission:Permission";

const withoutForceSsl = (value: "0" | undefined) => (stack: SimulatedStack, name: string) => {
  const group = find(stack, PARAMS, name);
  const parameters = (group.inputs.parameters as Record<string, unknown>[])
    .map((p) => (p.name === "rds.force_ssl" ? { ...p, value } : p))
    .filter((p) => p.value !== undefined);
  group.inputs.parameters = parameters;
};

const NET = "network";
const vpcTest = (side: string) => `has the ${side} VPC in its region with its CIDR and DNS on`;
const tierTest = (side: string) =>
  `spreads each ${side} tier across distinct AZs; no subnet maps public IPs`;
const naclTest = (side: string) =>
  `denies SSH and RDP from 0.0.0.0/0 in the ${side} default network ACL before any allow, for every subnet`;
const PEERING_TEST =
  "has an active peering from the primary VPC to the DR VPC with DNS resolution both ways";
const routeTest = (side: string) =>
  `routes the peer CIDR over the peering from every ${side} private and isolated subnet`;
const sgTest = (side: string) => `leaves the ${side} default security group without rules`;
const flowTest = (side: string) => `delivers ${side} flow logs to the stack's log group`;
const keyTest = (side: string) =>
  `has an enabled, rotating customer-managed ${side} key in its region, behind its alias`;
const bucketTest = (side: string) =>
  `versions, encrypts and closes the ${side} buckets, and replicates them to the other region`;
const queueTest = (side: string) =>
  `encrypts the ${side} transaction queue with its region's key and redrives it to its DLQ`;
const clusterTest = (side: string) =>
  `encrypts the ${side} cluster with its own region's key, TLS-only parameters and IAM auth`;
const MEMBERS_TEST = "has both regional clusters as members, exactly one of them the writer";
const SECRET_TEST =
  "keeps the master secret in the primary region with an in-sync replica in the DR region";
const ROTATION_TEST =
  "rotates the master secret on the configured schedule with this stack's function in the primary region";
const MASTER_ROTATION = "tap-global-db-secret-rotation";
const rotationArn = (stack: SimulatedStack): string =>
  String(find(stack, SECRET_ROTATION, MASTER_ROTATION).inputs.rotationLambdaArn);
const TABLE_TEST = "replicates the transaction table to the DR region, under the DR key";
const VAULT_TEST = "keeps a vault per region under that region's key";
const vaultLockTest = (side: string) =>
  `locks the ${side} vault with AWS Backup Vault Lock and a minimum retention`;
const objectLockTest = (side: string) =>
  `locks the ${side} txlogs bucket with S3 Object Lock and a default retention`;
const OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const VAULT_LOCK = "aws:backup/vaultLockConfiguration:VaultLockConfiguration";
const planTest = (side: string, peer: string) =>
  `backs up the ${side} cluster daily into its region's vault and copies it to the ${peer} vault`;
const advancedDynamoDbTest = (side: string) =>
  `has advanced DynamoDB backup on in the ${side} region, so cross-region copies of the table succeed`;

const healthTest = (side: string) => `has a healthy Route 53 health check for the ${side} region`;

/** The orchestrator's environment variables, as the graph gives them to the function. */
const orchestratorEnv = (stack: SimulatedStack, side: "primary" | "dr"): Record<string, unknown> =>
  (
    find(stack, FUNCTION, `tap-${side}-failover-orchestrator`).inputs.environment as {
      variables: Record<string, unknown>;
    }
  ).variables;

const FAILOVER = "failover";
const STATUS_TEST =
  "reports both regions with `npm run dr -- status`: one writer, the other a secondary of the same global cluster, neither corroborating alarm in ALARM";
const orchestratorStatusTest = (side: string) =>
  `answers a status request from the ${side} region's orchestrator about that region's cluster`;
const DRY_RUN_TEST =
  "plans a failover in a dry run only in the region that is not the writer, and changes nothing";
const controlTableTest = (side: string) =>
  `keeps the ${side} control table regional, under that region's key, with TTL on expiresAt and point-in-time recovery`;
const workflowTest = (side: string) =>
  `runs every task of the ${side} failover workflow on that region's orchestrator, with logging and tracing on`;
const proberTest = (side: string) =>
  `publishes the ${side} prober's minute-by-minute probes of the other region's API, the latest healthy`;
const MONITORING = "monitoring";
const topicTest = (side: string) => `encrypts the ${side} alert topic with that region's key`;
const alarmsTest = (side: string) =>
  `has every ${side} alarm in its region, actions enabled, notifying that region's topic`;
export const MUTATIONS: readonly Mutation[] = [
  {
    name: "DR VPC with DNS support off",
    suite: NET,
    test: vpcTest("dr"),
    apply: (s) => set(s, VPC, "tap-dr-network-vpc", { enableDnsSupport: false }),
  },
  {
    name: "primary VPC with DNS hostnames off",
    suite: NET,
    test: vpcTest("primary"),
    apply: (s) => set(s, VPC, "tap-primary-network-vpc", { enableDnsHostnames: false }),
  },
  {
    name: "two primary private subnets in one AZ",
    suite: NET,
    test: tierTest("primary"),
    apply: (s) =>
      set(s, SUBNET, "tap-primary-network-private-1", {
        availabilityZone: find(s, SUBNET, "tap-primary-network-private-0").inputs.availabilityZone,
      }),
  },
  {
    name: "DR public subnet maps public IPs",
    suite: NET,
    test: tierTest("dr"),
    apply: (s) => set(s, SUBNET, "tap-dr-network-public-0", { mapPublicIpOnLaunch: true }),
  },
  {
    name: "primary default network ACL left unmanaged (AWS's allow-all rule 100)",
    suite: NET,
    test: naclTest("primary"),
    apply: (s) => remove(s, DEFAULT_NACL, "tap-primary-network-default-nacl"),
  },
  {
    name: "DR default network ACL without the TCP RDP deny (the ephemeral allow admits 3389)",
    suite: NET,
    test: naclTest("dr"),
    apply: (s) => {
      const acl = find(s, DEFAULT_NACL, "tap-dr-network-default-nacl");
      acl.inputs.ingress = (acl.inputs.ingress as { protocol: string; fromPort: number }[]).filter(
        (rule) => !(rule.protocol === "tcp" && rule.fromPort === 3389),
      );
    },
  },
  {
    name: "primary default network ACL allows all from 0.0.0.0/0 before its denies",
    suite: NET,
    test: naclTest("primary"),
    apply: (s) => {
      const acl = find(s, DEFAULT_NACL, "tap-primary-network-default-nacl");
      acl.inputs.ingress = [
        {
          ruleNo: 5,
          action: "allow",
          protocol: "-1",
          cidrBlock: "0.0.0.0/0",
          fromPort: 0,
          toPort: 0,
        },
        ...(acl.inputs.ingress as unknown[]),
      ];
    },
  },
  {
    name: "peering not active (pending-acceptance)",
    suite: NET,
    test: PEERING_TEST,
    apply: (s) => {
      s.service.peeringStatus = "pending-acceptance";
    },
  },
  {
    name: "accepter side without remote DNS resolution",
    suite: NET,
    test: PEERING_TEST,
    apply: (s) =>
      set(
        s,
        "aws:ec2/peeringConnectionOptions:PeeringConnectionOptions",
        "tap-global-peering-accepter-options",
        {
          accepter: { allowRemoteVpcDnsResolution: false },
        },
      ),
  },
  {
    name: "DR isolated route table without the peer route",
    suite: NET,
    test: routeTest("dr"),
    apply: (s) => remove(s, ROUTE, "tap-global-peering-to-requester-3"),
  },
  {
    name: "primary private route table with a default route to the IGW",
    suite: NET,
    test: routeTest("primary"),
    apply: (s) => {
      const template = find(s, ROUTE, "tap-primary-network-public-default");
      s.run.resources.push({
        ...template,
        urn: `${template.urn}-private`,
        name: "tap-primary-network-private-default",
        inputs: { ...template.inputs, routeTableId: "tap-primary-network-private-rt-0-id" },
      });
    },
  },
  {
    name: "peering routes blackholed",
    suite: NET,
    test: routeTest("primary"),
    apply: (s) => {
      s.service.peeringRouteState = "blackhole";
    },
  },
  {
    name: "DR default security group left unmanaged (default rules)",
    suite: NET,
    test: sgTest("dr"),
    apply: (s) => remove(s, DEFAULT_SG, "tap-dr-network-default-sg"),
  },
  {
    name: "primary default security group with an ingress rule",
    suite: NET,
    test: sgTest("primary"),
    apply: (s) =>
      set(s, DEFAULT_SG, "tap-primary-network-default-sg", {
        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
      }),
  },
  {
    name: "primary flow log captures REJECT only",
    suite: NET,
    test: flowTest("primary"),
    apply: (s) =>
      set(s, FLOW_LOG, "tap-primary-network-flow-logs-flow-log", { trafficType: "REJECT" }),
  },
  {
    name: "DR flow log delivers to another log group",
    suite: NET,
    test: flowTest("dr"),
    apply: (s) => {
      const log = find(s, FLOW_LOG, "tap-dr-network-flow-logs-flow-log");
      log.inputs.logDestination = `${String(log.inputs.logDestination)}-other`;
    },
  },
  {
    name: "DR key rotation off",
    suite: "kms",
    test: keyTest("dr"),
    apply: (s) => set(s, KEY, "tap-dr-kms-key", { enableKeyRotation: false }),
  },
  {
    name: "primary key multi-Region",
    suite: "kms",
    test: keyTest("primary"),
    apply: (s) => set(s, KEY, "tap-primary-kms-key", { multiRegion: true }),
  },
  {
    name: "primary key alias missing",
    suite: "kms",
    test: keyTest("primary"),
    apply: (s) => remove(s, "aws:kms/alias:Alias", "tap-primary-kms-alias"),
  },
  {
    name: "primary txlogs replicas under the source region's key",
    suite: "storage",
    test: bucketTest("primary"),
    apply: (s) => {
      const config = find(s, REPLICATION, "tap-global-replication-to-dr-txlogs");
      const [rule] = config.inputs.rules as Record<string, Record<string, unknown>>[];
      rule.destination = {
        ...rule.destination,
        encryptionConfiguration: { replicaKmsKeyId: keyArn(s, "primary") },
      };
    },
  },
  {
    name: "DR documents replication off (rule Disabled)",
    suite: "storage",
    test: bucketTest("dr"),
    apply: (s) => {
      const config = find(s, REPLICATION, "tap-global-replication-to-primary-documents");
      const [rule] = config.inputs.rules as Record<string, unknown>[];
      rule.status = "Disabled";
    },
  },
  {
    name: "primary documents bucket versioning suspended",
    suite: "storage",
    test: bucketTest("primary"),
    apply: (s) =>
      set(s, "aws:s3/bucketVersioning:BucketVersioning", "tap-primary-data-documents-versioning", {
        versioningConfiguration: { status: "Suspended" },
      }),
  },
  {
    name: "DR txlogs bucket on default SSE-S3",
    suite: "storage",
    test: bucketTest("dr"),
    apply: (s) =>
      remove(
        s,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        "tap-dr-data-txlogs-encryption",
      ),
  },
  {
    name: "Object Lock missing on the DR txlogs bucket",
    suite: "storage",
    test: objectLockTest("dr"),
    apply: (s) => remove(s, OBJECT_LOCK, "tap-dr-data-txlogs-object-lock"),
  },
  {
    name: "primary txlogs Object Lock without a default retention",
    suite: "storage",
    test: objectLockTest("primary"),
    apply: (s) => {
      delete find(s, OBJECT_LOCK, "tap-primary-data-txlogs-object-lock").inputs.rule;
    },
  },
  {
    name: "primary queue without a redrive policy",
    suite: "storage",
    test: queueTest("primary"),
    apply: (s) => {
      delete find(s, QUEUE, "tap-primary-data-queues-queue").inputs.redrivePolicy;
    },
  },
  {
    name: "DR queue under the primary region's key",
    suite: "storage",
    test: queueTest("dr"),
    apply: (s) =>
      set(s, QUEUE, "tap-dr-data-queues-queue", { kmsMasterKeyId: keyArn(s, "primary") }),
  },
  {
    name: "DR cluster detached from the global cluster",
    suite: "database",
    test: MEMBERS_TEST,
    apply: (s) => {
      delete find(s, CLUSTER, "tap-dr-data-aurora-cluster").inputs.globalClusterIdentifier;
    },
  },
  {
    name: "primary parameter group without rds.force_ssl",
    suite: "database",
    test: clusterTest("primary"),
    apply: (s) => withoutForceSsl(undefined)(s, "tap-primary-data-aurora-cluster-params"),
  },
  {
    name: "DR parameter group with rds.force_ssl=0",
    suite: "database",
    test: clusterTest("dr"),
    apply: (s) => withoutForceSsl("0")(s, "tap-dr-data-aurora-cluster-params"),
  },
  {
    name: "DR cluster on the default parameter group",
    suite: "database",
    test: clusterTest("dr"),
    apply: (s) => {
      delete find(s, CLUSTER, "tap-dr-data-aurora-cluster").inputs.dbClusterParameterGroupName;
    },
  },
  {
    name: "DR cluster without IAM auth",
    suite: "database",
    test: clusterTest("dr"),
    apply: (s) =>
      set(s, CLUSTER, "tap-dr-data-aurora-cluster", { iamDatabaseAuthenticationEnabled: false }),
  },
  {
    name: "secret replica Failed",
    suite: "database",
    test: SECRET_TEST,
    apply: (s) => {
      s.service.secretReplicaStatuses = [
        { Status: "InProgress" },
        { Status: "Failed", StatusMessage: "Access denied to the KMS key in the replica region" },
      ];
    },
  },
  {
    name: "secret replica stuck InProgress (the poll's bound)",
    suite: "database",
    test: SECRET_TEST,
    apply: (s) => {
      s.service.secretReplicaStatuses = [{ Status: "InProgress" }];
    },
    fakeTime: true,
  },
  {
    name: "secret replica under the primary region's key",
    suite: "database",
    test: SECRET_TEST,
    apply: (s) => {
      find(s, SECRET, "tap-global-db-secret").inputs.replicas = [
        { region: s.run.outputs.drRegion, kmsKeyId: keyArn(s, "primary") },
      ];
    },
  },
  {
    name: "master secret without rotation",
    suite: "database",
    test: ROTATION_TEST,
    apply: (s) => remove(s, SECRET_ROTATION, MASTER_ROTATION),
  },
  {
    name: "master secret rotated every 365 days (over the 90-day bound)",
    suite: "database",
    test: ROTATION_TEST,
    apply: (s) =>
      set(s, SECRET_ROTATION, MASTER_ROTATION, { rotationRules: { automaticallyAfterDays: 365 } }),
  },
  {
    name: "master secret rotated on another schedule than dbSecretRotationDays",
    suite: "database",
    test: ROTATION_TEST,
    apply: (s) =>
      set(s, SECRET_ROTATION, MASTER_ROTATION, {
        rotationRules: { automaticallyAfterDays: Number(s.run.outputs.dbSecretRotationDays) + 1 },
      }),
  },
  {
    name: "master secret rotation function in the DR region",
    suite: "database",
    test: ROTATION_TEST,
    apply: (s) =>
      set(s, SECRET_ROTATION, MASTER_ROTATION, {
        rotationLambdaArn: rotationArn(s).replace(
          `:lambda:${output(s, "primaryRegion")}:`,
          `:lambda:${output(s, "drRegion")}:`,
        ),
      }),
  },
  {
    name: "master secret rotated by another function (the primary orchestrator)",
    suite: "database",
    test: ROTATION_TEST,
    apply: (s) =>
      set(s, SECRET_ROTATION, MASTER_ROTATION, {
        rotationLambdaArn: new Cloud(s).arnOf(
          find(s, FUNCTION, "tap-primary-failover-orchestrator"),
        ),
      }),
  },
  {
    name: "table replica under the primary region's key",
    suite: "state-and-backup",
    test: TABLE_TEST,
    apply: (s) => {
      const table = find(s, TABLE, "tap-global-state-table");
      const [replica] = table.inputs.replicas as Record<string, unknown>[];
      replica.kmsKeyArn = keyArn(s, "primary");
    },
  },
  {
    name: "table replica without its own key (AWS-managed)",
    suite: "state-and-backup",
    test: TABLE_TEST,
    apply: (s) => {
      const table = find(s, TABLE, "tap-global-state-table");
      const [replica] = table.inputs.replicas as Record<string, unknown>[];
      delete replica.kmsKeyArn;
    },
  },
  {
    name: "table replication off (no replica)",
    suite: "state-and-backup",
    test: TABLE_TEST,
    apply: (s) => set(s, TABLE, "tap-global-state-table", { replicas: [] }),
  },
  {
    name: "primary table under an AWS-owned key",
    suite: "state-and-backup",
    test: TABLE_TEST,
    apply: (s) =>
      set(s, TABLE, "tap-global-state-table", { serverSideEncryption: { enabled: false } }),
  },
  {
    name: "table replica not ACTIVE (CREATION_FAILED)",
    suite: "state-and-backup",
    test: TABLE_TEST,
    apply: (s) => {
      s.service.tableReplicaStatus = "CREATION_FAILED";
    },
  },
  {
    name: "DR vault under the AWS-managed key",
    suite: "state-and-backup",
    test: VAULT_TEST,
    apply: (s) => {
      delete find(s, "aws:backup/vault:Vault", "tap-dr-data-backup-vault").inputs.kmsKeyArn;
    },
  },
  {
    name: "DR vault unlocked (no vault lock configuration)",
    suite: "state-and-backup",
    test: vaultLockTest("dr"),
    apply: (s) => remove(s, VAULT_LOCK, "tap-dr-data-backup-vault-lock"),
  },
  {
    name: "primary vault unlocked (no vault lock configuration)",
    suite: "state-and-backup",
    test: vaultLockTest("primary"),
    apply: (s) => remove(s, VAULT_LOCK, "tap-primary-data-backup-vault-lock"),
  },
  {
    name: "primary backup plan without a copy to the DR vault",
    suite: "state-and-backup",
    test: planTest("primary", "dr"),
    apply: (s) => {
      const plan = find(s, "aws:backup/plan:Plan", "tap-global-backup");
      const [rule] = plan.inputs.rules as Record<string, unknown>[];
      rule.copyActions = [];
    },
  },
  {
    name: "primary backup plan selects only the table, not the cluster",
    suite: "state-and-backup",
    test: planTest("primary", "dr"),
    apply: (s) => {
      const selection = find(s, "aws:backup/selection:Selection", "tap-global-backup-selection");
      selection.inputs.resources = (selection.inputs.resources as unknown[]).slice(1);
    },
  },
  {
    name: "DR backup plan missing (the writer after a failover has no backups)",
    suite: "state-and-backup",
    test: planTest("dr", "primary"),
    apply: (s) => remove(s, "aws:backup/plan:Plan", "tap-global-dr-backup"),
  },
  {
    name: "advanced DynamoDB backup off in the primary region",
    suite: "state-and-backup",
    test: advancedDynamoDbTest("primary"),
    apply: (s) => {
      s.service.advancedDynamoDbBackupRegions = [output(s, "drRegion")];
    },
  },
  {
    name: "advanced DynamoDB backup off in the DR region",
    suite: "state-and-backup",
    test: advancedDynamoDbTest("dr"),
    apply: (s) => {
      s.service.advancedDynamoDbBackupRegions = [output(s, "primaryRegion")];
    },
  },
  {
    name: "primary API down: every health checker reports Failure",
    suite: "api",
    test: healthTest("primary"),
    apply: failingHealthCheck("primary"),
    fakeTime: true,
  },
  {
    name: "DR API down: every health checker reports Failure",
    suite: "api",
    test: healthTest("dr"),
    apply: failingHealthCheck("dr"),
    fakeTime: true,
  },
  ...API_HTTP_MUTATIONS,
  {
    name: "RDS reports both clusters as the writer (split brain)",
    suite: FAILOVER,
    test: STATUS_TEST,
    apply: (s) => {
      s.service.globalWriterArns = [output(s, "primaryClusterArn"), output(s, "drClusterArn")];
    },
  },
  {
    name: "DR cluster detached from the global cluster",
    suite: FAILOVER,
    test: STATUS_TEST,
    apply: (s) => {
      delete find(s, CLUSTER, "tap-dr-data-aurora-cluster").inputs.globalClusterIdentifier;
    },
  },
  {
    name: "DR corroborating alarm missing",
    suite: FAILOVER,
    test: STATUS_TEST,
    apply: (s) => remove(s, COMPOSITE_ALARM, "tap-dr-monitoring-alarms-corroborated"),
  },
  {
    name: "primary corroborating alarm in ALARM",
    suite: FAILOVER,
    test: STATUS_TEST,
    apply: (s) => {
      s.service.alarmStates[output(s, "primaryCorroboratingAlarmName")] = "ALARM";
    },
  },
  {
    name: "DR control table missing (the audit trail cannot be read)",
    suite: FAILOVER,
    test: STATUS_TEST,
    apply: (s) => remove(s, TABLE, "tap-dr-failover-control"),
  },
  {
    name: "primary orchestrator's CLUSTER_ARN names the DR cluster (fails its cold start)",
    suite: FAILOVER,
    test: orchestratorStatusTest("primary"),
    apply: (s) => {
      orchestratorEnv(s, "primary").CLUSTER_ARN = output(s, "drClusterArn");
    },
  },
  {
    name: "primary orchestrator's CONTROL_TABLE_NAME is the DR region's table",
    suite: FAILOVER,
    test: orchestratorStatusTest("primary"),
    apply: (s) => {
      orchestratorEnv(s, "primary").CONTROL_TABLE_NAME = output(s, "drControlTableName");
    },
  },
  {
    name: "DR orchestrator's CLUSTER_ID names the primary cluster",
    suite: FAILOVER,
    test: orchestratorStatusTest("dr"),
    apply: (s) => {
      const env = orchestratorEnv(s, "dr");
      env.CLUSTER_ID = orchestratorEnv(s, "primary").CLUSTER_ID;
    },
  },
  {
    name: "DR orchestrator function missing",
    suite: FAILOVER,
    test: orchestratorStatusTest("dr"),
    apply: (s) => remove(s, FUNCTION, "tap-dr-failover-orchestrator"),
  },
  {
    name: "a failover already in progress (FailoverState pending)",
    suite: FAILOVER,
    test: DRY_RUN_TEST,
    apply: (s) => {
      s.service.globalFailoverState = {
        Status: "pending",
        FromDbClusterArn: output(s, "primaryClusterArn"),
        ToDbClusterArn: output(s, "drClusterArn"),
        IsDataLossAllowed: true,
      };
    },
  },
  {
    name: "DR orchestrator's GLOBAL_CLUSTER_ID names another global cluster",
    suite: FAILOVER,
    test: DRY_RUN_TEST,
    apply: (s) => {
      const env = orchestratorEnv(s, "dr");
      env.GLOBAL_CLUSTER_ID = `${String(env.GLOBAL_CLUSTER_ID)}-old`;
    },
  },
  {
    name: "DR orchestrator's STATE_MACHINE_ARN in the primary region (fails its cold start)",
    suite: FAILOVER,
    test: DRY_RUN_TEST,
    apply: (s) => {
      orchestratorEnv(s, "dr").STATE_MACHINE_ARN = output(s, "primaryStateMachineArn");
    },
  },
  {
    name: "primary control table without point-in-time recovery",
    suite: FAILOVER,
    test: controlTableTest("primary"),
    apply: (s) =>
      set(s, TABLE, "tap-primary-failover-control", { pointInTimeRecovery: { enabled: false } }),
  },
  {
    name: "primary control table made a global table (replica in the DR region)",
    suite: FAILOVER,
    test: controlTableTest("primary"),
    apply: (s) =>
      set(s, TABLE, "tap-primary-failover-control", {
        replicas: [{ regionName: output(s, "drRegion"), kmsKeyArn: keyArn(s, "dr") }],
      }),
  },
  {
    name: "DR control table under the primary region's key",
    suite: FAILOVER,
    test: controlTableTest("dr"),
    apply: (s) =>
      set(s, TABLE, "tap-dr-failover-control", {
        serverSideEncryption: { enabled: true, kmsKeyArn: keyArn(s, "primary") },
      }),
  },
  {
    name: "DR control table with TTL off",
    suite: FAILOVER,
    test: controlTableTest("dr"),
    apply: (s) => set(s, TABLE, "tap-dr-failover-control", { ttl: { enabled: false } }),
  },
  {
    name: "DR control table's TTL on another attribute",
    suite: FAILOVER,
    test: controlTableTest("dr"),
    apply: (s) =>
      set(s, TABLE, "tap-dr-failover-control", {
        ttl: { attributeName: "ttl", enabled: true },
      }),
  },
  {
    name: "DR workflow's Promote task invokes the primary region's orchestrator",
    suite: FAILOVER,
    test: workflowTest("dr"),
    apply: (s) => {
      const machine = find(s, STATE_MACHINE, "tap-dr-failover-workflow");
      const definition = JSON.parse(String(machine.inputs.definition)) as {
        States: Record<string, { Parameters: { FunctionName: string } }>;
      };
      const promote = definition.States.Promote.Parameters;
      promote.FunctionName = promote.FunctionName.replace(
        `${output(s, "drRegion")}:`,
        `${output(s, "primaryRegion")}:`,
      ).replace(
        output(s, "drOrchestratorFunctionName"),
        output(s, "primaryOrchestratorFunctionName"),
      );
      machine.inputs.definition = JSON.stringify(definition);
    },
  },
  {
    name: "primary workflow logging OFF",
    suite: FAILOVER,
    test: workflowTest("primary"),
    apply: (s) =>
      set(s, STATE_MACHINE, "tap-primary-failover-workflow", {
        loggingConfiguration: { level: "OFF" },
      }),
  },
  {
    name: "DR workflow tracing off",
    suite: FAILOVER,
    test: workflowTest("dr"),
    apply: (s) =>
      set(s, STATE_MACHINE, "tap-dr-failover-workflow", {
        tracingConfiguration: { enabled: false },
      }),
  },
  {
    name: "primary prober schedule removed",
    suite: FAILOVER,
    test: proberTest("primary"),
    apply: (s) => {
      remove(s, RULE, "tap-global-primary-prober-schedule-rule");
      remove(s, TARGET, "tap-global-primary-prober-schedule-target");
      remove(s, PERMISSION, "tap-global-primary-prober-schedule-invoke");
    },
    fakeTime: true,
  },
  {
    name: "primary prober schedule disabled",
    suite: FAILOVER,
    test: proberTest("primary"),
    apply: (s) => set(s, RULE, "tap-global-primary-prober-schedule-rule", { state: "DISABLED" }),
    fakeTime: true,
  },
  {
    name: "DR prober probes its own region (schedule input: its own API and region)",
    suite: FAILOVER,
    test: proberTest("dr"),
    apply: (s) =>
      set(s, TARGET, "tap-global-dr-prober-schedule-target", {
        input: JSON.stringify({
          targetUrl: `${output(s, "drApiUrl")}/health`,
          peerRegion: output(s, "drRegion"),
        }),
      }),
    fakeTime: true,
  },
  {
    name: "DR prober without EventBridge's invoke permission",
    suite: FAILOVER,
    test: proberTest("dr"),
    apply: (s) => remove(s, PERMISSION, "tap-global-dr-prober-schedule-invoke"),
    fakeTime: true,
  },
  {
    name: "DR API down: the primary prober's probes of it fail",
    suite: FAILOVER,
    test: proberTest("primary"),
    apply: (s) => {
      s.service.downApiRegions = [output(s, "drRegion")];
    },
    fakeTime: true,
  },
  {
    name: "primary prober probing a path the API does not serve",
    suite: FAILOVER,
    test: proberTest("primary"),
    apply: (s) =>
      set(s, TARGET, "tap-global-primary-prober-schedule-target", {
        input: JSON.stringify({
          targetUrl: `${output(s, "drApiUrl")}/healthz`,
          peerRegion: output(s, "drRegion"),
        }),
      }),
    fakeTime: true,
  },
  {
    name: "primary topic under the AWS-managed key (alias/aws/sns)",
    suite: MONITORING,
    test: topicTest("primary"),
    apply: (s) => set(s, TOPIC, "tap-primary-alerts-topic", { kmsMasterKeyId: "alias/aws/sns" }),
  },
  {
    name: "DR topic unencrypted",
    suite: MONITORING,
    test: topicTest("dr"),
    apply: (s) => {
      delete find(s, TOPIC, "tap-dr-alerts-topic").inputs.kmsMasterKeyId;
    },
  },
  {
    name: "DR topic under the primary region's key",
    suite: MONITORING,
    test: topicTest("dr"),
    apply: (s) => set(s, TOPIC, "tap-dr-alerts-topic", { kmsMasterKeyId: keyArn(s, "primary") }),
  },
  {
    name: "DR peer-api-probe alarm without actions",
    suite: MONITORING,
    test: alarmsTest("dr"),
    apply: (s) =>
      set(s, METRIC_ALARM, "tap-dr-monitoring-alarms-peer-api-probe", { alarmActions: [] }),
  },
  {
    name: "DR orchestrator-errors alarm with actions disabled",
    suite: MONITORING,
    test: alarmsTest("dr"),
    apply: (s) =>
      set(s, METRIC_ALARM, "tap-dr-monitoring-alarms-orchestrator-errors", {
        actionsEnabled: false,
      }),
  },
  {
    name: "DR corroborating alarm without actions",
    suite: MONITORING,
    test: alarmsTest("dr"),
    apply: (s) =>
      set(s, COMPOSITE_ALARM, "tap-dr-monitoring-alarms-corroborated", { alarmActions: [] }),
  },
  {
    name: "primary db-cpu alarm notifying the DR region's topic",
    suite: MONITORING,
    test: alarmsTest("primary"),
    apply: (s) =>
      set(s, METRIC_ALARM, "tap-primary-monitoring-alarms-db-cpu", {
        alarmActions: [output(s, "drAlertTopicArn")],
      }),
  },
  {
    name: "primary dynamodb-replication-latency alarm missing",
    suite: MONITORING,
    test: alarmsTest("primary"),
    apply: (s) =>
      remove(s, METRIC_ALARM, "tap-primary-monitoring-alarms-dynamodb-replication-latency"),
  },
];

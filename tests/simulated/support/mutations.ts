/**
 * Broken variants of the simulated stack: each is a fault a live test exists to catch, as a
 * change to the captured inputs (what got deployed) or to the service-side state (what AWS
 * reports). The table test (tests/simulated/live-suites.test.ts) runs the named test on each.
 */
import type { CapturedResource } from "../../support/mock-graph";
import type { SimulatedStack } from "./simulated-aws";

export interface Mutation {
  readonly name: string;
  /** The live suite, tests/integration/<suite>.test.ts. */
  readonly suite: string;
  /** The title of the test that must fail, as jest prints it. */
  readonly test: string;
  readonly apply: (stack: SimulatedStack) => void;
  /** Run on jest's fake clock: the test can only fail at its polling deadline. */
  readonly fakeTime?: boolean;
}

function find(stack: SimulatedStack, type: string, name: string): CapturedResource {
  const found = stack.run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`mutation target ${type} ${name} is not in the graph`);
  return found;
}

function set(
  stack: SimulatedStack,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): void {
  Object.assign(find(stack, type, name).inputs, inputs);
}

function remove(stack: SimulatedStack, type: string, name: string): void {
  const target = find(stack, type, name);
  stack.run.resources.splice(stack.run.resources.indexOf(target), 1);
}

const keyArn = (stack: SimulatedStack, side: "primary" | "dr"): string =>
  String(stack.run.outputs[`${side}KmsKeyArn`]);

const VPC = "aws:ec2/vpc:Vpc";
const SUBNET = "aws:ec2/subnet:Subnet";
const ROUTE = "aws:ec2/route:Route";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const KEY = "aws:kms/key:Key";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const QUEUE = "aws:sqs/queue:Queue";
const CLUSTER = "aws:rds/cluster:Cluster";
const PARAMS = "aws:rds/clusterParameterGroup:ClusterParameterGroup";
const SECRET = "aws:secretsmanager/secret:Secret";
const TABLE = "aws:dynamodb/table:Table";

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
  `spreads each ${side} tier across distinct AZs; only public subnets map public IPs`;
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
const TABLE_TEST = "replicates the transaction table to the DR region, under the DR key";
const VAULT_TEST = "keeps a vault per region under that region's key";
const COPY_TEST = "copies the daily recovery points to the DR vault";

const healthTest = (side: string) => `has a healthy Route 53 health check for the ${side} region`;
const failingHealthCheck =
  (side: "primary" | "dr") =>
  (s: SimulatedStack): void => {
    s.service.failingHealthChecks = [String(s.run.outputs[`${side}HealthCheckId`])];
  };

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
    name: "DR isolated subnet maps public IPs",
    suite: NET,
    test: tierTest("dr"),
    apply: (s) => set(s, SUBNET, "tap-dr-network-isolated-0", { mapPublicIpOnLaunch: true }),
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
    name: "backup plan without a copy to the DR vault",
    suite: "state-and-backup",
    test: COPY_TEST,
    apply: (s) => {
      const plan = find(s, "aws:backup/plan:Plan", "tap-global-backup");
      const [rule] = plan.inputs.rules as Record<string, unknown>[];
      rule.copyActions = [];
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
];

import { Graph } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";
import { serialize } from "../../support/run-cache";
import { LONGEST_NAMES_CONFIG } from "../../support/stack-config";

/**
 * Pulumi `protect` in production: a previewed `pulumi destroy` fails before it deletes
 * anything when a resource in it is protected. These are the resources whose loss is data
 * loss or an outage, counted per region (primary us-east-1, DR us-east-2).
 */
const PROTECTED: readonly [string, Record<string, number>][] = [
  ["aws:rds/globalCluster:GlobalCluster", { "us-east-1": 1 }],
  ["aws:rds/cluster:Cluster", { "us-east-1": 1, "us-east-2": 1 }],
  // RDS deletes the instances of a cluster with deletion protection; only `protect` keeps them.
  ["aws:rds/clusterInstance:ClusterInstance", { "us-east-1": 2, "us-east-2": 1 }],
  // The transaction table (its replica is part of the table resource) and each region's
  // failover control table, which holds the audit trail.
  ["aws:dynamodb/table:Table", { "us-east-1": 2, "us-east-2": 1 }],
  // txlogs, documents, the data tier's access logs and the load balancer's access logs.
  ["aws:s3/bucket:Bucket", { "us-east-1": 4, "us-east-2": 4 }],
  ["aws:backup/vault:Vault", { "us-east-1": 1, "us-east-2": 1 }],
  // The retention locks (issue #10): deleting them would drop the txlogs default retention or
  // the vault lock (DeleteBackupVaultLockConfiguration), so they are retained and protected.
  [
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
    { "us-east-1": 1, "us-east-2": 1 },
  ],
  ["aws:backup/vaultLockConfiguration:VaultLockConfiguration", { "us-east-1": 1, "us-east-2": 1 }],
  ["aws:kms/key:Key", { "us-east-1": 1, "us-east-2": 1 }],
  // The DR replica is part of the secret resource.
  ["aws:secretsmanager/secret:Secret", { "us-east-1": 1 }],
  // The transaction queue, its DLQ, the worker's and the orchestrator's on-failure queues.
  ["aws:sqs/queue:Queue", { "us-east-1": 4, "us-east-2": 4 }],
  // Created because the config names no hostedZoneId; Route 53 is global, on the primary's provider.
  ["aws:route53/zone:Zone", { "us-east-1": 1 }],
];
const PROTECTED_TYPES = PROTECTED.map(([type]) => type);
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";

/** The same production config as backup, kms and global-data tests: one program run for all. */
const PRODUCTION = {
  environmentSuffix: "dev",
  domainName: "payments.example.com",
  mode: "production",
};
const LIFTED = { ...PRODUCTION, protectResources: "false" };
const TEST = { environmentSuffix: "dev", mode: "test" };

const countByRegion = (resources: readonly CapturedResource[]): Record<string, number> => {
  const counts: Record<string, number> = {};
  for (const resource of resources) {
    counts[resource.region] = (counts[resource.region] ?? 0) + 1;
  }
  return counts;
};
const protectedIn = (graph: Graph): CapturedResource[] =>
  graph.resources.filter((resource) => resource.protect);

describe("Pulumi protect in production mode", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(PRODUCTION));
  });

  it.each(PROTECTED)("protects every %s: %j", (type, perRegion) => {
    // GIVEN a production stack WHEN registered THEN each of these resources exists where
    // expected, and every one of them is protected
    const resources = graph.ofType(type);
    expect(countByRegion(resources)).toEqual(perRegion);
    expect(resources.filter((resource) => !resource.protect).map((r) => r.name)).toEqual([]);
  });

  it("protects nothing else: the rest is rebuilt by `pulumi up`, or kept by retain-on-delete", () => {
    const others = protectedIn(graph).filter((r) => !PROTECTED_TYPES.includes(r.type));
    expect(others.map((resource) => `${resource.type} ${resource.name}`)).toEqual([]);
    // The alias holds nothing; the key it names is protected.
    expect(graph.ofType("aws:kms/alias:Alias").map((alias) => alias.protect)).toEqual([
      false,
      false,
    ]);
  });

  it("protects whatever it retains on delete, except log groups (retained, and no outage if lost)", () => {
    const retained = graph.resources.filter((r) => r.retainOnDelete && r.type !== LOG_GROUP);
    expect(retained.length).toBeGreaterThanOrEqual(2 * 7);
    expect(retained.filter((r) => !r.protect).map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });
});

describe("Pulumi protect with protectResources false (the deliberate teardown)", () => {
  let lifted: Graph;
  let production: Graph;
  beforeAll(async () => {
    [lifted, production] = await Promise.all([runProgram(LIFTED), runProgram(PRODUCTION)]).then(
      (runs) => runs.map((run) => new Graph(run)),
    );
  });

  it("protects nothing", () => {
    expect(lifted.ofType("aws:rds/cluster:Cluster")).toHaveLength(2);
    expect(protectedIn(lifted).map((resource) => resource.urn)).toEqual([]);
  });

  it("changes nothing but the protect flags, so its `pulumi up` shows no other diff", async () => {
    // Deletion protection, retain-on-delete, retention and every other input stay as in
    // production. Compared as text: the functions' code archives hold promises.
    const withoutProtect = (graph: Graph): Promise<string[]> =>
      Promise.all(graph.resources.map((resource) => serialize({ ...resource, protect: false })));
    const [liftedTexts, productionTexts] = await Promise.all([
      withoutProtect(lifted),
      withoutProtect(production),
    ]);
    expect(liftedTexts.length).toBeGreaterThan(300);
    expect(liftedTexts).toEqual(productionTexts);
  });
});

describe("Pulumi protect in test mode", () => {
  it("protects nothing, so the stack destroys in one `pulumi destroy`", async () => {
    const graph = new Graph(await runProgram(TEST));
    expect(graph.ofType("aws:rds/cluster:Cluster")).toHaveLength(2);
    expect(protectedIn(graph).map((resource) => resource.urn)).toEqual([]);
  });
});

describe("Pulumi protect with the EC2 app tier in production", () => {
  it("protects the Auto Scaling group, but not the artifacts bucket the program rebuilds", async () => {
    // The same config as app-ec2.test.ts: one program run for both.
    const graph = new Graph(
      await runProgram({ ...LONGEST_NAMES_CONFIG, appTier: "ec2", natGateways: "single" }),
    );
    const groups = graph.ofType("aws:autoscaling/group:Group");
    expect(groups.map((group) => group.protect)).toEqual([true, true]);
    const buckets = graph.ofType("aws:s3/bucket:Bucket");
    const artifacts = buckets.filter((bucket) =>
      String(bucket.inputs.bucket).includes("artifacts"),
    );
    expect(artifacts.map((bucket) => bucket.protect)).toEqual([false, false]);
    expect(buckets.filter((bucket) => bucket.protect)).toHaveLength(2 * 4);
  });
});

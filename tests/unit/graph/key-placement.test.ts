import { Graph, regionOfArn } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

interface KeyUse {
  readonly type: string;
  readonly resource: string;
  readonly path: string;
  readonly keyRegion: string;
  readonly expectedRegion: string;
}

/** Every type that takes a customer-managed key today; a new one must be added here. */
const ENCRYPTED_TYPES = [
  "aws:backup/vault:Vault",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:dynamodb/table:Table",
  // The app tier's functions encrypt their environment variables with the region's key (L-10).
  "aws:lambda/function:Function",
  "aws:rds/cluster:Cluster",
  "aws:rds/clusterInstance:ClusterInstance",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:secretsmanager/secret:Secret",
  // The alert topics: under their own region's key, so alerts outlive the other region.
  "aws:sns/topic:Topic",
  "aws:sqs/queue:Queue",
];

const KMS_KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):\d{12}:key\//;
const S3_BUCKET_ARN = /^arn:aws:s3:::[^/]+$/;

/**
 * Every KMS key ARN anywhere in a resource's inputs, with the region the data it
 * encrypts lives in: the resource's own region, or, inside a replica block, the
 * replica's region (`region`/`regionName`), or, inside an S3 replication
 * destination, the destination bucket's region.
 */
function keyUses(graph: Graph, resource: CapturedResource): KeyUse[] {
  const uses: KeyUse[] = [];
  const walk = (value: unknown, path: string, region: string): void => {
    if (typeof value === "string") {
      const match = KMS_KEY_ARN.exec(value);
      if (match) {
        uses.push({
          type: resource.type,
          resource: resource.name,
          path,
          keyRegion: match[1],
          expectedRegion: region,
        });
      }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`, region));
      return;
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      let here = region;
      for (const field of ["regionName", "region"]) {
        if (typeof record[field] === "string" && path !== "") here = record[field];
      }
      if (typeof record.bucket === "string" && S3_BUCKET_ARN.test(record.bucket)) {
        here = graph.byArn(record.bucket).region;
      }
      for (const [key, child] of Object.entries(record)) {
        walk(child, path === "" ? key : `${path}.${key}`, here);
      }
    }
  };
  walk(resource.inputs, "", resource.region);
  return uses;
}

describe("KMS key placement across the whole graph", () => {
  let graph: Graph;
  let uses: KeyUse[];
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
    uses = graph.cloudResources.flatMap((resource) => keyUses(graph, resource));
  });

  it("finds the key references of every encrypted store and replica", () => {
    const paths = new Set(uses.map((use) => `${use.resource} ${use.path}`));
    // A sample the walk must see; if it does not, it is not looking where the keys are.
    for (const expected of [
      "tap-global-state-table replicas[0].kmsKeyArn",
      "tap-global-db-secret replicas[0].kmsKeyId",
      "tap-dr-data-aurora-cluster kmsKeyId",
      "tap-dr-app-worker kmsKeyArn",
      "tap-global-replication-to-dr-txlogs rules[0].destination.encryptionConfiguration.replicaKmsKeyId",
    ]) {
      expect(paths).toContain(expected);
    }
    const types = new Set(uses.map((use) => use.type));
    expect([...types].sort()).toEqual(ENCRYPTED_TYPES);
  });

  it("encrypts everything, replicas included, with a key in the region where the data lives", () => {
    const misplaced = uses.filter((use) => use.keyRegion !== use.expectedRegion);
    expect(misplaced).toEqual([]);
  });

  it("copies backups to a vault whose key is in the vault's region", () => {
    const [plan] = graph.ofType("aws:backup/plan:Plan");
    const copies = (plan.inputs.rules as { copyActions?: { destinationVaultArn: string }[] }[])
      .flatMap((rule) => rule.copyActions ?? [])
      .map((copy) => graph.byArn(copy.destinationVaultArn));
    expect(copies.length).toBeGreaterThan(0);
    for (const vault of copies) {
      expect(regionOfArn(vault.inputs.kmsKeyArn)).toBe(vault.region);
      expect(vault.region).not.toBe(plan.region);
    }
  });
});

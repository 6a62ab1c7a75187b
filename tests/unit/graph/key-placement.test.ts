import { KeyUse, keyRegionFindings, keyUsesOf } from "../../../tools/graph/deployability";
import { Graph, regionOfArn } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";

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
    // The walk `npm run plan` runs too (tools/graph/deployability.ts), over the same index.
    uses = graph.cloudResources.flatMap((resource) => keyUsesOf(graph.index, resource));
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
    expect(keyRegionFindings(graph.run)).toEqual([]);
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

import { REPLICATION_TIME_MINUTES } from "../../../lib/global/bucket-replication";
import { ABORT_INCOMPLETE_UPLOAD_DAYS } from "../../../lib/data/secure-bucket";
import { Graph, PolicyStatement, asArray, policyOf, regionOfArn, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const BUCKET = "aws:s3/bucket:Bucket";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const REGIONS = ["us-east-1", "us-east-2"];
const PEER: Record<string, string> = { "us-east-1": "us-east-2", "us-east-2": "us-east-1" };

/** The sub-resource of a given type that configures this bucket. */
const configOf = (graph: Graph, bucket: CapturedResource, type: string): CapturedResource => {
  const found = graph.ofType(type).filter((r) => r.inputs.bucket === `${bucket.name}-id`);
  expect([type, bucket.name, found.length]).toEqual([type, bucket.name, 1]);
  return found[0];
};
const bucketNamed = (graph: Graph, name: unknown): CapturedResource => {
  const found = graph.ofType(BUCKET).find((bucket) => bucket.inputs.bucket === name);
  if (!found) throw new Error(`no bucket named ${String(name)}`);
  return found;
};
const purposeOf = (bucket: CapturedResource): string =>
  /^tap-[a-z0-9-]+?-(txlogs|documents|access-logs|alb-logs)-\d{12}-/.exec(
    str(bucket, "bucket"),
  )?.[1] ?? "";
/** Log buckets: SSE-S3, because S3 server access logging and ALB access logs cannot use SSE-KMS. */
const isLogBucket = (bucket: CapturedResource): boolean =>
  ["access-logs", "alb-logs"].includes(purposeOf(bucket));

describe.each([
  ["test", true, false, 7],
  ["production", false, true, 90],
])("S3 buckets in %s mode", (mode, forceDestroy, retained, noncurrentDays) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ environmentSuffix: "dev", domainName: "payments.example.com", mode }),
    );
  });

  it("creates transaction-log, document and access-log buckets in each region", () => {
    for (const region of REGIONS) {
      const purposes = graph
        .ofType(BUCKET)
        .filter((bucket) => bucket.region === region)
        .map(purposeOf)
        .sort();
      // alb-logs: the app tier's load balancer access logs (tested in app-load-balancer.test.ts).
      expect(purposes).toEqual(["access-logs", "alb-logs", "documents", "txlogs"]);
    }
  });

  it(`${forceDestroy ? "empties" : "keeps"} buckets on destroy and ${retained ? "retains" : "does not retain"} them`, () => {
    for (const bucket of graph.ofType(BUCKET)) {
      expect([bucket.inputs.bucket, bucket.inputs.forceDestroy, bucket.retainOnDelete]).toEqual([
        bucket.inputs.bucket,
        forceDestroy,
        retained,
      ]);
    }
  });

  it("blocks all public access, enforces bucket-owner ownership and versions every bucket", () => {
    for (const bucket of graph.ofType(BUCKET)) {
      expect(
        configOf(graph, bucket, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
      ).toMatchObject({
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(
        configOf(graph, bucket, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
          .rule,
      ).toEqual({
        objectOwnership: "BucketOwnerEnforced",
      });
      expect(
        configOf(graph, bucket, "aws:s3/bucketVersioning:BucketVersioning").inputs
          .versioningConfiguration,
      ).toEqual({
        status: "Enabled",
      });
    }
  });

  it("encrypts data buckets with their own region's key and bucket keys; the log bucket with SSE-S3", () => {
    for (const bucket of graph.ofType(BUCKET)) {
      const [rule] = configOf(
        graph,
        bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs.rules as {
        applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId?: string };
        bucketKeyEnabled?: boolean;
      }[];
      if (isLogBucket(bucket)) {
        // S3 server access logging and ALB access logs cannot deliver into an SSE-KMS bucket.
        expect(rule.applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
      } else {
        expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
        expect(rule.bucketKeyEnabled).toBe(true);
        const key = graph.byArn(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId);
        expect([key.type, key.region]).toEqual(["aws:kms/key:Key", bucket.region]);
      }
    }
  });

  it("denies every request without TLS, on the bucket and its objects, after the public access block", () => {
    for (const bucket of graph.ofType(BUCKET)) {
      const policy = configOf(graph, bucket, "aws:s3/bucketPolicy:BucketPolicy");
      const deny = policyOf(policy).Statement.find((s: PolicyStatement) => s.Effect === "Deny");
      const arn = `arn:aws:s3:::${str(bucket, "bucket")}`;
      expect(deny).toMatchObject({
        Action: "s3:*",
        Resource: [arn, `${arn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      const block = configOf(
        graph,
        bucket,
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      );
      expect(graph.dependsOn(policy, block)).toBe(true);
    }
  });

  it("lets only S3 log delivery for this account's stack buckets write into the log bucket", () => {
    for (const bucket of graph.ofType(BUCKET).filter((b) => purposeOf(b) === "access-logs")) {
      const allow = policyOf(
        configOf(graph, bucket, "aws:s3/bucketPolicy:BucketPolicy"),
      ).Statement.filter((s: PolicyStatement) => s.Effect === "Allow");
      expect(allow).toHaveLength(1);
      expect(allow[0]).toMatchObject({
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Condition: {
          StringEquals: { "aws:SourceAccount": "123456789012" },
        },
      });
      expect(allow[0].Condition?.ArnLike["aws:SourceArn"]).toMatch(
        /^arn:aws:s3:::tap-dev-\*-use[12]$/,
      );
    }
  });

  it("logs server access of each data bucket into its own region's log bucket, after that bucket's policy", () => {
    for (const bucket of graph.ofType(BUCKET).filter((b) => !isLogBucket(b))) {
      const logging = configOf(graph, bucket, "aws:s3/bucketLogging:BucketLogging");
      const target = bucketNamed(graph, logging.inputs.targetBucket);
      expect([purposeOf(target), target.region]).toEqual(["access-logs", bucket.region]);
      const targetPolicy = configOf(graph, target, "aws:s3/bucketPolicy:BucketPolicy");
      expect(graph.dependsOn(logging, targetPolicy)).toBe(true);
    }
  });

  it(`expires noncurrent versions after ${noncurrentDays} days and aborts stale multipart uploads`, () => {
    for (const bucket of graph.ofType(BUCKET)) {
      const lifecycle = configOf(
        graph,
        bucket,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      );
      const rules = lifecycle.inputs.rules as Record<string, unknown>[];
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            status: "Enabled",
            noncurrentVersionExpiration: { noncurrentDays },
          }),
          expect.objectContaining({
            status: "Enabled",
            abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS },
          }),
        ]),
      );
      for (const rule of rules) {
        expect(rule.filter).toEqual({});
      }
      const versioning = configOf(graph, bucket, "aws:s3/bucketVersioning:BucketVersioning");
      expect(graph.dependsOn(lifecycle, versioning)).toBe(true);
    }
  });
});

describe.each([
  ["test", {}, undefined],
  ["production", {}, { mode: "GOVERNANCE", days: 365 }],
  [
    "production",
    { txlogsLockMode: "compliance", txlogsRetentionDays: "2555" },
    { mode: "COMPLIANCE", days: 2555 },
  ],
])("S3 Object Lock in %s mode with %j", (mode, config, expected) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode,
        ...config,
      }),
    );
  });

  const txlogsBuckets = (): CapturedResource[] =>
    graph.ofType(BUCKET).filter((bucket) => purposeOf(bucket) === "txlogs");

  if (expected === undefined) {
    it("locks nothing, so force-destroy can still empty and delete every bucket", () => {
      expect(graph.ofType(OBJECT_LOCK)).toEqual([]);
      for (const bucket of graph.ofType(BUCKET)) {
        expect(bucket.inputs.forceDestroy).toBe(true);
        expect(bucket.inputs.objectLockEnabled).toBeUndefined();
      }
    });
    return;
  }

  it(`locks both regions' txlogs buckets (${expected.mode}, ${expected.days} days), after versioning, and no other bucket`, () => {
    expect(
      txlogsBuckets()
        .map((bucket) => bucket.region)
        .sort(),
    ).toEqual(REGIONS);
    for (const bucket of txlogsBuckets()) {
      const lock = configOf(graph, bucket, OBJECT_LOCK);
      expect(lock.inputs).toMatchObject({
        objectLockEnabled: "Enabled",
        rule: { defaultRetention: { mode: expected.mode, days: expected.days } },
      });
      expect(lock.region).toBe(bucket.region);
      expect(lock.retainOnDelete).toBe(true);
      const versioning = configOf(graph, bucket, "aws:s3/bucketVersioning:BucketVersioning");
      expect(graph.dependsOn(lock, versioning)).toBe(true);
      // The standalone resource enables Object Lock on the existing bucket: no replacement.
      expect(bucket.inputs.objectLockEnabled).toBeUndefined();
    }
    const locked = graph.ofType(OBJECT_LOCK).map((lock) => lock.inputs.bucket);
    expect(locked.sort()).toEqual(
      txlogsBuckets()
        .map((bucket) => `${bucket.name}-id`)
        .sort(),
    );
  });

  it("replicates txlogs only after Object Lock is on at both ends, with a role that can read lock state", () => {
    for (const config of graph.ofType(REPLICATION)) {
      const source = bucketNamed(graph, config.inputs.bucket);
      if (purposeOf(source) !== "txlogs") continue;
      const [rule] = config.inputs.rules as { destination: { bucket: string } }[];
      const destination = graph.byArn(rule.destination.bucket);
      for (const bucket of [source, destination]) {
        expect(graph.dependsOn(config, configOf(graph, bucket, OBJECT_LOCK))).toBe(true);
      }
      const role = graph.byArn(config.inputs.role);
      const read = graph
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === role.inputs.name)
        .flatMap((p) => policyOf(p).Statement)
        .find((statement) => statement.Sid === "ReadObjectVersionsToReplicate") as PolicyStatement;
      expect(asArray(read.Action)).toEqual(
        expect.arrayContaining(["s3:GetObjectRetention", "s3:GetObjectLegalHold"]),
      );
      expect(asArray(read.Resource)).toContain(`arn:aws:s3:::${str(source, "bucket")}/*`);
    }
  });
});

describe("S3 replication, both ways", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
  });

  it("configures each data bucket in its own region to replicate to the same-purpose bucket of the other", () => {
    const configs = graph.ofType(REPLICATION);
    expect(configs).toHaveLength(4);
    for (const config of configs) {
      const source = bucketNamed(graph, config.inputs.bucket);
      const [rule] = config.inputs.rules as {
        destination: { bucket: string };
      }[];
      const destination = graph.byArn(rule.destination.bucket);
      expect(config.region).toBe(source.region);
      expect(destination.region).toBe(PEER[source.region]);
      expect(purposeOf(destination)).toBe(purposeOf(source));
      expect(purposeOf(source)).not.toBe("access-logs");
    }
  });

  it("uses Replication Time Control with metrics at 15 minutes, delete markers and the V2 filter schema", () => {
    for (const config of graph.ofType(REPLICATION)) {
      const rules = config.inputs.rules as Record<string, unknown>[];
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Enabled" },
        destination: {
          replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
          metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
        },
      });
      expect(REPLICATION_TIME_MINUTES).toBe(15);
    }
  });

  it("replicates KMS-encrypted objects re-encrypted with the destination region's key, and syncs replica modifications", () => {
    for (const config of graph.ofType(REPLICATION)) {
      const [rule] = config.inputs.rules as {
        sourceSelectionCriteria: Record<string, unknown>;
        destination: { encryptionConfiguration: { replicaKmsKeyId: string } };
      }[];
      expect(rule.sourceSelectionCriteria).toEqual({
        sseKmsEncryptedObjects: { status: "Enabled" },
        replicaModifications: { status: "Enabled" },
      });
      const key = graph.byArn(rule.destination.encryptionConfiguration.replicaKmsKeyId);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", PEER[config.region]]);
    }
  });

  it("is created after versioning is on in both buckets, and after the role can read and write", () => {
    for (const config of graph.ofType(REPLICATION)) {
      const source = bucketNamed(graph, config.inputs.bucket);
      const [rule] = config.inputs.rules as { destination: { bucket: string } }[];
      const destination = graph.byArn(rule.destination.bucket);
      for (const bucket of [source, destination]) {
        const versioning = configOf(graph, bucket, "aws:s3/bucketVersioning:BucketVersioning");
        expect([bucket.region, graph.dependsOn(config, versioning)]).toEqual([bucket.region, true]);
      }
      const role = graph.byArn(config.inputs.role);
      const destinationPolicy = graph
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .find((p) => p.inputs.role === role.inputs.name && str(p, "name").includes("destination"));
      expect(graph.dependsOn(config, destinationPolicy as CapturedResource)).toBe(true);
      const sourcePolicy = graph
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .find((p) => p.inputs.role === role.inputs.name && str(p, "name").includes("source"));
      expect(graph.dependsOn(config, sourcePolicy as CapturedResource)).toBe(true);
    }
  });

  it("uses the source region's replication role, one per direction, trusted by S3 as AWS documents it", () => {
    const roles = new Map<string, string>();
    for (const config of graph.ofType(REPLICATION)) {
      const role = graph.byArn(config.inputs.role);
      expect(role.region).toBe(config.region);
      roles.set(config.region, str(role, "name"));
      const trust = policyOf(role, "assumeRolePolicy").Statement[0];
      expect(trust.Principal).toEqual({ Service: "s3.amazonaws.com" });
      // S3 does not document sending aws:SourceAccount when it assumes a replication role; a
      // condition it does not meet would leave pulumi up green and replication failing.
      expect(trust.Condition).toBeUndefined();
    }
    expect([...roles.entries()].sort()).toEqual([
      ["us-east-1", "tap-dev-s3-replication-use1"],
      ["us-east-2", "tap-dev-s3-replication-use2"],
    ]);
  });

  it("grants each role reads and decrypt on its own region's buckets, writes and encrypt on the peer's", () => {
    for (const region of REGIONS) {
      const roleName = `tap-dev-s3-replication-${region === "us-east-1" ? "use1" : "use2"}`;
      const statements = graph
        .ofType("aws:iam/rolePolicy:RolePolicy")
        .filter((p) => p.inputs.role === roleName)
        .flatMap((p) => policyOf(p).Statement);
      const bySid = (sid: string) => statements.find((s) => s.Sid === sid) as PolicyStatement;
      const regionsOf = (statement: PolicyStatement) =>
        asArray(statement.Resource).map(
          (arn) =>
            bucketNamed(graph, arn.replace(/^arn:aws:s3:::/, "").replace(/\/\*$/, "")).region,
        );
      expect(new Set(regionsOf(bySid("ReadObjectVersionsToReplicate")))).toEqual(new Set([region]));
      expect(new Set(regionsOf(bySid("WriteReplicas")))).toEqual(new Set([PEER[region]]));
      expect(regionOfArn(bySid("DecryptSourceObjects").Resource)).toBe(region);
      expect(bySid("DecryptSourceObjects").Condition).toEqual({
        StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
      });
      expect(regionOfArn(bySid("EncryptReplicas").Resource)).toBe(PEER[region]);
      expect(bySid("EncryptReplicas").Condition).toEqual({
        StringEquals: { "kms:ViaService": `s3.${PEER[region]}.amazonaws.com` },
      });
    }
  });
});

/**
 * Metric streams (operations.metricStreams): in each region a CloudWatch metric stream into a
 * Firehose delivery stream of the SAME region, which writes to the region's metrics bucket; S3
 * replication with RTC copies the bucket to the other region's. Off (the default) adds nothing.
 */
import { METRICS_RETENTION_DAYS } from "../../../lib/data/regional-data-tier";
import {
  REPLICATION_TIME_MINUTES,
  replicatedPurposes,
} from "../../../lib/global/bucket-replication";
import {
  DELIVERY_BUFFER_MIB,
  DELIVERY_BUFFER_SECONDS,
  STREAMED_NAMESPACES,
} from "../../../lib/monitoring/metric-stream-settings";
import { AWS_NAME_RULES, METRIC_STREAM_NAME_RULES, NameRule } from "../../support/aws-name-limits";
import {
  Graph,
  PolicyDocument,
  PolicyStatement,
  asArray,
  policyOf,
  regionOfArn,
  str,
} from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";
import { LONGEST_NAMES_CONFIG } from "../../support/stack-config";

const METRIC_STREAM = "aws:cloudwatch/metricStream:MetricStream";
const DELIVERY_STREAM = "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream";
const BUCKET = "aws:s3/bucket:Bucket";
const REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const KEY = "aws:kms/key:Key";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPONENT = "tap:monitoring:MetricStream";
const ACCOUNT = "123456789012";

const BASE = { environmentSuffix: "dev", mode: "test" } as const;
const OFF = { ...BASE, metricStreams: "false" } as const;
const ON = { ...BASE, metricStreams: "true" } as const;
/** Production, a 16-character suffix and the longest region codes: retention and name limits. */
const ON_LONGEST = { ...LONGEST_NAMES_CONFIG, metricStreams: "true" } as const;

const REGIONS = ["us-east-1", "us-east-2"];
const PEER: Record<string, string> = { "us-east-1": "us-east-2", "us-east-2": "us-east-1" };

const isMetricsBucket = (bucket: CapturedResource): boolean =>
  /^tap-[a-z0-9-]+?-metrics-\d{12}-[a-z0-9]+$/.test(str(bucket, "bucket"));
const metricsBuckets = (graph: Graph): CapturedResource[] =>
  graph.ofType(BUCKET).filter(isMetricsBucket);
const bucketNamed = (graph: Graph, name: unknown): CapturedResource => {
  const found = graph.ofType(BUCKET).find((bucket) => bucket.inputs.bucket === name);
  if (!found) throw new Error(`no bucket named ${String(name)}`);
  return found;
};
/** The sub-resource of a given type that configures this bucket. */
const configOf = (graph: Graph, bucket: CapturedResource, type: string): CapturedResource => {
  const found = graph.ofType(type).filter((r) => r.inputs.bucket === `${bucket.name}-id`);
  expect([type, bucket.name, found.length]).toEqual([type, bucket.name, 1]);
  return found[0];
};
const inRegion = (resources: CapturedResource[], region: string): CapturedResource => {
  const found = resources.filter((resource) => resource.region === region);
  expect([region, found.length]).toEqual([region, 1]);
  return found[0];
};
/** The inline policies attached to a role (RolePolicy.role is the role's id or name). */
const policiesOf = (graph: Graph, role: CapturedResource): PolicyDocument[] =>
  graph
    .ofType(ROLE_POLICY)
    .filter((p) => p.inputs.role === `${role.name}-id` || p.inputs.role === role.inputs.name)
    .map((p) => policyOf(p));
const statement = (documents: PolicyDocument[], sid: string): PolicyStatement => {
  const found = documents.flatMap((d) => d.Statement).find((s) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};
const keyOf = (graph: Graph, arn: unknown): CapturedResource => {
  const key = graph.byArn(arn);
  expect(key.type).toBe(KEY);
  return key;
};

describe("which buckets replicate", () => {
  const bucket = { bucketName: "b", bucketArn: "arn:aws:s3:::b" };
  const data = { txlogs: bucket, documents: bucket };
  const withMetrics = { ...data, metrics: bucket };

  it.each([
    ["neither region has metrics", data, data, ["txlogs", "documents"]],
    ["both regions have metrics", withMetrics, withMetrics, ["txlogs", "documents", "metrics"]],
  ])("pairs the data buckets, and the metrics buckets when %s", (_, primary, dr, expected) => {
    expect(
      replicatedPurposes(
        { region: "us-east-1", buckets: primary },
        { region: "us-east-2", buckets: dr },
      ),
    ).toEqual(expected);
  });

  it.each([
    [withMetrics, data, "the metrics bucket of us-east-1 has no counterpart in us-east-2"],
    [data, withMetrics, "the metrics bucket of us-east-2 has no counterpart in us-east-1"],
  ])("refuses a metrics bucket without a counterpart", (primary, dr, message) => {
    expect(() =>
      replicatedPurposes(
        { region: "us-east-1", buckets: primary },
        { region: "us-east-2", buckets: dr },
      ),
    ).toThrow(`${message}; both regions must be built with the same operations.metricStreams`);
  });
});

describe("metric streams off (the default)", () => {
  let base: Graph;
  let off: Graph;
  beforeAll(async () => {
    base = new Graph(await runProgram(BASE));
    off = new Graph(await runProgram(OFF));
  });

  it("creates no metric stream, delivery stream, metrics bucket or metric-stream role", () => {
    expect(off.ofType(METRIC_STREAM)).toEqual([]);
    expect(off.ofType(DELIVERY_STREAM)).toEqual([]);
    expect(off.ofType(COMPONENT)).toEqual([]);
    expect(metricsBuckets(off)).toEqual([]);
    const roleNames = off.ofType("aws:iam/role:Role").map((role) => str(role, "name"));
    expect(roleNames.filter((name) => name.includes("metric"))).toEqual([]);
  });

  it("leaves the graph exactly as a stack without the key: same resources, same inputs", () => {
    const summary = (graph: Graph) =>
      graph.resources.map((r) => [r.urn, JSON.stringify(r.inputs), r.region]).sort();
    expect(summary(off)).toEqual(summary(base));
  });

  it("keeps Firehose out of the keys' policies", () => {
    for (const key of off.ofType(KEY)) {
      expect(JSON.stringify(policyOf(key))).not.toContain("firehose");
    }
  });
});

describe("metric streams on", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(ON));
  });

  it.each(REGIONS)(
    "streams %s's metrics into a delivery stream of the same region, in JSON",
    (region) => {
      const stream = inRegion(graph.ofType(METRIC_STREAM), region);
      const delivery = graph.byArn(stream.inputs.firehoseArn);
      expect([delivery.type, delivery.region]).toEqual([DELIVERY_STREAM, region]);
      expect(regionOfArn(stream.inputs.firehoseArn)).toBe(region);
      expect(stream.inputs.outputFormat).toBe("json");
      expect(stream.inputs.excludeFilters).toBeUndefined();
    },
  );

  it("includes the namespaces the alarms and dashboards read, and AWS/Route53 only in us-east-1", () => {
    const namespaces = (region: string) =>
      (
        inRegion(graph.ofType(METRIC_STREAM), region).inputs.includeFilters as {
          namespace: string;
        }[]
      ).map((filter) => filter.namespace);
    const common = [
      "AWS/RDS",
      "AWS/Lambda",
      "AWS/ApplicationELB",
      "AWS/DynamoDB",
      "AWS/SQS",
      "AWS/S3",
      "TapDr/Failover",
    ];
    expect([...STREAMED_NAMESPACES]).toEqual(common);
    expect(namespaces("us-east-1")).toEqual([...common, "AWS/Route53"]);
    expect(namespaces("us-east-2")).toEqual(common);
  });

  it.each(REGIONS)(
    "gives %s's stream a role CloudWatch assumes, allowed only to write its own delivery stream",
    (region) => {
      const stream = inRegion(graph.ofType(METRIC_STREAM), region);
      const role = graph.byArn(stream.inputs.roleArn);
      const [trust] = policyOf(role, "assumeRolePolicy").Statement;
      expect(trust).toEqual({
        Effect: "Allow",
        Principal: { Service: "streams.metrics.cloudwatch.amazonaws.com" },
        Action: "sts:AssumeRole",
      });
      // AWS documents a plain trust policy for metric streams ("Trust between CloudWatch and
      // Firehose"); a source condition the service does not send would stop the stream.
      expect(trust.Condition).toBeUndefined();
      const policies = policiesOf(graph, role);
      const put = statement(policies, "PutRecordsIntoOwnDeliveryStream");
      expect(asArray(put.Action)).toEqual(["firehose:PutRecord", "firehose:PutRecordBatch"]);
      expect(put.Resource).toBe(stream.inputs.firehoseArn);
      const kms = statement(policies, "EncryptRecordsThroughFirehose");
      expect(asArray(kms.Action)).toEqual(["kms:GenerateDataKey", "kms:Decrypt"]);
      expect(keyOf(graph, kms.Resource).region).toBe(region);
      expect(kms.Condition).toEqual({
        StringEquals: { "kms:ViaService": `firehose.${region}.amazonaws.com` },
      });
      const actions = policies.flatMap((d) => d.Statement).flatMap((s) => asArray(s.Action));
      expect(actions.sort()).toEqual(
        [
          "firehose:PutRecord",
          "firehose:PutRecordBatch",
          "kms:Decrypt",
          "kms:GenerateDataKey",
        ].sort(),
      );
    },
  );

  it.each(REGIONS)(
    "encrypts %s's delivery stream and its objects with that region's key, into that region's metrics bucket",
    (region) => {
      const delivery = inRegion(graph.ofType(DELIVERY_STREAM), region);
      expect(delivery.inputs.destination).toBe("extended_s3");
      const sse = delivery.inputs.serverSideEncryption as Record<string, unknown>;
      expect(sse).toMatchObject({ enabled: true, keyType: "CUSTOMER_MANAGED_CMK" });
      expect(keyOf(graph, sse.keyArn).region).toBe(region);
      const s3 = delivery.inputs.extendedS3Configuration as Record<string, unknown>;
      expect(keyOf(graph, s3.kmsKeyArn).region).toBe(region);
      const bucket = graph.byArn(s3.bucketArn);
      expect([bucket.type, bucket.region, isMetricsBucket(bucket)]).toEqual([BUCKET, region, true]);
      expect(s3).toMatchObject({
        bufferingInterval: DELIVERY_BUFFER_SECONDS,
        bufferingSize: DELIVERY_BUFFER_MIB,
        compressionFormat: "GZIP",
      });
      expect([DELIVERY_BUFFER_SECONDS, DELIVERY_BUFFER_MIB]).toEqual([60, 1]);
      expect(String(s3.prefix)).toMatch(
        new RegExp(`^metrics/region=${region}/year=!\\{timestamp:yyyy\\}/`),
      );
      // A prefix with expressions needs an error prefix holding the error output type.
      expect(String(s3.errorOutputPrefix)).toContain(
        `errors/region=${region}/!{firehose:error-output-type}/`,
      );
    },
  );

  it.each(REGIONS)(
    "logs %s's delivery errors to an existing stream of a group encrypted with the region's key",
    (region) => {
      const delivery = inRegion(graph.ofType(DELIVERY_STREAM), region);
      const logging = (delivery.inputs.extendedS3Configuration as Record<string, unknown>)
        .cloudwatchLoggingOptions as {
        enabled: boolean;
        logGroupName: string;
        logStreamName: string;
      };
      expect(logging.enabled).toBe(true);
      const group = graph
        .ofType(LOG_GROUP)
        .find((g) => g.region === region && g.inputs.name === logging.logGroupName);
      expect(group?.inputs.name).toBe("/tap/dev/metric-stream-delivery");
      expect(keyOf(graph, group?.inputs.kmsKeyId).region).toBe(region);
      const stream = graph
        .ofType("aws:cloudwatch/logStream:LogStream")
        .find((s) => s.region === region && s.inputs.name === logging.logStreamName);
      expect(stream?.inputs.logGroupName).toBe(logging.logGroupName);
    },
  );

  it.each(REGIONS)(
    "lets Firehose in %s write only the region's bucket, key (through S3) and error stream",
    (region) => {
      const delivery = inRegion(graph.ofType(DELIVERY_STREAM), region);
      const s3 = delivery.inputs.extendedS3Configuration as Record<string, unknown>;
      const role = graph.byArn(s3.roleArn);
      const [trust] = policyOf(role, "assumeRolePolicy").Statement;
      expect(trust).toEqual({
        Effect: "Allow",
        Principal: { Service: "firehose.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": ACCOUNT } },
      });
      const policies = policiesOf(graph, role);
      const bucketArn = String(s3.bucketArn);
      expect(statement(policies, "WriteMetricsBucket").Resource).toEqual([
        bucketArn,
        `${bucketArn}/*`,
      ]);
      const kms = statement(policies, "EncryptObjectsThroughS3");
      expect(keyOf(graph, kms.Resource).region).toBe(region);
      expect(kms.Condition).toEqual({
        StringEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
        StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketArn, `${bucketArn}/*`] },
      });
      const logs = statement(policies, "WriteDeliveryErrors");
      expect(logs.Action).toBe("logs:PutLogEvents");
      expect(logs.Resource).toBe(
        `arn:aws:logs:${region}:${ACCOUNT}:log-group:/tap/dev/metric-stream-delivery:log-stream:S3Delivery`,
      );
      expect(policies.flatMap((d) => d.Statement)).toHaveLength(3);
      // Firehose checks the role on creation: the policy exists before the delivery stream.
      const rolePolicy = graph
        .ofType(ROLE_POLICY)
        .find((p) => p.inputs.role === `${role.name}-id`) as CapturedResource;
      expect(graph.dependsOn(delivery, rolePolicy)).toBe(true);
    },
  );

  it.each(REGIONS)(
    "builds %s's metrics bucket like the data buckets: region's key, TLS only, versioned, logged, expiring",
    (region) => {
      const bucket = inRegion(metricsBuckets(graph), region);
      expect([bucket.inputs.forceDestroy, bucket.retainOnDelete]).toEqual([true, false]);
      const [rule] = configOf(
        graph,
        bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs.rules as {
        applyServerSideEncryptionByDefault: { sseAlgorithm: string; kmsMasterKeyId: string };
      }[];
      expect(rule.applyServerSideEncryptionByDefault.sseAlgorithm).toBe("aws:kms");
      expect(keyOf(graph, rule.applyServerSideEncryptionByDefault.kmsMasterKeyId).region).toBe(
        region,
      );
      const deny = policyOf(configOf(graph, bucket, "aws:s3/bucketPolicy:BucketPolicy")).Statement;
      expect(deny).toEqual([
        expect.objectContaining({
          Effect: "Deny",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ]);
      expect(
        configOf(graph, bucket, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs,
      ).toMatchObject({ blockPublicAcls: true, restrictPublicBuckets: true });
      expect(
        configOf(graph, bucket, "aws:s3/bucketVersioning:BucketVersioning").inputs
          .versioningConfiguration,
      ).toEqual({ status: "Enabled" });
      const logging = configOf(graph, bucket, "aws:s3/bucketLogging:BucketLogging");
      const target = bucketNamed(graph, logging.inputs.targetBucket);
      expect([target.region, str(target, "bucket")]).toEqual([
        region,
        expect.stringContaining("-access-logs-"),
      ]);
      const rules = configOf(
        graph,
        bucket,
        "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      ).inputs.rules as Record<string, unknown>[];
      expect(rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ expiration: { days: METRICS_RETENTION_DAYS } }),
        ]),
      );
      expect(METRICS_RETENTION_DAYS).toBe(35);
    },
  );

  it.each(REGIONS)(
    "replicates %s's metrics bucket to the other region's, under that region's key, with RTC",
    (region) => {
      const source = inRegion(metricsBuckets(graph), region);
      const configs = graph
        .ofType(REPLICATION)
        .filter((config) => config.inputs.bucket === source.inputs.bucket);
      expect(configs).toHaveLength(1);
      const [config] = configs;
      expect(config.region).toBe(region);
      const [rule] = config.inputs.rules as {
        id: string;
        destination: {
          bucket: string;
          encryptionConfiguration: { replicaKmsKeyId: string };
        };
      }[];
      expect(rule).toMatchObject({
        id: `to-${PEER[region]}`,
        status: "Enabled",
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
          replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
          metrics: { status: "Enabled", eventThreshold: { minutes: REPLICATION_TIME_MINUTES } },
        },
      });
      const destination = graph.byArn(rule.destination.bucket);
      expect([destination.region, isMetricsBucket(destination)]).toEqual([PEER[region], true]);
      expect(keyOf(graph, rule.destination.encryptionConfiguration.replicaKmsKeyId).region).toBe(
        PEER[region],
      );
    },
  );

  it.each(REGIONS)(
    "lets %s's replication role read its metrics bucket and write the other region's",
    (region) => {
      const source = inRegion(metricsBuckets(graph), region);
      const config = graph
        .ofType(REPLICATION)
        .find((c) => c.inputs.bucket === source.inputs.bucket) as CapturedResource;
      const role = graph.byArn(config.inputs.role);
      const policies = policiesOf(graph, role);
      const sourceArn = `arn:aws:s3:::${str(source, "bucket")}`;
      expect(asArray(statement(policies, "ReadReplicationConfiguration").Resource)).toContain(
        sourceArn,
      );
      expect(asArray(statement(policies, "ReadObjectVersionsToReplicate").Resource)).toContain(
        `${sourceArn}/*`,
      );
      const peer = inRegion(metricsBuckets(graph), PEER[region]);
      expect(asArray(statement(policies, "WriteReplicas").Resource)).toContain(
        `arn:aws:s3:::${str(peer, "bucket")}/*`,
      );
    },
  );

  it("alarms on each direction's metrics replication in the source bucket's region", () => {
    for (const region of REGIONS) {
      const source = inRegion(metricsBuckets(graph), region);
      const alarms = graph
        .ofType(METRIC_ALARM)
        .filter(
          (alarm) =>
            alarm.inputs.namespace === "AWS/S3" &&
            (alarm.inputs.dimensions as Record<string, string>).SourceBucket ===
              source.inputs.bucket,
        );
      expect(alarms.map((alarm) => alarm.inputs.metricName).sort()).toEqual([
        "OperationsFailedReplication",
        "ReplicationLatency",
      ]);
      for (const alarm of alarms) {
        expect(alarm.region).toBe(region);
      }
    }
  });

  it("lets each key be used through Firehose of its own region", () => {
    for (const key of graph.ofType(KEY)) {
      for (const sid of ["UseThroughListedServicesOnly", "GrantsForAwsResourcesOfListedServices"]) {
        const via = policyOf(key).Statement.find((s) => s.Sid === sid)?.Condition?.StringEquals[
          "kms:ViaService"
        ] as string[];
        expect(via).toContain(`firehose.${key.region}.amazonaws.com`);
        expect(via.every((service) => service.endsWith(`.${key.region}.amazonaws.com`))).toBe(true);
      }
    }
  });

  it("puts every resource of each metric stream on its own region's provider", () => {
    const components = graph.ofType(COMPONENT);
    expect(components).toHaveLength(2);
    const seen = new Set<string>();
    for (const component of components) {
      const region = graph.ancestorsOf(component).some((a) => a.type === "tap:region:DrRegion")
        ? "us-east-2"
        : "us-east-1";
      const children = graph.resources.filter(
        (resource) =>
          resource.custom && graph.ancestorsOf(resource).some((a) => a.urn === component.urn),
      );
      expect(children.map((child) => child.type).sort()).toEqual(
        [
          "aws:cloudwatch/logGroup:LogGroup",
          "aws:cloudwatch/logStream:LogStream",
          "aws:iam/role:Role",
          "aws:iam/role:Role",
          "aws:iam/rolePolicy:RolePolicy",
          "aws:iam/rolePolicy:RolePolicy",
          DELIVERY_STREAM,
          METRIC_STREAM,
        ].sort(),
      );
      for (const child of children) {
        expect([child.type, child.region]).toEqual([child.type, region]);
      }
      seen.add(region);
    }
    expect([...seen].sort()).toEqual(REGIONS);
  });
});

describe("metric streams in production, at the longest names", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(ON_LONGEST));
  });

  it("retains and protects the metrics buckets and never empties them on destroy", () => {
    const buckets = metricsBuckets(graph);
    expect(buckets.map((bucket) => bucket.region).sort()).toEqual([
      "ap-northeast-3",
      "ap-southeast-2",
    ]);
    for (const bucket of buckets) {
      expect([bucket.inputs.forceDestroy, bucket.retainOnDelete, bucket.protect]).toEqual([
        false,
        true,
        true,
      ]);
    }
  });

  it("includes AWS/Route53 in neither region when neither is us-east-1", () => {
    for (const stream of graph.ofType(METRIC_STREAM)) {
      const namespaces = (stream.inputs.includeFilters as { namespace: string }[]).map(
        (filter) => filter.namespace,
      );
      expect(namespaces).toEqual([...STREAMED_NAMESPACES]);
    }
  });

  it("fits every name within its AWS limit and character set, with the suffix where the stack chooses it", () => {
    const rules: Record<string, readonly NameRule[]> = {
      ...AWS_NAME_RULES,
      ...METRIC_STREAM_NAME_RULES,
    };
    const named = graph.cloudResources.filter((r) => typeof r.inputs.name === "string");
    expect(Object.keys(rules)).toEqual(
      expect.arrayContaining([...new Set(named.map((r) => r.type))]),
    );
    for (const [type, typeRules] of Object.entries(METRIC_STREAM_NAME_RULES)) {
      for (const rule of typeRules) {
        expect([
          type,
          graph.ofType(type).some((r) => typeof r.inputs[rule.field] === "string"),
        ]).toEqual([type, true]);
      }
    }
    const violations: string[] = [];
    for (const resource of graph.cloudResources) {
      for (const rule of rules[resource.type] ?? []) {
        const name = resource.inputs[rule.field];
        if (typeof name !== "string" || name.length > rule.max || !rule.pattern.test(name)) {
          violations.push(`${resource.type} ${rule.field}=${String(name)} (max ${rule.max})`);
        } else if (
          rule.suffixed !== false &&
          !name.includes(LONGEST_NAMES_CONFIG.environmentSuffix)
        ) {
          violations.push(`${resource.type} ${rule.field}=${name} lacks the suffix`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("gives the metric-stream roles and policies names unique across both regions (IAM is global)", () => {
    for (const type of ["aws:iam/role:Role", ROLE_POLICY]) {
      const names = graph
        .ofType(type)
        .map((resource) => str(resource, "name"))
        .filter((name) => name.includes("metric"));
      // Per region: the stream's and Firehose's.
      expect(names).toHaveLength(4);
      expect(new Set(names).size).toBe(names.length);
    }
  });
});

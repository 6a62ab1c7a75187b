/**
 * Where alerts go and how they are viewed: each region's alert topic under its own key, the RDS
 * failover events, the alarms that need both regions (S3 replication, Route 53 health checks in
 * us-east-1), and the dashboards with each widget's region.
 */
import { Graph, PolicyStatement, asArray, policyOf, regionOfArn, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const TOPIC = "aws:sns/topic:Topic";
const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const DASHBOARD = "aws:cloudwatch/dashboard:Dashboard";
const KEY = "aws:kms/key:Key";
const HEALTH_CHECK = "aws:route53/healthCheck:HealthCheck";
const DOMAIN = "payments.example.com";

const US = { environmentSuffix: "dev", domainName: DOMAIN, mode: "test" } as const;
const EU_REGIONS = { primaryRegion: "eu-west-1", drRegion: "eu-central-1" } as const;
const EU = { ...US, ...EU_REGIONS } as const;
const NO_DOMAIN = { environmentSuffix: "dev", mode: "test", ...EU_REGIONS } as const;

const dims = (alarm: CapturedResource): Record<string, string> =>
  (alarm.inputs.dimensions ?? {}) as Record<string, string>;
const alarmsIn = (graph: Graph, namespace: string): CapturedResource[] =>
  graph.ofType(METRIC_ALARM).filter((alarm) => alarm.inputs.namespace === namespace);

interface Widget {
  type: string;
  properties: { region?: string; metrics?: unknown[][]; query?: string; alarms?: string[] };
}
const widgetsOf = (dashboard: CapturedResource): Widget[] =>
  (JSON.parse(str(dashboard, "dashboardBody")) as { widgets: Widget[] }).widgets;

describe("alert topics", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram({ ...US, alertEmail: "oncall@example.com" }));
  });

  it("creates one topic per region, encrypted with that region's own key", () => {
    const topics = graph.ofType(TOPIC);
    expect(topics.map((topic) => [topic.region, str(topic, "name")]).sort()).toEqual([
      ["us-east-1", "tap-dev-alerts-use1"],
      ["us-east-2", "tap-dev-alerts-use2"],
    ]);
    for (const topic of topics) {
      const key = graph.byArn(topic.inputs.kmsMasterKeyId);
      expect([key.type, key.region]).toEqual([KEY, topic.region]);
    }
  });

  it("signs deliveries with SHA256 (signature version 2), not the SHA1 default", () => {
    for (const topic of graph.ofType(TOPIC)) {
      expect(topic.inputs.signatureVersion).toBe(2);
    }
  });

  it("lets CloudWatch, EventBridge and RDS events publish for this account only, and only over TLS", () => {
    for (const policy of graph.ofType("aws:sns/topicPolicy:TopicPolicy")) {
      const topic = graph.byArn(policy.inputs.arn);
      expect(topic.region).toBe(policy.region);
      const statements = policyOf(policy).Statement;
      const publish = statements.find((s) => s.Sid === "AwsServicesPublishForThisAccount");
      expect(publish?.Principal?.Service).toEqual([
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
        "events.rds.amazonaws.com",
      ]);
      expect(publish?.Action).toBe("sns:Publish");
      expect(publish?.Condition).toEqual({
        StringEquals: { "aws:SourceAccount": "123456789012" },
      });
      const tls = statements.find((s) => s.Effect === "Deny");
      expect(tls?.Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
      expect(asArray(tls?.Action)).toContain("sns:Publish");
      for (const statement of statements) {
        expect(statement.Resource).toBe(policy.inputs.arn);
      }
    }
  });

  it("lets the publishing services use each region's key for its encrypted topic", () => {
    for (const key of graph.ofType(KEY)) {
      const statements = policyOf(key).Statement;
      const services = (s: PolicyStatement) => asArray(s.Principal?.Service);
      const grantsDataKeys = (principal: string) =>
        statements.some(
          (s) =>
            s.Effect === "Allow" &&
            services(s).includes(principal) &&
            asArray(s.Action).includes("kms:GenerateDataKey*") &&
            asArray(s.Action).includes("kms:Decrypt"),
        );
      for (const principal of [
        "cloudwatch.amazonaws.com",
        "events.amazonaws.com",
        "events.rds.amazonaws.com",
      ]) {
        expect([key.region, principal, grantsDataKeys(principal)]).toEqual([
          key.region,
          principal,
          true,
        ]);
      }
    }
  });

  it("subscribes the configured email to both regions' topics", () => {
    const subscriptions = graph.ofType("aws:sns/topicSubscription:TopicSubscription");
    expect(subscriptions.map((s) => s.region).sort()).toEqual(["us-east-1", "us-east-2"]);
    for (const subscription of subscriptions) {
      expect(subscription.inputs).toMatchObject({
        protocol: "email",
        endpoint: "oncall@example.com",
      });
      expect(graph.byArn(subscription.inputs.topic).region).toBe(subscription.region);
    }
  });

  it("sends each cluster's global-failover, failover and failure events to its own region's topic", () => {
    const subscriptions = graph.ofType("aws:rds/eventSubscription:EventSubscription");
    expect(subscriptions.map((s) => s.region).sort()).toEqual(["us-east-1", "us-east-2"]);
    for (const subscription of subscriptions) {
      const [cluster] = graph
        .ofType("aws:rds/cluster:Cluster")
        .filter((candidate) => candidate.region === subscription.region);
      expect(subscription.inputs).toMatchObject({
        sourceType: "db-cluster",
        sourceIds: [str(cluster, "clusterIdentifier")],
        eventCategories: ["global-failover", "failover", "failure"],
        enabled: true,
      });
      const topic = graph.byArn(subscription.inputs.snsTopic);
      expect([topic.type, topic.region]).toEqual([TOPIC, subscription.region]);
    }
  });
});

describe("alarms that need both regions", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(US));
  });

  it("watches every S3 replication rule in its SOURCE bucket's region, with both buckets and the rule id", () => {
    const configs = graph.ofType("aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    const alarms = alarmsIn(graph, "AWS/S3");
    expect(alarms).toHaveLength(configs.length * 2);
    for (const alarm of alarms) {
      const { SourceBucket, DestinationBucket, RuleId } = dims(alarm);
      const [config] = configs.filter((c) => c.inputs.bucket === SourceBucket);
      const [rule] = config.inputs.rules as { id: string; destination: { bucket: string } }[];
      expect(RuleId).toBe(rule.id);
      expect(`arn:aws:s3:::${DestinationBucket}`).toBe(rule.destination.bucket);
      expect(alarm.region).toBe(config.region);
      const source = graph
        .ofType("aws:s3/bucket:Bucket")
        .find((bucket) => bucket.inputs.bucket === SourceBucket);
      expect(source?.region).toBe(alarm.region);
    }
    expect(alarms.map((a) => a.inputs.metricName).sort()).toEqual(
      configs.flatMap(() => ["OperationsFailedReplication", "ReplicationLatency"]).sort(),
    );
  });

  it.each([
    ["us-east-1 is the primary", US, "us-east-1"],
    ["neither region is us-east-1", EU, undefined],
  ])(
    "puts the Route 53 health-check alarms in us-east-1 when %s",
    async (_, config, primaryRegion) => {
      const run = new Graph(await runProgram(config));
      const alarms = alarmsIn(run, "AWS/Route53");
      const checks = run.ofType(HEALTH_CHECK);
      expect(alarms).toHaveLength(2);
      expect(alarms.map((alarm) => run.byId(dims(alarm).HealthCheckId).urn).sort()).toEqual(
        checks.map((check) => check.urn).sort(),
      );
      for (const alarm of alarms) {
        expect(alarm.region).toBe("us-east-1");
        expect(alarm.inputs).toMatchObject({
          metricName: "HealthCheckStatus",
          comparisonOperator: "LessThanThreshold",
          threshold: 1,
        });
        const topic = run.byArn((alarm.inputs.alarmActions as string[])[0]);
        expect(topic.region).toBe("us-east-1");
        // Its key is in us-east-1 too: the primary's own, or a dedicated one.
        expect(regionOfArn(topic.inputs.kmsMasterKeyId)).toBe("us-east-1");
      }
      const topics = run.ofType(TOPIC).map((topic) => topic.region);
      expect(topics.sort()).toEqual(
        primaryRegion === undefined
          ? ["eu-central-1", "eu-west-1", "us-east-1"]
          : ["us-east-1", "us-east-2"],
      );
    },
  );

  it("has no health-check alarm, and no us-east-1 topic, without a domain (no health checks exist)", async () => {
    const run = new Graph(await runProgram(NO_DOMAIN));
    expect(run.ofType(HEALTH_CHECK)).toEqual([]);
    expect(alarmsIn(run, "AWS/Route53")).toEqual([]);
    expect(
      run
        .ofType(TOPIC)
        .map((topic) => topic.region)
        .sort(),
    ).toEqual(["eu-central-1", "eu-west-1"]);
  });
});

describe("dashboards", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(EU));
  });

  it("gives each region a dashboard whose every metric and log widget reads that region", () => {
    for (const [region, code] of [
      ["eu-west-1", "euw1"],
      ["eu-central-1", "euc1"],
    ]) {
      const dashboard = graph
        .ofType(DASHBOARD)
        .find((d) => d.inputs.dashboardName === `tap-dev-dr-${code}`);
      expect(dashboard?.region).toBe(region);
      const widgets = widgetsOf(dashboard!).filter((w) => w.type === "metric" || w.type === "log");
      expect(widgets.length).toBeGreaterThan(5);
      expect(new Set(widgets.map((w) => w.properties.region))).toEqual(new Set([region]));
      const orchestrator = `/aws/lambda/tap-dev-orchestrator-${code}`;
      expect(widgets.some((w) => w.properties.query?.startsWith(`SOURCE '${orchestrator}'`))).toBe(
        true,
      );
    }
  });

  it("puts the global DR dashboard in the DR region, with widgets for both regions and Route 53's us-east-1", () => {
    const dashboard = graph
      .ofType(DASHBOARD)
      .find((d) => d.inputs.dashboardName === "tap-dev-dr-global");
    expect(dashboard?.region).toBe("eu-central-1");
    const widgets = widgetsOf(dashboard!);
    const regions = widgets.flatMap((w) => (w.properties.region ? [w.properties.region] : []));
    expect(new Set(regions)).toEqual(new Set(["eu-west-1", "eu-central-1", "us-east-1"]));
    const metricNames = widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => m[1]));
    expect(metricNames).toEqual(
      expect.arrayContaining([
        "AuroraGlobalDBReplicationLag",
        "PeerApiProbeFailed",
        "HealthCheckStatus",
        "HTTPCode_ELB_5XX_Count",
      ]),
    );
    // Each region's failover trigger: the alarm ARNs are in the region they name.
    const alarmWidgets = widgets.filter((w) => w.type === "alarm");
    const alarmRegions = alarmWidgets.flatMap((w) => (w.properties.alarms ?? []).map(regionOfArn));
    expect(new Set(alarmRegions)).toEqual(new Set(["eu-west-1", "eu-central-1"]));
  });

  it("keeps every Route 53 metric line of every dashboard in us-east-1", () => {
    for (const dashboard of graph.ofType(DASHBOARD)) {
      for (const widget of widgetsOf(dashboard)) {
        const route53 = (widget.properties.metrics ?? []).some((m) => m[0] === "AWS/Route53");
        if (route53) expect(widget.properties.region).toBe("us-east-1");
      }
    }
  });
});

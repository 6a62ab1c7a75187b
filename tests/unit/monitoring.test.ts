/**
 * The pure parts of the monitoring: the corroborating rule, the metric contract shared with the
 * prober, the alarm specs' arithmetic, the topic policy and the dashboards' layout.
 */
import {
  PEER_REGION_DIMENSION,
  PROBER_METRIC_NAMESPACE,
  PROBER_SERVICE_NAME,
  ProberMetricNames,
} from "../../lambda/health-prober/observability";
import { ALARM_THRESHOLD_DEFAULTS } from "../../lib/operations/operations-config";
import { lambdaAlarms, proberAlarms } from "../../lib/monitoring/alarm-specs";
import { atLeastTwoOf } from "../../lib/monitoring/composite-rule";
import {
  DashboardRegion,
  globalDashboardBody,
  regionalDashboardBody,
} from "../../lib/monitoring/dashboard-body";
import {
  FAILOVER_NAMESPACE,
  PROBER_METRICS,
  PROBER_SERVICE,
  proberDimensions,
  queueNameOfUrl,
} from "../../lib/monitoring/metric-contract";
import { alertTopicPolicy } from "../../lib/monitoring/topic-policy";
import { PolicyStatement } from "../support/graph";

describe("the corroborating rule", () => {
  it("is an OR of every pair, each alarm quoted", () => {
    expect(atLeastTwoOf(["a", "b", "c"])).toBe(
      '(ALARM("a") AND ALARM("b")) OR (ALARM("a") AND ALARM("c")) OR (ALARM("b") AND ALARM("c"))',
    );
  });

  it.each([
    [["a"], "a corroborating rule needs at least two alarms; got 1 (a)"],
    [["a", "a"], "a corroborating rule needs distinct alarms; got a, a"],
  ])("refuses %j: %s", (names, message) => {
    expect(() => atLeastTwoOf(names)).toThrow(message);
  });
});

describe("the prober's metric contract", () => {
  it("matches what lambda/health-prober publishes, name for name", () => {
    expect(FAILOVER_NAMESPACE).toBe(PROBER_METRIC_NAMESPACE);
    expect(PROBER_SERVICE).toBe(PROBER_SERVICE_NAME);
    expect(Object.keys(proberDimensions("eu-west-1"))).toEqual(["service", PEER_REGION_DIMENSION]);
    expect(Object.values(PROBER_METRICS).sort()).toEqual(Object.values(ProberMetricNames).sort());
  });

  it("alarms on both failure metrics of the given peer for every minute of the window", () => {
    const specs = proberAlarms("us-west-2", 5);
    expect(specs.map((spec) => [spec.metricName, spec.dimensions])).toEqual([
      ["PeerApiProbeFailed", { service: "health-prober", PeerRegion: "us-west-2" }],
      ["PeerRegionProbeFailed", { service: "health-prober", PeerRegion: "us-west-2" }],
    ]);
    for (const spec of specs) {
      expect([spec.evaluationPeriods, spec.datapointsToAlarm, spec.periodSeconds]).toEqual([
        5, 5, 60,
      ]);
    }
  });
});

describe("alarm specs", () => {
  it.each([
    [30, 80, 24_000],
    [10, 50, 5_000],
    [15, 33, 4_950],
  ])(
    "sets a %i s function's p99 duration threshold at %i%% of its timeout: %i ms",
    (timeoutSeconds, lambdaDurationPercent, expected) => {
      const duration = lambdaAlarms(
        { key: "fn", functionName: "tap-dev-fn-use1", timeoutSeconds },
        { ...ALARM_THRESHOLD_DEFAULTS, lambdaDurationPercent },
      ).find((spec) => spec.metricName === "Duration");
      expect([duration?.statistic, duration?.threshold]).toEqual(["p99", expected]);
    },
  );

  it("reads the queue name from an SQS URL, and refuses a URL without one", () => {
    expect(
      queueNameOfUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/tap-dev-transactions-euw1"),
    ).toBe("tap-dev-transactions-euw1");
    expect(() => queueNameOfUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/")).toThrow(
      'queue URL "https://sqs.eu-west-1.amazonaws.com/123456789012/" has no queue name after its last "/"',
    );
  });
});

describe("the alert topic policy", () => {
  const statements = alertTopicPolicy({
    topicArn: "arn:aws:sns:eu-west-1:111122223333:tap-dev-alerts-euw1",
    accountId: "111122223333",
    partition: "aws",
  }).Statement as PolicyStatement[];

  it("denies every request made without TLS, whoever makes it", () => {
    const deny = statements.find((statement) => statement.Effect === "Deny");
    expect(deny).toMatchObject({
      Principal: { AWS: "*" },
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  });

  it("keeps the account's own access, through IAM, on this topic only", () => {
    const owner = statements.find((statement) => statement.Sid === "OwnerAccountThroughIam");
    expect(owner).toMatchObject({
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:root" },
      Resource: "arn:aws:sns:eu-west-1:111122223333:tap-dev-alerts-euw1",
    });
  });
});

describe("dashboard bodies", () => {
  const side = (role: string, region: string, peerRegion: string): DashboardRegion => ({
    role,
    region,
    peerRegion,
    clusterIdentifier: `tap-dev-db-${region}`,
    functionNames: ["api", "worker", "orchestrator", "prober"].map((f) => `tap-dev-${f}`),
    loadBalancerArnSuffix: "app/tap-dev-api/0123",
    targetGroupArnSuffix: "targetgroup/tap-dev-fn/0123",
    tableName: "tap-dev-transactions",
    workQueueName: "tap-dev-transactions",
    deadLetterQueueNames: ["tap-dev-transactions-dlq"],
    orchestratorLogGroupName: "/aws/lambda/tap-dev-orchestrator",
    alarmArns: [`arn:aws:cloudwatch:${region}:111122223333:alarm:a`],
    corroboratingAlarmArn: `arn:aws:cloudwatch:${region}:111122223333:alarm:c`,
  });
  const primary = side("primary", "eu-west-1", "eu-central-1");
  const dr = side("dr", "eu-central-1", "eu-west-1");

  interface Placed {
    x: number;
    y: number;
    width: number;
    height: number;
  }
  const overlaps = (a: Placed, b: Placed): boolean =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  it.each([
    ["regional", regionalDashboardBody(primary)],
    [
      "global",
      globalDashboardBody(
        primary,
        dr,
        [{ region: "eu-west-1", healthCheckId: "hc-1" }],
        [
          {
            sourceRegion: "eu-west-1",
            sourceBucket: "a",
            destinationBucket: "b",
            ruleId: "to-eu-central-1",
          },
        ],
      ),
    ],
  ])("lays the %s dashboard's widgets on the 24-wide grid without overlaps", (_, body) => {
    const widgets = (JSON.parse(body) as { widgets: Placed[] }).widgets;
    for (const widget of widgets) {
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
    }
    widgets.forEach((a, i) =>
      widgets.slice(i + 1).forEach((b) => expect([a, b, overlaps(a, b)]).toEqual([a, b, false])),
    );
  });
});

/**
 * The alarms as a deployment depends on them: each on the exact metric AWS (or the prober)
 * publishes, in the region it is published in, notifying a topic of that same region; and the
 * corroborating composite alarm that triggers a failover only when two signals agree.
 */
import { corroboratingAlarmName } from "../../../lib/monitoring/alarm-names";
import { ALARM_THRESHOLD_DEFAULTS } from "../../../lib/operations/operations-config";
import { Graph, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const TOPIC = "aws:sns/topic:Topic";
const FUNCTION = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";

const PRIMARY = "us-east-1";
const DR = "us-east-2";
const PEER: Readonly<Record<string, string>> = { [PRIMARY]: DR, [DR]: PRIMARY };
const WINDOW = 4;
const CONFIG = {
  environmentSuffix: "dev",
  domainName: "payments.example.com",
  mode: "test",
  failoverWindowMinutes: String(WINDOW),
  alarmThresholds: { replicationLagMs: 7000, lambdaDurationPercent: 50 },
};
const THRESHOLDS = { ...ALARM_THRESHOLD_DEFAULTS, ...CONFIG.alarmThresholds };

const dims = (alarm: CapturedResource): Record<string, string> =>
  (alarm.inputs.dimensions ?? {}) as Record<string, string>;
const actions = (alarm: CapturedResource, field: "alarmActions" | "okActions"): string[] =>
  (alarm.inputs[field] ?? []) as string[];

/** The region's metric alarms on one metric. */
function alarmsOn(graph: Graph, region: string, namespace: string, metricName: string) {
  return graph
    .ofType(METRIC_ALARM)
    .filter(
      (alarm) =>
        alarm.region === region &&
        alarm.inputs.namespace === namespace &&
        alarm.inputs.metricName === metricName,
    );
}

/** Evaluates an OR-of-ANDs rule of ALARM("name") terms with the given alarms in ALARM. */
function ruleFires(rule: string, inAlarm: ReadonlySet<string>): boolean {
  return rule
    .split(" OR ")
    .some((term) =>
      [...term.matchAll(/ALARM\("([^"]+)"\)/g)].every(([, name]) => inAlarm.has(name)),
    );
}

describe("regional alarms", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(CONFIG));
  });

  it("gives every alarm ALARM and OK actions to an alert topic in the alarm's own region", () => {
    const alarms = [...graph.ofType(METRIC_ALARM), ...graph.ofType(COMPOSITE_ALARM)];
    expect(alarms.length).toBeGreaterThan(40);
    const misrouted = alarms.flatMap((alarm) =>
      (["alarmActions", "okActions"] as const).flatMap((field) => {
        const targets = actions(alarm, field);
        if (targets.length === 0) return [`${alarm.name} has no ${field}`];
        return targets
          .map((arn) => graph.byArn(arn))
          .filter((topic) => topic.type !== TOPIC || topic.region !== alarm.region)
          .map((topic) => `${alarm.name} (${alarm.region}) -> ${topic.type} in ${topic.region}`);
      }),
    );
    expect(misrouted).toEqual([]);
    for (const alarm of alarms) {
      expect([alarm.name, alarm.inputs.actionsEnabled]).toEqual([alarm.name, true]);
    }
  });

  it("treats missing data as not breaching everywhere, so idle or headless resources stay OK", () => {
    const others = graph
      .ofType(METRIC_ALARM)
      .filter((alarm) => alarm.inputs.treatMissingData !== "notBreaching");
    expect(others.map((alarm) => alarm.name)).toEqual([]);
  });

  describe.each([PRIMARY, DR])("in %s", (region) => {
    const peer = PEER[region];

    it.each([
      ["PeerApiProbeFailed", "peer-api-probe"],
      ["PeerRegionProbeFailed", "peer-region-probe"],
    ])("alarms on %s about the OTHER region, failing every minute of the window", (metricName) => {
      const [alarm, ...more] = alarmsOn(graph, region, "TapDr/Failover", metricName);
      expect(more).toEqual([]);
      expect(dims(alarm)).toEqual({ service: "health-prober", PeerRegion: peer });
      expect(alarm.inputs).toMatchObject({
        statistic: "Sum",
        period: 60,
        evaluationPeriods: WINDOW,
        datapointsToAlarm: WINDOW,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        // A dead prober must not look like a dead peer.
        treatMissingData: "notBreaching",
      });
    });

    it("alarms on Aurora global replication and RPO lag of the region's own cluster", () => {
      const [cluster] = graph
        .ofType("aws:rds/cluster:Cluster")
        .filter((candidate) => candidate.region === region);
      for (const [metricName, threshold] of [
        ["AuroraGlobalDBReplicationLag", THRESHOLDS.replicationLagMs],
        ["AuroraGlobalDBRPOLag", THRESHOLDS.rpoLagMs],
      ] as const) {
        const [alarm, ...more] = alarmsOn(graph, region, "AWS/RDS", metricName);
        expect(more).toEqual([]);
        expect(dims(alarm)).toEqual({ DBClusterIdentifier: str(cluster, "clusterIdentifier") });
        expect(alarm.inputs).toMatchObject({
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: WINDOW,
          threshold,
          comparisonOperator: "GreaterThanThreshold",
        });
      }
      for (const metricName of ["CPUUtilization", "DatabaseConnections"]) {
        const [alarm] = alarmsOn(graph, region, "AWS/RDS", metricName);
        expect(dims(alarm)).toEqual({ DBClusterIdentifier: str(cluster, "clusterIdentifier") });
      }
    });

    it("watches errors, throttles and p99 duration of every function of the region, and only those", () => {
      const functions = graph.ofType(FUNCTION).filter((fn) => fn.region === region);
      expect(functions.map((fn) => str(fn, "name")).sort()).toEqual(
        // The primary alone runs the master secret's rotation function.
        [
          "api",
          ...(region === PRIMARY ? ["db-rotation"] : []),
          "orchestrator",
          "prober",
          "worker",
        ].map((purpose) => `tap-dev-${purpose}-${region === PRIMARY ? "use1" : "use2"}`),
      );
      for (const metricName of ["Errors", "Throttles", "Duration"]) {
        const watched = alarmsOn(graph, region, "AWS/Lambda", metricName).map(
          (alarm) => dims(alarm).FunctionName,
        );
        expect([metricName, watched.sort()]).toEqual([
          metricName,
          functions.map((fn) => str(fn, "name")).sort(),
        ]);
      }
      for (const fn of functions) {
        const [duration] = alarmsOn(graph, region, "AWS/Lambda", "Duration").filter(
          (alarm) => dims(alarm).FunctionName === fn.inputs.name,
        );
        expect(duration.inputs.extendedStatistic).toBe("p99");
        expect(duration.inputs.statistic).toBeUndefined();
        expect(duration.inputs.threshold).toBe(
          ((fn.inputs.timeout as number) * 1000 * THRESHOLDS.lambdaDurationPercent) / 100,
        );
      }
    });

    it("watches the load balancer's 5xx and its target group's unhealthy hosts by ARN suffix", () => {
      const [lb] = graph
        .ofType("aws:lb/loadBalancer:LoadBalancer")
        .filter((candidate) => candidate.region === region);
      const [targetGroup] = graph
        .ofType("aws:lb/targetGroup:TargetGroup")
        .filter((candidate) => candidate.region === region);
      const lbSuffix = `app/${str(lb, "name")}/0123456789abcdef`;
      const tgSuffix = `targetgroup/${str(targetGroup, "name")}/0123456789abcdef`;
      for (const metricName of ["HTTPCode_ELB_5XX_Count", "HTTPCode_Target_5XX_Count"]) {
        const [alarm] = alarmsOn(graph, region, "AWS/ApplicationELB", metricName);
        expect(dims(alarm)).toEqual({ LoadBalancer: lbSuffix });
        expect(alarm.inputs).toMatchObject({ statistic: "Sum", threshold: THRESHOLDS.alb5xxCount });
      }
      const [unhealthy] = alarmsOn(graph, region, "AWS/ApplicationELB", "UnHealthyHostCount");
      expect(dims(unhealthy)).toEqual({ TargetGroup: tgSuffix, LoadBalancer: lbSuffix });
    });

    it("watches the global table's replication TO the other region, from this one", () => {
      const [table] = graph.ofType("aws:dynamodb/table:Table").filter((t) => {
        const name = String(t.inputs.name);
        return name === "tap-dev-transactions";
      });
      const [latency] = alarmsOn(graph, region, "AWS/DynamoDB", "ReplicationLatency");
      expect(dims(latency)).toEqual({ TableName: str(table, "name"), ReceivingRegion: peer });
      for (const metricName of ["ReadThrottleEvents", "WriteThrottleEvents"]) {
        const [alarm] = alarmsOn(graph, region, "AWS/DynamoDB", metricName);
        expect(dims(alarm)).toEqual({ TableName: str(table, "name") });
      }
    });

    it("watches the depth of every dead-letter and failure queue, and the age of the work queue", () => {
      const queues = graph
        .ofType(QUEUE)
        .filter((queue) => queue.region === region)
        .map((queue) => str(queue, "name"));
      const work = queues.filter((name) => /-transactions-[a-z0-9]+$/.test(name));
      expect(work).toHaveLength(1);
      const depth = alarmsOn(graph, region, "AWS/SQS", "ApproximateNumberOfMessagesVisible").map(
        (alarm) => dims(alarm).QueueName,
      );
      expect(depth.sort()).toEqual(queues.filter((name) => name !== work[0]).sort());
      const age = alarmsOn(graph, region, "AWS/SQS", "ApproximateAgeOfOldestMessage");
      expect(age.map((alarm) => dims(alarm).QueueName)).toEqual(work);
      expect(age[0].inputs.threshold).toBe(THRESHOLDS.queueOldestMessageSeconds);
    });

    it("corroborates: the composite alarm fires when at least two of the three signals are in ALARM, never on one", () => {
      const [composite, ...more] = graph
        .ofType(COMPOSITE_ALARM)
        .filter((alarm) => alarm.region === region);
      expect(more).toEqual([]);
      expect(composite.inputs.alarmName).toBe(
        corroboratingAlarmName({ environmentSuffix: "dev", region }),
      );
      const signalName = (namespace: string, metricName: string): string =>
        str(alarmsOn(graph, region, namespace, metricName)[0], "name");
      const signals = [
        signalName("TapDr/Failover", "PeerApiProbeFailed"),
        signalName("TapDr/Failover", "PeerRegionProbeFailed"),
        signalName("AWS/RDS", "AuroraGlobalDBReplicationLag"),
      ];
      const rule = str(composite, "alarmRule");
      const referenced = new Set([...rule.matchAll(/ALARM\("([^"]+)"\)/g)].map(([, name]) => name));
      expect([...referenced].sort()).toEqual([...signals].sort());
      // Every combination of the three signals: ALARM exactly when two or more are.
      for (let mask = 0; mask < 8; mask += 1) {
        const inAlarm = new Set(signals.filter((_, i) => (mask >> i) & 1));
        expect([[...inAlarm], ruleFires(rule, inAlarm)]).toEqual([[...inAlarm], inAlarm.size >= 2]);
      }
    });

    it("names the composite alarm the orchestrator acts on, as its environment says", () => {
      const [composite] = graph.ofType(COMPOSITE_ALARM).filter((alarm) => alarm.region === region);
      const [orchestrator] = graph
        .ofType(FUNCTION)
        .filter((fn) => fn.region === region && String(fn.inputs.name).includes("orchestrator"));
      const variables = (orchestrator.inputs.environment as { variables: Record<string, string> })
        .variables;
      expect(variables.CORROBORATING_ALARM_NAME).toBe(composite.inputs.alarmName);
    });
  });
});

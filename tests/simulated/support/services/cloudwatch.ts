/**
 * Test-only: the simulated cloudwatch API (see ../simulated-aws.ts): the alarms of the client's
 * region from the graph (DescribeAlarms), and the metrics the failover automation reads
 * (GetMetricData) from a model of what publishes them. A metric nothing here models has no
 * datapoints, as an unpublished metric has none in CloudWatch.
 */
import {
  CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricAlarm,
  type MetricDataQuery,
  type MetricDataResult,
  type StateValue,
} from "@aws-sdk/client-cloudwatch";
import { mockClient } from "aws-sdk-client-mock";
import { parseProberEvent } from "../../../../lambda/health-prober/event";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import type { CapturedResource } from "../../../support/mock-graph";
import { route53Health } from "../internet/health-checker";
import { tlsHandshake } from "../internet/load-balancer";
import { reach, statusOf } from "../internet/reachability";
import { Cloud, awsError, bool, record, regionOf, text, refuseUnsimulated } from "../cloud";

const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const COMPOSITE_ALARM = "aws:cloudwatch/compositeAlarm:CompositeAlarm";
const FUNCTION = "aws:lambda/function:Function";

/** DescribeAlarms' page size when MaxRecords is not given (assumed; the API caps it at 100). */
const DEFAULT_MAX_RECORDS = 50;
/** What AuroraGlobalDBReplicationLag reports for a healthy secondary, in milliseconds. */
const HEALTHY_REPLICATION_LAG_MS = 150;

const strings = (value: unknown): string[] | undefined =>
  Array.isArray(value) ? value.map(String) : undefined;

/** One published datapoint value per whole minute of a metric. */
type Series = (minute: number) => number[];

export function installCloudWatch(cloud: () => Cloud): () => void {
  const cloudwatch = mockClient(CloudWatchClient);
  refuseUnsimulated(cloudwatch);
  const alarmArn = (region: string, name: string): string =>
    `arn:aws:cloudwatch:${region}:${TEST_ACCOUNT_ID}:alarm:${name}`;
  const state = (c: Cloud, name: string) => {
    const value = (c.stack.service.alarmStates[name] ?? "OK") as StateValue;
    return {
      StateValue: value,
      StateReason:
        value === "OK"
          ? "Threshold Crossed: no datapoints were breaching the threshold"
          : `Simulated state ${value}`,
      StateUpdatedTimestamp: new Date(0),
    };
  };

  // DescribeAlarmsOutput: MetricAlarms (MetricAlarm[]) and, only when AlarmTypes names it,
  // CompositeAlarms (CompositeAlarm[]); without AlarmTypes only metric alarms are returned.
  // Alarms are regional: a client sees only its region's. NextToken pages past MaxRecords.
  cloudwatch
    .on(DescribeAlarmsCommand)
    .callsFake(async (input: DescribeAlarmsCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
        throw awsError(
          "InvalidParameterCombination",
          "AlarmNames and AlarmNamePrefix cannot be used together",
        );
      }
      if ((input.AlarmNames?.length ?? 0) > 100) {
        throw awsError("InvalidParameterValue", "AlarmNames has more than 100 members");
      }
      const types = input.AlarmTypes ?? ["MetricAlarm"];
      const wanted = (name: string): boolean =>
        (input.AlarmNames === undefined || input.AlarmNames.includes(name)) &&
        (input.AlarmNamePrefix === undefined || name.startsWith(input.AlarmNamePrefix));
      const metric: MetricAlarm[] = types.includes("MetricAlarm")
        ? c
            .of(METRIC_ALARM, region)
            .map((alarm) => ({ alarm, name: c.nameOf(alarm) }))
            .filter(({ name }) => wanted(name))
            .map(({ alarm, name }) => metricAlarm(c, alarm, name))
        : [];
      const composite: CompositeAlarm[] = types.includes("CompositeAlarm")
        ? c
            .of(COMPOSITE_ALARM, region)
            .map((alarm) => ({ alarm, name: String(alarm.inputs.alarmName) }))
            .filter(({ name }) => wanted(name))
            .map(({ alarm, name }) => ({
              AlarmName: name,
              AlarmArn: alarmArn(region, name),
              AlarmDescription: text(alarm.inputs.alarmDescription),
              AlarmRule: text(alarm.inputs.alarmRule),
              ActionsEnabled: bool(alarm.inputs.actionsEnabled, true),
              AlarmActions: strings(alarm.inputs.alarmActions) ?? [],
              OKActions: strings(alarm.inputs.okActions) ?? [],
              InsufficientDataActions: strings(alarm.inputs.insufficientDataActions) ?? [],
              ...state(c, name),
            }))
        : [];
      const all = [
        ...metric.map((alarm) => ({ kind: "metric" as const, alarm })),
        ...composite.map((alarm) => ({ kind: "composite" as const, alarm })),
      ];
      const start = Number(input.NextToken ?? "0");
      const size = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
      const page = all.slice(start, start + size);
      return {
        MetricAlarms: page.filter((a) => a.kind === "metric").map((a) => a.alarm),
        CompositeAlarms: page.filter((a) => a.kind === "composite").map((a) => a.alarm),
        ...(start + size < all.length ? { NextToken: String(start + size) } : {}),
      };
    });

  const metricAlarm = (c: Cloud, alarm: CapturedResource, name: string): MetricAlarm => {
    const dimensions = record(alarm.inputs.dimensions);
    return {
      AlarmName: name,
      AlarmArn: alarmArn(alarm.region, name),
      AlarmDescription: text(alarm.inputs.alarmDescription),
      ActionsEnabled: bool(alarm.inputs.actionsEnabled, true),
      OKActions: strings(alarm.inputs.okActions) ?? [],
      AlarmActions: strings(alarm.inputs.alarmActions) ?? [],
      InsufficientDataActions: strings(alarm.inputs.insufficientDataActions) ?? [],
      ...state(c, name),
      MetricName: text(alarm.inputs.metricName),
      Namespace: text(alarm.inputs.namespace),
      ...(text(alarm.inputs.statistic) !== undefined
        ? { Statistic: text(alarm.inputs.statistic) as MetricAlarm["Statistic"] }
        : {}),
      ...(text(alarm.inputs.extendedStatistic) !== undefined
        ? { ExtendedStatistic: text(alarm.inputs.extendedStatistic) }
        : {}),
      Dimensions: Object.entries(dimensions).map(([Name, Value]) => ({
        Name,
        Value: String(Value),
      })),
      Period: typeof alarm.inputs.period === "number" ? alarm.inputs.period : undefined,
      EvaluationPeriods:
        typeof alarm.inputs.evaluationPeriods === "number"
          ? alarm.inputs.evaluationPeriods
          : undefined,
      DatapointsToAlarm:
        typeof alarm.inputs.datapointsToAlarm === "number"
          ? alarm.inputs.datapointsToAlarm
          : undefined,
      Threshold: typeof alarm.inputs.threshold === "number" ? alarm.inputs.threshold : undefined,
      ComparisonOperator: text(
        alarm.inputs.comparisonOperator,
      ) as MetricAlarm["ComparisonOperator"],
      TreatMissingData: text(alarm.inputs.treatMissingData),
    };
  };

  // GetMetricDataOutput.MetricDataResults: one MetricDataResult per query with ReturnData, its
  // Timestamps and Values in ScanBy order (TimestampDescending by default), StatusCode
  // "Complete". Only MetricStat queries over whole-minute periods are simulated.
  cloudwatch
    .on(GetMetricDataCommand)
    .callsFake(async (input: GetMetricDataCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const start = input.StartTime?.getTime() ?? 0;
      const end = input.EndTime?.getTime() ?? 0;
      // CloudWatch has no datapoint for the minute still being published.
      const newest = Date.now() - 60_000;
      const results: MetricDataResult[] = (input.MetricDataQueries ?? [])
        .filter((query) => query.ReturnData !== false)
        .map((query) => {
          const stat = query.MetricStat;
          if (stat === undefined || stat.Period === undefined || stat.Period % 60 !== 0) {
            throw new Error(
              `simulated CloudWatch: only MetricStat queries with whole-minute periods are simulated (query ${String(query.Id)})`,
            );
          }
          const series = seriesOf(c, region, query);
          const periodMs = stat.Period * 1000;
          const points: { at: Date; value: number }[] = [];
          for (let at = Math.ceil(start / periodMs) * periodMs; at < end; at += periodMs) {
            if (at > newest) break;
            const values: number[] = [];
            for (let minute = at; minute < at + periodMs; minute += 60_000) {
              if (minute <= newest) values.push(...series(minute));
            }
            if (values.length > 0)
              points.push({ at: new Date(at), value: statistic(stat.Stat, values) });
          }
          if (input.ScanBy !== "TimestampAscending") points.reverse();
          return {
            Id: query.Id,
            Label: stat.Metric?.MetricName,
            Timestamps: points.map((p) => p.at),
            Values: points.map((p) => p.value),
            StatusCode: "Complete",
          };
        });
      return { MetricDataResults: results, Messages: [] };
    });

  return () => cloudwatch.restore();
}

function statistic(stat: string | undefined, values: number[]): number {
  switch (stat) {
    case "Sum":
      return values.reduce((a, b) => a + b, 0);
    case "Maximum":
      return Math.max(...values);
    case "Minimum":
      return Math.min(...values);
    case "Average":
      return values.reduce((a, b) => a + b, 0) / values.length;
    case "SampleCount":
      return values.length;
    default:
      throw new Error(`simulated CloudWatch: statistic ${String(stat)} is not simulated`);
  }
}

/** The datapoints one query's metric receives each minute in `region`, from the model below. */
function seriesOf(c: Cloud, region: string, query: MetricDataQuery): Series {
  const metric = query.MetricStat?.Metric;
  const dims = Object.fromEntries(
    (metric?.Dimensions ?? []).map((d) => [String(d.Name), String(d.Value)]),
  );
  const dimNames = Object.keys(dims).sort().join(",");
  if (
    metric?.Namespace === "TapDr/Failover" &&
    (metric.MetricName === "PeerApiProbeFailed" || metric.MetricName === "PeerRegionProbeFailed") &&
    dimNames === "PeerRegion,service" &&
    dims.service === "health-prober"
  ) {
    return proberSeries(c, region, metric.MetricName, dims.PeerRegion);
  }
  if (
    metric?.Namespace === "AWS/RDS" &&
    metric.MetricName === "AuroraGlobalDBReplicationLag" &&
    dimNames === "DBClusterIdentifier"
  ) {
    return replicationLagSeries(c, region, dims.DBClusterIdentifier);
  }
  return () => [];
}

/**
 * The health prober, modelled on what it does (lambda/health-prober/handler.ts): every minute
 * that an ENABLED `rate(1 minute)` EventBridge rule of this region invokes the region's prober
 * function (a target with the function's ARN, and a lambda permission for events.amazonaws.com
 * from that rule), the prober publishes PeerApiProbeFailed and PeerRegionProbeFailed with
 * dimensions service=health-prober and PeerRegion=<the input's peerRegion>, each 0 or 1. An
 * input that parseProberEvent (the prober's own validation) refuses publishes nothing: the
 * invocation fails. No run, no datapoint; a rule whose input names another region publishes
 * under that region's dimension, not this one.
 *
 * PeerApiProbeFailed is 0 when GET of the input's targetUrl answers 200 (see apiAnswers200),
 * whichever region's API that is: a prober aimed at the wrong API still reports success, only
 * under the PeerRegion it was told. PeerRegionProbeFailed is 0 unless the peer region's front
 * door is down (service state `downRegions`).
 */
function proberSeries(c: Cloud, region: string, metricName: string, peerRegion: string): Series {
  const values: number[] = [];
  for (const rule of c.of("aws:cloudwatch/eventRule:EventRule", region)) {
    if ((text(rule.inputs.state) ?? "ENABLED") !== "ENABLED") continue;
    if (rule.inputs.scheduleExpression !== "rate(1 minute)") continue;
    const ruleName = c.nameOf(rule);
    const ruleArn = `arn:aws:events:${region}:${TEST_ACCOUNT_ID}:rule/${ruleName}`;
    for (const target of c.of("aws:cloudwatch/eventTarget:EventTarget", region)) {
      if (target.inputs.rule !== ruleName) continue;
      const fn = c
        .of(FUNCTION, region)
        .find((f) => c.arnOf(f) === target.inputs.arn || c.nameOf(f) === target.inputs.arn);
      const env = record(record(fn?.inputs.environment).variables);
      if (fn === undefined || env.POWERTOOLS_SERVICE_NAME !== "health-prober") continue;
      const permitted = c
        .of("aws:lambda/permission:Permission", region)
        .some(
          (p) =>
            (p.inputs.function === c.nameOf(fn) || p.inputs.function === c.arnOf(fn)) &&
            p.inputs.principal === "events.amazonaws.com" &&
            p.inputs.action === "lambda:InvokeFunction" &&
            (p.inputs.sourceArn === undefined || p.inputs.sourceArn === ruleArn),
        );
      if (!permitted) continue;
      let event: { targetUrl: string; peerRegion: string };
      try {
        event = parseProberEvent(JSON.parse(String(target.inputs.input)));
      } catch {
        continue;
      }
      if (event.peerRegion !== peerRegion) continue;
      values.push(
        metricName === "PeerApiProbeFailed"
          ? apiAnswers200(c, event.targetUrl)
            ? 0
            : 1
          : c.stack.service.downRegions.includes(peerRegion)
            ? 1
            : 0,
      );
    }
  }
  return () => values;
}

/**
 * Whether GET <url> (redirects not followed, as the prober does) answers 200, by the same model
 * of Route 53, security groups, listeners and certificates the live API tests go through
 * (../internet/): the host resolves to a load balancer that admits the caller on the URL's port,
 * an HTTPS listener's certificate covers the host, the listener forwards (a redirect answers
 * 301) to a region whose API is up, and the path is one the API answers 200 on.
 */
function apiAnswers200(c: Cloud, url: string): boolean {
  const parsed = new URL(url);
  const https = parsed.protocol === "https:";
  const port = Number(parsed.port || (https ? 443 : 80));
  const path = reach(c, parsed.hostname, port, "prober", route53Health(c));
  if (!path.ok) return false;
  // The prober's fetch verifies the certificate against the name, as Node does.
  if (
    https &&
    !tlsHandshake(c, path.listener, { serverName: parsed.hostname, verify: true, maxTls12: false })
      .ok
  ) {
    return false;
  }
  if (!https && path.listener.inputs.protocol !== "HTTP") return false;
  // The prober counts only 200 (lambda/health-prober/probes.ts): a DR region without a database
  // instance (pilot light) answers its deep health check with 503.
  return (
    statusOf(c, path.listener, {
      protocol: parsed.protocol.replace(/:$/, ""),
      host: parsed.hostname,
      port,
      path: parsed.pathname,
      query: parsed.search.replace(/^\?/, ""),
    }) === 200
  );
}

/**
 * AuroraGlobalDBReplicationLag of a cluster (AWS/RDS, DBClusterIdentifier) in its region: RDS
 * publishes it for a secondary member with instances; the writer and a headless secondary
 * publish nothing here.
 */
function replicationLagSeries(c: Cloud, region: string, clusterId: string): Series {
  const cluster = c.of("aws:rds/cluster:Cluster", region).find((r) => c.nameOf(r) === clusterId);
  if (cluster === undefined || cluster.inputs.globalClusterIdentifier === undefined) {
    return () => [];
  }
  const isWriter = c.isGlobalWriter(cluster);
  const hasInstances = c.instancesOf(cluster).length > 0;
  return isWriter || !hasInstances ? () => [] : () => [HEALTHY_REPLICATION_LAG_MS];
}

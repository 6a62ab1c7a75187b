/**
 * The usage lines of a cost estimate: what invokes each Lambda function in a month (schedules,
 * target health checks, Route 53's checkers, API requests), the traces X-Ray records of them,
 * DynamoDB requests and SQS polling.
 */
import type { CapturedResource } from "../graph/capture";
import { GraphIndex, collectStrings } from "../graph/graph-index";
import { CostAssumptions, Estimator, SECONDS_PER_MONTH, rateMinutes } from "./cost-model";
import { HOURS_PER_MONTH } from "./prices";

/**
 * Route 53 runs each health check from about 15 checker regions: at the 30 s interval AWS says
 * an endpoint sees a request "about every two seconds" (AWS Cloud Map API reference,
 * HealthCheckConfig), so at 10 s it sees about 1.5 a second.
 */
export const ROUTE53_CHECKERS = 15;
/** Lambda polls an SQS event source with about 5 long polls of 20 s (AWS Knowledge Center). */
export const SQS_POLLERS = 5;
export const SQS_LONG_POLL_SECONDS = 20;
/** X-Ray's default sampling rule: the first request each second, then 5 %. */
const XRAY_RESERVOIR_PER_SECOND = 1;
const XRAY_RATE = 0.05;
interface Invocations {
  readonly fn: CapturedResource;
  readonly count: number;
  readonly why: string;
}

/** Adds the Lambda, X-Ray, DynamoDB and SQS lines of the graph under the assumptions. */
export function addUsageCosts(
  est: Estimator,
  graph: GraphIndex,
  primary: string,
  a: CostAssumptions,
): void {
  const hours = HOURS_PER_MONTH;
  const healthChecks = graph.ofType("aws:route53/healthCheck:HealthCheck");
  // Lambda: what invokes each function in a month.
  const invocations: Invocations[] = [];
  for (const target of graph.ofType("aws:cloudwatch/eventTarget:EventTarget")) {
    const fn = graph.byArn(target.inputs.arn);
    const rule = graph
      .ofType("aws:cloudwatch/eventRule:EventRule")
      .find((r) => r.inputs.name === target.inputs.rule && r.region === target.region);
    const every = rateMinutes(rule?.inputs.scheduleExpression);
    if (fn?.type === "aws:lambda/function:Function" && every !== undefined) {
      invocations.push({
        fn,
        count: (hours * 60) / every,
        why: `schedule ${String(rule?.inputs.scheduleExpression)}`,
      });
    }
  }
  const apiFunctionIn = new Map<string, CapturedResource>();
  for (const attachment of graph.ofType("aws:lb/targetGroupAttachment:TargetGroupAttachment")) {
    const fn = graph.byArn(attachment.inputs.targetId);
    const group = graph.byArn(attachment.inputs.targetGroupArn);
    if (fn?.type !== "aws:lambda/function:Function" || group === undefined) continue;
    apiFunctionIn.set(fn.region, fn);
    const interval = Number(
      (group.inputs.healthCheck as { interval?: number } | undefined)?.interval ?? 35,
    );
    invocations.push({
      fn,
      count: SECONDS_PER_MONTH / interval,
      why: `ALB target health check every ${interval} s`,
    });
  }
  const dynamoReads = new Map<string, number>();
  for (const check of healthChecks) {
    const record = graph
      .ofType("aws:route53/record:Record")
      .find((r) => r.inputs.name === check.inputs.fqdn);
    const region = /\.([a-z]{2}(?:-[a-z]+)+-\d)\.elb\.amazonaws\.com/.exec(
      collectStrings(record?.inputs).join(" "),
    )?.[1];
    const fn = region === undefined ? undefined : apiFunctionIn.get(region);
    if (fn === undefined) continue;
    const count =
      (SECONDS_PER_MONTH / Number(check.inputs.requestInterval ?? 30)) * ROUTE53_CHECKERS;
    invocations.push({
      fn,
      count,
      why: `Route 53 checkers, ${ROUTE53_CHECKERS} every ${String(check.inputs.requestInterval)} s`,
    });
    dynamoReads.set(fn.region, (dynamoReads.get(fn.region) ?? 0) + count);
  }
  const primaryApi = apiFunctionIn.get(primary);
  if (primaryApi !== undefined && a.requestsPerMonth > 0) {
    invocations.push({ fn: primaryApi, count: a.requestsPerMonth, why: "API requests (assumed)" });
  }
  const mappings = graph.ofType("aws:lambda/eventSourceMapping:EventSourceMapping");
  for (const mapping of mappings) {
    const fn = graph.byArn(mapping.inputs.functionName);
    if (fn !== undefined && fn.region === primary && a.requestsPerMonth > 0) {
      invocations.push({
        fn,
        count: a.requestsPerMonth,
        why: "one queued message per request, one invocation each (worst case)",
      });
    }
  }
  const perFunction = new Map<CapturedResource, number>();
  for (const { fn, count } of invocations) perFunction.set(fn, (perFunction.get(fn) ?? 0) + count);
  for (const [fn, count] of perFunction) {
    const why = invocations
      .filter((i) => i.fn === fn)
      .map((i) => i.why)
      .join(", ");
    est.add(
      "Lambda",
      `requests of ${fn.name}`,
      fn.region,
      count / 1e6,
      "lambdaRequestMillion",
      `${Math.round(count).toLocaleString("en-US")} invocations: ${why}`,
    );
    const memoryGb = Number(fn.inputs.memorySize ?? 128) / 1024;
    const arm = ((fn.inputs.architectures ?? []) as string[]).includes("arm64");
    const gbSeconds = count * (a.lambdaDurationMs / 1000) * memoryGb;
    if (arm) {
      est.add(
        "Lambda",
        `compute of ${fn.name}`,
        fn.region,
        gbSeconds,
        "lambdaArmGbSecond",
        `${memoryGb} GB x ${a.lambdaDurationMs} ms per invocation`,
      );
    } else {
      est.unpriced.push({
        service: "Lambda",
        item: `x86 compute of ${fn.name}`,
        region: fn.region,
        reason: "the table has the arm64 GB-second price only",
      });
    }
    if ((fn.inputs.tracingConfig as { mode?: string } | undefined)?.mode === "Active") {
      const reservoir = XRAY_RESERVOIR_PER_SECOND * SECONDS_PER_MONTH;
      const traces = Math.min(count, reservoir) + XRAY_RATE * Math.max(0, count - reservoir);
      est.add(
        "X-Ray",
        `traces of ${fn.name}`,
        fn.region,
        traces / 1e6,
        "xrayTraceMillion",
        "default sampling: 1 a second, then 5 %",
      );
    }
  }

  // DynamoDB on demand: writes per request (replicated to each replica), /health reads.
  for (const table of graph.ofType("aws:dynamodb/table:Table")) {
    const replicas = (table.inputs.replicas ?? []) as { regionName?: string }[];
    if (replicas.length === 0) continue;
    const writes = a.requestsPerMonth / 1e6;
    est.add(
      "DynamoDB",
      `writes to ${String(table.inputs.name)}`,
      table.region,
      writes,
      "dynamoWriteMillion",
      "one write per request (assumed)",
    );
    for (const replica of replicas) {
      est.add(
        "DynamoDB",
        `replicated writes of ${String(table.inputs.name)}`,
        String(replica.regionName),
        writes,
        "dynamoWriteMillion",
        "each write replicated",
      );
    }
    for (const [region, reads] of dynamoReads) {
      est.add(
        "DynamoDB",
        `/health reads of ${String(table.inputs.name)}`,
        region,
        reads / 1e6,
        "dynamoReadMillion",
        "one read per Route 53 check",
      );
    }
  }

  // SQS: Lambda's pollers long-poll each queue; each request adds send, receive and delete.
  for (const mapping of mappings) {
    const polls = (SQS_POLLERS * SECONDS_PER_MONTH) / SQS_LONG_POLL_SECONDS;
    const messages = mapping.region === primary ? 3 * a.requestsPerMonth : 0;
    est.add(
      "SQS",
      `requests on ${String(mapping.inputs.eventSourceArn).split(":").pop()}`,
      mapping.region,
      (polls + messages) / 1e6,
      "sqsRequestMillion",
      `${SQS_POLLERS} pollers x 20 s long polls${messages > 0 ? " + send, receive, delete per request" : ""}`,
    );
  }
}

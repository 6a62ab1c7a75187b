/**
 * The monthly cost estimate of a captured graph: each billable resource the program would
 * create (Aurora instances, interface endpoint AZs, load balancers, public addresses, keys,
 * alarms, ...) priced from tools/plan/prices.ts, plus the usage the assumptions describe.
 * Nothing here is a hard-coded total: remove a resource from the program and its line goes.
 */
import type { TapConfig } from "../../lib/config";
import type { ProgramRun } from "../graph/capture";
import { GraphIndex, mockIdOf, textOf } from "../graph/graph-index";
import {
  CostAssumptions,
  CostEstimate,
  DEFAULT_ASSUMPTIONS,
  Estimator,
  SECONDS_PER_MONTH,
  round,
} from "./cost-model";
import { HOURS_PER_MONTH, INSTANCE_HOUR_PRICES } from "./prices";
import { addUsageCosts } from "./usage-costs";

export * from "./cost-model";
export { ROUTE53_CHECKERS, SQS_LONG_POLL_SECONDS, SQS_POLLERS } from "./usage-costs";
export * from "./tier-costs";

/** An ALB LCU covers 25 new connections a second; one connection per request is assumed. */
const NEW_CONNECTIONS_PER_LCU = 25;

/** The monthly cost of a captured graph under the given usage. */
export function estimateCost(
  run: ProgramRun,
  config: TapConfig,
  assumptions: CostAssumptions = DEFAULT_ASSUMPTIONS,
): CostEstimate {
  const graph = new GraphIndex(run);
  const est = new Estimator();
  const a = assumptions;
  const byId = (id: unknown) => graph.resources.find((r) => mockIdOf(r) === id);
  const primary = config.primaryRegion;
  const hours = HOURS_PER_MONTH;

  // Aurora: every instance bills all month (a global database never pauses).
  for (const instance of graph.ofType("aws:rds/clusterInstance:ClusterInstance")) {
    const cluster = byId(instance.inputs.clusterIdentifier);
    const instanceClass = String(instance.inputs.instanceClass);
    if (instanceClass === "db.serverless") {
      const scaling = cluster?.inputs.serverlessv2ScalingConfiguration as
        { minCapacity?: number } | undefined;
      const acu = a.auroraAverageAcu ?? scaling?.minCapacity ?? 0;
      est.add(
        "Aurora",
        `Serverless v2 instance ${instance.name}`,
        instance.region,
        acu * hours,
        "auroraAcuHour",
        `${acu} ACU x ${hours} h`,
      );
    } else {
      const price = INSTANCE_HOUR_PRICES[instanceClass];
      if (price === undefined) {
        est.unpriced.push({
          service: "Aurora",
          item: `${instanceClass} instance ${instance.name}`,
          region: instance.region,
          reason: `no price for ${instanceClass} in tools/plan/prices.ts`,
        });
      } else {
        est.add(
          "Aurora",
          `${instanceClass} instance ${instance.name}`,
          instance.region,
          hours,
          { key: instanceClass, price },
          `${hours} h`,
        );
      }
    }
  }
  for (const cluster of graph.ofType("aws:rds/cluster:Cluster")) {
    est.add(
      "Aurora",
      `storage of ${String(cluster.inputs.clusterIdentifier)}`,
      cluster.region,
      a.auroraStorageGb,
      "auroraStorageGbMonth",
      `${a.auroraStorageGb} GB (assumed)`,
    );
    if (cluster.region === primary) {
      const ios = (a.requestsPerMonth * a.auroraIosPerRequest) / 1e6;
      est.add(
        "Aurora",
        "I/O of the writer",
        cluster.region,
        ios,
        "auroraIoMillion",
        `${a.requestsPerMonth} requests x ${a.auroraIosPerRequest} I/Os`,
      );
    }
  }

  // Networking: interface endpoint AZs, load balancers, public IPv4, NAT.
  for (const endpoint of graph.ofType("aws:ec2/vpcEndpoint:VpcEndpoint")) {
    if (endpoint.inputs.vpcEndpointType !== "Interface") continue;
    const azs = ((endpoint.inputs.subnetIds ?? []) as unknown[]).length;
    est.add(
      "VPC endpoints",
      `${String(endpoint.inputs.serviceName).split(".").pop()} endpoint`,
      endpoint.region,
      azs * hours,
      "endpointAzHour",
      `${azs} AZs x ${hours} h`,
    );
  }
  for (const lb of graph.ofType("aws:lb/loadBalancer:LoadBalancer")) {
    est.add("Elastic Load Balancing", `ALB ${lb.name}`, lb.region, hours, "albHour", `${hours} h`);
    if (lb.region === primary && a.requestsPerMonth > 0) {
      const lcu = a.requestsPerMonth / SECONDS_PER_MONTH / NEW_CONNECTIONS_PER_LCU;
      est.add(
        "Elastic Load Balancing",
        `LCUs of ${lb.name}`,
        lb.region,
        lcu * hours,
        "lcuHour",
        `${lcu.toFixed(4)} LCU (one new connection per request) x ${hours} h`,
      );
    }
    if (lb.inputs.internal !== true) {
      const ips = ((lb.inputs.subnets ?? lb.inputs.subnetMappings ?? []) as unknown[]).length;
      est.add(
        "VPC public IPv4",
        `addresses of ${lb.name}`,
        lb.region,
        ips * hours,
        "publicIpv4Hour",
        `${ips} (one per AZ) x ${hours} h`,
      );
    }
  }
  for (const eip of graph.ofType("aws:ec2/eip:Eip")) {
    est.add(
      "VPC public IPv4",
      `Elastic IP ${eip.name}`,
      eip.region,
      hours,
      "publicIpv4Hour",
      `${hours} h`,
    );
  }
  for (const nat of graph.ofType("aws:ec2/natGateway:NatGateway")) {
    est.add(
      "NAT gateway",
      nat.name,
      nat.region,
      hours,
      "natGatewayHour",
      `${hours} h, data processing not counted`,
    );
  }

  // EC2 app tier: the desired capacity of each Auto Scaling group runs all month.
  for (const group of graph.ofType("aws:autoscaling/group:Group")) {
    const template = byId((group.inputs.launchTemplate as { id?: string } | undefined)?.id);
    const type = textOf(template?.inputs.instanceType);
    const desired = Number(group.inputs.desiredCapacity ?? group.inputs.minSize ?? 0);
    if (desired === 0) continue;
    const price = INSTANCE_HOUR_PRICES[type];
    if (price === undefined) {
      est.unpriced.push({
        service: "EC2",
        item: `${desired} x ${type} in ${group.name}`,
        region: group.region,
        reason: `no price for ${type} in tools/plan/prices.ts`,
      });
    } else {
      est.add(
        "EC2",
        `${desired} x ${type} (${group.name})`,
        group.region,
        desired * hours,
        { key: type, price },
        `${desired} instances x ${hours} h`,
      );
    }
  }

  // Keys and secrets.
  for (const key of graph.ofType("aws:kms/key:Key")) {
    est.add("KMS", `key ${key.name}`, key.region, 1, "kmsKeyMonth", "1 key");
  }
  for (const secret of graph.ofType("aws:secretsmanager/secret:Secret")) {
    est.add(
      "Secrets Manager",
      `secret ${secret.name}`,
      secret.region,
      1,
      "secretMonth",
      "1 secret",
    );
    for (const replica of (secret.inputs.replicas ?? []) as { region?: string }[]) {
      est.add(
        "Secrets Manager",
        `replica of ${secret.name}`,
        String(replica.region),
        1,
        "secretMonth",
        "a replica is billed as a secret",
      );
    }
  }

  // Route 53 (a global service).
  for (const zone of graph.ofType("aws:route53/zone:Zone")) {
    est.add(
      "Route 53",
      `hosted zone ${String(zone.inputs.name)}`,
      "global",
      1,
      "hostedZoneMonth",
      "1 zone",
    );
  }
  const healthChecks = graph.ofType("aws:route53/healthCheck:HealthCheck");
  for (const check of healthChecks) {
    const type = textOf(check.inputs.type);
    const features = [
      type.startsWith("HTTPS") ? "HTTPS" : undefined,
      type.endsWith("STR_MATCH") ? "string matching" : undefined,
      Number(check.inputs.requestInterval) === 10 ? "fast interval" : undefined,
      check.inputs.measureLatency === true ? "latency" : undefined,
    ].filter((f): f is string => f !== undefined);
    est.add(
      "Route 53",
      `health check ${String(check.inputs.fqdn)}`,
      "global",
      1,
      "healthCheckAwsMonth",
      "AWS endpoint rate (a non-AWS endpoint costs $0.75 + $2.00 a feature)",
    );
    est.add(
      "Route 53",
      `${features.join(", ")} of ${String(check.inputs.fqdn)}`,
      "global",
      features.length,
      "healthCheckFeatureAwsMonth",
      `${features.length} optional features`,
    );
  }

  addUsageCosts(est, graph, primary, a);

  // CloudWatch: alarms, composite alarms, dashboards, custom metrics, logs.
  const regions = [
    ...new Set(graph.cloudResources.map((r) => r.region).filter((r) => r !== "")),
  ].sort();
  for (const region of regions) {
    const inRegion = (type: string) => graph.ofType(type).filter((r) => r.region === region);
    const alarms = inRegion("aws:cloudwatch/metricAlarm:MetricAlarm");
    est.add(
      "CloudWatch",
      "metric alarms",
      region,
      alarms.length,
      "alarmMonth",
      `${alarms.length} alarms`,
    );
    const composites = inRegion("aws:cloudwatch/compositeAlarm:CompositeAlarm").length;
    est.add(
      "CloudWatch",
      "composite alarms",
      region,
      composites,
      "compositeAlarmMonth",
      `${composites} composite alarms`,
    );
    const dashboards = inRegion("aws:cloudwatch/dashboard:Dashboard").length;
    est.add(
      "CloudWatch",
      "dashboards",
      region,
      dashboards,
      "dashboardMonth",
      `${dashboards} dashboards`,
    );
    const custom = new Set(
      alarms.flatMap((alarm) => {
        const queries = (alarm.inputs.metricQueries ?? []) as {
          metric?: Record<string, unknown>;
        }[];
        const metrics = [alarm.inputs, ...queries.map((q) => q.metric ?? {})];
        return metrics
          .filter((m) => typeof m.namespace === "string" && !m.namespace.startsWith("AWS/"))
          .map((m) => JSON.stringify([m.namespace, m.metricName, m.dimensions ?? {}]));
      }),
    );
    est.add(
      "CloudWatch",
      "custom metrics the alarms watch",
      region,
      custom.size,
      "customMetricMonth",
      `${custom.size} metrics in the stack's own namespaces`,
    );
    const logGroups = inRegion("aws:cloudwatch/logGroup:LogGroup").length;
    if (logGroups > 0) {
      est.add(
        "CloudWatch",
        "logs ingested",
        region,
        a.logsGbPerRegion,
        "logsIngestGb",
        `${a.logsGbPerRegion} GB across ${logGroups} log groups (assumed)`,
      );
    }
  }

  // AWS Backup: the protected data in the primary vault, and its daily copy in DR.
  for (const plan of graph.ofType("aws:backup/plan:Plan")) {
    est.add(
      "AWS Backup",
      "warm storage",
      plan.region,
      a.backupGb,
      "backupWarmGbMonth",
      `${a.backupGb} GB (assumed)`,
    );
    const rules = (plan.inputs.rules ?? []) as {
      copyActions?: { destinationVaultArn?: string }[];
    }[];
    for (const copy of rules.flatMap((rule) => rule.copyActions ?? [])) {
      const vault = graph.byArn(copy.destinationVaultArn);
      const region = vault?.region ?? "";
      est.add(
        "AWS Backup",
        "cross-region copies (a daily full-size copy is the worst case; copies are usually incremental)",
        region,
        a.backupGb * 30,
        "backupCopyGb",
        `${a.backupGb} GB x 30 days`,
      );
      est.add(
        "AWS Backup",
        "warm storage of the copies",
        region,
        a.backupGb,
        "backupWarmGbMonth",
        `${a.backupGb} GB (assumed)`,
      );
    }
  }

  if (a.freeTier) {
    est.freeAllowance("Lambda", "lambdaRequestMillion");
    est.freeAllowance("Lambda", "lambdaArmGbSecond");
    est.freeAllowance("X-Ray", "xrayTraceMillion");
    est.freeAllowance("CloudWatch", "logsIngestGb");
    est.freeAllowance("CloudWatch", "alarmMonth");
    est.freeAllowance("CloudWatch", "dashboardMonth");
    est.freeAllowance("CloudWatch", "customMetricMonth");
    est.freeAllowance("SQS", "sqsRequestMillion");
    est.freeAllowance("Route 53", "healthCheckAwsMonth");
  }

  const byRegion: Record<string, number> = {};
  const byService: Record<string, number> = {};
  for (const line of est.lines) {
    byRegion[line.region] = (byRegion[line.region] ?? 0) + line.monthlyUsd;
    byService[line.service] = (byService[line.service] ?? 0) + line.monthlyUsd;
  }
  const total = est.lines.reduce((sum, line) => sum + line.monthlyUsd, 0);
  return {
    assumptions: a,
    hoursPerMonth: hours,
    lines: est.lines,
    unpriced: est.unpriced,
    byRegion: Object.fromEntries(Object.entries(byRegion).map(([k, v]) => [k, round(v)])),
    byService: Object.fromEntries(Object.entries(byService).map(([k, v]) => [k, round(v)])),
    totalUsd: round(total),
    notes: [
      `us-east-1 list prices; lines in other regions apply them and are marked approximate (check them in the AWS Pricing Calculator)`,
      "not counted: data transfer (cross-region replication, internet egress), S3 storage and replication, EBS volumes, KMS and Secrets Manager API calls, Step Functions, EventBridge and SNS (idle: near 0), Aurora replicated-write I/O in the DR region",
    ],
  };
}

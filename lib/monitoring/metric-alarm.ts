import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { RegionalNameScope, alarmName } from "./alarm-names";
import { MetricAlarmSpec } from "./alarm-specs";

/**
 * One CloudWatch alarm from its spec, in the region of the provider it is given, notifying the
 * topic of that same region on ALARM and on OK (CloudWatch refuses actions to a topic in another
 * region). `logicalPrefix` keeps logical names stable and unique: "<prefix>-<purpose>".
 */
export function createMetricAlarm(
  logicalPrefix: string,
  spec: MetricAlarmSpec,
  scope: RegionalNameScope,
  topicArn: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  const percentile = spec.statistic.startsWith("p");
  return new aws.cloudwatch.MetricAlarm(
    `${logicalPrefix}-${spec.purpose}`,
    {
      name: alarmName(spec.purpose, scope),
      alarmDescription: spec.description,
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: spec.dimensions,
      ...(percentile ? { extendedStatistic: spec.statistic } : { statistic: spec.statistic }),
      period: spec.periodSeconds,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      threshold: spec.threshold,
      comparisonOperator: spec.comparison,
      treatMissingData: spec.treatMissingData,
      actionsEnabled: true,
      alarmActions: [topicArn],
      okActions: [topicArn],
    },
    opts,
  );
}

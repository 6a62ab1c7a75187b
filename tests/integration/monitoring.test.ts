import {
  type CloudWatchClient,
  type CompositeAlarm,
  DescribeAlarmsCommand,
  type MetricAlarm,
} from "@aws-sdk/client-cloudwatch";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { GetTopicAttributesCommand } from "@aws-sdk/client-sns";
import { clientsFor } from "./clients";
import { StackOutputs, describeLive } from "./stack-outputs";

type Side = "primary" | "dr";
const SIDES: readonly Side[] = ["primary", "dr"];

/** DescribeAlarms takes at most 100 AlarmNames per call. */
const ALARM_NAMES_PER_CALL = 100;

/**
 * The named alarms of the client's region, metric and composite (DescribeAlarms returns
 * composite alarms only when AlarmTypes asks for them), every page.
 */
async function describeAlarms(
  cloudwatch: CloudWatchClient,
  names: readonly string[],
): Promise<Map<string, MetricAlarm | CompositeAlarm>> {
  const found = new Map<string, MetricAlarm | CompositeAlarm>();
  for (let i = 0; i < names.length; i += ALARM_NAMES_PER_CALL) {
    let NextToken: string | undefined;
    do {
      const page = await cloudwatch.send(
        new DescribeAlarmsCommand({
          AlarmNames: names.slice(i, i + ALARM_NAMES_PER_CALL),
          AlarmTypes: ["MetricAlarm", "CompositeAlarm"],
          ...(NextToken !== undefined ? { NextToken } : {}),
        }),
      );
      for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
        if (alarm.AlarmName !== undefined) found.set(alarm.AlarmName, alarm);
      }
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
  }
  return found;
}

describeLive("deployed alert topics and alarms", (outputs: StackOutputs) => {
  const regionOf = (side: Side): string => outputs.text(`${side}Region`);

  it.each(SIDES)("encrypts the %s alert topic with that region's key", async (side) => {
    const { sns, kms } = clientsFor(regionOf(side));
    const { Attributes = {} } = await sns.send(
      new GetTopicAttributesCommand({ TopicArn: outputs.text(`${side}AlertTopicArn`) }),
    );
    // Absent on an unencrypted topic. SNS keeps the key as it was set: a key id, key ARN, alias
    // name or alias ARN ("alias/aws/sns" for the AWS-managed key); KMS DescribeKey in the
    // topic's region resolves each form to the key's ARN (SNS API reference, KmsMasterKeyId).
    const keyId = Attributes.KmsMasterKeyId;
    expect(keyId).toEqual(expect.any(String));
    const { KeyMetadata } = await kms.send(new DescribeKeyCommand({ KeyId: keyId }));
    expect(KeyMetadata?.Arn).toBe(outputs.text(`${side}KmsKeyArn`));
  });

  it.each(SIDES)(
    "has every %s alarm in its region, actions enabled, notifying that region's topic",
    async (side) => {
      const names = [
        ...outputs.list(`${side}AlarmNames`),
        outputs.text(`${side}CorroboratingAlarmName`),
      ];
      expect(names.length).toBeGreaterThan(1);
      const found = await describeAlarms(clientsFor(regionOf(side)).cloudwatch, names);
      expect(names.filter((name) => !found.has(name))).toEqual([]);
      // CloudWatch runs an alarm's actions only with ActionsEnabled; the topic is the region's
      // own, so a page does not depend on the other region.
      const topicArn = outputs.text(`${side}AlertTopicArn`);
      const silent = [...found.values()]
        .filter((a) => a.ActionsEnabled !== true || !(a.AlarmActions ?? []).includes(topicArn))
        .map(
          (a) =>
            `${a.AlarmName ?? ""}: ActionsEnabled=${String(a.ActionsEnabled)}, AlarmActions=${JSON.stringify(a.AlarmActions ?? [])}`,
        );
      expect(silent).toEqual([]);
    },
  );
});

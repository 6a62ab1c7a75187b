/** Test-only: the simulated sns API (see ../simulated-aws.ts). */
import { randomUUID } from "node:crypto";
import {
  GetTopicAttributesCommand,
  type GetTopicAttributesCommandInput,
  PublishCommand,
  type PublishCommandInput,
  SNSClient,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import type { CapturedResource } from "../../../support/mock-graph";
import { Cloud, awsError, regionOf, text, refuseUnsimulated } from "../cloud";

const TOPIC = "aws:sns/topic:Topic";

/** The topic with this ARN in the client's region; SNS answers NotFound for any other. */
function topicIn(c: Cloud, topicArn: unknown, region: string): CapturedResource {
  const topic = c.of(TOPIC, region).find((t) => c.arnOf(t) === topicArn);
  if (!topic) throw awsError("NotFoundException", "Topic does not exist");
  return topic;
}

export function installSns(cloud: () => Cloud): () => void {
  const sns = mockClient(SNSClient);
  refuseUnsimulated(sns);
  // GetTopicAttributesResponse.Attributes: every value a string. KmsMasterKeyId is present only
  // for a topic with server-side encryption, and holds the key as it was set (a key id, key ARN,
  // alias name or alias ARN; "alias/aws/sns" for the AWS-managed key), per the SNS API
  // reference, which points to KMS DescribeKey's KeyId for its forms.
  sns
    .on(GetTopicAttributesCommand)
    .callsFake(async (input: GetTopicAttributesCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const topic = topicIn(c, input.TopicArn, region);
      const arn = c.arnOf(topic);
      const policy = c
        .of("aws:sns/topicPolicy:TopicPolicy", region)
        .find((p) => p.inputs.arn === arn);
      const subscriptions = c
        .of("aws:sns/topicSubscription:TopicSubscription", region)
        .filter((s) => s.inputs.topic === arn);
      const attributes: Record<string, string> = {
        TopicArn: arn,
        Owner: TEST_ACCOUNT_ID,
        DisplayName: text(topic.inputs.displayName) ?? "",
        // Email subscriptions wait for their confirmation.
        SubscriptionsConfirmed: String(
          subscriptions.filter((s) => s.inputs.protocol !== "email").length,
        ),
        SubscriptionsPending: String(
          subscriptions.filter((s) => s.inputs.protocol === "email").length,
        ),
        SubscriptionsDeleted: "0",
      };
      if (policy !== undefined) attributes.Policy = String(policy.inputs.policy);
      const key = text(topic.inputs.kmsMasterKeyId);
      if (key !== undefined) attributes.KmsMasterKeyId = key;
      return { Attributes: attributes };
    });
  // PublishResponse.MessageId. The message is kept in the service state for inspection.
  sns.on(PublishCommand).callsFake(async (input: PublishCommandInput, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    const topic = topicIn(c, input.TopicArn, region);
    c.stack.service.published.push({
      region,
      topicArn: c.arnOf(topic),
      ...(input.Subject !== undefined ? { subject: input.Subject } : {}),
      message: String(input.Message),
    });
    return { MessageId: randomUUID() };
  });
  return () => sns.restore();
}

/** Test-only: the simulated sqs API (see ../simulated-aws.ts). */
import {
  GetQueueAttributesCommand,
  type GetQueueAttributesCommandInput,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import { Cloud, awsError, regionOf } from "../cloud";

export function installSqs(cloud: () => Cloud): () => void {
  const sqs = mockClient(SQSClient);
  // GetQueueAttributesResult.Attributes: every value a string; only attributes that are set.
  sqs
    .on(GetQueueAttributesCommand)
    .callsFake(async (input: GetQueueAttributesCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const queue = c
        .of("aws:sqs/queue:Queue", region)
        .find(
          (q) =>
            `https://sqs.${region}.amazonaws.com/${TEST_ACCOUNT_ID}/${c.nameOf(q)}` ===
            input.QueueUrl,
        );
      if (!queue) throw awsError("QueueDoesNotExist", "The specified queue does not exist.");
      const attributes: Record<string, string> = {
        QueueArn: `arn:aws:sqs:${region}:${TEST_ACCOUNT_ID}:${c.nameOf(queue)}`,
      };
      for (const [name, field] of [
        ["KmsMasterKeyId", "kmsMasterKeyId"],
        ["KmsDataKeyReusePeriodSeconds", "kmsDataKeyReusePeriodSeconds"],
        ["MessageRetentionPeriod", "messageRetentionSeconds"],
        ["VisibilityTimeout", "visibilityTimeoutSeconds"],
        ["RedrivePolicy", "redrivePolicy"],
      ] as const) {
        const value = queue.inputs[field];
        if (typeof value === "string" || typeof value === "number") {
          attributes[name] = String(value);
        }
      }
      return { Attributes: attributes };
    });
  return () => sqs.restore();
}

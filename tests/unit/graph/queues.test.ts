import {
  DLQ_RETENTION_SECONDS,
  MAX_RECEIVE_COUNT,
  QUEUE_RETENTION_SECONDS,
  TRANSACTION_CONSUMER_TIMEOUT_SECONDS,
} from "../../../lib/data/transaction-queues";
import { Graph, policyOf, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const QUEUE = "aws:sqs/queue:Queue";
/** The data tier's queues; the app tier's own failure queue is tested with the worker. */
const isTransactionQueue = (queue: CapturedResource): boolean =>
  /^tap-dev-transactions(-dlq)?-use\d$/.test(str(queue, "name"));

describe("transaction queues", () => {
  let graph: Graph;
  const queuesIn = (region: string): { queue: CapturedResource; dlq: CapturedResource } => {
    const inRegion = graph
      .ofType(QUEUE)
      .filter((queue) => queue.region === region && isTransactionQueue(queue));
    expect(inRegion).toHaveLength(2);
    const dlq = inRegion.find((queue) => str(queue, "name").includes("-dlq-"));
    const queue = inRegion.find((candidate) => candidate !== dlq);
    if (!dlq || !queue) throw new Error(`queues missing in ${region}`);
    return { queue, dlq };
  };
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
  });

  it.each(["us-east-1", "us-east-2"])(
    "in %s: redrives to a dead-letter queue in the same region after a bounded number of receives",
    (region) => {
      const { queue, dlq } = queuesIn(region);
      const redrive = JSON.parse(str(queue, "redrivePolicy")) as {
        deadLetterTargetArn: string;
        maxReceiveCount: number;
      };
      expect(graph.byArn(redrive.deadLetterTargetArn).urn).toBe(dlq.urn);
      expect(redrive.maxReceiveCount).toBe(MAX_RECEIVE_COUNT);
      const allow = graph
        .ofType("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy")
        .filter((policy) => policy.region === region);
      expect(allow).toHaveLength(1);
      expect(JSON.parse(str(allow[0], "redriveAllowPolicy"))).toEqual({
        redrivePermission: "byQueue",
        sourceQueueArns: [`arn:aws:sqs:${region}:123456789012:${str(queue, "name")}`],
      });
    },
  );

  it("sizes the visibility timeout at six times the consumer's timeout, as AWS asks for Lambda consumers", () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const { queue } = queuesIn(region);
      expect(queue.inputs.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
        6 * TRANSACTION_CONSUMER_TIMEOUT_SECONDS,
      );
    }
  });

  it("keeps dead letters longer than the source queue keeps messages (enqueue time is preserved)", () => {
    for (const region of ["us-east-1", "us-east-2"]) {
      const { queue, dlq } = queuesIn(region);
      expect(queue.inputs.messageRetentionSeconds).toBe(QUEUE_RETENTION_SECONDS);
      expect(dlq.inputs.messageRetentionSeconds).toBe(DLQ_RETENTION_SECONDS);
      expect(DLQ_RETENTION_SECONDS).toBeGreaterThan(QUEUE_RETENTION_SECONDS);
      expect(DLQ_RETENTION_SECONDS).toBeLessThanOrEqual(14 * 24 * 3600);
    }
  });

  it("encrypts every queue with its own region's key, reusing data keys within SQS's allowed range", () => {
    for (const queue of graph.ofType(QUEUE)) {
      const key = graph.byArn(queue.inputs.kmsMasterKeyId);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", queue.region]);
      expect(queue.inputs.kmsDataKeyReusePeriodSeconds).toBeGreaterThanOrEqual(60);
      expect(queue.inputs.kmsDataKeyReusePeriodSeconds).toBeLessThanOrEqual(86400);
    }
  });

  it("gives every queue a policy that denies requests without TLS", () => {
    const policies = graph
      .ofType("aws:sqs/queuePolicy:QueuePolicy")
      .filter((policy) => /\/tap-dev-transactions(-dlq)?-use\d$/.test(str(policy, "queueUrl")));
    expect(policies).toHaveLength(4);
    for (const policy of policies) {
      const queueName = str(policy, "queueUrl").split("/").pop();
      const [deny] = policyOf(policy).Statement;
      expect(deny).toMatchObject({
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: [`arn:aws:sqs:${policy.region}:123456789012:${queueName}`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });
});

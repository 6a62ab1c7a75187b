/** SQS and SNS: the region's key, TLS-only and non-public policies, dead-letter queues. */
import { GraphResource, PolicyContext, PolicyRule, isUnknown } from "../model";
import { refersTo } from "../resource-index";
import {
  deniesInsecureTransport,
  objectOf,
  publicAllowStatements,
  regionalKeyProblems,
  statementLabel,
  statementsOf,
} from "../values";
import { TYPES } from "./types";

export const sqsEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-SQS-1",
  title: "SQS queues are encrypted with their region's customer-managed key",
  baseline: "FSBP SQS.1, AwsSolutions-SQS2, CKV_AWS_27, CKV2_AWS_73",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.queue],
  scope: "resource",
  remediation:
    "Set kmsMasterKeyId to the ARN of the region's key (SQS-managed SSE is not a customer-managed key).",
  validate(queue, context) {
    return regionalKeyProblems(
      queue.inputs.kmsMasterKeyId,
      "kmsMasterKeyId",
      queue.region,
      context,
    );
  },
};

/** The policy documents that apply to a queue: QueuePolicy resources naming it, and its inline `policy`. */
function queuePolicies(queue: GraphResource, context: PolicyContext): unknown[] {
  const documents = context.graph
    .referencing(queue, TYPES.queuePolicy, "queueUrl")
    .map((policy) => policy.inputs.policy);
  return queue.inputs.policy === undefined ? documents : [...documents, queue.inputs.policy];
}

export const sqsTlsOnly: PolicyRule = {
  id: "TAP-SQS-2",
  title: "SQS queue policies deny requests without TLS",
  baseline: "AwsSolutions-SQS4",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.queue],
  scope: "stack",
  remediation:
    'Add a QueuePolicy statement: Deny, Principal "*", Action "sqs:*", Condition Bool aws:SecureTransport "false".',
  validate(queue, context) {
    const documents = queuePolicies(queue, context);
    if (documents.some(isUnknown)) return [];
    const denies = documents.some((document) => {
      const statements = statementsOf(document);
      return Array.isArray(statements) && statements.some((s) => deniesInsecureTransport(s, "sqs"));
    });
    return denies ? [] : ["no queue policy denies requests without TLS"];
  },
};

/** ARNs the graph sends failures to: redrive targets, on-failure destinations, dead-letter configs. */
function failureDestinations(context: PolicyContext): unknown[] {
  const { graph } = context;
  const redriveTarget = (policy: unknown): unknown => {
    if (typeof policy !== "string")
      return (objectOf(policy) as { deadLetterTargetArn?: unknown } | undefined)
        ?.deadLetterTargetArn;
    try {
      return (JSON.parse(policy) as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
    } catch {
      return undefined;
    }
  };
  const path = (value: unknown, ...keys: string[]): unknown =>
    keys.reduce<unknown>((current, key) => {
      const object = objectOf(current);
      return isUnknown(object) ? object : object?.[key];
    }, value);
  return [
    ...graph.ofType(TYPES.queue).map((q) => redriveTarget(q.inputs.redrivePolicy)),
    ...graph.ofType(TYPES.queueRedrivePolicy).map((p) => redriveTarget(p.inputs.redrivePolicy)),
    ...graph.ofType(TYPES.topicSubscription).map((s) => redriveTarget(s.inputs.redrivePolicy)),
    ...graph
      .ofType(TYPES.lambdaInvokeConfig)
      .map((c) => path(c.inputs.destinationConfig, "onFailure", "destination")),
    ...graph
      .ofType(TYPES.lambdaEventSourceMapping)
      .map((m) => path(m.inputs.destinationConfig, "onFailure", "destinationArn")),
    ...graph.ofType(TYPES.lambdaFunction).map((f) => path(f.inputs.deadLetterConfig, "targetArn")),
    ...graph.ofType(TYPES.eventTarget).map((t) => path(t.inputs.deadLetterConfig, "arn")),
  ];
}

export const sqsDeadLetterQueue: PolicyRule = {
  id: "TAP-SQS-3",
  title: "SQS queues move failed messages to a dead-letter queue, or are one",
  baseline: "AwsSolutions-SQS3",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.queue],
  scope: "stack",
  remediation:
    "Give the queue a redrivePolicy {deadLetterTargetArn, maxReceiveCount}, or use it only as a dead-letter queue or failure destination.",
  validate(queue, context) {
    const redrive = queue.inputs.redrivePolicy;
    if (redrive !== undefined && redrive !== "") return [];
    const { graph } = context;
    if (graph.referencing(queue, TYPES.queueRedrivePolicy, "queueUrl").length > 0) return [];
    if (graph.referencing(queue, TYPES.queueRedriveAllowPolicy, "queueUrl").length > 0) return [];
    const destinations = failureDestinations(context);
    if (destinations.some(isUnknown)) return [];
    if (destinations.some((arn) => refersTo(arn, queue))) return [];
    return [
      "has no redrive policy and is no dead-letter queue or failure destination; messages that keep failing are retried until they expire",
    ];
  },
};

export const sqsPolicyNotPublic: PolicyRule = {
  id: "TAP-SQS-4",
  title: "SQS queue policies grant nothing to anyone (no unconditioned Principal *)",
  baseline: "FSBP SQS.3, CKV_AWS_168",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.queue, TYPES.queuePolicy],
  scope: "resource",
  remediation: 'Name the principals, or add a condition such as aws:SourceArn; never Allow "*".',
  validate: (resource) => publicStatementProblems(resource.inputs.policy),
};

export const snsEncryptedWithRegionalKey: PolicyRule = {
  id: "TAP-SNS-1",
  title: "SNS topics are encrypted with their region's customer-managed key",
  baseline: "Security Hub SNS.1 (NIST 800-53), CKV_AWS_26",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: [TYPES.topic],
  scope: "resource",
  remediation: "Set kmsMasterKeyId to the ARN of the region's key.",
  validate(topic, context) {
    return regionalKeyProblems(
      topic.inputs.kmsMasterKeyId,
      "kmsMasterKeyId",
      topic.region,
      context,
    );
  },
};

export const snsTlsOnly: PolicyRule = {
  id: "TAP-SNS-2",
  title: "SNS topic policies deny requests without TLS",
  baseline: "AwsSolutions-SNS3",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.topic],
  scope: "stack",
  remediation:
    'Add a TopicPolicy statement: Deny, Principal "*", the topic\'s actions, Condition Bool aws:SecureTransport "false".',
  validate(topic, context) {
    const documents = context.graph
      .referencing(topic, TYPES.topicPolicy, "arn")
      .map((policy) => policy.inputs.policy);
    if (topic.inputs.policy !== undefined) documents.push(topic.inputs.policy);
    if (documents.some(isUnknown)) return [];
    const denies = documents.some((document) => {
      const statements = statementsOf(document);
      return Array.isArray(statements) && statements.some((s) => deniesInsecureTransport(s, "sns"));
    });
    return denies ? [] : ["no topic policy denies requests without TLS"];
  },
};

export const snsPolicyNotPublic: PolicyRule = {
  id: "TAP-SNS-3",
  title: "SNS topic policies grant nothing to anyone (no unconditioned Principal *)",
  baseline: "FSBP SNS.4, CKV_AWS_169",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.topic, TYPES.topicPolicy],
  scope: "resource",
  remediation:
    'Name the principals, or add a condition such as aws:SourceAccount; never Allow "*".',
  validate: (resource) => publicStatementProblems(resource.inputs.policy),
};

function publicStatementProblems(policy: unknown): string[] {
  const statements = statementsOf(policy);
  if (!Array.isArray(statements)) return [];
  return publicAllowStatements(statements).map(
    (statement) =>
      `statement ${statementLabel(statement, statements.indexOf(statement))} allows anyone (Principal "*") without a condition`,
  );
}

export const MESSAGING_RULES: readonly PolicyRule[] = [
  sqsEncryptedWithRegionalKey,
  sqsTlsOnly,
  sqsDeadLetterQueue,
  sqsPolicyNotPublic,
  snsEncryptedWithRegionalKey,
  snsTlsOnly,
  snsPolicyNotPublic,
];

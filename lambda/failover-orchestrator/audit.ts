/**
 * The audit trail: every step of every decision and action is written to THIS region's control
 * table AND published to this region's SNS alert topic, with who or what triggered it.
 *
 *   pk = "AUDIT", sk = "<ISO timestamp>#<actionId>#<3-digit seq>"  (newest last; Query reads
 *   them newest first), actionId, action, step, outcome, message, requestedBy, region,
 *   detail (JSON string), expiresAt (now + 400 days, TTL)
 *
 * Recording is best effort: a throttled or failed audit write or publish is logged and counted,
 * never thrown, because refusing to promote a database because a notification failed would turn
 * a paging problem into an outage. Both are attempted independently.
 */
import {
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";

import { describeError, logger } from "../shared/observability";
import { countOrchestratorMetric, OrchestratorMetricNames } from "./observability";
import { type RetryOptions, withReadRetry, withThrottlingRetry } from "./retry";

export const AUDIT_PK = "AUDIT";
export const AUDIT_RETENTION_DAYS = 400;

export const AUDIT_OUTCOMES = [
  "started",
  "succeeded",
  "failed",
  "skipped",
  "notified",
  "recommended",
  "dry-run",
] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export interface AuditEvent {
  readonly actionId: string;
  /** "failover" | "switchover" | "status" | "rds-event" | ... */
  readonly action: string;
  /** Entry decision ("decide", "lock", "start") or a workflow step. */
  readonly step: string;
  readonly outcome: AuditOutcome;
  readonly message: string;
  readonly requestedBy: string;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface AuditRecord extends AuditEvent {
  readonly sk: string;
  readonly at: string;
  readonly region: string;
}

export interface AuditTrailDeps {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly region: string;
  readonly now: () => Date;
  readonly retry?: RetryOptions;
}

/** Subject lines are at most 100 printable ASCII characters (SNS Publish). */
const SUBJECT_MAX = 100;

let sequence = 0;

export class AuditTrail {
  constructor(private readonly deps: AuditTrailDeps) {}

  /** Writes the item and publishes the message; returns the record (even if either failed). */
  async record(event: AuditEvent): Promise<AuditRecord> {
    const at = this.deps.now();
    sequence = (sequence + 1) % 1000;
    const record: AuditRecord = {
      ...event,
      at: at.toISOString(),
      sk: `${at.toISOString()}#${event.actionId}#${String(sequence).padStart(3, "0")}`,
      region: this.deps.region,
    };
    logger.info("Audit", { ...record });
    const [written, published] = await Promise.allSettled([
      this.write(record, at),
      this.publish(record),
    ]);
    if (written.status === "rejected") {
      logger.error("Audit write failed", { sk: record.sk, error: describeError(written.reason) });
      countOrchestratorMetric(OrchestratorMetricNames.AuditWriteFailed);
    }
    if (published.status === "rejected") {
      logger.error("Alert publish failed", {
        sk: record.sk,
        error: describeError(published.reason),
      });
      countOrchestratorMetric(OrchestratorMetricNames.AlertPublishFailed);
    }
    return record;
  }

  private async write(record: AuditRecord, at: Date): Promise<void> {
    const expiresAt = Math.floor(at.getTime() / 1000) + AUDIT_RETENTION_DAYS * 86_400;
    await withThrottlingRetry(
      () =>
        this.deps.dynamodb.send(
          new PutItemCommand({
            TableName: this.deps.tableName,
            Item: {
              pk: { S: AUDIT_PK },
              sk: { S: record.sk },
              actionId: { S: record.actionId },
              action: { S: record.action },
              step: { S: record.step },
              outcome: { S: record.outcome },
              message: { S: record.message },
              requestedBy: { S: record.requestedBy },
              region: { S: record.region },
              at: { S: record.at },
              detail: { S: JSON.stringify(record.detail ?? {}) },
              expiresAt: { N: String(expiresAt) },
            },
          }),
        ),
      this.deps.retry,
    );
  }

  private async publish(record: AuditRecord): Promise<void> {
    await withThrottlingRetry(
      () =>
        this.deps.sns.send(
          new PublishCommand({
            TopicArn: this.deps.topicArn,
            Subject: alertSubject(record),
            Message: alertMessage(record),
            // Subscribers can filter (e.g. page only on failed/started) without parsing the body.
            MessageAttributes: {
              outcome: { DataType: "String", StringValue: record.outcome },
              action: { DataType: "String", StringValue: record.action },
              step: { DataType: "String", StringValue: record.step },
              region: { DataType: "String", StringValue: record.region },
            },
          }),
        ),
      this.deps.retry,
    );
  }
}

/** "[tap-dr eu-west-1] failover promote: started", ASCII only, at most 100 characters. */
export function alertSubject(record: Pick<AuditRecord, "region" | "action" | "step" | "outcome">) {
  const subject =
    `[tap-dr ${record.region}] ${record.action} ${record.step}: ${record.outcome}`.replace(
      /[^\x20-\x7e]/g,
      "?",
    );
  return subject.length <= SUBJECT_MAX ? subject : `${subject.slice(0, SUBJECT_MAX - 3)}...`;
}

/** A readable first paragraph for e-mail/chat, then the whole record as JSON for tooling. */
export function alertMessage(record: AuditRecord): string {
  return [
    `${record.message}`,
    "",
    `Region: ${record.region}`,
    `Action: ${record.action} (${record.actionId})`,
    `Step: ${record.step} -> ${record.outcome}`,
    `Requested by: ${record.requestedBy}`,
    `At: ${record.at}`,
    "",
    JSON.stringify(record),
  ].join("\n");
}

/** The newest `limit` audit records, newest first (for `npm run dr -- status`). */
export async function readRecentAudit(
  client: DynamoDBClient,
  table: string,
  limit: number,
): Promise<AuditRecord[]> {
  const out = await withReadRetry(() =>
    client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "pk = :pk",
        ExpressionAttributeValues: { ":pk": { S: AUDIT_PK } },
        ScanIndexForward: false,
        Limit: limit,
      }),
    ),
  );
  return (out.Items ?? []).map(toRecord);
}

function toRecord(item: Record<string, AttributeValue>): AuditRecord {
  const s = (name: string) => item[name]?.S ?? "";
  let detail: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(s("detail") || "{}");
    if (typeof parsed === "object" && parsed !== null) detail = parsed as Record<string, unknown>;
  } catch {
    detail = { unparsed: s("detail") };
  }
  const outcome = s("outcome");
  return {
    sk: s("sk"),
    at: s("at") || s("sk").split("#")[0] || "",
    actionId: s("actionId"),
    action: s("action"),
    step: s("step"),
    outcome: (AUDIT_OUTCOMES as readonly string[]).includes(outcome)
      ? (outcome as AuditOutcome)
      : "skipped",
    message: s("message"),
    requestedBy: s("requestedBy"),
    region: s("region"),
    detail,
  };
}

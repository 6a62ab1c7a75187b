/**
 * Lambda entry of the failover orchestrator (outside the VPC: it calls AWS APIs of its own
 * region). Builds the real clients once per cold start, for AWS_REGION, plus a factory of RDS
 * clients for another region: the only call that uses it is a switchover's
 * SwitchoverGlobalCluster, which AWS documents on the current writer's region (rds-actions.ts
 * `promotionRegion`); a failover never builds one, so the failed region is never called.
 *
 * RDS (both): `maxAttempts: 1`, so the SDK never repeats a FailoverGlobalCluster or CreateDBInstance on a
 * 5xx or a timeout; retries are explicit (retry.ts: throttling for mutating calls, throttling and
 * transient errors for reads). The other clients keep the SDK's standard retry: their calls are
 * reads, idempotent (StartExecution with the same name and input), or harmless when repeated
 * (an SNS message twice); a conditional PutItem repeated after a lost response is recognised as
 * our own lock (lock.ts).
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { RDSClient } from "@aws-sdk/client-rds";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import type { Context } from "aws-lambda";

import { logger } from "../shared/observability";
import { traced, tracer } from "../shared/tracing";
import { readOrchestratorConfig } from "./env";
import { makeOrchestratorHandler } from "./handler";

const config = readOrchestratorConfig();

const sdkOptions = (maxAttempts: number, region = config.region) =>
  ({
    region,
    maxAttempts,
    requestHandler: { connectionTimeout: 2000, requestTimeout: 10_000 },
  }) as const;

const orchestrator = makeOrchestratorHandler({
  config,
  clients: {
    rds: tracer.captureAWSv3Client(new RDSClient(sdkOptions(1))),
    rdsFor: (region) => tracer.captureAWSv3Client(new RDSClient(sdkOptions(1, region))),
    cloudwatch: tracer.captureAWSv3Client(new CloudWatchClient(sdkOptions(3))),
    sns: tracer.captureAWSv3Client(new SNSClient(sdkOptions(3))),
    sfn: tracer.captureAWSv3Client(new SFNClient(sdkOptions(3))),
    dynamodb: tracer.captureAWSv3Client(new DynamoDBClient(sdkOptions(3))),
    // Retries are explicit (fleet-actions.ts), as for RDS, so they do not stack with the SDK's.
    ...(config.appFleet === undefined
      ? {}
      : { autoScaling: tracer.captureAWSv3Client(new AutoScalingClient(sdkOptions(1))) }),
  },
});

export const handler = async (event: unknown, context: Context) => {
  logger.addContext(context);
  return traced("failover-orchestrator", () => orchestrator(event));
};

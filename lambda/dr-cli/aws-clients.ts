/**
 * The AWS clients the CLI uses, one set per region, built only when a command asks for that
 * region: `failover` must be able to run while the other region's endpoints do not answer, so it
 * never even builds a client there (the tests record every region asked for).
 *
 * Timeouts are short on purpose: during a regional outage a connection to the failed region can
 * hang for minutes with the SDK defaults, and a runbook command must fail fast instead.
 */
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SFNClient } from "@aws-sdk/client-sfn";

/** Route 53 is global; its control plane, health-check status included, answers in us-east-1. */
export const ROUTE53_CONTROL_REGION = "us-east-1";

export interface RegionClients {
  readonly region: string;
  readonly rds: RDSClient;
  readonly cloudwatch: CloudWatchClient;
  readonly dynamodb: DynamoDBClient;
  readonly lambda: LambdaClient;
  readonly sfn: SFNClient;
}

export interface AwsClients {
  /** The clients of one region (created on first use, then shared). */
  forRegion(region: string): RegionClients;
  /** Route 53 (us-east-1): only `status` uses it, and only for health-check status. */
  route53(): Route53Client;
}

export interface ClientOptions {
  /** @default 3000 */
  readonly connectionTimeoutMs?: number;
  /** Per request. @default 15000 */
  readonly requestTimeoutMs?: number;
  /**
   * Lambda Invoke waits for the orchestrator entry, which reads, takes the lock and starts the
   * execution. @default 60000
   */
  readonly invokeTimeoutMs?: number;
}

export function createAwsClients(options: ClientOptions = {}): AwsClients {
  const connectionTimeout = options.connectionTimeoutMs ?? 3_000;
  const requestTimeout = options.requestTimeoutMs ?? 15_000;
  const config = (region: string, maxAttempts: number, timeout = requestTimeout) => ({
    region,
    maxAttempts,
    requestHandler: { connectionTimeout, requestTimeout: timeout },
  });
  const byRegion = new Map<string, RegionClients>();
  let route53: Route53Client | undefined;
  return {
    forRegion(region) {
      const known = byRegion.get(region);
      if (known !== undefined) return known;
      const clients: RegionClients = {
        region,
        // One SDK attempt: the orchestrator's readers these clients serve retry explicitly
        // (withReadRetry), and SDK retries on top would multiply the wait on a dead region.
        rds: new RDSClient(config(region, 1)),
        cloudwatch: new CloudWatchClient(config(region, 1)),
        dynamodb: new DynamoDBClient(config(region, 1)),
        // One attempt: a repeated Invoke after a timeout could ask for a second action (the lock
        // refuses it, but the operator would read a confusing "locked").
        lambda: new LambdaClient(config(region, 1, options.invokeTimeoutMs ?? 60_000)),
        // DescribeExecution only: a read, the SDK's standard retry is fine.
        sfn: new SFNClient(config(region, 3)),
      };
      byRegion.set(region, clients);
      return clients;
    },
    route53() {
      route53 ??= new Route53Client(config(ROUTE53_CONTROL_REGION, 1));
      return route53;
    },
  };
}

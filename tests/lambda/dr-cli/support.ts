/**
 * Fixtures of the DR CLI tests: a two-region stack's outputs, the real SDK clients (built by the
 * CLI's own factory, wrapped to record every region asked for) intercepted by aws-sdk-client-mock,
 * a world whose RDS answers depend on the region the call was made in (so "the primary region is
 * down" is a region that fails every call), a fake clock, and captured output.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { LambdaClient } from "@aws-sdk/client-lambda";
import {
  DescribeDBClustersCommand,
  DescribeGlobalClustersCommand,
  RDSClient,
} from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SFNClient } from "@aws-sdk/client-sfn";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";

import { type AwsClients, createAwsClients } from "../../../lambda/dr-cli/aws-clients";
import { DrOutputs } from "../../../lambda/dr-cli/outputs";
import type { Prompt } from "../../../lambda/dr-cli/role-change";
import { type CliDeps, runCli } from "../../../lambda/dr-cli/run";

export const PRIMARY = "us-east-1";
export const DR = "us-west-2";
export const ACCOUNT = "123456789012";
export const GLOBAL_ID = "tap-global-dev";
export const PRIMARY_CLUSTER = "tap-primary-dev";
export const DR_CLUSTER = "tap-dr-dev";
export const PRIMARY_ARN = `arn:aws:rds:${PRIMARY}:${ACCOUNT}:cluster:${PRIMARY_CLUSTER}`;
export const DR_ARN = `arn:aws:rds:${DR}:${ACCOUNT}:cluster:${DR_CLUSTER}`;
export const CALLER_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/ops/alice`;

export const OUTPUTS: Readonly<Record<string, string>> = {
  primaryRegion: PRIMARY,
  drRegion: DR,
  globalClusterIdentifier: GLOBAL_ID,
  primaryClusterArn: PRIMARY_ARN,
  drClusterArn: DR_ARN,
  primaryControlTableName: "tap-control-primary",
  drControlTableName: "tap-control-dr",
  primaryCorroboratingAlarmName: "tap-corroborating-primary",
  drCorroboratingAlarmName: "tap-corroborating-dr",
  primaryOrchestratorFunctionName: "tap-orchestrator-primary",
  drOrchestratorFunctionName: "tap-orchestrator-dr",
  primaryStateMachineArn: `arn:aws:states:${PRIMARY}:${ACCOUNT}:stateMachine:tap-failover-primary`,
  drStateMachineArn: `arn:aws:states:${DR}:${ACCOUNT}:stateMachine:tap-failover-dr`,
  primaryHealthCheckId: "hc-primary",
  drHealthCheckId: "hc-dr",
};

export const OUTPUTS_SOURCE = {
  description: "test-outputs.json",
  refresh: "refresh the file: pulumi stack output --json > test-outputs.json",
};

export function outputsOf(values: Readonly<Record<string, string>> = OUTPUTS): DrOutputs {
  return new DrOutputs(values, OUTPUTS_SOURCE);
}

export function without(...keys: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(OUTPUTS).filter(([k]) => !keys.includes(k)));
}

export interface Mocks {
  readonly rds: AwsClientStub<RDSClient>;
  readonly cloudwatch: AwsClientStub<CloudWatchClient>;
  readonly dynamodb: AwsClientStub<DynamoDBClient>;
  readonly lambda: AwsClientStub<LambdaClient>;
  readonly sfn: AwsClientStub<SFNClient>;
  readonly route53: AwsClientStub<Route53Client>;
  reset(): void;
  /** Every mocked call with the region of the client that made it. */
  allCalls(): Promise<{ service: string; command: string; region: string }[]>;
}

type AnyStub =
  | AwsClientStub<RDSClient>
  | AwsClientStub<CloudWatchClient>
  | AwsClientStub<DynamoDBClient>
  | AwsClientStub<LambdaClient>
  | AwsClientStub<SFNClient>
  | AwsClientStub<Route53Client>;

interface RegionalClient {
  readonly config: { region: () => Promise<string> };
}

export function mockAws(): Mocks {
  const stubs = {
    rds: mockClient(RDSClient),
    cloudwatch: mockClient(CloudWatchClient),
    dynamodb: mockClient(DynamoDBClient),
    lambda: mockClient(LambdaClient),
    sfn: mockClient(SFNClient),
    route53: mockClient(Route53Client),
  };
  return {
    ...stubs,
    reset() {
      Object.values(stubs).forEach((s: AnyStub) => s.reset());
    },
    async allCalls() {
      const rows: { service: string; command: string; region: string }[] = [];
      for (const [service, stub] of Object.entries(stubs) as [string, AnyStub][]) {
        for (const call of stub.calls()) {
          rows.push({
            service,
            command: (call.args[0] as object).constructor.name,
            region: await clientRegion(call.thisValue),
          });
        }
      }
      return rows;
    },
  };
}

export async function clientRegion(client: unknown): Promise<string> {
  return (client as RegionalClient).config.region();
}

/** The input and client region of every call of one command. */
export async function callsOf(
  stub: AnyStub,
  command: abstract new (...args: never[]) => unknown,
): Promise<{ region: string; input: unknown }[]> {
  const calls = stub.calls().filter((c) => c.args[0] instanceof command);
  return Promise.all(
    calls.map(async (c) => ({
      region: await clientRegion(c.thisValue),
      input: (c.args[0] as { input: unknown }).input,
    })),
  );
}

/** The CLI's real client factory, recording every region it is asked for. */
export function recordingClients(): { clients: AwsClients; regions: string[] } {
  const real = createAwsClients();
  const regions: string[] = [];
  return {
    regions,
    clients: {
      forRegion(region) {
        regions.push(region);
        return real.forRegion(region);
      },
      route53() {
        regions.push("route53");
        return real.route53();
      },
    },
  };
}

/** What RDS says, by region; `down` regions fail every call like an unreachable endpoint. */
export interface World {
  writer: "primary" | "dr";
  primaryInstances: string[];
  drInstances: string[];
  failoverState?: { Status: string; FromDbClusterArn: string; ToDbClusterArn: string };
  down: Set<string>;
}

export function defaultWorld(): World {
  return {
    writer: "primary",
    primaryInstances: ["tap-primary-dev-0"],
    drInstances: [],
    down: new Set(),
  };
}

export function unreachable(region: string): Error {
  const error = new Error(`connect ETIMEDOUT rds.${region}.amazonaws.com:443`);
  error.name = "TimeoutError";
  return error;
}

/** DescribeGlobalClusters / DescribeDBClusters answered from `world`, per calling region. */
export function answerRds(mocks: Mocks, world: World): void {
  mocks.rds.on(DescribeGlobalClustersCommand).callsFake(async (_input, getClient) => {
    const region = await getClient().config.region();
    if (world.down.has(region)) throw unreachable(region);
    return {
      GlobalClusters: [
        {
          GlobalClusterIdentifier: GLOBAL_ID,
          Status: "available",
          GlobalClusterMembers: [
            { DBClusterArn: PRIMARY_ARN, IsWriter: world.writer === "primary" },
            { DBClusterArn: DR_ARN, IsWriter: world.writer === "dr" },
          ],
          ...(world.failoverState !== undefined ? { FailoverState: world.failoverState } : {}),
        },
      ],
    };
  });
  mocks.rds
    .on(DescribeDBClustersCommand)
    .callsFake(async (input: { DBClusterIdentifier?: string }, getClient) => {
      const region = await getClient().config.region();
      if (world.down.has(region)) throw unreachable(region);
      const primary = input.DBClusterIdentifier === PRIMARY_CLUSTER;
      const instances = primary ? world.primaryInstances : world.drInstances;
      return {
        DBClusters: [
          {
            DBClusterIdentifier: input.DBClusterIdentifier,
            DBClusterArn: primary ? PRIMARY_ARN : DR_ARN,
            Status: "available",
            DBClusterMembers: instances.map((id, i) => ({
              DBInstanceIdentifier: id,
              IsClusterWriter: i === 0 && world.writer === (primary ? "primary" : "dr"),
            })),
          },
        ],
      };
    });
}

/** A control-table audit item as the orchestrator writes it. */
export function auditItem(args: {
  at: string;
  actionId: string;
  seq: number;
  action?: string;
  step: string;
  outcome: string;
  message: string;
  requestedBy?: string;
  region?: string;
}): Record<string, AttributeValue> {
  return {
    pk: { S: "AUDIT" },
    sk: { S: `${args.at}#${args.actionId}#${String(args.seq).padStart(3, "0")}` },
    actionId: { S: args.actionId },
    action: { S: args.action ?? "failover" },
    step: { S: args.step },
    outcome: { S: args.outcome },
    message: { S: args.message },
    requestedBy: { S: args.requestedBy ?? `cli:${CALLER_ARN}` },
    region: { S: args.region ?? DR },
    at: { S: args.at },
    detail: { S: "{}" },
    expiresAt: { N: "1800000000" },
  };
}

export const T0 = Date.parse("2025-03-01T12:00:00.000Z");

export interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  readonly regions: string[];
  readonly sleeps: number[];
}

export interface RunOptions {
  readonly outputs?: Readonly<Record<string, string>>;
  readonly prompt?: Prompt;
  readonly callerArn?: string;
  readonly callerRegions?: string[];
  readonly followTimeoutMs?: number;
}

/** Runs the CLI with the fake clock (sleep advances it), captured output and recorded regions. */
export async function runDr(argv: string[], options: RunOptions = {}): Promise<Run> {
  let clock = T0;
  const out: string[] = [];
  const err: string[] = [];
  const sleeps: number[] = [];
  const { clients, regions } = recordingClients();
  const deps: CliDeps = {
    io: { out: (l) => out.push(l), err: (l) => err.push(l) },
    clients,
    callerIdentity: (region) => {
      options.callerRegions?.push(region);
      return Promise.resolve(options.callerArn);
    },
    loadOutputs: () => Promise.resolve(outputsOf(options.outputs ?? OUTPUTS)),
    prompt: options.prompt ?? {
      interactive: false,
      ask: () => Promise.reject(new Error("no TTY")),
    },
    now: () => clock,
    sleep: (ms) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    pollIntervalMs: 5_000,
    ...(options.followTimeoutMs !== undefined ? { followTimeoutMs: options.followTimeoutMs } : {}),
  };
  const code = await runCli(argv, deps);
  return { code, out, err, regions, sleeps };
}

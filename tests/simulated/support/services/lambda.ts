/**
 * Test-only: the simulated lambda API (see ../simulated-aws.ts). Invoke runs the REAL failover
 * orchestrator in-process (makeOrchestratorHandler, as lambda/failover-orchestrator/index.ts
 * builds it), with the environment the graph gives the function plus the AWS_REGION Lambda
 * sets, and SDK clients for that region, so every call it makes (RDS, CloudWatch, DynamoDB, SNS,
 * Step Functions) is answered by the simulated services too. A cold start per invocation: a bad
 * environment fails the way Lambda reports an init error.
 */
import { AutoScalingClient } from "@aws-sdk/client-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  GetFunctionConfigurationCommand,
  type GetFunctionConfigurationCommandInput,
  InvokeCommand,
  type InvokeCommandInput,
  LambdaClient,
} from "@aws-sdk/client-lambda";
import { RDSClient } from "@aws-sdk/client-rds";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { readOrchestratorConfig } from "../../../../lambda/failover-orchestrator/env";
import { makeOrchestratorHandler } from "../../../../lambda/failover-orchestrator/handler";
import { logger } from "../../../../lambda/shared/observability";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import type { CapturedResource } from "../../../support/mock-graph";
import { Cloud, awsError, record, regionOf, refuseUnsimulated } from "../cloud";

/** How the graph tells the orchestrator from the other functions (its Powertools service name). */
const ORCHESTRATOR_SERVICE = "failover-orchestrator";

/**
 * The function a FunctionName names in the client's region: a name, a full ARN or a partial ARN
 * (123456789012:function:name), each optionally with a :qualifier.
 */
function functionIn(c: Cloud, functionName: unknown, region: string): CapturedResource {
  const raw = String(functionName);
  const parts = raw.split(":");
  const at = parts.indexOf("function");
  const name = at >= 0 ? parts[at + 1] : parts[0];
  const arnRegion = raw.startsWith("arn:") ? parts[3] : undefined;
  const fn =
    arnRegion === undefined || arnRegion === region
      ? c.of("aws:lambda/function:Function", region).find((f) => c.nameOf(f) === name)
      : undefined;
  if (!fn) {
    throw awsError(
      "ResourceNotFoundException",
      `Function not found: arn:aws:lambda:${region}:${TEST_ACCOUNT_ID}:function:${name}`,
    );
  }
  return fn;
}

/** InvokeCommandInput.Payload: a string or bytes. */
function payloadText(payload: InvokeCommandInput["Payload"]): string {
  if (payload === undefined) return "";
  if (typeof payload === "string") return payload;
  if (ArrayBuffer.isView(payload)) {
    return new TextDecoder().decode(
      new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    );
  }
  if (payload instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(payload));
  throw new Error("simulated Lambda: a Blob payload is not simulated");
}

/**
 * InvokeCommandOutput.Payload is the SDK's Uint8ArrayBlobAdapter: a Uint8Array with
 * transformToString(); bytes with that method read the same way.
 */
function payloadOf(value: unknown): Uint8Array & { transformToString: () => string } {
  const text = JSON.stringify(value) ?? "null";
  return Object.assign(new TextEncoder().encode(text), { transformToString: () => text });
}

export function installLambda(cloud: () => Cloud): () => void {
  const lambda = mockClient(LambdaClient);
  refuseUnsimulated(lambda);
  // InvokeCommandOutput (RequestResponse): StatusCode 200; a handler error is FunctionError
  // "Unhandled" with Lambda's error payload { errorType, errorMessage, trace }, not a thrown
  // error. DryRun checks the function exists (StatusCode 204). Event invocations are not
  // simulated.
  lambda.on(InvokeCommand).callsFake(async (input: InvokeCommandInput, getClient) => {
    const region = await regionOf(getClient);
    const c = cloud();
    const fn = functionIn(c, input.FunctionName, region);
    const type = input.InvocationType ?? "RequestResponse";
    if (type === "DryRun") return { StatusCode: 204 };
    if (type !== "RequestResponse") {
      throw new Error(`simulated Lambda: ${type} invocations are not simulated`);
    }
    const variables = Object.fromEntries(
      Object.entries(record(record(fn.inputs.environment).variables)).map(([k, v]) => [
        k,
        String(v),
      ]),
    );
    if (variables.POWERTOOLS_SERVICE_NAME !== ORCHESTRATOR_SERVICE) {
      throw new Error(
        `simulated Lambda: only the failover orchestrator runs here, not ${c.nameOf(fn)}`,
      );
    }
    const level = logger.getLevelName();
    // The handler logs every step as JSON on stdout; the suites read its answer instead.
    logger.setLogLevel("SILENT");
    try {
      const config = readOrchestratorConfig({ ...variables, AWS_REGION: region });
      const sdk = (maxAttempts: number, forRegion = region) =>
        ({ region: forRegion, maxAttempts }) as const;
      const handler = makeOrchestratorHandler({
        config,
        clients: {
          rds: new RDSClient(sdk(1)),
          rdsFor: (other) => new RDSClient(sdk(1, other)),
          cloudwatch: new CloudWatchClient(sdk(3)),
          sns: new SNSClient(sdk(3)),
          sfn: new SFNClient(sdk(3)),
          dynamodb: new DynamoDBClient(sdk(3)),
          // As the function's own entry builds it (lambda/failover-orchestrator/index.ts).
          ...(config.appFleet === undefined ? {} : { autoScaling: new AutoScalingClient(sdk(1)) }),
        },
      });
      const result = await handler(JSON.parse(payloadText(input.Payload) || "{}"));
      return { StatusCode: 200, ExecutedVersion: "$LATEST", Payload: payloadOf(result) };
    } catch (error) {
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return {
        StatusCode: 200,
        ExecutedVersion: "$LATEST",
        FunctionError: "Unhandled",
        Payload: payloadOf({ errorType: name, errorMessage: message, trace: [] }),
      };
    } finally {
      logger.setLogLevel(level);
    }
  });
  // FunctionConfiguration (GetFunctionConfigurationResponse): the function in the client's region.
  lambda
    .on(GetFunctionConfigurationCommand)
    .callsFake(async (input: GetFunctionConfigurationCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const fn = functionIn(c, input.FunctionName, region);
      return {
        FunctionName: c.nameOf(fn),
        FunctionArn: c.arnOf(fn),
        State: "Active",
      };
    });
  return () => lambda.restore();
}

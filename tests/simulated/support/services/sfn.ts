/** Test-only: the simulated sfn (Step Functions) API (see ../simulated-aws.ts). */
import {
  DescribeStateMachineCommand,
  type DescribeStateMachineCommandInput,
  type DescribeStateMachineOutput,
  type LogLevel,
  SFNClient,
  type StateMachineType,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, awsError, bool, record, regionOf, text, refuseUnsimulated } from "../cloud";

export function installSfn(cloud: () => Cloud): () => void {
  const sfn = mockClient(SFNClient);
  refuseUnsimulated(sfn);
  // DescribeStateMachineOutput: the definition as deployed (a JSON string). A state machine
  // created without logging reports level OFF, and without tracing `enabled: false`.
  sfn
    .on(DescribeStateMachineCommand)
    .callsFake(async (input: DescribeStateMachineCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const machine = c
        .of("aws:sfn/stateMachine:StateMachine", region)
        .find((m) => c.arnOf(m) === input.stateMachineArn);
      if (!machine) {
        throw awsError(
          "StateMachineDoesNotExist",
          `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`,
        );
      }
      const logging = record(machine.inputs.loggingConfiguration);
      const destination = text(logging.logDestination);
      const answer: DescribeStateMachineOutput = {
        stateMachineArn: c.arnOf(machine),
        name: c.nameOf(machine),
        status: "ACTIVE",
        definition: text(machine.inputs.definition),
        roleArn: text(machine.inputs.roleArn),
        type: (text(machine.inputs.type) ?? "STANDARD") as StateMachineType,
        creationDate: new Date(0),
        loggingConfiguration: {
          level: (text(logging.level) ?? "OFF") as LogLevel,
          includeExecutionData: bool(logging.includeExecutionData, false),
          ...(destination !== undefined
            ? { destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: destination } }] }
            : {}),
        },
        tracingConfiguration: {
          enabled: bool(record(machine.inputs.tracingConfiguration).enabled, false),
        },
      };
      return answer;
    });
  return () => sfn.restore();
}

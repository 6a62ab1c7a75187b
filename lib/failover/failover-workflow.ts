import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName, stateMachineLogGroupName } from "../naming";
import { serviceTrustPolicy } from "../security/iam-documents";
import { stateMachineArn, stateMachineName } from "./failover-names";
import { workflowPolicy } from "./orchestrator-policy";
import { failoverStateMachineDefinition } from "./state-machine-definition";

export interface FailoverWorkflowArgs {
  /** Region of the workflow, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The orchestrator function every task invokes, in the same region. */
  readonly functionArn: pulumi.Input<string>;
  /** The region's key, for the execution log group (CW-5). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Retention of the execution log: it is part of the failover's audit trail. */
  readonly logRetentionDays: number;
  /** Keep the log group when the stack deletes it (production). */
  readonly retainLogsOnDelete: boolean;
  /** The deploying account, for the role's trust policy. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"): the Lambda integration's ARN is partition-specific. */
  readonly partition: pulumi.Input<string>;
}

/**
 * The region's failover workflow: a STANDARD state machine (executions last minutes to an hour,
 * beyond Express's 5 minutes, and each must run exactly once) that invokes the orchestrator for
 * each step. Its name is deterministic (stateMachineName) so the orchestrator can be told its
 * ARN without a cycle. Logs every state (without execution data, which holds the workflow
 * state) to an encrypted group, and traces with X-Ray.
 */
export class FailoverWorkflow extends pulumi.ComponentResource {
  public readonly stateMachineArn: pulumi.Output<string>;
  public readonly stateMachineName: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: FailoverWorkflowArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:failover:FailoverWorkflow", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const machineName = stateMachineName(scope);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        // Under /aws/vendedlogs/ (see stateMachineLogGroupName), a prefix the key opens to Logs.
        name: stateMachineLogGroupName(machineName),
        retentionInDays: args.logRetentionDays,
        kmsKeyId: args.kmsKeyArn,
      },
      { parent: this, retainOnDelete: args.retainLogsOnDelete },
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: physicalName("iamRole", "failover-workflow", scope),
        description: `Execution role of the state machine ${machineName}`,
        assumeRolePolicy: pulumi
          .all([args.accountId, args.partition])
          .apply(([accountId, partition]) =>
            JSON.stringify(
              serviceTrustPolicy(
                "states.amazonaws.com",
                accountId,
                // Any state machine of this account and region, as the Step Functions guide's
                // example has it: the exact ARN is not documented to be what CreateStateMachine's
                // role check sends.
                stateMachineArn({ partition, region: args.region, accountId }, "*"),
              ),
            ),
          ),
      },
      child,
    );
    const policy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: physicalName("iamPolicy", "failover-workflow", scope),
        description: `Invoke the orchestrator, deliver logs and traces for ${machineName}`,
        policy: pulumi
          .output(args.functionArn)
          .apply((functionArn) => JSON.stringify(workflowPolicy({ functionArn }))),
      },
      child,
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-policy`,
      { role: role.name, policyArn: policy.arn },
      child,
    );

    const machine = new aws.sfn.StateMachine(
      name,
      {
        name: machineName,
        type: "STANDARD",
        roleArn: role.arn,
        definition: pulumi
          .all([args.functionArn, args.partition])
          .apply(([functionArn, partition]) =>
            JSON.stringify(failoverStateMachineDefinition({ functionArn, partition })),
          ),
        loggingConfiguration: {
          level: "ALL",
          includeExecutionData: false,
          // Step Functions asks for the group's ARN with ":*" (CloudWatchLogsLogGroup).
          logDestination: pulumi.interpolate`${logGroup.arn}:*`,
        },
        tracingConfiguration: { enabled: true },
      },
      // Step Functions checks the role's log-delivery permissions when it creates the machine.
      { parent: this, dependsOn: [attachment] },
    );

    this.stateMachineArn = machine.arn;
    this.stateMachineName = machine.name;
    this.logGroupName = logGroup.name;
    this.roleArn = role.arn;
    this.registerOutputs({
      stateMachineArn: this.stateMachineArn,
      stateMachineName: this.stateMachineName,
      logGroupName: this.logGroupName,
      roleArn: this.roleArn,
    });
  }
}

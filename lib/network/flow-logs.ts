import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { logGroupName, physicalName } from "../naming";
import { flowLogDeliveryPolicy, serviceTrustPolicy } from "../security/iam-documents";

export interface VpcFlowLogsArgs {
  /** The VPC to capture. */
  readonly vpcId: pulumi.Input<string>;
  /** Region of the VPC: part of the IAM role name, which must be unique across regions. */
  readonly region: string;
  readonly environmentSuffix: string;
  /** This region's customer-managed key; its policy must already let CloudWatch Logs in. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Days the log group keeps flow logs. @default 365 */
  readonly retentionInDays?: number;
  /** Keep the log group when the stack deletes it (audit evidence). @default true */
  readonly retainOnDelete?: boolean;
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
}

/** VPC flow logs (all traffic) into a KMS-encrypted CloudWatch log group with retention. */
export class VpcFlowLogs extends pulumi.ComponentResource {
  public readonly logGroupName: pulumi.Output<string>;
  public readonly flowLogId: pulumi.Output<string>;

  constructor(name: string, args: VpcFlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:network:VpcFlowLogs", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-log-group`,
      {
        name: logGroupName(`vpc-flow-logs`, scope),
        kmsKeyId: args.kmsKeyArn,
        retentionInDays: args.retentionInDays ?? 365,
        // Explicit default. The class is fixed at creation; INFREQUENT_ACCESS drops metric
        // filters and subscriptions (pulumi-aws cloudwatch.LogGroup logGroupClass).
        logGroupClass: "STANDARD",
      },
      { parent: this, retainOnDelete: args.retainOnDelete ?? true },
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: physicalName("iamRole", "flowlogs", scope),
        description: `VPC Flow Logs delivery in ${args.region}`,
        // Explicit default: one hour, the shortest IAM allows (1 to 12 hours; pulumi-aws
        // iam.Role maxSessionDuration). The service re-assumes the role as it needs.
        maxSessionDuration: 3600,
        assumeRolePolicy: pulumi
          .all([args.accountId, args.partition])
          .apply(([accountId, partition]) =>
            JSON.stringify(
              serviceTrustPolicy(
                "vpc-flow-logs.amazonaws.com",
                accountId,
                `arn:${partition}:ec2:${args.region}:${accountId}:vpc-flow-log/*`,
              ),
            ),
          ),
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role-policy`,
      {
        name: physicalName("iamPolicy", "flowlogs-delivery", scope),
        role: role.id,
        policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogDeliveryPolicy(arn))),
      },
      { parent: this },
    );

    const flowLog = new aws.ec2.FlowLog(
      `${name}-flow-log`,
      {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        // One-minute aggregation, not the 600-second default (pulumi-aws ec2.FlowLog
        // maxAggregationInterval): fast enough to see a failover's traffic shift.
        maxAggregationInterval: 60,
        tags: { Name: physicalName("nameTag", "vpc-flow-log", scope) },
      },
      // Delivery fails until the role's policy exists, not merely the role.
      { parent: this, dependsOn: [rolePolicy] },
    );

    this.logGroupName = logGroup.name;
    this.flowLogId = flowLog.id;
    this.registerOutputs({ logGroupName: this.logGroupName, flowLogId: this.flowLogId });
  }
}

/**
 * AWS's own name rules, per resource type and input, kept apart from
 * lib/naming.ts so the program's names are checked against an independent
 * table. Sources: the API reference of each service (IAM CreateRole RoleName,
 * PutRolePolicy PolicyName, KMS CreateAlias AliasName, Logs CreateLogGroup
 * logGroupName, EC2 CreateSecurityGroup GroupName, EC2 tag values, RDS
 * CreateDBCluster DBClusterIdentifier / CreateDBInstance DBInstanceIdentifier /
 * CreateGlobalCluster / CreateDBClusterParameterGroup / CreateDBSubnetGroup,
 * S3 bucket naming rules, SQS CreateQueue QueueName, DynamoDB CreateTable
 * TableName, Backup CreateBackupVault / CreateBackupPlan / CreateBackupSelection,
 * Secrets Manager CreateSecret Name, IAM CreatePolicy PolicyName, ELBv2
 * CreateLoadBalancer / CreateTargetGroup Name, Lambda CreateFunction FunctionName,
 * EventBridge PutRule Name, SNS CreateTopic Name, Step Functions CreateStateMachine name,
 * CloudWatch PutMetricAlarm / PutCompositeAlarm AlarmName and PutDashboard DashboardName,
 * RDS CreateEventSubscription SubscriptionName, Route 53 domain name format; with metric
 * streams, Firehose CreateDeliveryStream, CloudWatch PutMetricStream and Logs CreateLogStream).
 */
export interface NameRule {
  readonly field: string;
  readonly max: number;
  readonly pattern: RegExp;
  /**
   * false for names the stack does not choose, such as DNS names under the configured
   * domain: they cannot carry environmentSuffix. @default true
   */
  readonly suffixed?: boolean;
}

/** RDS identifiers: a letter first, then letters, digits and single hyphens, no hyphen last. */
const RDS_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/;
/** RDS parameter group names follow the identifier rule. */
const RDS_PARAMETER_GROUP = RDS_IDENTIFIER;
/** ELBv2 names: alphanumerics and hyphens, no hyphen at either end. */
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/**
 * A DNS name in text form: at most 253 characters (255 on the wire), labels of letters,
 * digits, hyphens and underscores (ACM's validation names start with one), optional
 * trailing dot.
 */
const DNS_NAME = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}\.?$/;

export const AWS_NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  "aws:iam/role:Role": [{ field: "name", max: 64, pattern: /^[\w+=,.@-]+$/ }],
  "aws:iam/rolePolicy:RolePolicy": [{ field: "name", max: 128, pattern: /^[\w+=,.@-]+$/ }],
  "aws:kms/alias:Alias": [{ field: "name", max: 256, pattern: /^alias\/(?!aws\/)[\w/-]+$/ }],
  "aws:cloudwatch/logGroup:LogGroup": [{ field: "name", max: 512, pattern: /^[\w\-/.#]+$/ }],
  "aws:ec2/securityGroup:SecurityGroup": [
    { field: "name", max: 255, pattern: /^(?!sg-)[\w ._\-:/()#,@[\]+=&;{}!$*]+$/ },
  ],
  "aws:rds/globalCluster:GlobalCluster": [
    { field: "globalClusterIdentifier", max: 63, pattern: RDS_IDENTIFIER },
  ],
  "aws:rds/cluster:Cluster": [
    { field: "clusterIdentifier", max: 63, pattern: RDS_IDENTIFIER },
    { field: "finalSnapshotIdentifier", max: 255, pattern: RDS_IDENTIFIER },
  ],
  "aws:rds/clusterInstance:ClusterInstance": [
    { field: "identifier", max: 63, pattern: RDS_IDENTIFIER },
  ],
  "aws:rds/clusterParameterGroup:ClusterParameterGroup": [
    { field: "name", max: 255, pattern: RDS_PARAMETER_GROUP },
  ],
  "aws:rds/parameterGroup:ParameterGroup": [
    { field: "name", max: 255, pattern: RDS_PARAMETER_GROUP },
  ],
  "aws:rds/subnetGroup:SubnetGroup": [
    { field: "name", max: 255, pattern: /^(?!default$)[a-z0-9._ -]+$/ },
  ],
  // Lowercase letters, digits, dots and hyphens; a letter or digit at both ends.
  "aws:s3/bucket:Bucket": [
    { field: "bucket", max: 63, pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/ },
  ],
  "aws:sqs/queue:Queue": [{ field: "name", max: 80, pattern: /^[\w-]+$/ }],
  "aws:dynamodb/table:Table": [{ field: "name", max: 255, pattern: /^[\w.-]{3,}$/ }],
  "aws:backup/vault:Vault": [{ field: "name", max: 50, pattern: /^[\w-]{2,}$/ }],
  "aws:backup/plan:Plan": [{ field: "name", max: 50, pattern: /^[\w.-]+$/ }],
  "aws:backup/selection:Selection": [{ field: "name", max: 50, pattern: /^[\w.-]+$/ }],
  "aws:secretsmanager/secret:Secret": [{ field: "name", max: 512, pattern: /^[\w/+=.@-]+$/ }],
  "aws:iam/policy:Policy": [{ field: "name", max: 128, pattern: /^[\w+=,.@-]+$/ }],
  "aws:lb/loadBalancer:LoadBalancer": [
    { field: "name", max: 32, pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/ },
  ],
  "aws:lb/targetGroup:TargetGroup": [{ field: "name", max: 32, pattern: ELB_NAME }],
  "aws:lambda/function:Function": [{ field: "name", max: 64, pattern: /^[\w-]+$/ }],
  "aws:cloudwatch/eventRule:EventRule": [{ field: "name", max: 64, pattern: /^[\w.-]+$/ }],
  // Step Functions CreateStateMachine name: 1-80; letters, digits, "-" and "_" only, or
  // CloudWatch logging of the machine fails.
  "aws:sfn/stateMachine:StateMachine": [{ field: "name", max: 80, pattern: /^[\w-]+$/ }],
  // SNS CreateTopic Name: letters, digits, hyphens and underscores, 1-256 (standard topics).
  "aws:sns/topic:Topic": [{ field: "name", max: 256, pattern: /^[\w-]+$/ }],
  // CloudWatch PutMetricAlarm / PutCompositeAlarm AlarmName: 1-255, no ASCII control characters.
  "aws:cloudwatch/metricAlarm:MetricAlarm": [{ field: "name", max: 255, pattern: /^\P{Cc}+$/u }],
  "aws:cloudwatch/compositeAlarm:CompositeAlarm": [
    { field: "alarmName", max: 255, pattern: /^\P{Cc}+$/u },
  ],
  // CloudWatch PutDashboard DashboardName: at most 255 of A-Z, a-z, 0-9, "-" and "_".
  "aws:cloudwatch/dashboard:Dashboard": [{ field: "dashboardName", max: 255, pattern: /^[\w-]+$/ }],
  // RDS CreateEventSubscription SubscriptionName: less than 255 characters; a letter first,
  // then letters, digits and hyphens (what the console accepts).
  "aws:rds/eventSubscription:EventSubscription": [
    { field: "name", max: 254, pattern: /^[A-Za-z][A-Za-z0-9-]*$/ },
  ],
  "aws:route53/zone:Zone": [{ field: "name", max: 253, pattern: DNS_NAME, suffixed: false }],
  "aws:route53/record:Record": [{ field: "name", max: 253, pattern: DNS_NAME, suffixed: false }],
};

/**
 * Rules of the types only a stack with `metricStreams` has (tests/unit/graph/metric-streams.test.ts
 * checks them on such a stack; names.test.ts's stack has none of them). Firehose
 * CreateDeliveryStream DeliveryStreamName: 1-64 of [a-zA-Z0-9_.-]. CloudWatch PutMetricStream
 * Name: 1-255 of A-Z, a-z, 0-9, "-" and "_". Logs CreateLogStream logStreamName: 1-512, no ":" or
 * "*"; Firehose's error stream is named like the console's, inside the stack's own log group, so
 * it carries no suffix.
 */
export const METRIC_STREAM_NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  "aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream": [
    { field: "name", max: 64, pattern: /^[\w.-]+$/ },
  ],
  "aws:cloudwatch/metricStream:MetricStream": [{ field: "name", max: 255, pattern: /^[\w-]+$/ }],
  "aws:cloudwatch/logStream:LogStream": [
    { field: "name", max: 512, pattern: /^[^:*]+$/, suffixed: false },
  ],
};

/**
 * Rules of the types only a stack with `appTier: ec2` has (tests/unit/graph/app-ec2.test.ts
 * checks them on such a stack at the longest suffix). EC2 CreateLaunchTemplate
 * LaunchTemplateName: 3-128 of [a-zA-Z0-9().-/_]. Auto Scaling CreateAutoScalingGroup
 * AutoScalingGroupName and PutScalingPolicy PolicyName: 1-255. IAM CreateInstanceProfile
 * InstanceProfileName: 1-128 of [\w+=,.@-]. IAM CreateServiceLinkedRole CustomSuffix: the role
 * name is the service's fixed prefix (29 characters with "_") plus the suffix, 64 in all.
 */
export const EC2_APP_TIER_NAME_RULES: Readonly<Record<string, readonly NameRule[]>> = {
  "aws:ec2/launchTemplate:LaunchTemplate": [
    { field: "name", max: 128, pattern: /^[a-zA-Z0-9().\-/_]{3,}$/ },
  ],
  "aws:autoscaling/group:Group": [{ field: "name", max: 255, pattern: /^[\w.-]+$/ }],
  "aws:autoscaling/policy:Policy": [{ field: "name", max: 255, pattern: /^[\w.-]+$/ }],
  "aws:iam/instanceProfile:InstanceProfile": [
    { field: "name", max: 128, pattern: /^[\w+=,.@-]+$/ },
  ],
  "aws:iam/serviceLinkedRole:ServiceLinkedRole": [
    { field: "customSuffix", max: 35, pattern: /^[\w+=,.@-]+$/, suffixed: false },
  ],
};

/** EC2 and most services: tag values are at most 256 characters. */
export const TAG_VALUE_MAX = 256;

import { regionCode } from "./util/aws-regions";

/**
 * AWS name-length limits for every resource type this stack names, from the
 * AWS API references. The tightest one decides how long environmentSuffix may be.
 */
export const NAME_LIMITS = {
  /** IAM CreateRole RoleName: 1-64. */
  iamRole: 64,
  /** IAM PutRolePolicy PolicyName: 1-128. */
  iamPolicy: 128,
  /** KMS CreateAlias AliasName, including "alias/": 1-256. */
  kmsAlias: 256,
  /** CloudWatch Logs CreateLogGroup: 1-512. */
  logGroup: 512,
  /** EC2 CreateSecurityGroup GroupName: up to 255. */
  securityGroup: 255,
  /** EC2 Name tag value: up to 256. */
  nameTag: 256,
  /** RDS DB cluster, instance, global cluster and snapshot identifiers: 1-63. */
  rdsIdentifier: 63,
  /** RDS DB (cluster) parameter group and DB subnet group names: 1-255. */
  rdsGroup: 255,
  /** S3 bucket names: 3-63, globally unique. */
  s3Bucket: 63,
  /** SQS queue names: 1-80. */
  sqsQueue: 80,
  /** DynamoDB table names: 3-255. */
  dynamoTable: 255,
  /** AWS Backup vault and plan names: 2-50. */
  backupVault: 50,
  /** Secrets Manager secret names: 1-512. */
  secret: 512,
  /** EC2 CreateLaunchTemplate LaunchTemplateName: 3-128. */
  launchTemplate: 128,
  /** Auto Scaling CreateAutoScalingGroup AutoScalingGroupName and PutScalingPolicy PolicyName: 1-255. */
  autoScalingGroup: 255,
  /** IAM CreateInstanceProfile InstanceProfileName: 1-128. */
  instanceProfile: 128,
  /**
   * IAM CreateServiceLinkedRole CustomSuffix for Auto Scaling: the role name
   * "AWSServiceRoleForAutoScaling_<suffix>" must fit RoleName's 64, so 64 - 29.
   */
  autoScalingRoleSuffix: 35,
  /** ELBv2 CreateLoadBalancer Name: 1-32, alphanumerics and hyphens, not starting with "internal-". */
  loadBalancer: 32,
  /** ELBv2 CreateTargetGroup Name: 1-32, alphanumerics and hyphens. */
  targetGroup: 32,
  /** Lambda CreateFunction FunctionName (name form): 1-64. */
  lambdaFunction: 64,
  /** EventBridge PutRule Name: 1-64. */
  eventRule: 64,
  /** SNS CreateTopic Name (standard topic): 1-256 letters, digits, hyphens and underscores. */
  snsTopic: 256,
  /** CloudWatch PutMetricAlarm and PutCompositeAlarm AlarmName: 1-255. */
  cloudwatchAlarm: 255,
  /** CloudWatch PutDashboard DashboardName: 1-255 letters, digits, "-" and "_". */
  dashboard: 255,
  /** RDS CreateEventSubscription SubscriptionName: less than 255. */
  rdsEventSubscription: 254,
  /** Step Functions CreateStateMachine name: 1-80 (letters, digits, "-" and "_" for logging). */
  stateMachine: 80,
  /** Firehose CreateDeliveryStream DeliveryStreamName: 1-64, [a-zA-Z0-9_.-]. */
  firehoseDeliveryStream: 64,
  /** CloudWatch PutMetricStream Name: 1-255 letters, digits, "-" and "_". */
  metricStream: 255,
} as const;

export type NamedKind = keyof typeof NAME_LIMITS;

export const PROJECT_PREFIX = "tap";

/**
 * Longest environmentSuffix allowed. Chosen with headroom for the tightest
 * limits the stack will meet (RDS identifiers 63, Backup vault names 50, ALB
 * and target-group names 32): "tap-<16>-<purpose>-<region code>" fits all of
 * them. The naming test proves every name in the graph fits with a
 * 16-character suffix in the regions with the longest codes.
 */
export const MAX_ENVIRONMENT_SUFFIX_LENGTH = 16;

/** Lowercase letters and digits with single inner hyphens: valid in S3, RDS, IAM and ALB names alike. */
export const ENVIRONMENT_SUFFIX_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export interface NameScope {
  /** Distinguishes stacks that share an account (dev, pr-123, prod). */
  readonly environmentSuffix: string;
  /** Region of the resource. Omit only for names that AWS scopes globally by other means. */
  readonly region?: string;
}

function assertWithinLimit(kind: NamedKind, name: string): string {
  const limit = NAME_LIMITS[kind];
  if (name.length > limit) {
    throw new Error(
      `${kind} name "${name}" is ${name.length} characters; AWS allows at most ${limit}`,
    );
  }
  return name;
}

/**
 * The one place physical names are made: "tap-<suffix>-<purpose>-<region code>".
 * The region code makes names of global services (IAM) unique per region.
 */
export function physicalName(kind: NamedKind, purpose: string, scope: NameScope): string {
  const parts = [PROJECT_PREFIX, scope.environmentSuffix, purpose];
  if (scope.region !== undefined) {
    parts.push(regionCode(scope.region));
  }
  return assertWithinLimit(kind, parts.join("-"));
}

/**
 * S3 bucket names are global across all AWS accounts, so they carry the account
 * ID as well: "tap-<suffix>-<purpose>-<account>-<region code>".
 */
export function bucketName(purpose: string, scope: NameScope, accountId: string): string {
  return physicalName("s3Bucket", `${purpose}-${accountId}`, scope);
}

/** "alias/tap-<suffix>-<purpose>-<region code>". */
export function kmsAliasName(purpose: string, scope: NameScope): string {
  return assertWithinLimit("kmsAlias", `alias/${physicalName("kmsAlias", purpose, scope)}`);
}

/** "/tap/<suffix>/<purpose>": log groups are regional, so no region code is needed. */
export function logGroupName(purpose: string, scope: NameScope): string {
  return assertWithinLimit("logGroup", `/${PROJECT_PREFIX}/${scope.environmentSuffix}/${purpose}`);
}

/** Where RDS writes a cluster's exported logs; the name is fixed by RDS. */
export function rdsClusterLogGroupName(clusterIdentifier: string, logType: string): string {
  return assertWithinLimit("logGroup", `/aws/rds/cluster/${clusterIdentifier}/${logType}`);
}

/** Where Lambda writes a function's logs by default; the stack creates the group under this name. */
export function lambdaLogGroupName(functionName: string): string {
  return assertWithinLimit("logGroup", `/aws/lambda/${functionName}`);
}

/** Prefix of every Lambda log group of this stack: the key policy lets Logs use the key for them. */
export function lambdaLogGroupPrefix(scope: NameScope): string {
  return `/aws/lambda/${PROJECT_PREFIX}-${scope.environmentSuffix}-`;
}

/**
 * A state machine's execution log group: "/aws/vendedlogs/states/<machine name>". Step Functions
 * adds every log group it is given to the account's CloudWatch Logs resource policy, which is
 * limited to 5,120 characters and shared by every stack in the account, unless the name starts
 * with /aws/vendedlogs/ ("Avoiding Amazon CloudWatch Logs resource policy size restrictions",
 * Step Functions Developer Guide). Ephemeral PR stacks would otherwise fill it.
 */
export function stateMachineLogGroupName(stateMachineName: string): string {
  return assertWithinLimit("logGroup", `/aws/vendedlogs/states/${stateMachineName}`);
}

/** Prefix of every state machine log group of this stack: the key policy lets Logs use the key. */
export function stateMachineLogGroupPrefix(scope: NameScope): string {
  return `/aws/vendedlogs/states/${PROJECT_PREFIX}-${scope.environmentSuffix}-`;
}

/** Prefix of every RDS cluster log group of this stack: the key policy lets Logs use the key for them. */
export function rdsClusterLogGroupPrefix(scope: NameScope): string {
  return `/aws/rds/cluster/${PROJECT_PREFIX}-${scope.environmentSuffix}-`;
}

/**
 * Secrets Manager: "Do not end your secret name with a hyphen followed by six characters":
 * a partial ARN lookup takes such an ending for the random suffix Secrets Manager appends.
 */
export const SECRET_NAME_FORBIDDEN_ENDING = /-.{6}$/;

/**
 * The master secret's name. Deterministic, because the secret is created in GlobalResources,
 * after the regions whose functions read it; its DR replica carries the same name. No region code.
 * The suffix sits in the middle, so the name always ends "-credentials" (11 characters after
 * the last hyphen), never a hyphen and six characters (SECRET_NAME_FORBIDDEN_ENDING).
 */
export function databaseSecretName(environmentSuffix: string): string {
  return physicalName("secret", "db-master-credentials", { environmentSuffix });
}

/** The DynamoDB global table's name, the same in every replica region (so no region code). */
export function transactionTableName(environmentSuffix: string): string {
  return physicalName("dynamoTable", "transactions", { environmentSuffix });
}

import * as aws from "@pulumi/aws";

/**
 * Small, pure grant builders for the app tier's execution roles (STYLE 14): each
 * returns statements scoped to the ARNs of one region, so a DR function can never
 * reach the primary region's resources through its role, and the other way round.
 * The components only wire them into customer-managed policies (I-1, I-5).
 */

/** Where a function runs: its ARNs are built in this partition, region and account. */
export interface GrantScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/** Sids of the two statements that need Resource "*" (waivers of I-2, see below). */
export const WILDCARD_RESOURCE_SIDS = ["VpcNetworkInterfaces", "XRayTraceUpload"] as const;

export function policyDocument(statements: aws.iam.PolicyStatement[]): aws.iam.PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/**
 * The ENI calls Lambda makes with the execution role to attach a function to VPC
 * subnets, as AWSLambdaVPCAccessExecutionRole lists them. Waiver of I-2: Resource "*"
 * because ec2:DescribeNetworkInterfaces "only works if it's allowed on all resources"
 * (Lambda Developer Guide, configuration-vpc, awsdocs/aws-lambda-developer-guide#357) and
 * the ENIs do not exist before Lambda creates them. The actions touch only network
 * interfaces; none of them reads data.
 */
export function vpcNetworkInterfaceStatement(): aws.iam.PolicyStatement {
  return {
    Sid: "VpcNetworkInterfaces",
    Effect: "Allow",
    Action: [
      "ec2:CreateNetworkInterface",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribeSubnets",
      "ec2:DeleteNetworkInterface",
      "ec2:AssignPrivateIpAddresses",
      "ec2:UnassignPrivateIpAddresses",
    ],
    Resource: "*",
  };
}

/**
 * Active tracing uploads segments with the execution role. Waiver of I-2: X-Ray's
 * PutTraceSegments and PutTelemetryRecords have no resource types, so AWS's own
 * AWSXRayDaemonWriteAccess grants them on "*".
 */
export function tracingStatement(): aws.iam.PolicyStatement {
  return {
    Sid: "XRayTraceUpload",
    Effect: "Allow",
    Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
    Resource: "*",
  };
}

/**
 * Writes into the function's own, pre-created log group; no logs:CreateLogGroup, so
 * Lambda can never create an unencrypted group without retention in its place.
 */
export function logWriteStatement(logGroupArn: string): aws.iam.PolicyStatement {
  return {
    Sid: "WriteOwnLogGroup",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: [logGroupArn, `${logGroupArn}:*`],
  };
}

/**
 * A secret by name in this region. Secrets Manager appends "-" and six random
 * characters to a secret's ARN, so "-??????" matches exactly this secret and not
 * one whose name merely starts the same. The DR replica has the same name, so the
 * same builder scopes each region's function to its own region's copy.
 */
export function secretArnPattern(scope: GrantScope, secretName: string): string {
  return `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${secretName}-??????`;
}

export function secretReadStatement(
  scope: GrantScope,
  secretName: string,
): aws.iam.PolicyStatement {
  return {
    Sid: "ReadDatabaseSecret",
    Effect: "Allow",
    Action: "secretsmanager:GetSecretValue",
    Resource: secretArnPattern(scope, secretName),
  };
}

/** The global table's replica in this region (same name in every region). */
export function regionalTableArn(scope: GrantScope, tableName: string): string {
  return `arn:${scope.partition}:dynamodb:${scope.region}:${scope.accountId}:table/${tableName}`;
}

/**
 * Item reads and writes and index queries, the operations the handlers use
 * (GetItem, conditional PutItem, Query on the byCustomer index). No Scan, no
 * DeleteItem, no table management.
 */
export function tableReadWriteStatement(
  scope: GrantScope,
  tableName: string,
): aws.iam.PolicyStatement {
  const tableArn = regionalTableArn(scope, tableName);
  return {
    Sid: "TransactionStateItems",
    Effect: "Allow",
    Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
    Resource: [tableArn, `${tableArn}/index/*`],
  };
}

export function queueSendStatement(sid: string, queueArns: string[]): aws.iam.PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: "sqs:SendMessage", Resource: queueArns };
}

/**
 * What the SQS event source mapping polls with: the execution role's
 * ReceiveMessage, DeleteMessage and GetQueueAttributes (Lambda Developer Guide,
 * "Using Lambda with Amazon SQS"), and ChangeMessageVisibility for the handler's
 * back-off of a message it cannot process yet.
 */
export function queueConsumeStatement(queueArn: string): aws.iam.PolicyStatement {
  return {
    Sid: "ConsumeTransactionQueue",
    Effect: "Allow",
    Action: [
      "sqs:ReceiveMessage",
      "sqs:DeleteMessage",
      "sqs:GetQueueAttributes",
      "sqs:ChangeMessageVisibility",
    ],
    Resource: queueArn,
  };
}

/** Services that use the region's key on a function's behalf, by what they need from it. */
export interface KeyUse {
  /** kms:Decrypt: reading the secret, receiving from the queue, the environment variables. */
  readonly decryptVia: readonly string[];
  /** kms:GenerateDataKey: sending to KMS-encrypted queues (SQS SSE needs both actions). */
  readonly generateDataKeyVia: readonly string[];
}

/**
 * The region's key, only through the listed services of the same region
 * (kms:ViaService), the same condition the key policy delegates under (I-8).
 */
export function keyUseStatements(
  keyArn: string,
  region: string,
  use: KeyUse,
): aws.iam.PolicyStatement[] {
  const via = (services: readonly string[]) =>
    services.map((service) => `${service}.${region}.amazonaws.com`);
  const statements: aws.iam.PolicyStatement[] = [
    {
      Sid: "DecryptThroughServices",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": via(use.decryptVia) } },
    },
  ];
  if (use.generateDataKeyVia.length > 0) {
    statements.push({
      Sid: "EncryptThroughServices",
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": via(use.generateDataKeyVia) } },
    });
  }
  return statements;
}

/** What every function of the tier needs to run: VPC attachment, its log group, tracing. */
export function lambdaRuntimePolicy(logGroupArn: string): aws.iam.PolicyDocument {
  return policyDocument([
    vpcNetworkInterfaceStatement(),
    logWriteStatement(logGroupArn),
    tracingStatement(),
  ]);
}

/** The data the API reaches, all in the function's own region. */
export interface ApiDataPlane {
  readonly scope: GrantScope;
  readonly secretName: string;
  readonly tableName: string;
  readonly queueArn: string;
  readonly keyArn: string;
}

/**
 * How both data planes use the region's key. DynamoDB is listed because the table (and its
 * replica) is under this customer-managed key and reads and writes go through it; AWS CDK's
 * table grants add the same key actions for CMK tables (aws/aws-cdk ff8219b, "feat(dynamodb):
 * support for Customer-managed CMK"). Each action is still limited to this key and to the
 * listed services of this region.
 */
const DATA_PLANE_KEY_USE: KeyUse = {
  decryptVia: ["secretsmanager", "sqs", "lambda", "dynamodb"],
  generateDataKeyVia: ["sqs", "dynamodb"],
};

/**
 * The API's data-plane policy: also attached to the EC2 instances' role, which
 * serves the same handler, so it holds nothing Lambda-specific but the key's
 * lambda ViaService (environment variables), which no instance call can match.
 */
export function apiDataPlanePolicy(plane: ApiDataPlane): aws.iam.PolicyDocument {
  return policyDocument([
    secretReadStatement(plane.scope, plane.secretName),
    tableReadWriteStatement(plane.scope, plane.tableName),
    queueSendStatement("PublishTransactions", [plane.queueArn]),
    ...keyUseStatements(plane.keyArn, plane.scope.region, DATA_PLANE_KEY_USE),
  ]);
}

/** The worker's data: the API's, plus consuming the queue and its async failure queue. */
export interface WorkerDataPlane extends ApiDataPlane {
  readonly failureQueueArn: string;
}

/**
 * The worker settles messages from the queue, republishes outbox rows to it
 * (drain-outbox), and Lambda sends the records of failed scheduled runs to the
 * failure queue with this role (Lambda Developer Guide, "Capturing records of
 * Lambda asynchronous invocations").
 */
export function workerDataPlanePolicy(plane: WorkerDataPlane): aws.iam.PolicyDocument {
  return policyDocument([
    secretReadStatement(plane.scope, plane.secretName),
    tableReadWriteStatement(plane.scope, plane.tableName),
    queueConsumeStatement(plane.queueArn),
    queueSendStatement("PublishTransactionsAndFailures", [plane.queueArn, plane.failureQueueArn]),
    ...keyUseStatements(plane.keyArn, plane.scope.region, DATA_PLANE_KEY_USE),
  ]);
}

/**
 * The DynamoDB gateway endpoint's policy: through this VPC, callers of this account reach the
 * stack's table in this region only, with the handlers' own item actions
 * (tableReadWriteStatement). Without it the endpoint allows every table of every account
 * (AWS's default full-access policy), a path for data out of the VPC.
 */
export function dynamoDbEndpointPolicy(
  scope: GrantScope,
  tableName: string,
): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        ...tableReadWriteStatement(scope, tableName),
        Sid: "StackTableOnly",
        Principal: "*",
        Condition: { StringEquals: { "aws:PrincipalAccount": scope.accountId } },
      },
    ],
  };
}

/**
 * The S3 gateway endpoint's policy on the Lambda tier, where nothing in the VPC calls S3: this
 * account's callers may read and write objects of the stack's own buckets ("tap-<suffix>-*")
 * and nothing else. The EC2 tier keeps AWS's default policy: its instances' agents and package
 * managers fetch from AWS-owned buckets that no list here could keep complete.
 */
export function s3EndpointPolicy(
  scope: Pick<GrantScope, "partition" | "accountId">,
  bucketNamePrefix: string,
): aws.iam.PolicyDocument {
  const buckets = `arn:${scope.partition}:s3:::${bucketNamePrefix}*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "StackBucketsOnly",
        Effect: "Allow",
        Principal: "*",
        Action: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
        Resource: [buckets, `${buckets}/*`],
        Condition: { StringEquals: { "aws:PrincipalAccount": scope.accountId } },
      },
    ],
  };
}

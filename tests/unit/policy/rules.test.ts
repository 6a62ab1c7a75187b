import { GraphResource, StackMode, UNKNOWN } from "../../../policy/model";
import { ALL_RULES, TYPES as T } from "../../../policy/rules";
import {
  FOREIGN_KEY_USE1,
  KEY_USE1,
  KEY_USE2,
  check,
  denyWithoutTls,
  policyDocument,
  res,
} from "./support";

/** One resource to check, the graph around it, and the mode. */
interface Case {
  readonly target: GraphResource;
  readonly others?: readonly GraphResource[];
  readonly mode?: StackMode;
}

/** Per rule: a resource that passes, one that fails, and a part of the failure's message. */
interface RuleCases {
  readonly pass: Case;
  readonly fail: Case;
  readonly message: string;
}

const BUCKET_NAME = "tap-dev-documents-use1";
const bucket = res(T.bucket, "docs", { bucket: BUCKET_NAME });
const onBucket = (type: string, name: string, inputs: Record<string, unknown>) =>
  res(type, name, { bucket: BUCKET_NAME, ...inputs });

const ALL_PUBLIC_ACCESS_BLOCKED = {
  blockPublicAcls: true,
  blockPublicPolicy: true,
  ignorePublicAcls: true,
  restrictPublicBuckets: true,
};

const cluster = (inputs: Record<string, unknown>, region = "us-east-1") =>
  res(
    T.rdsCluster,
    "cluster",
    {
      engine: "aurora-postgresql",
      storageEncrypted: true,
      kmsKeyId: region === "us-east-1" ? KEY_USE1 : KEY_USE2,
      deletionProtection: true,
      backupRetentionPeriod: 7,
      iamDatabaseAuthenticationEnabled: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      dbClusterParameterGroupName: "tap-dev-db-cluster-use1",
      ...inputs,
    },
    { region },
  );
const clusterParameters = (value: string) =>
  res(T.rdsClusterParameterGroup, "cluster-params", {
    name: "tap-dev-db-cluster-use1",
    family: "aurora-postgresql16",
    parameters: [{ name: "rds.force_ssl", value }],
  });

const table = (inputs: Record<string, unknown>) =>
  res(T.dynamoTable, "table", {
    serverSideEncryption: { enabled: true, kmsKeyArn: KEY_USE1 },
    pointInTimeRecovery: { enabled: true },
    deletionProtectionEnabled: true,
    replicas: [
      {
        regionName: "us-east-2",
        kmsKeyArn: KEY_USE2,
        pointInTimeRecovery: true,
        deletionProtectionEnabled: true,
      },
    ],
    ...inputs,
  });

const QUEUE_NAME = "tap-dev-transactions-use1";
const QUEUE_URL = `https://sqs.us-east-1.amazonaws.com/123456789012/${QUEUE_NAME}`;
const queue = (inputs: Record<string, unknown> = {}) =>
  res(T.queue, "queue", { name: QUEUE_NAME, kmsMasterKeyId: KEY_USE1, ...inputs });

const TOPIC_NAME = "tap-dev-alerts-use1";
const topic = res(T.topic, "topic", { name: TOPIC_NAME, kmsMasterKeyId: KEY_USE1 });
const topicPolicy = (...statements: Record<string, unknown>[]) =>
  res(T.topicPolicy, "topic-policy", {
    arn: `arn:aws:sns:us-east-1:123456789012:${TOPIC_NAME}`,
    policy: policyDocument(...statements),
  });

const FUNCTION_NAME = "tap-dev-worker-use1";
const fn = (inputs: Record<string, unknown> = {}) =>
  res(T.lambdaFunction, "worker", {
    name: FUNCTION_NAME,
    tracingConfig: { mode: "Active" },
    reservedConcurrentExecutions: 10,
    environment: { variables: { TABLE_NAME: "t" } },
    kmsKeyArn: KEY_USE1,
    ...inputs,
  });

const alb = (inputs: Record<string, unknown> = {}) =>
  res(T.loadBalancer, "alb", {
    name: "tap-dev-api-use1",
    loadBalancerType: "application",
    internal: false,
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: "tap-dev-alb-logs-use1", enabled: true },
    securityGroups: ["alb-sg-id"],
    ...inputs,
  });
const albGroup = res(T.securityGroup, "alb-sg", { name: "tap-dev-alb-use1", description: "ALB" });
const albWithGroup = (inputs: Record<string, unknown> = {}) => ({
  ...alb(inputs),
  dependencies: [albGroup.urn],
});
const openIngress = (port: number) =>
  res(
    T.ingressRule,
    `alb-sg-${port}`,
    {
      cidrIpv4: "0.0.0.0/0",
      fromPort: port,
      toPort: port,
      ipProtocol: "tcp",
      securityGroupId: "alb-sg-id",
      description: `port ${port}`,
    },
    { dependencies: [albGroup.urn] },
  );

const vpc = res(T.vpc, "vpc", { cidrBlock: "10.0.0.0/16" });
const onVpc = (type: string, name: string, inputs: Record<string, unknown>) =>
  res(type, name, inputs, { dependencies: [vpc.urn] });

const iamPolicy = (...statements: Record<string, unknown>[]) =>
  res(T.iamPolicy, "policy", { policy: policyDocument(...statements) });

const CASES: Record<string, RuleCases> = {
  "TAP-S3-1": {
    pass: {
      target: bucket,
      others: [onBucket(T.publicAccessBlock, "pab", ALL_PUBLIC_ACCESS_BLOCKED)],
    },
    fail: {
      target: bucket,
      others: [
        onBucket(T.publicAccessBlock, "pab", {
          ...ALL_PUBLIC_ACCESS_BLOCKED,
          restrictPublicBuckets: false,
        }),
      ],
    },
    message: "leaves restrictPublicBuckets off",
  },
  "TAP-S3-2": {
    pass: {
      target: bucket,
      others: [
        onBucket(T.bucketPolicy, "policy", { policy: policyDocument(denyWithoutTls("s3")) }),
      ],
    },
    fail: { target: bucket },
    message: "no bucket policy denies requests without TLS",
  },
  "TAP-S3-3": {
    pass: {
      target: bucket,
      others: [
        onBucket(T.bucketEncryption, "sse", {
          rules: [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: KEY_USE1,
              },
            },
          ],
        }),
      ],
    },
    fail: {
      target: bucket,
      others: [
        onBucket(T.bucketEncryption, "sse", {
          rules: [
            // The DR region's key for a us-east-1 bucket: S3 refuses it, and a DR copy must not depend on it.
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: "aws:kms",
                kmsMasterKeyId: KEY_USE2,
              },
            },
          ],
        }),
      ],
    },
    message: "is a key in us-east-2, but the resource is in us-east-1",
  },
  "TAP-S3-4": {
    pass: {
      target: bucket,
      others: [
        onBucket(T.bucketVersioning, "v", { versioningConfiguration: { status: "Enabled" } }),
      ],
    },
    fail: {
      target: bucket,
      others: [
        onBucket(T.bucketVersioning, "v", { versioningConfiguration: { status: "Suspended" } }),
      ],
    },
    message: 'versioning is "Suspended"',
  },
  "TAP-S3-5": {
    pass: {
      target: bucket,
      others: [onBucket(T.bucketLogging, "log", { targetBucket: "tap-dev-access-logs-use1" })],
    },
    fail: { target: bucket },
    message: "has no server access logging",
  },
  "TAP-S3-6": {
    pass: {
      target: bucket,
      others: [
        onBucket(T.bucketLifecycle, "lc", {
          rules: [
            { status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } },
            { status: "Enabled", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
          ],
        }),
      ],
    },
    fail: {
      target: bucket,
      others: [
        onBucket(T.bucketLifecycle, "lc", {
          rules: [{ status: "Enabled", noncurrentVersionExpiration: { noncurrentDays: 90 } }],
        }),
      ],
    },
    message: "no enabled lifecycle rule aborts incomplete multipart uploads",
  },
  "TAP-S3-7": {
    pass: {
      target: bucket,
      others: [
        onBucket(T.bucketOwnership, "own", { rule: { objectOwnership: "BucketOwnerEnforced" } }),
      ],
    },
    fail: {
      target: bucket,
      others: [onBucket(T.bucketOwnership, "own", { rule: { objectOwnership: "ObjectWriter" } })],
    },
    message: 'object ownership is "ObjectWriter"',
  },
  "TAP-S3-8": {
    pass: {
      target: onBucket(T.bucketPolicy, "policy", {
        policy: policyDocument(denyWithoutTls("s3"), {
          Sid: "LogDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: "*",
        }),
      }),
    },
    fail: {
      target: onBucket(T.bucketPolicy, "policy", {
        policy: policyDocument({
          Sid: "Open",
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
        }),
      }),
    },
    message: 'statement "Open" allows anyone',
  },
  "TAP-S3-9": {
    pass: {
      target: res(T.bucketReplication, "to-dr", {
        rules: [
          {
            id: "to-us-east-2",
            status: "Enabled",
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: "arn:aws:s3:::tap-dev-documents-use2",
              encryptionConfiguration: { replicaKmsKeyId: KEY_USE2 },
            },
          },
        ],
      }),
      others: [
        res(T.bucket, "dr-docs", { bucket: "tap-dev-documents-use2" }, { region: "us-east-2" }),
      ],
    },
    fail: {
      target: res(T.bucketReplication, "to-dr", {
        rules: [
          {
            id: "to-us-east-2",
            status: "Enabled",
            sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
            destination: {
              bucket: "arn:aws:s3:::tap-dev-documents-use2",
              // The source region's key: replicas in us-east-2 would depend on us-east-1.
              encryptionConfiguration: { replicaKmsKeyId: KEY_USE1 },
            },
          },
        ],
      }),
      others: [
        res(T.bucket, "dr-docs", { bucket: "tap-dev-documents-use2" }, { region: "us-east-2" }),
      ],
    },
    message: "is a key in us-east-1, but the resource is in us-east-2",
  },
  "TAP-KMS-1": {
    pass: { target: res(T.kmsKey, "key", { enableKeyRotation: true }) },
    fail: { target: res(T.kmsKey, "key", { enableKeyRotation: false }) },
    message: "enableKeyRotation is false",
  },
  "TAP-KMS-2": {
    pass: {
      target: res(T.kmsKey, "key", {
        policy: policyDocument({
          Sid: "Admin",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "kms:*",
          Resource: "*",
        }),
      }),
    },
    fail: {
      target: res(T.kmsKey, "key", {
        policy: policyDocument({
          Sid: "Anyone",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "kms:Decrypt",
          Resource: "*",
        }),
      }),
    },
    message: 'statement "Anyone" allows anyone',
  },
  "TAP-KMS-3": {
    pass: {
      target: res(T.kmsKey, "key", { deletionWindowInDays: 30 }, { retainOnDelete: true }),
    },
    fail: {
      target: res(T.kmsKey, "key", { deletionWindowInDays: 7 }, { retainOnDelete: true }),
    },
    message: "deletionWindowInDays is 7",
  },
  "TAP-RDS-1": {
    pass: { target: cluster({}, "us-east-2") },
    // A global secondary in us-east-2 encrypted with the primary region's key.
    fail: { target: cluster({ kmsKeyId: KEY_USE1 }, "us-east-2") },
    message: "kmsKeyId is a key in us-east-1, but the resource is in us-east-2",
  },
  "TAP-RDS-2": {
    pass: { target: cluster({ deletionProtection: false }), mode: "test" },
    fail: { target: cluster({ deletionProtection: false }) },
    message: "deletionProtection is false",
  },
  "TAP-RDS-3": {
    pass: { target: cluster({ backupRetentionPeriod: 14 }) },
    fail: { target: cluster({ backupRetentionPeriod: 1 }) },
    message: "backupRetentionPeriod is 1",
  },
  "TAP-RDS-4": {
    pass: { target: cluster({}) },
    fail: { target: cluster({ iamDatabaseAuthenticationEnabled: false }) },
    message: "iamDatabaseAuthenticationEnabled is false",
  },
  "TAP-RDS-5": {
    pass: { target: cluster({}), others: [clusterParameters("1")] },
    fail: { target: cluster({}), others: [clusterParameters("0")] },
    message: 'sets rds.force_ssl to "0"',
  },
  "TAP-RDS-6": {
    pass: { target: res(T.rdsClusterInstance, "db-1", { publiclyAccessible: false }) },
    fail: { target: res(T.rdsClusterInstance, "db-1", { publiclyAccessible: true }) },
    message: "publiclyAccessible is true",
  },
  "TAP-RDS-7": {
    pass: { target: cluster({}) },
    fail: { target: cluster({ enabledCloudwatchLogsExports: [] }) },
    message: 'lacks "postgresql"',
  },
  "TAP-RDS-8": {
    pass: {
      target: res(T.rdsClusterInstance, "db-1", {
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: KEY_USE1,
      }),
    },
    fail: {
      target: res(T.rdsClusterInstance, "db-1", {
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: "alias/aws/rds",
      }),
    },
    message: 'performanceInsightsKmsKeyId is "alias/aws/rds", not a customer-managed key ARN',
  },
  "TAP-DDB-1": {
    pass: { target: table({}) },
    fail: {
      target: table({
        replicas: [{ regionName: "us-east-2", kmsKeyArn: KEY_USE1, pointInTimeRecovery: true }],
      }),
    },
    message: "replica us-east-2 kmsKeyArn is a key in us-east-1",
  },
  "TAP-DDB-2": {
    pass: { target: table({}) },
    fail: { target: table({ pointInTimeRecovery: { enabled: false } }) },
    message: "pointInTimeRecovery is not enabled",
  },
  "TAP-DDB-3": {
    pass: { target: table({ deletionProtectionEnabled: false }), mode: "test" },
    fail: { target: table({ deletionProtectionEnabled: false }) },
    message: "deletionProtectionEnabled is false",
  },
  "TAP-SQS-1": {
    pass: { target: queue() },
    fail: { target: queue({ kmsMasterKeyId: undefined, sqsManagedSseEnabled: true }) },
    message: "kmsMasterKeyId is unset",
  },
  "TAP-SQS-2": {
    pass: {
      target: queue(),
      others: [
        res(T.queuePolicy, "queue-policy", {
          queueUrl: QUEUE_URL,
          policy: policyDocument(denyWithoutTls("sqs")),
        }),
      ],
    },
    fail: { target: queue() },
    message: "no queue policy denies requests without TLS",
  },
  "TAP-SQS-3": {
    pass: {
      target: queue(),
      others: [
        res(T.lambdaInvokeConfig, "async", {
          functionName: FUNCTION_NAME,
          destinationConfig: {
            onFailure: { destination: `arn:aws:sqs:us-east-1:123456789012:${QUEUE_NAME}` },
          },
        }),
      ],
    },
    fail: {
      target: queue(),
      // The same queue name in the other region is another queue.
      others: [
        res(T.lambdaInvokeConfig, "async", {
          functionName: FUNCTION_NAME,
          destinationConfig: {
            onFailure: { destination: `arn:aws:sqs:us-east-2:123456789012:${QUEUE_NAME}` },
          },
        }),
      ],
    },
    message: "has no redrive policy",
  },
  "TAP-SQS-4": {
    pass: {
      target: res(T.queuePolicy, "queue-policy", {
        policy: policyDocument({
          Effect: "Allow",
          Principal: "*",
          Action: "sqs:SendMessage",
          Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t" } },
        }),
      }),
    },
    fail: {
      target: res(T.queuePolicy, "queue-policy", {
        policy: policyDocument({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage" }),
      }),
    },
    message: "statement #1 allows anyone",
  },
  "TAP-SNS-1": {
    pass: { target: topic },
    fail: { target: { ...topic, inputs: { name: TOPIC_NAME, kmsMasterKeyId: FOREIGN_KEY_USE1 } } },
    message: "is not one of this stack's us-east-1 keys",
  },
  "TAP-SNS-2": {
    pass: {
      target: topic,
      others: [topicPolicy({ ...denyWithoutTls("sns"), Action: ["sns:Publish", "sns:Subscribe"] })],
    },
    fail: {
      target: topic,
      others: [
        topicPolicy({
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "sns:Publish",
        }),
      ],
    },
    message: "no topic policy denies requests without TLS",
  },
  "TAP-SNS-3": {
    pass: { target: topicPolicy(denyWithoutTls("sns")) },
    fail: {
      target: topicPolicy({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "sns:Publish" }),
    },
    message: "allows anyone",
  },
  "TAP-SM-1": {
    pass: {
      target: res(T.secret, "secret", {
        kmsKeyId: KEY_USE1,
        replicas: [{ region: "us-east-2", kmsKeyId: KEY_USE2 }],
      }),
    },
    fail: {
      target: res(T.secret, "secret", { kmsKeyId: KEY_USE1, replicas: [{ region: "us-east-2" }] }),
    },
    message: "replica us-east-2 kmsKeyId is unset",
  },
  "TAP-LMB-1": {
    pass: {
      target: res(T.lambdaPermission, "invoke", {
        principal: "events.amazonaws.com",
        sourceArn: "arn:aws:events:us-east-1:123456789012:rule/r",
      }),
    },
    fail: { target: res(T.lambdaPermission, "invoke", { principal: "events.amazonaws.com" }) },
    message: "service principal events.amazonaws.com without sourceArn",
  },
  "TAP-LMB-2": {
    pass: { target: fn() },
    fail: { target: fn({ tracingConfig: { mode: "PassThrough" } }) },
    message: 'tracingConfig.mode is "PassThrough"',
  },
  "TAP-LMB-3": {
    pass: { target: fn() },
    fail: { target: fn({ reservedConcurrentExecutions: undefined }) },
    message: "reservedConcurrentExecutions is unset",
  },
  "TAP-LMB-4": {
    pass: { target: fn({ environment: undefined, kmsKeyArn: undefined }) },
    fail: { target: fn({ kmsKeyArn: undefined }) },
    message: "kmsKeyArn is unset",
  },
  "TAP-LMB-5": {
    pass: {
      target: fn(),
      others: [
        res(T.lambdaInvokeConfig, "async", {
          functionName: FUNCTION_NAME,
          destinationConfig: { onFailure: { destination: "arn:aws:sqs:us-east-1:1:failures" } },
        }),
      ],
    },
    fail: {
      target: fn(),
      others: [
        res(T.lambdaInvokeConfig, "async", {
          functionName: FUNCTION_NAME,
          maximumRetryAttempts: 0,
        }),
      ],
    },
    message: "has no dead-letter queue and no on-failure destination",
  },
  "TAP-SFN-1": {
    pass: {
      target: res(T.stateMachine, "sfn", {
        loggingConfiguration: {
          level: "ALL",
          logDestination: "arn:aws:logs:us-east-1:1:log-group:g:*",
        },
      }),
    },
    fail: { target: res(T.stateMachine, "sfn", { loggingConfiguration: { level: "OFF" } }) },
    message: 'loggingConfiguration.level is "OFF"',
  },
  "TAP-SFN-2": {
    pass: { target: res(T.stateMachine, "sfn", { tracingConfiguration: { enabled: true } }) },
    fail: { target: res(T.stateMachine, "sfn", {}) },
    message: "tracingConfiguration.enabled is not true",
  },
  "TAP-EC2-1": {
    pass: { target: res(T.launchTemplate, "lt", { metadataOptions: { httpTokens: "required" } }) },
    fail: { target: res(T.launchTemplate, "lt", { metadataOptions: { httpTokens: "optional" } }) },
    message: 'metadataOptions.httpTokens is "optional"',
  },
  "TAP-EC2-2": {
    pass: {
      target: res(T.launchTemplate, "lt", {
        blockDeviceMappings: [
          { deviceName: "/dev/xvda", ebs: { encrypted: "true", kmsKeyId: KEY_USE1 } },
        ],
      }),
    },
    fail: {
      target: res(T.launchTemplate, "lt", {
        blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }],
      }),
    },
    message: 'volume "/dev/xvda" is not encrypted',
  },
  "TAP-ALB-1": {
    pass: { target: alb() },
    fail: { target: alb({ dropInvalidHeaderFields: false }) },
    message: "dropInvalidHeaderFields is false",
  },
  "TAP-ALB-2": {
    pass: { target: alb({ enableDeletionProtection: false }), mode: "test" },
    fail: { target: alb({ enableDeletionProtection: false }) },
    message: "enableDeletionProtection is false",
  },
  "TAP-ALB-3": {
    pass: { target: alb() },
    fail: { target: alb({ accessLogs: { bucket: "b", enabled: false } }) },
    message: "access logs are off",
  },
  "TAP-ALB-4": {
    pass: { target: alb({ desyncMitigationMode: "strictest" }) },
    fail: { target: alb({ desyncMitigationMode: "monitor" }) },
    message: 'desyncMitigationMode is "monitor"',
  },
  "TAP-ALB-5": {
    pass: {
      target: res(T.listener, "http", {
        protocol: "HTTP",
        port: 80,
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443" } }],
      }),
    },
    fail: {
      target: res(T.listener, "http", {
        protocol: "HTTP",
        port: 80,
        defaultActions: [{ type: "forward", targetGroupArn: "tg" }],
      }),
    },
    message: 'HTTP listener on port 80 serves traffic ("forward")',
  },
  "TAP-ALB-6": {
    pass: {
      target: res(T.listener, "https", {
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: "arn:aws:acm:us-east-1:1:certificate/c",
      }),
    },
    fail: {
      target: res(T.listener, "https", {
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-2016-08",
        certificateArn: "arn:aws:acm:us-east-1:1:certificate/c",
      }),
    },
    message: 'sslPolicy is "ELBSecurityPolicy-2016-08"',
  },
  "TAP-SG-1": {
    pass: { target: openIngress(443), others: [albGroup, albWithGroup()] },
    // The same rule when the group belongs to an internal load balancer.
    fail: { target: openIngress(443), others: [albGroup, albWithGroup({ internal: true })] },
    message: "admits 0.0.0.0/0 on port 443",
  },
  "TAP-SG-2": {
    pass: { target: albGroup },
    fail: { target: res(T.securityGroup, "sg", { ingress: [{ fromPort: 443, toPort: 443 }] }) },
    message: "has no description",
  },
  "TAP-VPC-1": {
    pass: {
      target: vpc,
      others: [onVpc(T.flowLog, "flow", { vpcId: "vpc-id", trafficType: "ALL" })],
    },
    fail: {
      target: vpc,
      others: [onVpc(T.flowLog, "flow", { vpcId: "vpc-id", trafficType: "REJECT" })],
    },
    message: 'flow logs record "REJECT" traffic',
  },
  "TAP-VPC-2": {
    pass: {
      target: vpc,
      others: [onVpc(T.defaultSecurityGroup, "default-sg", { vpcId: "vpc-id" })],
    },
    fail: { target: vpc },
    message: "its default security group is not managed",
  },
  "TAP-IAM-1": {
    pass: iamCase({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }),
    fail: iamCase({ Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::b/*" }),
    message: 'statement "All" allows "s3:*"',
  },
  "TAP-IAM-2": {
    pass: iamCase({ Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::b/*" }),
    fail: iamCase({ Sid: "Reads", Effect: "Allow", Action: "s3:Get*", Resource: "*" }),
    message: 'statement "Reads" allows "s3:Get*" on Resource "*"',
  },
  "TAP-IAM-3": {
    pass: iamCase({ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }),
    fail: iamCase({
      Sid: "Metrics",
      Effect: "Allow",
      Action: "cloudwatch:GetMetricData",
      Resource: "*",
    }),
    message: 'statement "Metrics" allows cloudwatch:GetMetricData on Resource "*"',
  },
  "TAP-LOG-1": {
    pass: { target: res(T.logGroup, "logs", { kmsKeyId: KEY_USE1, retentionInDays: 7 }) },
    fail: { target: res(T.logGroup, "logs", { retentionInDays: 7 }) },
    message: "kmsKeyId is unset",
  },
  "TAP-LOG-2": {
    pass: { target: res(T.logGroup, "logs", { retentionInDays: 7 }), mode: "test" },
    fail: { target: res(T.logGroup, "logs", { retentionInDays: 7 }, { retainOnDelete: true }) },
    message: "retentionInDays is 7; production keeps logs at least 365 days",
  },
  "TAP-FH-1": {
    pass: {
      target: res(T.firehose, "stream", {
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY_USE1 },
        extendedS3Configuration: {
          bucketArn: "arn:aws:s3:::tap-dev-metrics-use2",
          kmsKeyArn: KEY_USE2,
        },
      }),
      others: [
        res(T.bucket, "metrics", { bucket: "tap-dev-metrics-use2" }, { region: "us-east-2" }),
      ],
    },
    fail: {
      // Delivery into a us-east-2 bucket with the stream's own (us-east-1) key: S3 refuses it.
      target: res(T.firehose, "stream", {
        serverSideEncryption: { enabled: true, keyType: "CUSTOMER_MANAGED_CMK", keyArn: KEY_USE1 },
        extendedS3Configuration: {
          bucketArn: "arn:aws:s3:::tap-dev-metrics-use2",
          kmsKeyArn: KEY_USE1,
        },
      }),
      others: [
        res(T.bucket, "metrics", { bucket: "tap-dev-metrics-use2" }, { region: "us-east-2" }),
      ],
    },
    message:
      "extendedS3Configuration.kmsKeyArn is a key in us-east-1, but the resource is in us-east-2",
  },
  "TAP-BAK-1": {
    pass: { target: res(T.backupVault, "vault", { kmsKeyArn: KEY_USE2 }, { region: "us-east-2" }) },
    fail: { target: res(T.backupVault, "vault", { kmsKeyArn: KEY_USE1 }, { region: "us-east-2" }) },
    message: "kmsKeyArn is a key in us-east-1, but the resource is in us-east-2",
  },
};

function iamCase(statement: Record<string, unknown>): Case {
  return { target: iamPolicy(statement) };
}

const run = (ruleId: string, { target, others = [], mode }: Case): string[] => {
  const rule = ALL_RULES.find((candidate) => candidate.id === ruleId);
  if (rule === undefined) throw new Error(`no rule ${ruleId}`);
  expect(rule.resourceTypes).toContain(target.type);
  return check(rule, target, others, mode);
};

describe("policy rules, one resource that passes and one that fails each", () => {
  it("has a pass and a fail case for every rule, and no case for a rule that does not exist", () => {
    expect(Object.keys(CASES).sort()).toEqual(ALL_RULES.map((rule) => rule.id).sort());
  });

  it.each(Object.entries(CASES))("%s passes a compliant resource", (ruleId, cases) => {
    // GIVEN a resource built to the rule WHEN the rule checks it THEN it reports nothing
    expect(run(ruleId, cases.pass)).toEqual([]);
  });

  it.each(Object.entries(CASES))("%s fails a non-compliant one, saying why", (ruleId, cases) => {
    // GIVEN the same resource with the control broken WHEN checked THEN one message names the problem
    const messages = run(ruleId, cases.fail);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join("\n")).toContain(cases.message);
  });
});

describe("encryption rules and the region's own key", () => {
  const rule = ALL_RULES.find((candidate) => candidate.id === "TAP-SQS-1")!;

  it.each<[string, unknown, string | undefined]>([
    ["the region's stack key", KEY_USE1, undefined],
    [
      "the other region's stack key",
      KEY_USE2,
      "is a key in us-east-2, but the resource is in us-east-1",
    ],
    [
      "a key of the region that is not the stack's",
      FOREIGN_KEY_USE1,
      "is not one of this stack's us-east-1 keys",
    ],
    ["an alias", "alias/aws/sqs", "not a customer-managed key ARN"],
    ["a bare key id", "1234abcd-12ab-34cd-56ef-1234567890ab", "not a customer-managed key ARN"],
    ["nothing", undefined, "kmsMasterKeyId is unset"],
    ["a value not known until deploy", UNKNOWN, undefined],
  ])("%s", (_case, key, message) => {
    const messages = check(rule, queue({ kmsMasterKeyId: key }));
    if (message === undefined) {
      expect(messages).toEqual([]);
    } else {
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(message);
    }
  });
});

describe("security group ingress from anywhere", () => {
  const rule = ALL_RULES.find((candidate) => candidate.id === "TAP-SG-1")!;

  it("allows only 80 and 443 on an internet-facing load balancer's group", () => {
    // GIVEN the public ALB's group WHEN it opens 22 to the internet THEN the rule fails
    expect(check(rule, openIngress(80), [albGroup, albWithGroup()])).toEqual([]);
    expect(check(rule, openIngress(22), [albGroup, albWithGroup()])).toEqual([
      'rule admits 0.0.0.0/0 on port 22 ("tcp")',
    ]);
  });

  it("fails inline ingress from ::/0 on a group no load balancer uses", () => {
    const group = res(T.securityGroup, "sg", {
      description: "d",
      ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, ipv6CidrBlocks: ["::/0"] }],
    });
    expect(check(rule, group)).toEqual([
      `ingress[0] admits ::/0 on port 443 ("tcp"), but the group is no internet-facing load balancer's`,
    ]);
  });
});

describe("mode-dependent rules in test mode", () => {
  it.each(["TAP-RDS-2", "TAP-DDB-3", "TAP-ALB-2", "TAP-KMS-3", "TAP-LOG-2"])(
    "%s asks nothing of production-only settings in test mode",
    (ruleId) => {
      const { fail } = CASES[ruleId];
      expect(run(ruleId, { ...fail, mode: "test" })).toEqual([]);
    },
  );
});

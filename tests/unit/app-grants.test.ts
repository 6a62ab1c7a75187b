import {
  WILDCARD_RESOURCE_SIDS,
  apiDataPlanePolicy,
  lambdaRuntimePolicy,
  secretArnPattern,
  workerDataPlanePolicy,
} from "../../lib/security/lambda-grants";
import {
  ELB_LOG_DELIVERY_ACCOUNTS,
  ELB_LOG_DELIVERY_SERVICE,
  albAccessLogBucketPolicy,
  elbLogDeliveryPrincipal,
} from "../../lib/security/elb-log-delivery";
import { serviceTrustPolicy } from "../../lib/security/iam-documents";
import { PolicyStatement, asArray } from "../support/graph";

const SCOPE = { partition: "aws", region: "us-east-2", accountId: "123456789012" };
const PLANE = {
  scope: SCOPE,
  secretName: "tap-dev-db-master-credentials",
  tableName: "tap-dev-transactions",
  queueArn: "arn:aws:sqs:us-east-2:123456789012:tap-dev-transactions-use2",
  keyArn: "arn:aws:kms:us-east-2:123456789012:key/k",
};
const statementsOf = (document: { Statement: unknown }) => document.Statement as PolicyStatement[];
const bySid = (statements: PolicyStatement[], sid: string): PolicyStatement => {
  const found = statements.find((statement) => statement.Sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
};

describe("Lambda grants", () => {
  it("scopes the secret to its name plus Secrets Manager's six random characters, in the function's region", () => {
    expect(secretArnPattern(SCOPE, "tap-dev-db-master-credentials")).toBe(
      "arn:aws:secretsmanager:us-east-2:123456789012:secret:tap-dev-db-master-credentials-??????",
    );
  });

  it("gives the API reads of its region's secret, item access on its region's table replica and send on its queue", () => {
    const statements = statementsOf(apiDataPlanePolicy(PLANE));
    expect(bySid(statements, "TransactionStateItems")).toEqual({
      Sid: "TransactionStateItems",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
      Resource: [
        "arn:aws:dynamodb:us-east-2:123456789012:table/tap-dev-transactions",
        "arn:aws:dynamodb:us-east-2:123456789012:table/tap-dev-transactions/index/*",
      ],
    });
    expect(bySid(statements, "PublishTransactions").Resource).toEqual([PLANE.queueArn]);
    expect(bySid(statements, "DecryptThroughServices")).toMatchObject({
      Action: "kms:Decrypt",
      Resource: PLANE.keyArn,
      Condition: {
        StringEquals: {
          "kms:ViaService": [
            "secretsmanager.us-east-2.amazonaws.com",
            "sqs.us-east-2.amazonaws.com",
            "lambda.us-east-2.amazonaws.com",
            "dynamodb.us-east-2.amazonaws.com",
          ],
        },
      },
    });
    expect(bySid(statements, "EncryptThroughServices").Condition).toEqual({
      StringEquals: {
        "kms:ViaService": ["sqs.us-east-2.amazonaws.com", "dynamodb.us-east-2.amazonaws.com"],
      },
    });
    expect(statements.map((s) => s.Sid)).not.toContain("ConsumeTransactionQueue");
  });

  it("lets the worker consume its queue and send to it and to its failure queue, nothing else", () => {
    const failureQueueArn = "arn:aws:sqs:us-east-2:123456789012:tap-dev-worker-failures-use2";
    const statements = statementsOf(workerDataPlanePolicy({ ...PLANE, failureQueueArn }));
    expect(bySid(statements, "ConsumeTransactionQueue")).toEqual({
      Sid: "ConsumeTransactionQueue",
      Effect: "Allow",
      Action: [
        "sqs:ReceiveMessage",
        "sqs:DeleteMessage",
        "sqs:GetQueueAttributes",
        "sqs:ChangeMessageVisibility",
      ],
      Resource: PLANE.queueArn,
    });
    expect(bySid(statements, "PublishTransactionsAndFailures")).toMatchObject({
      Action: "sqs:SendMessage",
      Resource: [PLANE.queueArn, failureQueueArn],
    });
  });

  it.each([
    ["API", apiDataPlanePolicy(PLANE)],
    ["worker", workerDataPlanePolicy({ ...PLANE, failureQueueArn: PLANE.queueArn })],
  ])("keeps every %s data-plane statement on ARNs of the function's region", (_name, document) => {
    for (const statement of statementsOf(document)) {
      for (const resource of asArray(statement.Resource)) {
        expect([statement.Sid, resource.split(":")[3]]).toEqual([statement.Sid, "us-east-2"]);
      }
    }
  });

  it("uses Resource * only in the two documented waivers (ENIs, X-Ray) of the runtime policy", () => {
    const logGroupArn =
      "arn:aws:logs:us-east-2:123456789012:log-group:/aws/lambda/tap-dev-api-use2";
    const statements = statementsOf(lambdaRuntimePolicy(logGroupArn));
    const wildcard = statements.filter((s) => asArray(s.Resource).includes("*")).map((s) => s.Sid);
    expect(wildcard.sort()).toEqual([...WILDCARD_RESOURCE_SIDS].sort());
    expect(bySid(statements, "WriteOwnLogGroup")).toEqual({
      Sid: "WriteOwnLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [logGroupArn, `${logGroupArn}:*`],
    });
    expect(JSON.stringify(statements)).not.toContain("logs:CreateLogGroup");
  });

  it("trusts Lambda for this account only", () => {
    expect(serviceTrustPolicy("lambda.amazonaws.com", "123456789012").Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
  });
});

describe("ALB access-log delivery", () => {
  it.each([
    ["us-east-1", { AWS: "arn:aws:iam::127311923021:root" }],
    ["us-east-2", { AWS: "arn:aws:iam::033677994240:root" }],
    ["eu-west-1", { AWS: "arn:aws:iam::156460612806:root" }],
    ["ap-southeast-3", { Service: ELB_LOG_DELIVERY_SERVICE }],
    ["il-central-1", { Service: ELB_LOG_DELIVERY_SERVICE }],
  ])("in %s writes as %j", (region, principal) => {
    expect(elbLogDeliveryPrincipal(region, "aws")).toEqual(principal);
  });

  it("lists only 12-digit account ids", () => {
    for (const account of Object.values(ELB_LOG_DELIVERY_ACCOUNTS)) {
      expect(account).toMatch(/^\d{12}$/);
    }
  });

  it("denies requests without TLS and lets delivery write under this account's prefix only", () => {
    const bucketArn = "arn:aws:s3:::tap-dev-alb-logs-123456789012-use1";
    const statements = statementsOf(
      albAccessLogBucketPolicy({
        bucketArn,
        accountId: "123456789012",
        partition: "aws",
        region: "us-east-1",
        prefix: "alb",
      }),
    );
    expect(statements).toEqual([
      expect.objectContaining({
        Effect: "Deny",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: { AWS: "arn:aws:iam::127311923021:root" },
        Action: "s3:PutObject",
        Resource: `${bucketArn}/alb/AWSLogs/123456789012/*`,
      },
    ]);
  });
});

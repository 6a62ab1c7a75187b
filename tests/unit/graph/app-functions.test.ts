import {
  API_TIMEOUT_SECONDS,
  DRAIN_MAX_RETRY_ATTEMPTS,
  LAMBDA_CA_BUNDLE,
  OUTBOX_DRAIN_EVENT,
  WORKER_TIMEOUT_SECONDS,
} from "../../../lib/app/app-tier-settings";
import { LAMBDA_EPHEMERAL_STORAGE_MB } from "../../../lib/app/app-function";
import { WILDCARD_RESOURCE_SIDS } from "../../../lib/security/lambda-grants";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import {
  Graph,
  PolicyStatement,
  asArray,
  policyOf,
  regionOfArn,
  str,
  unsecret,
} from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const FUNCTION = "aws:lambda/function:Function";
const QUEUE = "aws:sqs/queue:Queue";
const REGIONS = [
  ["primary", "us-east-1", "use1"],
  ["dr", "us-east-2", "use2"],
] as const;
const TEST_CONFIG = { environmentSuffix: "dev", mode: "test" };
/** The same production config as app-load-balancer.test.ts, so jest runs the program once for both. */
const PRODUCTION_CONFIG = {
  environmentSuffix: "dev",
  mode: "production",
  domainName: "payments.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  albIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
};

interface FunctionInputs {
  runtime: string;
  architectures: string[];
  handler: string;
  timeout: number;
  memorySize: number;
  reservedConcurrentExecutions?: number;
  kmsKeyArn: string;
  role: string;
  tracingConfig: { mode: string };
  vpcConfig: { subnetIds: string[]; securityGroupIds: string[] };
  loggingConfig: { logFormat: string; logGroup: string };
  environment: { variables: Record<string, unknown> };
  description: string;
}

const inputsOf = (fn: CapturedResource) => fn.inputs as unknown as FunctionInputs;
const variablesOf = (fn: CapturedResource): Record<string, string> =>
  Object.fromEntries(
    Object.entries(inputsOf(fn).environment.variables).map(([key, value]) => [
      key,
      String(unsecret(value)),
    ]),
  );

describe.each([
  ["test mode, no domain", TEST_CONFIG, 7, false],
  ["production mode, with a domain", PRODUCTION_CONFIG, 365, true],
])("app tier functions (%s)", (_label, config, retentionDays, retained) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(config));
  });

  const functionOf = (kind: "api" | "worker", code: string): CapturedResource =>
    graph.one(FUNCTION, `tap-${code === "use1" ? "primary" : "dr"}-app-${kind}`);
  /** The app tier's functions; the failover orchestrator and prober are tested in failover.test.ts. */
  const appFunctions = (): CapturedResource[] =>
    graph
      .ofType(FUNCTION)
      .filter((fn) => !/-(orchestrator|prober|db-rotation)-use\d$/.test(str(fn, "name")));
  const inRegion = (type: string, region: string) =>
    graph.ofType(type).filter((resource) => resource.region === region);
  const transactionQueue = (region: string): CapturedResource => {
    const [queue] = inRegion(QUEUE, region).filter((q) =>
      /^tap-dev-transactions-use\d$/.test(str(q, "name")),
    );
    return queue;
  };

  it("creates an API and a worker function in each region, nothing else", () => {
    expect(
      appFunctions()
        .map((fn) => [fn.region, str(fn, "name")])
        .sort(),
    ).toEqual([
      ["us-east-1", "tap-dev-api-use1"],
      ["us-east-1", "tap-dev-worker-use1"],
      ["us-east-2", "tap-dev-api-use2"],
      ["us-east-2", "tap-dev-worker-use2"],
    ]);
  });

  it.each(REGIONS)(
    "runs the %s region's functions on Node.js 22 arm64, traced, with explicit memory and timeouts",
    (_role, region, code) => {
      for (const [kind, timeout] of [
        ["api", API_TIMEOUT_SECONDS],
        ["worker", WORKER_TIMEOUT_SECONDS],
      ] as const) {
        const fn = inputsOf(functionOf(kind, code));
        expect(fn).toMatchObject({
          runtime: "nodejs22.x",
          architectures: ["arm64"],
          handler: "index.handler",
          timeout,
          tracingConfig: { mode: "Active" },
        });
        expect(fn.memorySize).toBeGreaterThanOrEqual(128);
        expect(fn.description.length).toBeGreaterThan(0);
        expect(functionOf(kind, code).region).toBe(region);
      }
      // Config defaults: 50 for the API, 10 for the worker.
      expect(inputsOf(functionOf("api", code)).reservedConcurrentExecutions).toBe(50);
      expect(inputsOf(functionOf("worker", code)).reservedConcurrentExecutions).toBe(10);
    },
  );

  it.each(REGIONS)(
    "puts the %s region's functions in its own private subnets, security groups and key",
    (_role, region, code) => {
      for (const kind of ["api", "worker"] as const) {
        const fn = inputsOf(functionOf(kind, code));
        const subnets = fn.vpcConfig.subnetIds.map((id) => graph.byId(id));
        expect(subnets).toHaveLength(3);
        for (const subnet of subnets) {
          expect([subnet.region, subnet.name]).toEqual([
            region,
            expect.stringMatching(/-network-private-\d$/),
          ]);
        }
        const [securityGroup] = fn.vpcConfig.securityGroupIds.map((id) => graph.byId(id));
        expect([securityGroup.region, str(securityGroup, "name")]).toEqual([
          region,
          `tap-dev-${kind}-fn-${code}`,
        ]);
        const key = graph.byArn(fn.kmsKeyArn);
        expect([key.type, key.region]).toEqual(["aws:kms/key:Key", region]);
      }
    },
  );

  it.each(REGIONS)(
    "tells the %s region's handlers where their own region's data is",
    (role, region, code) => {
      const [cluster] = inRegion("aws:rds/cluster:Cluster", region);
      const [secret] = graph.ofType("aws:secretsmanager/secret:Secret");
      const table = graph.one("aws:dynamodb/table:Table", "tap-global-state-table");
      const queue = transactionQueue(region);
      for (const [kind, service] of [
        ["api", "transaction-api"],
        ["worker", "transaction-worker"],
      ] as const) {
        expect(variablesOf(functionOf(kind, code))).toEqual({
          DB_HOST: `${str(cluster, "clusterIdentifier")}.cluster-c0ffee.${region}.rds.amazonaws.com`,
          // The reader endpoint: a secondary's only active endpoint before promotion.
          DB_READ_HOST: `${str(cluster, "clusterIdentifier")}.cluster-ro-c0ffee.${region}.rds.amazonaws.com`,
          DB_PORT: "5432",
          DB_NAME: "transactions",
          DB_SECRET_ID: str(secret, "name"),
          TABLE_NAME: str(table, "name"),
          QUEUE_URL: `https://sqs.${region}.amazonaws.com/${TEST_ACCOUNT_ID}/${str(queue, "name")}`,
          POWERTOOLS_SERVICE_NAME: service,
          POWERTOOLS_METRICS_NAMESPACE: "TapDr",
          NODE_EXTRA_CA_CERTS: LAMBDA_CA_BUNDLE,
          REGION_ROLE: role,
        });
      }
      // The replica of the secret (and of the table) has the same name in the DR region.
      expect(secret.inputs.replicas).toEqual([expect.objectContaining({ region: "us-east-2" })]);
    },
  );

  it("gives every function the free 512 MB of /tmp, explicitly", () => {
    for (const fn of graph.ofType(FUNCTION)) {
      expect(fn.inputs.ephemeralStorage).toEqual({ size: LAMBDA_EPHEMERAL_STORAGE_MB });
    }
    expect(LAMBDA_EPHEMERAL_STORAGE_MB).toBe(512);
  });

  it(`logs JSON into a KMS-encrypted group /aws/lambda/<name> kept ${retentionDays} days, created first`, () => {
    for (const fn of graph.ofType(FUNCTION)) {
      const { loggingConfig, kmsKeyArn } = inputsOf(fn);
      expect(loggingConfig).toMatchObject({ logFormat: "JSON" });
      const [group] = graph
        .ofType("aws:cloudwatch/logGroup:LogGroup")
        .filter((g) => g.inputs.name === loggingConfig.logGroup);
      expect(str(group, "name")).toBe(`/aws/lambda/${str(fn, "name")}`);
      expect([group.region, group.inputs.retentionInDays, group.retainOnDelete]).toEqual([
        fn.region,
        retentionDays,
        retained,
      ]);
      expect(group.inputs.kmsKeyId).toBe(kmsKeyArn);
      expect(graph.dependsOn(fn, group)).toBe(true);
    }
  });

  it("lets CloudWatch Logs use each region's key for the stack's Lambda log groups", () => {
    for (const key of graph.ofType("aws:kms/key:Key")) {
      const logs = policyOf(key).Statement.find((s) => s.Sid === "CloudWatchLogsForStackLogGroups");
      expect(logs?.Condition?.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toContain(
        `arn:aws:logs:${key.region}:${TEST_ACCOUNT_ID}:log-group:/aws/lambda/tap-dev-*`,
      );
    }
  });

  describe("execution roles", () => {
    const roleOf = (fn: CapturedResource) => graph.byArn(inputsOf(fn).role);
    const statementsOf = (fn: CapturedResource): PolicyStatement[] => {
      const role = roleOf(fn);
      return graph
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .filter((attachment) => attachment.inputs.role === role.inputs.name)
        .flatMap((attachment) => policyOf(graph.byArn(attachment.inputs.policyArn)).Statement);
    };

    it("gives each function its own role, trusted by Lambda for this account only, named per region", () => {
      const roles = appFunctions().map((fn) => {
        const role = roleOf(fn);
        expect(role.region).toBe(fn.region);
        expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
          {
            Effect: "Allow",
            Principal: { Service: "lambda.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": TEST_ACCOUNT_ID } },
          },
        ]);
        return str(role, "name");
      });
      expect(new Set(roles).size).toBe(4);
    });

    it("attaches customer-managed policies only, no inline and no AWS-managed ones", () => {
      for (const fn of appFunctions()) {
        const role = roleOf(fn);
        const attachments = graph
          .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
          .filter((attachment) => attachment.inputs.role === role.inputs.name);
        expect(attachments).toHaveLength(2);
        for (const attachment of attachments) {
          expect(graph.byArn(attachment.inputs.policyArn).type).toBe("aws:iam/policy:Policy");
        }
        expect(
          graph
            .ofType("aws:iam/rolePolicy:RolePolicy")
            .filter((policy) => policy.inputs.role === role.inputs.name),
        ).toEqual([]);
        expect(role.inputs.inlinePolicies ?? []).toEqual([]);
        expect(role.inputs.managedPolicyArns ?? []).toEqual([]);
        // The function waits for its permissions: Lambda checks the ENI rights on create.
        for (const attachment of attachments) {
          expect(graph.dependsOn(fn, attachment)).toBe(true);
        }
      }
    });

    it("grants only ARNs in the function's own region; * only for the ENI and X-Ray waivers", () => {
      for (const fn of appFunctions()) {
        for (const statement of statementsOf(fn)) {
          for (const resource of asArray(statement.Resource)) {
            if (resource === "*") {
              expect(WILDCARD_RESOURCE_SIDS).toContain(statement.Sid);
            } else {
              expect([statement.Sid, regionOfArn(resource)]).toEqual([statement.Sid, fn.region]);
            }
          }
        }
      }
    });

    it("scopes secret, table, queue, key and logs to this region's resources by name", () => {
      for (const fn of appFunctions()) {
        const statements = statementsOf(fn);
        const sid = (name: string) => statements.find((s) => s.Sid === name) as PolicyStatement;
        const secretName = variablesOf(fn).DB_SECRET_ID;
        expect(sid("ReadDatabaseSecret").Resource).toBe(
          `arn:aws:secretsmanager:${fn.region}:${TEST_ACCOUNT_ID}:secret:${secretName}-??????`,
        );
        expect(asArray(sid("TransactionStateItems").Resource)[0]).toBe(
          `arn:aws:dynamodb:${fn.region}:${TEST_ACCOUNT_ID}:table/${variablesOf(fn).TABLE_NAME}`,
        );
        const key = graph.byArn(sid("DecryptThroughServices").Resource);
        expect([key.type, key.region]).toEqual(["aws:kms/key:Key", fn.region]);
        const logGroup = inputsOf(fn).loggingConfig.logGroup;
        expect(sid("WriteOwnLogGroup").Resource).toEqual([
          `arn:aws:logs:${fn.region}:${TEST_ACCOUNT_ID}:log-group:${logGroup}`,
          `arn:aws:logs:${fn.region}:${TEST_ACCOUNT_ID}:log-group:${logGroup}:*`,
        ]);
        const queueArn = `arn:aws:sqs:${fn.region}:${TEST_ACCOUNT_ID}:${str(transactionQueue(fn.region), "name")}`;
        const send = statements.find((s) => asArray(s.Action).includes("sqs:SendMessage"));
        expect(asArray(send?.Resource)).toContain(queueArn);
        const consume = statements.find((s) => s.Sid === "ConsumeTransactionQueue");
        expect(consume?.Resource).toEqual(
          str(fn, "name").includes("-worker-") ? queueArn : undefined,
        );
      }
    });
  });

  describe("queue worker", () => {
    it.each(REGIONS)(
      "polls the %s region's transaction queue with partial batch responses, within its reserve",
      (_role, region, code) => {
        const worker = functionOf("worker", code);
        const mappings = graph
          .ofType("aws:lambda/eventSourceMapping:EventSourceMapping")
          .filter((mapping) => mapping.region === region);
        expect(mappings).toHaveLength(1);
        const [mapping] = mappings;
        const queue = graph.byArn(mapping.inputs.eventSourceArn);
        expect(queue.urn).toBe(transactionQueue(region).urn);
        expect(mapping.inputs).toMatchObject({
          functionName: `arn:aws:lambda:${region}:${TEST_ACCOUNT_ID}:function:${str(worker, "name")}`,
          functionResponseTypes: ["ReportBatchItemFailures"],
          batchSize: 10,
          maximumBatchingWindowInSeconds: 1,
        });
        const { maximumConcurrency } = mapping.inputs.scalingConfig as {
          maximumConcurrency: number;
        };
        expect(maximumConcurrency).toBeGreaterThanOrEqual(2);
        expect(maximumConcurrency).toBeLessThanOrEqual(
          inputsOf(worker).reservedConcurrentExecutions as number,
        );
        // Lambda asks for a visibility timeout of at least six times the function timeout.
        expect(queue.inputs.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
          6 * inputsOf(worker).timeout,
        );
      },
    );

    it.each(REGIONS)(
      "drains the %s region's outbox every minute, failed runs recorded in a failure queue under its key",
      (_role, region, code) => {
        const worker = functionOf("worker", code);
        const rule = graph
          .ofType("aws:cloudwatch/eventRule:EventRule")
          .find((r) => r.inputs.name === `tap-dev-outbox-drain-${code}`) as CapturedResource;
        expect(rule.region).toBe(region);
        expect(str(rule, "scheduleExpression")).toBe("rate(1 minute)");
        const [target] = graph
          .ofType("aws:cloudwatch/eventTarget:EventTarget")
          .filter((t) => t.region === region && t.inputs.rule === str(rule, "name"));
        expect(graph.byArn(target.inputs.arn).urn).toBe(worker.urn);
        expect(JSON.parse(str(target, "input"))).toEqual(OUTBOX_DRAIN_EVENT);

        const [permission] = graph
          .ofType("aws:lambda/permission:Permission")
          .filter((p) => p.region === region && p.inputs.function === str(worker, "name"));
        expect(graph.byArn(permission.inputs.sourceArn).urn).toBe(rule.urn);
        expect(permission.inputs.function).toBe(str(worker, "name"));
        expect(graph.dependsOn(target, permission)).toBe(true);

        const [invokeConfig] = graph
          .ofType("aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig")
          .filter((c) => c.region === region && c.inputs.functionName === str(worker, "name"));
        expect(invokeConfig.inputs.functionName).toBe(str(worker, "name"));
        expect(invokeConfig.inputs.maximumRetryAttempts).toBe(DRAIN_MAX_RETRY_ATTEMPTS);
        const { destination } = (
          invokeConfig.inputs.destinationConfig as { onFailure: { destination: string } }
        ).onFailure;
        const failureQueue = graph.byArn(destination);
        expect([failureQueue.type, failureQueue.region, str(failureQueue, "name")]).toEqual([
          QUEUE,
          region,
          `tap-dev-worker-failures-${code}`,
        ]);
        const key = graph.byArn(failureQueue.inputs.kmsMasterKeyId);
        expect([key.type, key.region]).toEqual(["aws:kms/key:Key", region]);
        const policy = graph
          .ofType("aws:sqs/queuePolicy:QueuePolicy")
          .find(
            (p) =>
              p.inputs.queueUrl ===
              `https://sqs.${region}.amazonaws.com/${TEST_ACCOUNT_ID}/${str(failureQueue, "name")}`,
          );
        expect(policyOf(policy as CapturedResource).Statement[0]).toMatchObject({
          Effect: "Deny",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        });
      },
    );
  });

  describe("security groups", () => {
    const rulesOf = (type: string, securityGroupId: string) =>
      graph.ofType(type).filter((rule) => rule.inputs.securityGroupId === securityGroupId);

    it("admits nothing into a function, and lets it out only to its database subnets, DynamoDB and the API endpoints", () => {
      for (const fn of appFunctions()) {
        const [securityGroupId] = inputsOf(fn).vpcConfig.securityGroupIds;
        expect(
          rulesOf("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", securityGroupId),
        ).toEqual([]);
        const egress = rulesOf(
          "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
          securityGroupId,
        );
        const net = fn.region === "us-east-1" ? "10.0" : "10.1";
        const postgres = egress.filter((rule) => rule.inputs.fromPort === 5432);
        expect(postgres.map((rule) => rule.inputs.cidrIpv4).sort()).toEqual([
          `${net}.128.0/20`,
          `${net}.144.0/20`,
          `${net}.160.0/20`,
        ]);
        const https = egress.filter((rule) => rule.inputs.fromPort === 443);
        expect(https).toHaveLength(2);
        const dynamoDb = https.find((rule) => rule.inputs.prefixListId !== undefined);
        const endpoint = graph
          .ofType("aws:ec2/vpcEndpoint:VpcEndpoint")
          .find((e) => e.inputs.serviceName === `com.amazonaws.${fn.region}.dynamodb`);
        expect(dynamoDb?.inputs.prefixListId).toMatch(/^pl-/);
        expect(endpoint?.region).toBe(fn.region);
        const apis = https.find((rule) => rule.inputs.referencedSecurityGroupId !== undefined);
        const endpointGroup = graph.byId(apis?.inputs.referencedSecurityGroupId);
        expect([endpointGroup.region, str(endpointGroup, "name")]).toEqual([
          fn.region,
          `tap-dev-endpoints-${fn.region === "us-east-1" ? "use1" : "use2"}`,
        ]);
        for (const rule of egress) {
          expect([rule.inputs.ipProtocol, typeof rule.inputs.description]).toEqual([
            "tcp",
            "string",
          ]);
          expect(rule.inputs.cidrIpv4).not.toBe("0.0.0.0/0");
        }
      }
    });
  });
});

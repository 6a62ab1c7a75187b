import {
  ORCHESTRATOR_WILDCARD_RESOURCE_SIDS,
  WORKFLOW_WILDCARD_RESOURCE_SIDS,
} from "../../../lib/failover/orchestrator-policy";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import {
  ATTACHMENT,
  FailoverView,
  REGIONS,
  RegionCase,
  roleStatements,
  variablesOf,
} from "../../support/failover-view";
import { Graph, PolicyStatement, asArray, policyOf, regionOfArn, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

/** Every action the orchestrator calls (lambda/failover-orchestrator), and nothing else. */
const ORCHESTRATOR_ACTIONS = [
  "cloudwatch:GetMetricData",
  "dynamodb:DeleteItem",
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:Query",
  "kms:Decrypt",
  "kms:GenerateDataKey",
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "rds:CreateDBInstance",
  "rds:DescribeDBClusters",
  "rds:DescribeDBInstances",
  "rds:DescribeGlobalClusters",
  "rds:FailoverGlobalCluster",
  "rds:SwitchoverGlobalCluster",
  "sns:Publish",
  "sqs:SendMessage",
  "states:StartExecution",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];

const actionsOf = (statements: PolicyStatement[]): string[] =>
  [...new Set(statements.flatMap((s) => asArray(s.Action)))].sort();
const bySid = (statements: PolicyStatement[], sid: string): PolicyStatement => {
  const found = statements.find((s) => s.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
};

describe.each([
  ["test mode", { environmentSuffix: "dev", mode: "test" }],
  [
    "production mode",
    {
      environmentSuffix: "dev",
      mode: "production",
      domainName: "payments.example.com",
      hostedZoneId: "Z0123456789ABCDEFGHIJ",
      albIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    },
  ],
])("failover IAM (%s)", (_label, config) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(config));
  });
  const globalClusterArn = (): string => {
    const [globalCluster] = graph.ofType("aws:rds/globalCluster:GlobalCluster");
    return `arn:aws:rds::${TEST_ACCOUNT_ID}:global-cluster:${str(globalCluster, "globalClusterIdentifier")}`;
  };

  describe.each(REGIONS)("in the $role region ($region)", (side: RegionCase) => {
    const view = () => new FailoverView(graph, side);
    const orchestratorStatements = () => roleStatements(graph, view().orchestrator.inputs.role);

    it("gives the orchestrator exactly the actions it calls, none of them a wildcard", () => {
      const statements = orchestratorStatements();
      expect(actionsOf(statements)).toEqual(ORCHESTRATOR_ACTIONS);
      for (const action of actionsOf(statements)) {
        expect(action).not.toContain("*");
      }
      // No ENI actions (it runs outside the VPC), no iam:PassRole (no monitoring role to pass).
      expect(statements.map((s) => s.Sid)).not.toContain("VpcNetworkInterfaces");
    });

    it("scopes every orchestrator resource to its own region, or to the global cluster", () => {
      const statements = orchestratorStatements();
      // The one exception: a planned switchover may demote the peer's cluster, and nothing else.
      const peerWriter = bySid(statements, "SwitchOverFromPeerWriter");
      expect(peerWriter.Action).toBe("rds:SwitchoverGlobalCluster");
      // The name the policy computes is the deployed peer cluster's ARN.
      const peerSide = REGIONS.find((r) => r.region === side.peer);
      expect(peerSide).toBeDefined();
      expect(graph.byArn(peerWriter.Resource).urn).toBe(
        new FailoverView(graph, peerSide!).cluster.urn,
      );
      for (const statement of statements.filter((s) => s !== peerWriter)) {
        for (const resource of asArray(statement.Resource)) {
          if (resource === "*") {
            expect([...ORCHESTRATOR_WILDCARD_RESOURCE_SIDS, "XRayTraceUpload"]).toContain(
              statement.Sid,
            );
          } else if (resource === globalClusterArn()) {
            expect(regionOfArn(resource)).toBe("");
          } else {
            expect([statement.Sid, regionOfArn(resource)]).toEqual([statement.Sid, side.region]);
          }
          expect(resource).not.toContain(side.peer);
        }
      }
    });

    it("lets the orchestrator promote only its own cluster, and add only the failover instance", () => {
      const v = view();
      const statements = orchestratorStatements();
      const env = variablesOf(v.orchestrator);
      const rds = (type: string, name: string) =>
        `arn:aws:rds:${side.region}:${TEST_ACCOUNT_ID}:${type}:${name}`;
      expect(bySid(statements, "PromoteOwnCluster").Resource).toEqual([
        globalClusterArn(),
        env.CLUSTER_ARN,
      ]);
      expect(graph.byArn(env.CLUSTER_ARN).urn).toBe(v.cluster.urn);
      const [subnetGroup] = graph
        .ofType("aws:rds/subnetGroup:SubnetGroup")
        .filter((g) => g.region === side.region);
      expect(bySid(statements, "AddFailoverInstance").Resource).toEqual([
        env.CLUSTER_ARN,
        rds("db", env.FAILOVER_INSTANCE_IDENTIFIER),
        rds("pg", env.DB_PARAMETER_GROUP_NAME),
        rds("subgrp", str(subnetGroup, "name")),
      ]);
      expect(v.cluster.inputs.dbSubnetGroupName).toBe(str(subnetGroup, "name"));
      expect(bySid(statements, "ReadOwnCluster").Resource).toBe(env.CLUSTER_ARN);
      expect(bySid(statements, "ReadGlobalDatabase").Resource).toBe(globalClusterArn());
      expect(bySid(statements, "ReadOwnInstances").Resource).toBe(rds("db", "*"));
    });

    it("lets the orchestrator use only its own table, topic, workflow, failure queue and key", () => {
      const v = view();
      const statements = orchestratorStatements();
      const env = variablesOf(v.orchestrator);
      const target = (sid: string): CapturedResource =>
        graph.byArn(bySid(statements, sid).Resource);
      expect(target("ControlTableItems").urn).toBe(v.table.urn);
      expect(bySid(statements, "PublishAlerts").Resource).toBe(env.ALERT_TOPIC_ARN);
      expect(target("PublishAlerts").region).toBe(side.region);
      expect(target("StartWorkflow").urn).toBe(v.stateMachine.urn);
      expect(target("RecordFailedInvocations").urn).toBe(v.failureQueue.urn);
      for (const sid of ["DecryptThroughServices", "EncryptThroughServices"]) {
        const statement = bySid(statements, sid);
        expect([target(sid).type, target(sid).region]).toEqual(["aws:kms/key:Key", side.region]);
        for (const service of asArray(
          statement.Condition?.StringEquals["kms:ViaService"] as string[],
        )) {
          expect(service).toMatch(new RegExp(`^[a-z]+\\.${side.region}\\.amazonaws\\.com$`));
        }
      }
    });

    it("gives the prober its runtime only: own log group and tracing, no data, no ENIs", () => {
      const prober = view().prober;
      const role = graph.byArn(prober.inputs.role);
      const attachments = graph
        .ofType(ATTACHMENT)
        .filter((attachment) => attachment.inputs.role === role.inputs.name);
      expect(attachments).toHaveLength(1);
      const statements = roleStatements(graph, prober.inputs.role);
      expect(statements.map((s) => s.Sid)).toEqual(["WriteOwnLogGroup", "XRayTraceUpload"]);
      const logGroup = (prober.inputs.loggingConfig as { logGroup: string }).logGroup;
      expect(bySid(statements, "WriteOwnLogGroup").Resource).toEqual([
        `arn:aws:logs:${side.region}:${TEST_ACCOUNT_ID}:log-group:${logGroup}`,
        `arn:aws:logs:${side.region}:${TEST_ACCOUNT_ID}:log-group:${logGroup}:*`,
      ]);
    });

    it("lets the state machine invoke only its own region's orchestrator", () => {
      const v = view();
      const role = graph.byArn(v.stateMachine.inputs.roleArn);
      expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "states.amazonaws.com" },
          Action: "sts:AssumeRole",
          // Confused-deputy protection: only this account's state machines in this region.
          Condition: {
            StringEquals: { "aws:SourceAccount": TEST_ACCOUNT_ID },
            ArnLike: {
              "aws:SourceArn": `arn:aws:states:${v.stateMachine.region}:${TEST_ACCOUNT_ID}:stateMachine:*`,
            },
          },
        },
      ]);
      const statements = roleStatements(graph, v.stateMachine.inputs.roleArn);
      expect(actionsOf(statements.filter((s) => s.Sid === "InvokeOrchestrator"))).toEqual([
        "lambda:InvokeFunction",
      ]);
      expect(graph.byArn(bySid(statements, "InvokeOrchestrator").Resource).urn).toBe(
        v.orchestrator.urn,
      );
      for (const statement of statements) {
        if (asArray(statement.Resource).includes("*")) {
          expect(WORKFLOW_WILDCARD_RESOURCE_SIDS).toContain(statement.Sid);
          expect(asArray(statement.Action).every((a) => /^(logs|xray):/.test(a))).toBe(true);
        }
      }
      // Step Functions checks the role's log-delivery rights when it creates the machine.
      const attachment = graph
        .ofType(ATTACHMENT)
        .find((a) => a.inputs.role === role.inputs.name) as CapturedResource;
      expect(graph.dependsOn(v.stateMachine, attachment)).toBe(true);
    });
  });
});

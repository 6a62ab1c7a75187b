import { ORCHESTRATOR_ENV_VARS } from "../../../lambda/failover-orchestrator/env";
import { ORCHESTRATOR_RULE_PURPOSES } from "../../../lib/failover/failover-automation";
import {
  ORCHESTRATOR_RESERVED_CONCURRENCY,
  ORCHESTRATOR_TIMEOUT_SECONDS,
  PROBER_RESERVED_CONCURRENCY,
} from "../../../lib/failover/failover-settings";
import { corroboratingAlarmName } from "../../../lib/monitoring/alarm-names";
import { TEST_ACCOUNT_ID } from "../../support/aws-mocks";
import {
  FailoverView,
  INVOKE_CONFIG,
  REGIONS,
  RegionCase,
  jsonOf,
  variablesOf,
} from "../../support/failover-view";
import { Graph, PolicyDocument, asArray, policyOf, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const TEST_CONFIG = { environmentSuffix: "dev", mode: "test" };
/** The app-function suites' production config, so jest runs the program once for all of them. */
const PRODUCTION_CONFIG = {
  environmentSuffix: "dev",
  mode: "production",
  domainName: "payments.example.com",
  hostedZoneId: "Z0123456789ABCDEFGHIJ",
  albIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
};

interface TableInputs {
  billingMode: string;
  tableClass: string;
  hashKey: string;
  rangeKey: string;
  attributes: { name: string; type: string }[];
  ttl: { attributeName: string; enabled: boolean };
  pointInTimeRecovery: { enabled: boolean };
  serverSideEncryption: { enabled: boolean; kmsKeyArn: string };
  deletionProtectionEnabled: boolean;
  replicas?: unknown[];
}

describe.each([
  ["test mode, no domain", TEST_CONFIG, "test", "automatic"],
  ["production mode, with a domain", PRODUCTION_CONFIG, "production", "notify"],
] as const)("failover automation (%s)", (_label, config, mode, failoverMode) => {
  let graph: Graph;
  let outputs: Record<string, unknown>;
  beforeAll(async () => {
    const run = await runProgram(config);
    graph = new Graph(run);
    outputs = run.outputs;
  });
  const view = (side: RegionCase) => new FailoverView(graph, side);
  const production = mode === "production";

  describe.each(REGIONS)("in the $role region ($region)", (side) => {
    it("keeps the lock and audit trail in a regional table under the region's own key", () => {
      const table = view(side).table;
      const inputs = table.inputs as unknown as TableInputs;
      expect(table.region).toBe(side.region);
      expect(inputs).toMatchObject({
        billingMode: "PAY_PER_REQUEST",
        // The API default, explicit: infrequent-access storage would price requests higher.
        tableClass: "STANDARD",
        hashKey: "pk",
        rangeKey: "sk",
        ttl: { attributeName: "expiresAt", enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        deletionProtectionEnabled: production,
      });
      expect(inputs.attributes).toEqual([
        { name: "pk", type: "S" },
        { name: "sk", type: "S" },
      ]);
      // Regional, not global: a lock must be decided by one region alone.
      expect(inputs.replicas ?? []).toEqual([]);
      const key = graph.byArn(inputs.serverSideEncryption.kmsKeyArn);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", side.region]);
      expect([table.retainOnDelete, table.protect]).toEqual([production, production]);
    });

    it("runs the orchestrator and the prober outside the VPC, traced, with small reserves", () => {
      const v = view(side);
      for (const [fn, reserved] of [
        [v.orchestrator, ORCHESTRATOR_RESERVED_CONCURRENCY],
        [v.prober, PROBER_RESERVED_CONCURRENCY],
      ] as const) {
        expect(fn.region).toBe(side.region);
        expect(fn.inputs.vpcConfig).toBeUndefined();
        expect(fn.inputs).toMatchObject({
          runtime: "nodejs22.x",
          architectures: ["arm64"],
          tracingConfig: { mode: "Active" },
          reservedConcurrentExecutions: reserved,
        });
        const key = graph.byArn(fn.inputs.kmsKeyArn);
        expect([key.type, key.region]).toEqual(["aws:kms/key:Key", side.region]);
      }
      expect(v.orchestrator.inputs.timeout).toBe(ORCHESTRATOR_TIMEOUT_SECONDS);
      // Lambda refuses a reserve that leaves the account fewer than 100 unreserved executions;
      // the defaults reserve 50 + 10 per region, so these add little.
      expect(ORCHESTRATOR_RESERVED_CONCURRENCY + PROBER_RESERVED_CONCURRENCY).toBeLessThan(10);
    });

    it("points the orchestrator at its own region's cluster, table, topic and state machine", () => {
      const v = view(side);
      const env = variablesOf(v.orchestrator);
      // Exactly the contract's variables (AWS_REGION is Lambda's own).
      expect(Object.keys(env).sort()).toEqual(
        [
          ...ORCHESTRATOR_ENV_VARS.filter((name) => name !== "AWS_REGION"),
          "POWERTOOLS_SERVICE_NAME",
        ].sort(),
      );
      const cluster = v.cluster;
      const clusterId = str(cluster, "clusterIdentifier");
      const [globalCluster] = graph.ofType("aws:rds/globalCluster:GlobalCluster");
      expect(env).toMatchObject({
        GLOBAL_CLUSTER_ID: str(globalCluster, "globalClusterIdentifier"),
        CLUSTER_ID: clusterId,
        CLUSTER_ARN: `arn:aws:rds:${side.region}:${TEST_ACCOUNT_ID}:cluster:${clusterId}`,
        PEER_REGION: side.peer,
        REGION_ROLE: side.role,
        CONTROL_TABLE_NAME: str(v.table, "name"),
        FAILOVER_MODE: failoverMode,
        CORROBORATION_WINDOW_MINUTES: "3",
        REPLICATION_LAG_THRESHOLD_MS: "5000",
        FAILOVER_INSTANCE_CLASS: "db.serverless",
        DB_ENGINE: "aurora-postgresql",
        CORROBORATING_ALARM_NAME: corroboratingAlarmName({
          environmentSuffix: "dev",
          region: side.region,
        }),
        POWERTOOLS_SERVICE_NAME: "failover-orchestrator",
      });
      expect(graph.byArn(env.CLUSTER_ARN).urn).toBe(cluster.urn);
      const topic = graph.byArn(env.ALERT_TOPIC_ARN);
      expect([topic.type, topic.region]).toEqual(["aws:sns/topic:Topic", side.region]);
      // Built from the name, so it must be exactly the ARN Step Functions gives the machine.
      const machine = graph.byArn(env.STATE_MACHINE_ARN);
      expect(machine.urn).toBe(v.stateMachine.urn);
      expect(machine.region).toBe(side.region);
    });

    it("adds the instance Pulumi would name db-1, with this cluster's instance parameter group", () => {
      const v = view(side);
      const env = variablesOf(v.orchestrator);
      const [firstInstance] = graph
        .ofType("aws:rds/clusterInstance:ClusterInstance")
        .filter((i) => i.region === side.region && i.name.endsWith("-instance-1"));
      // Both regions have an instance 1 by default: its identifier is the one to adopt later.
      expect(env.FAILOVER_INSTANCE_IDENTIFIER).toBe(str(firstInstance, "identifier"));
      expect(env.DB_PARAMETER_GROUP_NAME).toBe(firstInstance.inputs.dbParameterGroupName);
      const [group] = graph
        .ofType("aws:rds/parameterGroup:ParameterGroup")
        .filter((g) => g.region === side.region);
      expect(str(group, "name")).toBe(env.DB_PARAMETER_GROUP_NAME);
    });

    it("invokes the orchestrator when the corroborating alarm enters ALARM, from this region's bus", () => {
      const v = view(side);
      const rule = v.rule(ORCHESTRATOR_RULE_PURPOSES.alarm);
      expect(rule.region).toBe(side.region);
      expect(jsonOf(rule, "eventPattern")).toEqual({
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        detail: {
          alarmName: [variablesOf(v.orchestrator).CORROBORATING_ALARM_NAME],
          state: { value: ["ALARM"] },
        },
      });
      // The alarm exists, composite, in the same region: the rule does not watch a name of nothing.
      const composites = graph
        .ofType("aws:cloudwatch/compositeAlarm:CompositeAlarm")
        .filter((a) => a.inputs.alarmName === variablesOf(v.orchestrator).CORROBORATING_ALARM_NAME);
      expect(composites.map((a) => a.region)).toEqual([side.region]);
      expectInvokesOrchestrator(v, rule);
    });

    it("invokes the orchestrator on RDS failover events of this region's cluster and the global cluster", () => {
      const v = view(side);
      const rule = v.rule(ORCHESTRATOR_RULE_PURPOSES.rdsEvents);
      expect(rule.region).toBe(side.region);
      const env = variablesOf(v.orchestrator);
      const pattern = jsonOf<{
        source: string[];
        "detail-type": string[];
        detail: { EventCategories: string[]; SourceIdentifier: string[] };
      }>(rule, "eventPattern");
      expect(pattern.source).toEqual(["aws.rds"]);
      expect(pattern["detail-type"].sort()).toEqual([
        "RDS DB Cluster Event",
        "RDS DB Instance Event",
      ]);
      expect(pattern.detail.EventCategories.sort()).toEqual([
        "failover",
        "failure",
        "global-failover",
      ]);
      const instances = graph
        .ofType("aws:rds/clusterInstance:ClusterInstance")
        .filter((i) => i.region === side.region)
        .map((i) => str(i, "identifier"));
      expect(pattern.detail.SourceIdentifier.sort()).toEqual(
        [env.CLUSTER_ID, env.GLOBAL_CLUSTER_ID, ...instances].sort(),
      );
      // Nothing of the peer region's cluster.
      const peerCluster = new FailoverView(graph, peerOf(side)).cluster;
      expect(pattern.detail.SourceIdentifier).not.toContain(str(peerCluster, "clusterIdentifier"));
      expectInvokesOrchestrator(v, rule);
    });

    it("records undeliverable events and failed invocations in a queue of this region, under its key", () => {
      const v = view(side);
      const queue = v.failureQueue;
      expect(queue.region).toBe(side.region);
      const key = graph.byArn(queue.inputs.kmsMasterKeyId);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", side.region]);
      const [invokeConfig] = graph
        .ofType(INVOKE_CONFIG)
        .filter((c) => c.inputs.functionName === str(v.orchestrator, "name"));
      const { destination } = (
        invokeConfig.inputs.destinationConfig as { onFailure: { destination: string } }
      ).onFailure;
      expect(graph.byArn(destination).urn).toBe(queue.urn);
      expect(invokeConfig.region).toBe(side.region);

      // EventBridge may send to it for exactly the two orchestrator rules; TLS only.
      const policy = queuePolicyOf(queue);
      const allow = policy.Statement.find((s) => s.Effect === "Allow");
      expect(allow?.Principal).toEqual({ Service: "events.amazonaws.com" });
      const ruleArns = asArray(allow?.Condition?.ArnEquals["aws:SourceArn"] as string[]);
      expect(ruleArns.map((arn) => graph.byArn(arn).urn).sort()).toEqual(
        [
          v.rule(ORCHESTRATOR_RULE_PURPOSES.alarm).urn,
          v.rule(ORCHESTRATOR_RULE_PURPOSES.rdsEvents).urn,
        ].sort(),
      );
      expect(policy.Statement.find((s) => s.Effect === "Deny")?.Condition).toEqual({
        Bool: { "aws:SecureTransport": "false" },
      });
    });

    it("probes the OTHER region's API health URL every minute, from this region", () => {
      const v = view(side);
      const rule = v.rule("prober-schedule");
      expect(rule.region).toBe(side.region);
      expect(str(rule, "scheduleExpression")).toBe("rate(1 minute)");
      const target = v.targetOf(rule);
      expect(graph.byArn(target.inputs.arn).urn).toBe(v.prober.urn);
      const peerApiUrl = side.role === "primary" ? outputs.drApiUrl : outputs.primaryApiUrl;
      expect(JSON.parse(str(target, "input"))).toEqual({
        targetUrl: `${String(peerApiUrl)}/health`,
        peerRegion: side.peer,
      });
      // The peer's own regional URL, never api.<domain>, which may already point here.
      expect(String(peerApiUrl)).toContain(
        production ? `api-${peerOf(side).code}.` : peerOf(side).region,
      );
      const [permission] = v.permissionsOf(rule);
      expect(permission.inputs).toMatchObject({
        function: str(v.prober, "name"),
        principal: "events.amazonaws.com",
        action: "lambda:InvokeFunction",
      });
      expect(permission.region).toBe(side.region);
      expect(graph.dependsOn(target, permission)).toBe(true);
    });
  });

  /** The rule's one target is this region's orchestrator, allowed by a permission for this rule. */
  function expectInvokesOrchestrator(v: FailoverView, rule: CapturedResource): void {
    const target = v.targetOf(rule);
    expect(target.region).toBe(v.side.region);
    expect(graph.byArn(target.inputs.arn).urn).toBe(v.orchestrator.urn);
    expect(target.inputs.input).toBeUndefined();
    const deadLetter = (target.inputs.deadLetterConfig as { arn: string }).arn;
    expect(graph.byArn(deadLetter).urn).toBe(v.failureQueue.urn);
    const permissions = v.permissionsOf(rule);
    expect(permissions).toHaveLength(1);
    expect(permissions[0].inputs).toMatchObject({
      function: str(v.orchestrator, "name"),
      principal: "events.amazonaws.com",
      action: "lambda:InvokeFunction",
    });
    expect(permissions[0].region).toBe(v.side.region);
    expect(permissions[0].inputs.sourceAccount).toBeUndefined();
    expect(graph.dependsOn(target, permissions[0])).toBe(true);
  }

  function queuePolicyOf(queue: CapturedResource): PolicyDocument {
    const url = `https://sqs.${queue.region}.amazonaws.com/${TEST_ACCOUNT_ID}/${str(queue, "name")}`;
    const [policy] = graph
      .ofType("aws:sqs/queuePolicy:QueuePolicy")
      .filter((p) => p.inputs.queueUrl === url);
    return policyOf(policy);
  }
});

const peerOf = (side: RegionCase): RegionCase =>
  REGIONS.find((other) => other.region === side.peer) as RegionCase;

describe("a headless DR cluster (drDbInstances 0)", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ environmentSuffix: "dev", mode: "test", drDbInstances: "0" }),
    );
  });

  it("has the orchestrator add the instance Pulumi names db-1, so it can be imported later", () => {
    const dr = new FailoverView(graph, REGIONS[1]);
    expect(
      graph
        .ofType("aws:rds/clusterInstance:ClusterInstance")
        .filter((i) => i.region === "us-east-2"),
    ).toEqual([]);
    const env = variablesOf(dr.orchestrator);
    // What AuroraCluster names DR instance 1 (instance index 0) when drDbInstances is 1.
    expect(env.FAILOVER_INSTANCE_IDENTIFIER).toBe("tap-dev-db-1-use2");
    // Its events reach the orchestrator before it is a resource of the program.
    const pattern = jsonOf<{ detail: { SourceIdentifier: string[] } }>(
      dr.rule(ORCHESTRATOR_RULE_PURPOSES.rdsEvents),
      "eventPattern",
    );
    expect(pattern.detail.SourceIdentifier).toContain("tap-dev-db-1-use2");
  });
});

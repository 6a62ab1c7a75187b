import {
  AURORA_ENGINE,
  AURORA_ENGINE_VERSION,
  AURORA_PARAMETER_GROUP_FAMILY,
  AURORA_PORT,
} from "../../../lib/data/aurora-engine";
import { planSubnets } from "../../../lib/network/subnet-layout";
import { MOCK_PASSWORD } from "../../support/aws-mocks";
import { Graph, regionOfArn, str, unsecret } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const CLUSTER = "aws:rds/cluster:Cluster";
const INSTANCE = "aws:rds/clusterInstance:ClusterInstance";
const PRIMARY = "us-east-1";
const DR = "us-east-2";

const inRegion = (graph: Graph, type: string, region: string): CapturedResource[] =>
  graph.ofType(type).filter((resource) => resource.region === region);
const clusterIn = (graph: Graph, region: string): CapturedResource => {
  const [cluster, ...others] = inRegion(graph, CLUSTER, region);
  expect(others).toEqual([]);
  return cluster;
};

/** Whether `dependency` is reachable from `resource` through dependencies and parents. */
function reaches(graph: Graph, resource: CapturedResource, dependency: CapturedResource): boolean {
  const seen = new Set<string>();
  const pending = [resource.urn];
  while (pending.length > 0) {
    const urn = pending.pop() as string;
    if (urn === dependency.urn) return true;
    if (seen.has(urn)) continue;
    seen.add(urn);
    const current = graph.resources.find((candidate) => candidate.urn === urn);
    if (current !== undefined) pending.push(...current.dependencies);
  }
  return false;
}

/** Instance N of a cluster, by its logical name (1-based, as the names are). */
const instanceNumber = (instance: CapturedResource): number =>
  Number(/-instance-(\d+)$/.exec(instance.name)?.[1]);

/** Writer order and slow-statement logging, asserted the same way in every mode. */
function expectWriterFirstAndSlowStatementsEverywhere(graph: () => Graph): void {
  it("creates instance 0 first and every other instance after it, so instance 0 is the writer", () => {
    for (const region of [PRIMARY, DR]) {
      const instances = inRegion(graph(), INSTANCE, region).sort(
        (a, b) => instanceNumber(a) - instanceNumber(b),
      );
      const [first, ...others] = instances;
      expect(first.inputs.promotionTier).toBe(0);
      expect(instances.filter((instance) => graph().dependsOn(first, instance))).toEqual([]);
      for (const other of others) {
        expect([other.name, graph().dependsOn(other, first)]).toEqual([other.name, true]);
      }
    }
    expect(inRegion(graph(), INSTANCE, PRIMARY).length).toBeGreaterThan(1);
  });

  it("gates the DR cluster on the primary's instance 0, the writer", () => {
    const writer = graph().one(INSTANCE, "tap-primary-data-aurora-instance-1");
    expect(reaches(graph(), clusterIn(graph(), DR), writer)).toBe(true);
    // ...and not on a reader: the join waits for the writer alone.
    const reader = graph().one(INSTANCE, "tap-primary-data-aurora-instance-2");
    expect(graph().dependsOn(clusterIn(graph(), DR), reader)).toBe(false);
  });

  it("logs slow statements in every cluster parameter group, at the instance groups' threshold", () => {
    const slow = (group: CapturedResource) =>
      (group.inputs.parameters as { name: string }[]).filter(
        (parameter) => parameter.name === "log_min_duration_statement",
      );
    const instanceGroups = graph().ofType("aws:rds/parameterGroup:ParameterGroup");
    const clusterGroups = graph().ofType("aws:rds/clusterParameterGroup:ClusterParameterGroup");
    expect([instanceGroups.length, clusterGroups.length]).toEqual([2, 2]);
    for (const group of [...instanceGroups, ...clusterGroups]) {
      expect([group.name, slow(group)]).toEqual([
        group.name,
        [{ name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" }],
      ]);
    }
  });
}

describe("Aurora global database (defaults, test mode)", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        mode: "test",
      }),
    );
  });

  expectWriterFirstAndSlowStatementsEverywhere(() => graph);

  it("creates one encrypted global cluster in the primary region, with the shared engine version", () => {
    const [global] = graph.ofType("aws:rds/globalCluster:GlobalCluster");
    expect(graph.ofType("aws:rds/globalCluster:GlobalCluster")).toHaveLength(1);
    expect(global.region).toBe(PRIMARY);
    expect(global.inputs).toMatchObject({
      globalClusterIdentifier: "tap-dev-global-db",
      engine: AURORA_ENGINE,
      engineVersion: AURORA_ENGINE_VERSION,
      storageEncrypted: true,
    });
  });

  it("uses a version on the 16 line that supports global databases (16.1 or later), in every member", () => {
    const [major, minor] = AURORA_ENGINE_VERSION.split(".").map(Number);
    expect(major).toBe(16);
    expect(minor).toBeGreaterThanOrEqual(1);
    expect(AURORA_PARAMETER_GROUP_FAMILY).toBe(`aurora-postgresql${major}`);
    for (const member of [...graph.ofType(CLUSTER), ...graph.ofType(INSTANCE)]) {
      expect([member.name, member.inputs.engine, member.inputs.engineVersion]).toEqual([
        member.name,
        AURORA_ENGINE,
        AURORA_ENGINE_VERSION,
      ]);
    }
  });

  it("joins both clusters to the global cluster at creation", () => {
    for (const region of [PRIMARY, DR]) {
      expect(clusterIn(graph, region).inputs.globalClusterIdentifier).toBe("tap-dev-global-db");
    }
  });

  it("gives only the primary master credentials and the database name", () => {
    const primary = clusterIn(graph, PRIMARY);
    expect(primary.inputs.masterUsername).toBe("tap_admin");
    expect(unsecret(primary.inputs.masterPassword)).toBe(MOCK_PASSWORD);
    expect(primary.inputs.databaseName).toBe("transactions");
    expect(primary.inputs.sourceRegion).toBeUndefined();
    // AWS rejects credentials on a cross-region secondary ("Cannot specify user name / password").
    const secondary = clusterIn(graph, DR);
    for (const field of [
      "masterUsername",
      "masterPassword",
      "databaseName",
      "manageMasterUserPassword",
    ]) {
      expect([field, secondary.inputs[field]]).toEqual([field, undefined]);
    }
    expect(secondary.inputs.sourceRegion).toBe(PRIMARY);
  });

  it("creates the secondary only after the primary's writer instance exists", () => {
    const writer = graph.one(INSTANCE, "tap-primary-data-aurora-instance-1");
    expect(writer.inputs.promotionTier).toBe(0);
    expect(graph.dependsOn(clusterIn(graph, DR), writer)).toBe(true);
  });

  it("encrypts each cluster, and its Performance Insights, with a key in the cluster's own region", () => {
    for (const region of [PRIMARY, DR]) {
      const cluster = clusterIn(graph, region);
      expect(cluster.inputs.storageEncrypted).toBe(true);
      const key = graph.byArn(cluster.inputs.kmsKeyId);
      expect([key.type, key.region]).toEqual(["aws:kms/key:Key", region]);
      for (const instance of inRegion(graph, INSTANCE, region)) {
        expect(graph.byArn(instance.inputs.performanceInsightsKmsKeyId).region).toBe(region);
      }
    }
  });

  it("does not fight a switchover or failover: members ignore the inputs a role swap changes", () => {
    for (const cluster of graph.ofType(CLUSTER)) {
      expect([...cluster.ignoreChanges].sort()).toEqual(
        [
          "engineVersion",
          "globalClusterIdentifier",
          "replicationSourceIdentifier",
          "sourceRegion",
        ].sort(),
      );
    }
    for (const instance of graph.ofType(INSTANCE)) {
      expect(instance.ignoreChanges).toEqual(["engineVersion"]);
    }
  });

  it("sets the same operational options on both clusters so either can take over", () => {
    const shared = (cluster: CapturedResource) => ({
      port: cluster.inputs.port,
      iam: cluster.inputs.iamDatabaseAuthenticationEnabled,
      logs: cluster.inputs.enabledCloudwatchLogsExports,
      backup: cluster.inputs.backupRetentionPeriod,
      copyTags: cluster.inputs.copyTagsToSnapshot,
      scaling: cluster.inputs.serverlessv2ScalingConfiguration,
    });
    expect(shared(clusterIn(graph, DR))).toEqual(shared(clusterIn(graph, PRIMARY)));
    expect(shared(clusterIn(graph, PRIMARY))).toEqual({
      port: AURORA_PORT,
      iam: true,
      logs: ["postgresql"],
      backup: 7,
      copyTags: true,
      scaling: { minCapacity: 2, maxCapacity: 16 },
    });
  });

  it("exports logs into pre-created, KMS-encrypted log groups that RDS would otherwise create unencrypted", () => {
    for (const region of [PRIMARY, DR]) {
      const cluster = clusterIn(graph, region);
      const [group] = inRegion(graph, "aws:cloudwatch/logGroup:LogGroup", region).filter((g) =>
        str(g, "name").startsWith("/aws/rds/cluster/"),
      );
      expect(group.inputs.name).toBe(
        `/aws/rds/cluster/${str(cluster, "clusterIdentifier")}/postgresql`,
      );
      expect(graph.byArn(group.inputs.kmsKeyId).region).toBe(region);
      expect(graph.dependsOn(cluster, group)).toBe(true);
    }
  });

  it("runs two Serverless v2 instances in the primary and one in the DR region by default", () => {
    expect(inRegion(graph, INSTANCE, PRIMARY)).toHaveLength(2);
    expect(inRegion(graph, INSTANCE, DR)).toHaveLength(1);
    for (const instance of graph.ofType(INSTANCE)) {
      expect(instance.inputs).toMatchObject({
        instanceClass: "db.serverless",
        publiclyAccessible: false,
        autoMinorVersionUpgrade: false,
        performanceInsightsEnabled: true,
        performanceInsightsRetentionPeriod: 7,
        monitoringInterval: 60,
      });
    }
  });

  it("gives enhanced monitoring a role RDS can assume, attached before any instance is created", () => {
    for (const instance of graph.ofType(INSTANCE)) {
      const role = graph.byArn(instance.inputs.monitoringRoleArn);
      const trust = JSON.parse(str(role, "assumeRolePolicy")) as {
        Statement: { Principal: { Service: string } }[];
      };
      expect(trust.Statement[0].Principal.Service).toBe("monitoring.rds.amazonaws.com");
      const attachment = graph
        .ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        .find((a) => a.inputs.role === role.inputs.name);
      expect(attachment?.inputs.policyArn).toBe(
        "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
      );
      expect(graph.dependsOn(instance, attachment as CapturedResource)).toBe(true);
    }
  });

  it("forces TLS in every cluster parameter group and logs DDL, connections and slow statements", () => {
    for (const group of graph.ofType("aws:rds/clusterParameterGroup:ClusterParameterGroup")) {
      expect(group.inputs.family).toBe(AURORA_PARAMETER_GROUP_FAMILY);
      expect(group.inputs.parameters).toEqual(
        expect.arrayContaining([
          { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
          { name: "log_statement", value: "ddl", applyMethod: "immediate" },
          { name: "log_connections", value: "1", applyMethod: "immediate" },
        ]),
      );
    }
    for (const group of graph.ofType("aws:rds/parameterGroup:ParameterGroup")) {
      expect(group.inputs.family).toBe(AURORA_PARAMETER_GROUP_FAMILY);
      expect(group.inputs.parameters).toEqual([
        { name: "log_min_duration_statement", value: "1000", applyMethod: "immediate" },
      ]);
    }
  });

  it("leaves managed RPO off unless dbRpoSeconds is set", () => {
    for (const group of graph.ofType("aws:rds/clusterParameterGroup:ClusterParameterGroup")) {
      const names = (group.inputs.parameters as { name: string }[]).map((p) => p.name);
      expect(names).not.toContain("rds.global_db_rpo");
    }
  });

  it("admits PostgreSQL only from the app subnets of its own VPC and the peer VPC", () => {
    const appCidrs = (vpc: string) =>
      planSubnets(vpc, 3)
        .filter((subnet) => subnet.tier === "private")
        .map((subnet) => subnet.cidr);
    for (const [region, own, peer] of [
      [PRIMARY, "10.0.0.0/16", "10.1.0.0/16"],
      [DR, "10.1.0.0/16", "10.0.0.0/16"],
    ]) {
      const [securityGroupId] = clusterIn(graph, region).inputs.vpcSecurityGroupIds as string[];
      const rules = graph
        .ofType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
        .filter((rule) => rule.inputs.securityGroupId === securityGroupId);
      expect(rules.map((rule) => rule.inputs.cidrIpv4).sort()).toEqual(
        [...appCidrs(own), ...appCidrs(peer)].sort(),
      );
      for (const rule of rules) {
        expect([rule.region, rule.inputs.fromPort, rule.inputs.toPort]).toEqual([
          region,
          AURORA_PORT,
          AURORA_PORT,
        ]);
      }
    }
  });

  it("places each cluster in its own VPC's isolated subnets", () => {
    for (const region of [PRIMARY, DR]) {
      const cluster = clusterIn(graph, region);
      const group = graph
        .ofType("aws:rds/subnetGroup:SubnetGroup")
        .find((candidate) => candidate.inputs.name === cluster.inputs.dbSubnetGroupName);
      if (!group) throw new Error(`no subnet group for ${cluster.name}`);
      expect(group.region).toBe(region);
      expect(group.inputs.subnetIds).toHaveLength(3);
      for (const subnetId of group.inputs.subnetIds as string[]) {
        const subnet = graph.byId(subnetId);
        expect([subnet.region, subnet.name]).toEqual([region, expect.stringMatching(/isolated/)]);
      }
    }
  });

  it("destroys cleanly in test mode: no deletion protection, no final snapshot, global cluster force-destroyed", () => {
    const [global] = graph.ofType("aws:rds/globalCluster:GlobalCluster");
    expect(global.inputs).toMatchObject({ deletionProtection: false, forceDestroy: true });
    for (const cluster of graph.ofType(CLUSTER)) {
      expect(cluster.inputs).toMatchObject({ deletionProtection: false, skipFinalSnapshot: true });
      expect(cluster.inputs.finalSnapshotIdentifier).toBeUndefined();
    }
  });
});

describe("Aurora in production mode", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "prod",
        domainName: "payments.example.com",
        mode: "production",
      }),
    );
  });

  expectWriterFirstAndSlowStatementsEverywhere(() => graph);

  it("protects the global cluster and both clusters from deletion and takes final snapshots", () => {
    const [global] = graph.ofType("aws:rds/globalCluster:GlobalCluster");
    expect(global.inputs).toMatchObject({ deletionProtection: true, forceDestroy: false });
    for (const cluster of graph.ofType(CLUSTER)) {
      expect(cluster.inputs).toMatchObject({
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${str(cluster, "clusterIdentifier")}-final`,
      });
    }
  });
});

describe("Aurora, provisioned pilot light with managed RPO", () => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({
        environmentSuffix: "dev",
        domainName: "payments.example.com",
        dbCapacity: "provisioned",
        dbInstanceClass: "db.r7g.large",
        primaryDbInstances: "1",
        drDbInstances: "0",
        dbRpoSeconds: "60",
      }),
    );
  });

  it("runs a headless DR cluster: storage only, still created after the primary writer", () => {
    expect(inRegion(graph, INSTANCE, DR)).toEqual([]);
    const writer = graph.one(INSTANCE, "tap-primary-data-aurora-instance-1");
    expect(graph.dependsOn(clusterIn(graph, DR), writer)).toBe(true);
  });

  it("uses the configured memory-optimized class and no Serverless v2 scaling", () => {
    for (const instance of graph.ofType(INSTANCE)) {
      expect(instance.inputs.instanceClass).toBe("db.r7g.large");
    }
    for (const cluster of graph.ofType(CLUSTER)) {
      expect(cluster.inputs.serverlessv2ScalingConfiguration).toBeUndefined();
    }
  });

  it("sets rds.global_db_rpo on the primary's cluster parameter group only", () => {
    const rpoIn = (region: string) =>
      (
        inRegion(graph, "aws:rds/clusterParameterGroup:ClusterParameterGroup", region)[0].inputs
          .parameters as { name: string; value: string }[]
      ).filter((p) => p.name === "rds.global_db_rpo");
    expect(rpoIn(PRIMARY)).toEqual([
      { name: "rds.global_db_rpo", value: "60", applyMethod: "immediate" },
    ]);
    // A promoted DR cluster has no healthy secondary in a two-region setup; an RPO there
    // would block every commit right after a failover.
    expect(rpoIn(DR)).toEqual([]);
  });

  it("keeps the key of each cluster in its region even with no instances", () => {
    expect(regionOfArn(clusterIn(graph, DR).inputs.kmsKeyId)).toBe(DR);
  });
});

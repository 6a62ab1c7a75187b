import { TABLE_KEYS } from "../../../lib/global/transaction-state-table";
import { MOCK_PASSWORD } from "../../support/aws-mocks";
import { Graph, str, unsecret } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const TABLE = "aws:dynamodb/table:Table";
const SECRET = "aws:secretsmanager/secret:Secret";

describe.each([
  ["test", false, false, 0],
  ["production", true, true, 30],
])("global data in %s mode", (mode, protectedData, retained, recoveryWindow) => {
  let graph: Graph;
  let table: CapturedResource;
  beforeAll(async () => {
    graph = new Graph(
      await runProgram({ environmentSuffix: "dev", domainName: "payments.example.com", mode }),
    );
    // The other tables are the regions' failover control tables (tests/unit/graph/failover.test.ts).
    table = graph.one(TABLE, "tap-global-state-table");
  });

  it("creates one on-demand table in the primary region with PITR, a stream and a TTL attribute", () => {
    expect(graph.ofType(TABLE).filter((t) => t.inputs.replicas !== undefined)).toHaveLength(1);
    expect(table.region).toBe("us-east-1");
    expect(table.inputs).toMatchObject({
      name: "tap-dev-transactions",
      billingMode: "PAY_PER_REQUEST",
      // The API default, explicit: infrequent-access storage would price requests higher.
      tableClass: "STANDARD",
      hashKey: TABLE_KEYS.partitionKey,
      rangeKey: TABLE_KEYS.sortKey,
      pointInTimeRecovery: { enabled: true },
      // Global tables replicate through the stream; leaving it unset breaks later updates.
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      ttl: { attributeName: TABLE_KEYS.ttlAttribute, enabled: true },
    });
  });

  it("indexes transactions per customer, with every key attribute declared", () => {
    const [index] = table.inputs.globalSecondaryIndexes as Record<string, unknown>[];
    expect(index).toMatchObject({
      name: TABLE_KEYS.customerIndex,
      hashKey: TABLE_KEYS.customerAttribute,
      rangeKey: TABLE_KEYS.customerSortAttribute,
      projectionType: "ALL",
    });
    const declared = (table.inputs.attributes as { name: string }[]).map((a) => a.name).sort();
    // DynamoDB rejects attributes that are not keys of the table or an index.
    expect(declared).toEqual(
      [
        TABLE_KEYS.partitionKey,
        TABLE_KEYS.sortKey,
        TABLE_KEYS.customerAttribute,
        TABLE_KEYS.customerSortAttribute,
      ].sort(),
    );
  });

  it("encrypts the table with the primary key and its DR replica with the DR region's key, PITR on", () => {
    const sse = table.inputs.serverSideEncryption as { enabled: boolean; kmsKeyArn: string };
    expect(sse.enabled).toBe(true);
    expect(graph.byArn(sse.kmsKeyArn).region).toBe("us-east-1");
    const replicas = table.inputs.replicas as Record<string, unknown>[];
    expect(replicas).toHaveLength(1);
    expect(replicas[0]).toMatchObject({ regionName: "us-east-2", pointInTimeRecovery: true });
    const replicaKey = graph.byArn(replicas[0].kmsKeyArn);
    expect([replicaKey.type, replicaKey.region]).toEqual(["aws:kms/key:Key", "us-east-2"]);
  });

  it(`${protectedData ? "protects" : "does not protect"} the table and its replica from deletion`, () => {
    expect(table.inputs.deletionProtectionEnabled).toBe(protectedData);
    const [replica] = table.inputs.replicas as Record<string, unknown>[];
    expect(replica.deletionProtectionEnabled).toBe(protectedData);
    expect(table.retainOnDelete).toBe(retained);
  });

  it("stores the master credentials in the primary region under its key, replicated with the DR key", () => {
    const [secret] = graph.ofType(SECRET);
    expect(graph.ofType(SECRET)).toHaveLength(1);
    expect(secret.region).toBe("us-east-1");
    expect(graph.byArn(secret.inputs.kmsKeyId).region).toBe("us-east-1");
    const [replica] = secret.inputs.replicas as { region: string; kmsKeyId: string }[];
    expect(replica.region).toBe("us-east-2");
    expect(graph.byArn(replica.kmsKeyId).region).toBe("us-east-2");
    expect(secret.inputs.recoveryWindowInDays).toBe(recoveryWindow);
  });

  it("holds the primary cluster's password and the global writer endpoint, the host that survives failover", () => {
    const [version] = graph.ofType("aws:secretsmanager/secretVersion:SecretVersion");
    const value = JSON.parse(String(unsecret(version.inputs.secretString))) as Record<
      string,
      unknown
    >;
    const primaryCluster = graph
      .ofType("aws:rds/cluster:Cluster")
      .find((cluster) => cluster.region === "us-east-1") as CapturedResource;
    expect(value).toEqual({
      engine: "postgres",
      host: "tap-dev-global-db.global-c0ffee.global.rds.amazonaws.com",
      port: 5432,
      dbname: "transactions",
      username: primaryCluster.inputs.masterUsername,
      password: MOCK_PASSWORD,
    });
    expect(unsecret(primaryCluster.inputs.masterPassword)).toBe(MOCK_PASSWORD);
  });

  it("generates a master password RDS accepts: 32 characters, no '/', '\"', '@' or space", () => {
    const [password] = graph.ofType("random:index/randomPassword:RandomPassword");
    expect(password.inputs.length).toBe(32);
    expect(str(password, "overrideSpecial")).not.toMatch(/[/"@ ]/);
  });
});

/** Test-only: the simulated rds API (see ../simulated-aws.ts). */
import {
  DescribeDBClusterParametersCommand,
  type DescribeDBClusterParametersCommandInput,
  DescribeDBClustersCommand,
  type DescribeDBClustersCommandInput,
  DescribeGlobalClustersCommand,
  type DescribeGlobalClustersCommandInput,
  RDSClient,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { Cloud, awsError, bool, records, regionOf, text } from "../cloud";

export function installRds(cloud: () => Cloud): () => void {
  const rds = mockClient(RDSClient);
  const CLUSTER = "aws:rds/cluster:Cluster";
  // DescribeGlobalClustersResult.GlobalClusters: GlobalCluster[]; visible from member regions.
  rds.on(DescribeGlobalClustersCommand).callsFake((input: DescribeGlobalClustersCommandInput) => {
    const c = cloud();
    const global = c
      .of("aws:rds/globalCluster:GlobalCluster")
      .find((g) => g.inputs.globalClusterIdentifier === input.GlobalClusterIdentifier);
    if (!global) throw awsError("GlobalClusterNotFoundFault", "Global cluster not found");
    const members = c
      .of(CLUSTER)
      .filter((m) => m.inputs.globalClusterIdentifier === input.GlobalClusterIdentifier);
    return {
      GlobalClusters: [
        {
          GlobalClusterIdentifier: text(global.inputs.globalClusterIdentifier),
          GlobalClusterArn: c.arnOf(global),
          Engine: text(global.inputs.engine),
          Status: "available",
          StorageEncrypted: bool(global.inputs.storageEncrypted, false),
          // The writer is the member that was not created as a secondary (no sourceRegion).
          GlobalClusterMembers: members.map((m) => ({
            DBClusterArn: c.arnOf(m),
            IsWriter: m.inputs.sourceRegion === undefined,
            Readers:
              m.inputs.sourceRegion === undefined
                ? members.filter((o) => o !== m).map((o) => c.arnOf(o))
                : [],
          })),
        },
      ],
    };
  });
  // DescribeDBClustersResult.DBClusters: DBCluster[]; DBClusterIdentifier may be a name or an ARN.
  rds
    .on(DescribeDBClustersCommand)
    .callsFake(async (input: DescribeDBClustersCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const cluster = c
        .of(CLUSTER, region)
        .find(
          (r) =>
            c.arnOf(r) === input.DBClusterIdentifier || c.nameOf(r) === input.DBClusterIdentifier,
        );
      if (!cluster)
        throw awsError(
          "DBClusterNotFoundFault",
          `DBCluster ${String(input.DBClusterIdentifier)} not found.`,
        );
      return {
        DBClusters: [
          {
            DBClusterIdentifier: c.nameOf(cluster),
            DBClusterArn: c.arnOf(cluster),
            Engine: text(cluster.inputs.engine),
            EngineVersion: text(cluster.inputs.engineVersion),
            Status: "available",
            StorageEncrypted: bool(cluster.inputs.storageEncrypted, false),
            KmsKeyId: text(cluster.inputs.kmsKeyId),
            IAMDatabaseAuthenticationEnabled: bool(
              cluster.inputs.iamDatabaseAuthenticationEnabled,
              false,
            ),
            EnabledCloudwatchLogsExports: Array.isArray(cluster.inputs.enabledCloudwatchLogsExports)
              ? cluster.inputs.enabledCloudwatchLogsExports.map(String)
              : undefined,
            Port: typeof cluster.inputs.port === "number" ? cluster.inputs.port : 5432,
            DBClusterParameterGroup:
              text(cluster.inputs.dbClusterParameterGroupName) ?? "default.aurora-postgresql16",
          },
        ],
      };
    });
  // DescribeDBClusterParametersResult.Parameters: Parameter[]. Only the group's own
  // parameters are simulated, so Source "user" is the complete answer; no Marker.
  rds
    .on(DescribeDBClusterParametersCommand)
    .callsFake(async (input: DescribeDBClusterParametersCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      if (input.DBClusterParameterGroupName?.startsWith("default.")) return { Parameters: [] };
      const group = c
        .of("aws:rds/clusterParameterGroup:ClusterParameterGroup", region)
        .find((g) => c.nameOf(g) === input.DBClusterParameterGroupName);
      if (!group)
        throw awsError("DBParameterGroupNotFoundFault", "DBClusterParameterGroup not found");
      return {
        Parameters: records(group.inputs.parameters).map((p) => ({
          ParameterName: text(p.name),
          ParameterValue: text(p.value),
          ApplyMethod: text(p.applyMethod),
          Source: "user",
          IsModifiable: true,
        })),
      };
    });
  return () => rds.restore();
}

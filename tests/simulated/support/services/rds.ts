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
import type { CapturedResource } from "../../../support/mock-graph";
import { Cloud, awsError, bool, records, regionOf, text } from "../cloud";

const CLUSTER = "aws:rds/cluster:Cluster";

export function installRds(cloud: () => Cloud): () => void {
  const rds = mockClient(RDSClient);
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
    const isWriter = (m: CapturedResource): boolean => c.isGlobalWriter(m);
    const failoverState = c.stack.service.globalFailoverState;
    return {
      GlobalClusters: [
        {
          GlobalClusterIdentifier: text(global.inputs.globalClusterIdentifier),
          GlobalClusterArn: c.arnOf(global),
          Engine: text(global.inputs.engine),
          Status: "available",
          StorageEncrypted: bool(global.inputs.storageEncrypted, false),
          // The writer is the member that was not created as a secondary (no sourceRegion),
          // unless the service state says which members claim it (Cloud.isGlobalWriter).
          GlobalClusterMembers: members.map((m) => ({
            DBClusterArn: c.arnOf(m),
            IsWriter: isWriter(m),
            Readers: isWriter(m) ? members.filter((o) => o !== m).map((o) => c.arnOf(o)) : [],
          })),
          // Present only while a failover or switchover is pending or running (FailoverState).
          ...(failoverState !== undefined ? { FailoverState: failoverState } : {}),
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
            // DBClusterMember[]: the cluster's instances. Only a global writer's cluster has a
            // writer instance; every instance of a secondary cluster is a reader.
            DBClusterMembers: c.instancesOf(cluster).map((instance, i) => ({
              DBInstanceIdentifier: c.nameOf(instance),
              IsClusterWriter: i === 0 && c.isGlobalWriter(cluster),
              DBClusterParameterGroupStatus: "in-sync",
              PromotionTier:
                typeof instance.inputs.promotionTier === "number"
                  ? instance.inputs.promotionTier
                  : 1,
            })),
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

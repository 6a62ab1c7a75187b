/** Test-only: the simulated dynamodb API (see ../simulated-aws.ts). */
import {
  DescribeTableCommand,
  type DescribeTableCommandInput,
  DynamoDBClient,
  type ReplicaDescription,
  type ReplicaStatus,
  type StreamViewType,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import { Cloud, awsError, awsManagedKey, record, records, regionOf, text } from "../cloud";

export function installDynamoDb(cloud: () => Cloud): () => void {
  const dynamodb = mockClient(DynamoDBClient);
  // DescribeTableOutput.Table: TableDescription. The primary region's answer leaves
  // Replicas[].KMSMasterKeyId out, as AWS sometimes does (terraform-provider-aws#37335); the
  // replica's key is only in its own region's SSEDescription.KMSMasterKeyArn.
  dynamodb
    .on(DescribeTableCommand)
    .callsFake(async (input: DescribeTableCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const table = c.of("aws:dynamodb/table:Table").find((t) => c.nameOf(t) === input.TableName);
      const replicas = records(table?.inputs.replicas);
      const here = replicas.find((r) => r.regionName === region);
      if (!table || (table.region !== region && !here)) {
        throw awsError(
          "ResourceNotFoundException",
          `Requested resource not found: Table: ${String(input.TableName)} not found`,
        );
      }
      const sse = record(table.inputs.serverSideEncryption);
      const keyHere =
        table.region === region
          ? (text(sse.kmsKeyArn) ?? awsManagedKey(region, "dynamodb"))
          : (text(here?.kmsKeyArn) ?? awsManagedKey(region, "dynamodb"));
      const allRegions = [table.region, ...replicas.map((r) => String(r.regionName))];
      const description: TableDescription = {
        TableName: c.nameOf(table),
        TableArn: `arn:aws:dynamodb:${region}:${TEST_ACCOUNT_ID}:table/${c.nameOf(table)}`,
        TableStatus: "ACTIVE",
        StreamSpecification:
          table.inputs.streamEnabled === true
            ? {
                StreamEnabled: true,
                StreamViewType: text(table.inputs.streamViewType) as StreamViewType,
              }
            : undefined,
        // Without sse.enabled the table is under an AWS-owned key, and SSEDescription is absent.
        SSEDescription:
          sse.enabled === true
            ? { Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: keyHere }
            : undefined,
        Replicas: allRegions
          .filter((name) => name !== region)
          .map((name): ReplicaDescription => ({
            RegionName: name,
            ReplicaStatus: c.stack.service.tableReplicaStatus as ReplicaStatus,
          })),
      };
      return { Table: description };
    });
  return () => dynamodb.restore();
}

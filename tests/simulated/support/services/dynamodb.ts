/**
 * Test-only: the simulated dynamodb API (see ../simulated-aws.ts): the tables' descriptions from
 * the graph, and the item calls the failover orchestrator and `npm run dr -- status` make on a
 * control table (PutItem, GetItem, DeleteItem, Query) on an in-memory store per region and table.
 */
import {
  type AttributeValue,
  type BillingMode,
  DeleteItemCommand,
  type DeleteItemCommandInput,
  DescribeContinuousBackupsCommand,
  type DescribeContinuousBackupsCommandInput,
  DescribeTableCommand,
  type DescribeTableCommandInput,
  DescribeTimeToLiveCommand,
  type DescribeTimeToLiveCommandInput,
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  type PutItemCommandInput,
  QueryCommand,
  type QueryCommandInput,
  type ReplicaDescription,
  type ReplicaStatus,
  type ScalarAttributeType,
  type StreamViewType,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { TEST_ACCOUNT_ID } from "../../../support/aws-mocks";
import type { CapturedResource } from "../../../support/mock-graph";
import {
  Cloud,
  awsError,
  awsManagedKey,
  bool,
  record,
  records,
  regionOf,
  text,
  refuseUnsimulated,
} from "../cloud";

type Item = Record<string, AttributeValue>;

/** A table as one region's endpoint sees it: its own table, or its replica of a global table. */
interface TableHere {
  readonly table: CapturedResource;
  /** The replica's inputs when `region` holds a replica, not the table itself. */
  readonly replica: Record<string, unknown> | undefined;
  readonly region: string;
}

function tableHere(c: Cloud, name: unknown, region: string): TableHere {
  const tables = c.of("aws:dynamodb/table:Table").filter((t) => c.nameOf(t) === name);
  const own = tables.find((t) => t.region === region);
  if (own) return { table: own, replica: undefined, region };
  for (const table of tables) {
    const replica = records(table.inputs.replicas).find((r) => r.regionName === region);
    if (replica) return { table, replica, region };
  }
  throw awsError(
    "ResourceNotFoundException",
    `Requested resource not found: Table: ${String(name)} not found`,
  );
}

/** The key attribute names of a table (hashKey, rangeKey). */
const keyNames = ({ table }: TableHere): string[] =>
  [text(table.inputs.hashKey), text(table.inputs.rangeKey)].filter(
    (k): k is string => k !== undefined,
  );

/** One attribute value as a comparable scalar (S or N), else undefined. */
function scalar(value: AttributeValue | undefined): string | number | undefined {
  if (value?.S !== undefined) return value.S;
  if (value?.N !== undefined) return Number(value.N);
  return undefined;
}

/**
 * The condition expressions the orchestrator writes with (lock.ts): terms joined by one kind of
 * connective (AND or OR), each `attribute_exists(a)`, `attribute_not_exists(a)` or `a <op> :v`.
 * Anything else is refused, so a new expression cannot pass here unevaluated.
 */
function conditionHolds(
  expression: string,
  item: Item | undefined,
  values: Record<string, AttributeValue> = {},
  names: Record<string, string> = {},
): boolean {
  const name = (token: string): string => names[token] ?? token;
  const connective = / OR /i.test(expression) ? "OR" : "AND";
  if (/ OR /i.test(expression) && / AND /i.test(expression)) {
    throw new Error(`simulated DynamoDB: mixed AND/OR is not simulated: ${expression}`);
  }
  const terms = expression.split(new RegExp(` ${connective} `, "i")).map((t) => t.trim());
  const results = terms.map((term) => {
    const fn = /^(attribute_exists|attribute_not_exists)\(\s*(\S+?)\s*\)$/.exec(term);
    if (fn) {
      const present = item?.[name(fn[2])] !== undefined;
      return fn[1] === "attribute_exists" ? present : !present;
    }
    const cmp = /^(\S+)\s*(=|<>|<=|>=|<|>)\s*(:\S+)$/.exec(term);
    if (!cmp) throw new Error(`simulated DynamoDB: condition not simulated: ${term}`);
    const left = scalar(item?.[name(cmp[1])]);
    const right = scalar(values[cmp[3]]);
    if (left === undefined || right === undefined) return false;
    switch (cmp[2]) {
      case "=":
        return left === right;
      case "<>":
        return left !== right;
      case "<":
        return left < right;
      case ">":
        return left > right;
      case "<=":
        return left <= right;
      default:
        return left >= right;
    }
  });
  return connective === "OR" ? results.some(Boolean) : results.every(Boolean);
}

export function installDynamoDb(cloud: () => Cloud): () => void {
  const dynamodb = mockClient(DynamoDBClient);
  refuseUnsimulated(dynamodb);
  const items = (c: Cloud, here: TableHere): Item[] => {
    const key = `${here.region}|${c.nameOf(here.table)}`;
    const store = c.stack.service.tableItems;
    store[key] ??= [];
    return store[key];
  };
  const sameKey = (here: TableHere, a: Item, b: Item): boolean =>
    keyNames(here).every((k) => scalar(a[k]) !== undefined && scalar(a[k]) === scalar(b[k]));
  /** Where an item lives: the region's store of the table and its index there (-1: absent). */
  const locate = async (
    tableName: string | undefined,
    key: Item,
    getClient: () => unknown,
  ): Promise<{ stored: Item[]; index: number }> => {
    const c = cloud();
    const here = tableHere(c, tableName, await regionOf(getClient));
    const stored = items(c, here);
    return { stored, index: stored.findIndex((existing) => sameKey(here, existing, key)) };
  };
  /**
   * The item a conditional write (PutItem, DeleteItem) addresses, once its ConditionExpression
   * holds of the current item. A failed condition is ConditionalCheckFailedException, and the
   * caller writes nothing.
   */
  const conditionalWrite = async (
    input: PutItemCommandInput | DeleteItemCommandInput,
    key: Item,
    getClient: () => unknown,
  ): Promise<{ stored: Item[]; index: number }> => {
    const { stored, index } = await locate(input.TableName, key, getClient);
    if (
      input.ConditionExpression !== undefined &&
      !conditionHolds(
        input.ConditionExpression,
        index >= 0 ? stored[index] : undefined,
        input.ExpressionAttributeValues,
        input.ExpressionAttributeNames,
      )
    ) {
      throw awsError("ConditionalCheckFailedException", "The conditional request failed");
    }
    return { stored, index };
  };

  // DescribeTableOutput.Table: TableDescription. The primary region's answer leaves
  // Replicas[].KMSMasterKeyId out, as AWS sometimes does (terraform-provider-aws#37335); the
  // replica's key is only in its own region's SSEDescription.KMSMasterKeyArn.
  dynamodb
    .on(DescribeTableCommand)
    .callsFake(async (input: DescribeTableCommandInput, getClient) => {
      const region = await regionOf(getClient);
      const c = cloud();
      const here = tableHere(c, input.TableName, region);
      const { table } = here;
      const replicas = records(table.inputs.replicas);
      const sse = record(table.inputs.serverSideEncryption);
      const keyHere =
        here.replica === undefined
          ? (text(sse.kmsKeyArn) ?? awsManagedKey(region, "dynamodb"))
          : (text(here.replica.kmsKeyArn) ?? awsManagedKey(region, "dynamodb"));
      const allRegions = [table.region, ...replicas.map((r) => String(r.regionName))];
      const attributes = records(table.inputs.attributes);
      const description: TableDescription = {
        TableName: c.nameOf(table),
        TableArn: `arn:aws:dynamodb:${region}:${TEST_ACCOUNT_ID}:table/${c.nameOf(table)}`,
        TableStatus: "ACTIVE",
        // KeySchemaElement[] and AttributeDefinition[] from hashKey/rangeKey and attributes.
        KeySchema: [
          { AttributeName: text(table.inputs.hashKey), KeyType: "HASH" as const },
          ...(text(table.inputs.rangeKey) !== undefined
            ? [{ AttributeName: text(table.inputs.rangeKey), KeyType: "RANGE" as const }]
            : []),
        ],
        AttributeDefinitions: attributes.map((a) => ({
          AttributeName: text(a.name),
          AttributeType: text(a.type) as ScalarAttributeType,
        })),
        BillingModeSummary: {
          BillingMode: (text(table.inputs.billingMode) ?? "PROVISIONED") as BillingMode,
        },
        DeletionProtectionEnabled: bool(table.inputs.deletionProtectionEnabled, false),
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

  // DescribeTimeToLiveOutput.TimeToLiveDescription; AttributeName only while TTL is on.
  dynamodb
    .on(DescribeTimeToLiveCommand)
    .callsFake(async (input: DescribeTimeToLiveCommandInput, getClient) => {
      const c = cloud();
      const { table } = tableHere(c, input.TableName, await regionOf(getClient));
      const ttl = record(table.inputs.ttl);
      return {
        TimeToLiveDescription:
          ttl.enabled === true
            ? { TimeToLiveStatus: "ENABLED", AttributeName: text(ttl.attributeName) }
            : { TimeToLiveStatus: "DISABLED" },
      };
    });

  // DescribeContinuousBackupsOutput.ContinuousBackupsDescription. ContinuousBackupsStatus is
  // ENABLED for every table; point-in-time recovery is its own status (35 days by default).
  dynamodb
    .on(DescribeContinuousBackupsCommand)
    .callsFake(async (input: DescribeContinuousBackupsCommandInput, getClient) => {
      const c = cloud();
      const here = tableHere(c, input.TableName, await regionOf(getClient));
      const enabled =
        here.replica === undefined
          ? record(here.table.inputs.pointInTimeRecovery).enabled === true
          : here.replica.pointInTimeRecovery === true;
      return {
        ContinuousBackupsDescription: {
          ContinuousBackupsStatus: "ENABLED",
          PointInTimeRecoveryDescription: enabled
            ? { PointInTimeRecoveryStatus: "ENABLED", RecoveryPeriodInDays: 35 }
            : { PointInTimeRecoveryStatus: "DISABLED" },
        },
      };
    });

  // PutItemOutput: empty without ReturnValues. A failed condition is
  // ConditionalCheckFailedException, and nothing is written.
  dynamodb.on(PutItemCommand).callsFake(async (input: PutItemCommandInput, getClient) => {
    const item = input.Item ?? {};
    const { stored, index } = await conditionalWrite(input, item, getClient);
    if (index >= 0) stored[index] = item;
    else stored.push(item);
    return {};
  });

  // GetItemOutput: Item absent when there is none.
  dynamodb.on(GetItemCommand).callsFake(async (input: GetItemCommandInput, getClient) => {
    const { stored, index } = await locate(input.TableName, input.Key ?? {}, getClient);
    return index >= 0 ? { Item: stored[index] } : {};
  });

  // DeleteItemOutput: empty; a failed condition deletes nothing.
  dynamodb.on(DeleteItemCommand).callsFake(async (input: DeleteItemCommandInput, getClient) => {
    const { stored, index } = await conditionalWrite(input, input.Key ?? {}, getClient);
    if (index >= 0) stored.splice(index, 1);
    return {};
  });

  // QueryOutput: Items in sort-key order (descending with ScanIndexForward false), at most
  // Limit, Count and ScannedCount. Only a partition-key equality is simulated.
  dynamodb.on(QueryCommand).callsFake(async (input: QueryCommandInput, getClient) => {
    const c = cloud();
    const here = tableHere(c, input.TableName, await regionOf(getClient));
    const [hash, range] = keyNames(here);
    const names = input.ExpressionAttributeNames ?? {};
    const match = /^\s*(\S+)\s*=\s*(:\S+)\s*$/.exec(input.KeyConditionExpression ?? "");
    if (!match || (names[match[1]] ?? match[1]) !== hash) {
      throw new Error(
        `simulated DynamoDB: KeyConditionExpression not simulated: ${String(input.KeyConditionExpression)}`,
      );
    }
    const value = scalar(input.ExpressionAttributeValues?.[match[2]]);
    const sortKey = (item: Item): string | number => scalar(item[range ?? hash]) ?? "";
    const found = items(c, here)
      .filter((item) => scalar(item[hash]) === value)
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    if (input.ScanIndexForward === false) found.reverse();
    const page = input.Limit !== undefined ? found.slice(0, input.Limit) : found;
    return { Items: page, Count: page.length, ScannedCount: page.length };
  });
  return () => dynamodb.restore();
}

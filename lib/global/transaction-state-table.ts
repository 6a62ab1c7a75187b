import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { transactionTableName } from "../naming";

/** Key schema and attributes the application and its tests rely on. */
export const TABLE_KEYS = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Sessions expire through DynamoDB TTL on this epoch-seconds attribute. */
  ttlAttribute: "expiresAt",
  customerIndex: "byCustomer",
  customerAttribute: "customerId",
  customerSortAttribute: "createdAt",
} as const;

export interface TransactionStateTableArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The DR region, where the replica lives. */
  readonly drRegion: string;
  /** The primary region's key; the table is created through the primary region's provider. */
  readonly primaryKmsKeyArn: pulumi.Input<string>;
  /** The DR region's key for the replica: each replica needs a key in its own region. */
  readonly drKmsKeyArn: pulumi.Input<string>;
  /** Refuse deletion (production mode). */
  readonly deletionProtection: boolean;
  /** Keep the table when the stack deletes it (production mode). */
  readonly retainOnDelete: boolean;
  /** Pulumi `protect` on the table and so its replica (production): destroy refuses before it starts. */
  readonly protect: boolean;
}

/**
 * Session and transaction state, a DynamoDB global table (version 2019.11.21)
 * with a replica in the DR region. Active-active at the storage layer; the app
 * decides which region writes.
 */
export class TransactionStateTable extends pulumi.ComponentResource {
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;
  public readonly replicaRegions: pulumi.Output<string[]>;

  constructor(
    name: string,
    args: TransactionStateTableArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("tap:global:TransactionStateTable", name, {}, opts);
    const k = TABLE_KEYS;
    const table = new aws.dynamodb.Table(
      name,
      {
        // The regions' functions address it by this name, each in its own region's replica.
        name: transactionTableName(args.environmentSuffix),
        billingMode: "PAY_PER_REQUEST",
        // Explicit, equal to the API default (CreateTable TableClass: STANDARD): reads and writes
        // dominate this table's bill, and STANDARD_INFREQUENT_ACCESS prices them higher in
        // exchange for cheaper storage (DynamoDB developer guide, "Table classes").
        tableClass: "STANDARD",
        hashKey: k.partitionKey,
        rangeKey: k.sortKey,
        attributes: [
          { name: k.partitionKey, type: "S" },
          { name: k.sortKey, type: "S" },
          { name: k.customerAttribute, type: "S" },
          { name: k.customerSortAttribute, type: "S" },
        ],
        globalSecondaryIndexes: [
          {
            name: k.customerIndex,
            hashKey: k.customerAttribute,
            rangeKey: k.customerSortAttribute,
            projectionType: "ALL",
          },
        ],
        ttl: { attributeName: k.ttlAttribute, enabled: true },
        // Global tables replicate through streams; set explicitly, as an unset stream
        // makes later updates of the table fail.
        streamEnabled: true,
        streamViewType: "NEW_AND_OLD_IMAGES",
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.primaryKmsKeyArn },
        deletionProtectionEnabled: args.deletionProtection,
        replicas: [
          {
            regionName: args.drRegion,
            kmsKeyArn: args.drKmsKeyArn,
            pointInTimeRecovery: true,
            deletionProtectionEnabled: args.deletionProtection,
            propagateTags: true,
          },
        ],
      },
      { parent: this, retainOnDelete: args.retainOnDelete, protect: args.protect },
    );
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.replicaRegions = table.replicas.apply((replicas) =>
      (replicas ?? []).map((replica) => replica.regionName),
    );
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}

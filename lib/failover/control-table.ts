import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { controlTableName } from "./failover-names";

/** Key schema and TTL attribute the orchestrator's lock and audit trail rely on (the contract). */
export const CONTROL_TABLE_KEYS = {
  partitionKey: "pk",
  sortKey: "sk",
  /** Locks and audit items expire through DynamoDB TTL on this epoch-seconds attribute. */
  ttlAttribute: "expiresAt",
} as const;

export interface ControlTableArgs {
  /** Region of the table, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in the table's name. */
  readonly environmentSuffix: string;
  /** The region's own key (DDB-5): the audit trail stays readable when the other region is gone. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Refuse deletion (production mode, DDB-2). */
  readonly deletionProtection: boolean;
  /** Keep the table when the stack deletes it (production mode): it holds the audit trail. */
  readonly retainOnDelete: boolean;
  /** Pulumi `protect` on the table (production mode). */
  readonly protect: boolean;
}

/**
 * The region's failover control table: the lock that makes one action at a time, and the audit
 * trail of every step. Regional, not global: a global table would replicate a lock taken in one
 * region to the other asynchronously, and the acting region must decide alone, with a
 * conditional write that is strongly consistent in its own region.
 */
export class ControlTable extends pulumi.ComponentResource {
  public readonly tableName: pulumi.Output<string>;
  public readonly tableArn: pulumi.Output<string>;

  constructor(name: string, args: ControlTableArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:failover:ControlTable", name, {}, opts);
    const k = CONTROL_TABLE_KEYS;
    const table = new aws.dynamodb.Table(
      name,
      {
        name: controlTableName({ environmentSuffix: args.environmentSuffix, region: args.region }),
        // A few writes per failover and per audit read: on-demand costs nothing while idle (DDB-3).
        billingMode: "PAY_PER_REQUEST",
        // Explicit, equal to the API default (CreateTable TableClass: STANDARD): a small lock and
        // audit table saves next to nothing on infrequent-access storage, which prices requests
        // higher (DynamoDB developer guide, "Table classes").
        tableClass: "STANDARD",
        hashKey: k.partitionKey,
        rangeKey: k.sortKey,
        attributes: [
          { name: k.partitionKey, type: "S" },
          { name: k.sortKey, type: "S" },
        ],
        ttl: { attributeName: k.ttlAttribute, enabled: true },
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: args.kmsKeyArn },
        deletionProtectionEnabled: args.deletionProtection,
      },
      { parent: this, retainOnDelete: args.retainOnDelete, protect: args.protect },
    );
    this.tableName = table.name;
    this.tableArn = table.arn;
    this.registerOutputs({ tableName: this.tableName, tableArn: this.tableArn });
  }
}

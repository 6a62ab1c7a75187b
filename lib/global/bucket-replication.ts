import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { replicationDestinationPolicy } from "../security/replication-policies";
import {
  RegionBuckets,
  ReplicatedBucketPurpose,
  bucketPurposesOf,
} from "../data/regional-data-tier";

/**
 * S3 Replication Time Control: 99.99% of objects within 15 minutes, with
 * metrics. 15 is the only value S3 accepts for both.
 */
export const REPLICATION_TIME_MINUTES = 15;

/**
 * The id of a bucket's replication rule to the destination region: a dimension (RuleId) of the
 * rule's S3 replication metrics, so its alarms are built from the same function.
 */
export function replicationRuleId(destinationRegion: string): string {
  return `to-${destinationRegion}`;
}

/** What replicatedPurposes reads of a region: its name and which purposes it has buckets for. */
export interface ReplicationSide {
  readonly region: string;
  readonly buckets: RegionBuckets<unknown>;
}

/**
 * The purposes replicated between two regions: the data buckets, and the metrics buckets when
 * both regions have one. One region with metrics and the other without would leave a bucket
 * with nowhere to replicate, so that is an error, before anything is registered.
 */
export function replicatedPurposes(
  primary: ReplicationSide,
  dr: ReplicationSide,
): ReplicatedBucketPurpose[] {
  const primaryPurposes = bucketPurposesOf(primary.buckets);
  const drPurposes = bucketPurposesOf(dr.buckets);
  const sides = [
    { from: primary, fromPurposes: primaryPurposes, to: dr, toPurposes: drPurposes },
    { from: dr, fromPurposes: drPurposes, to: primary, toPurposes: primaryPurposes },
  ];
  for (const { from, fromPurposes, to, toPurposes } of sides) {
    const unpaired = fromPurposes.find((purpose) => !toPurposes.includes(purpose));
    if (unpaired !== undefined) {
      throw new Error(
        `the ${unpaired} bucket of ${from.region} has no counterpart in ${to.region}; both regions must be built with the same operations.metricStreams`,
      );
    }
  }
  return primaryPurposes;
}

export interface ReplicatedBucketPair {
  /** Names a pair in logical names, for example "txlogs". */
  readonly purpose: string;
  /** Resolves after the source bucket's versioning is on. */
  readonly sourceBucketName: pulumi.Input<string>;
  /** Resolves after the destination bucket's versioning is on. */
  readonly destinationBucketArn: pulumi.Input<string>;
}

export interface BucketReplicationArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** Region of the source buckets. */
  readonly sourceRegion: string;
  /** Region of the destination buckets. */
  readonly destinationRegion: string;
  /** The source region's replication role, created by that region's component. */
  readonly roleArn: pulumi.Input<string>;
  /** Name of the same role, to attach the destination-side policy to. */
  readonly roleName: pulumi.Input<string>;
  /** Source and destination buckets, one pair per purpose. */
  readonly pairs: readonly ReplicatedBucketPair[];
  /** The destination region's key: replicas are re-encrypted with it. */
  readonly destinationKeyArn: pulumi.Input<string>;
}

/**
 * One direction of S3 replication: the destination-side permissions of the
 * source region's role and one replication configuration per bucket pair.
 * Give it the source region's provider (`providers: { aws }`): a replication
 * configuration lives in its bucket's region.
 */
export class BucketReplication extends pulumi.ComponentResource {
  constructor(name: string, args: BucketReplicationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:global:BucketReplication", name, {}, opts);
    const child = { parent: this };

    const destinationPolicy = new aws.iam.RolePolicy(
      `${name}-destination`,
      {
        name: physicalName("iamPolicy", "s3-replication-destination", {
          environmentSuffix: args.environmentSuffix,
          region: args.destinationRegion,
        }),
        role: args.roleName,
        policy: pulumi
          .all([
            pulumi.all(args.pairs.map((pair) => pair.destinationBucketArn)),
            args.destinationKeyArn,
          ])
          .apply(([bucketArns, keyArn]) =>
            JSON.stringify(
              replicationDestinationPolicy(bucketArns, keyArn, args.destinationRegion),
            ),
          ),
      },
      child,
    );

    for (const pair of args.pairs) {
      new aws.s3.BucketReplicationConfig(
        `${name}-${pair.purpose}`,
        {
          bucket: pair.sourceBucketName,
          role: args.roleArn,
          rules: [
            {
              id: replicationRuleId(args.destinationRegion),
              status: "Enabled",
              // An empty filter selects the V2 rule schema, which deleteMarkerReplication,
              // priority and replicaModifications require.
              filter: {},
              priority: 1,
              deleteMarkerReplication: { status: "Enabled" },
              sourceSelectionCriteria: {
                sseKmsEncryptedObjects: { status: "Enabled" },
                // Both directions replicate, so each bucket holds the other's replicas:
                // replica modification sync keeps metadata changes made to a replica (during a
                // failover, say) flowing back, which AWS asks for on both rules of a two-way pair.
                replicaModifications: { status: "Enabled" },
              },
              destination: {
                bucket: pair.destinationBucketArn,
                storageClass: "STANDARD",
                encryptionConfiguration: { replicaKmsKeyId: args.destinationKeyArn },
                replicationTime: { status: "Enabled", time: { minutes: REPLICATION_TIME_MINUTES } },
                metrics: {
                  status: "Enabled",
                  eventThreshold: { minutes: REPLICATION_TIME_MINUTES },
                },
              },
            },
          ],
        },
        // Replication starts as soon as the rule exists; the role must already be able to
        // write replicas (the source side comes with roleArn, which resolves after it).
        { ...child, dependsOn: [destinationPolicy] },
      );
    }
    this.registerOutputs({});
  }
}

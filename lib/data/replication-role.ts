import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { physicalName } from "../naming";
import { serviceTrustPolicy } from "../security/iam-documents";
import { replicationSourcePolicy } from "../security/replication-policies";

export interface ReplicationRoleArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** Buckets of this region that replicate out. */
  readonly sourceBucketArns: pulumi.Input<string>[];
  /** This region's key, which encrypts the source objects. */
  readonly sourceKeyArn: pulumi.Input<string>;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
}

/**
 * The role S3 assumes to replicate this region's buckets to the other region.
 * IAM is global, so it is created once, here, with the source-side
 * permissions; GlobalResources adds the destination side once both regions'
 * buckets and keys exist.
 */
export class ReplicationRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  public readonly roleName: pulumi.Output<string>;

  constructor(name: string, args: ReplicationRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:ReplicationRole", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const role = new aws.iam.Role(
      name,
      {
        name: physicalName("iamRole", "s3-replication", scope),
        description: `S3 replication out of ${args.region}`,
        assumeRolePolicy: pulumi
          .output(args.accountId)
          .apply((accountId) => JSON.stringify(serviceTrustPolicy("s3.amazonaws.com", accountId))),
      },
      { parent: this },
    );
    const sourcePolicy = new aws.iam.RolePolicy(
      `${name}-source`,
      {
        name: physicalName("iamPolicy", "s3-replication-source", scope),
        role: role.name,
        policy: pulumi
          .all([pulumi.all(args.sourceBucketArns), args.sourceKeyArn])
          .apply(([bucketArns, keyArn]) =>
            JSON.stringify(replicationSourcePolicy(bucketArns, keyArn, args.region)),
          ),
      },
      { parent: this },
    );
    // Replication configured with this ARN waits until the role can read the source.
    this.roleArn = pulumi.all([role.arn, sourcePolicy.id]).apply(([arn]) => arn);
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}

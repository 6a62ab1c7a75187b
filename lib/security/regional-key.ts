import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  kmsAliasName,
  lambdaLogGroupPrefix,
  logGroupName,
  physicalName,
  rdsClusterLogGroupPrefix,
  stateMachineLogGroupPrefix,
} from "../naming";
import { OptionalKeyUserService, buildKeyPolicy } from "./key-policy";

export interface RegionalKeyArgs {
  /** Region of the key. The key policy's service principals and ViaService conditions are this region's. */
  readonly region: string;
  /** Stack suffix used in the alias and the log-group scope of the policy. */
  readonly environmentSuffix: string;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
  /** Days a deleted key waits before it is destroyed (AWS: 7-30). @default 30 */
  readonly deletionWindowInDays?: number;
  /** Keep the key in AWS when the stack deletes it, so data encrypted under it stays readable. @default true */
  readonly retainOnDelete?: boolean;
  /**
   * Pulumi `protect` on the key (production): destroy refuses before it starts. The alias is
   * not protected: it holds nothing, and `pulumi up` recreates it. @default false
   */
  readonly protect?: boolean;
  /**
   * Auto Scaling service-linked roles that attach EBS volumes encrypted under this key
   * (the EC2 app tier's fleet; see buildKeyPolicy). @default [] (no such statement)
   */
  readonly autoScalingServiceLinkedRoleNames?: readonly string[];
  /**
   * Services beyond the fixed list that use the key through their regional endpoint, for
   * resources only some stacks have (see buildKeyPolicy). @default []
   */
  readonly optionalKeyUserServices?: readonly OptionalKeyUserService[];
}

/**
 * The customer-managed key of one region. Every encrypted store in the region
 * uses it; replicas in the other region use that region's key, so neither
 * region depends on the other's KMS to read its own data.
 */
export class RegionalKey extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  public readonly keyId: pulumi.Output<string>;
  public readonly aliasName: pulumi.Output<string>;

  constructor(name: string, args: RegionalKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:security:RegionalKey", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const policy = pulumi.all([args.accountId, args.partition]).apply(([accountId, partition]) =>
      JSON.stringify(
        buildKeyPolicy({
          accountId,
          partition,
          region: args.region,
          logGroupNamePrefixes: [
            logGroupName("", scope),
            rdsClusterLogGroupPrefix(scope),
            // The app tier's functions log to /aws/lambda/<function name>, encrypted.
            lambdaLogGroupPrefix(scope),
            // The failover workflows log under /aws/vendedlogs/states/<machine name>.
            stateMachineLogGroupPrefix(scope),
          ],
          autoScalingServiceLinkedRoleNames: args.autoScalingServiceLinkedRoleNames ?? [],
          optionalKeyUserServices: args.optionalKeyUserServices ?? [],
        }),
      ),
    );

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `tap-dr data key for ${physicalName("nameTag", "data", scope)}`,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionWindowInDays ?? 30,
        // Regional, not multi-Region: the DR region must decrypt its replicas with a key
        // whose lifecycle does not depend on the primary region.
        multiRegion: false,
        policy,
        tags: { Name: physicalName("nameTag", "data", scope) },
      },
      { parent: this, retainOnDelete: args.retainOnDelete ?? true, protect: args.protect ?? false },
    );
    const alias = new aws.kms.Alias(
      `${name}-alias`,
      { name: kmsAliasName("data", scope), targetKeyId: key.keyId },
      { parent: this },
    );

    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
    this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
  }
}

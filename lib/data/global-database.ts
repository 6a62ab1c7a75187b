import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { physicalName } from "../naming";
import { AURORA_ENGINE, AURORA_ENGINE_VERSION, MASTER_USERNAME } from "./aurora-engine";
import { MasterCredentials } from "./aurora-cluster";

export interface GlobalDatabaseArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** Refuse deletion (production). */
  readonly deletionProtection: boolean;
  /** Let destroy remove the member clusters' membership first (test). */
  readonly forceDestroy: boolean;
  /** Pulumi `protect` on the global cluster (production): destroy refuses before it starts. */
  readonly protect: boolean;
}

/**
 * RDS master passwords are printable ASCII without "/", '"', "@" or space; these
 * are the specials that remain safe in a connection URI as well.
 */
export const MASTER_PASSWORD_SPECIALS = "!#$%^&*()-_=+[]{}<>?";
export const MASTER_PASSWORD_LENGTH = 32;

/**
 * The Aurora global cluster, created by the primary region before any member,
 * and the master credentials that only the primary cluster is created with.
 */
export class GlobalDatabase extends pulumi.ComponentResource {
  public readonly globalClusterIdentifier: pulumi.Output<string>;
  /** The global writer endpoint: follows the writer across a switchover or failover. */
  public readonly writerEndpoint: pulumi.Output<string>;
  public readonly masterCredentials: MasterCredentials;

  constructor(name: string, args: GlobalDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:data:GlobalDatabase", name, {}, opts);
    const globalCluster = new aws.rds.GlobalCluster(
      `${name}-cluster`,
      {
        globalClusterIdentifier: physicalName("rdsIdentifier", "global-db", {
          environmentSuffix: args.environmentSuffix,
        }),
        engine: AURORA_ENGINE,
        engineVersion: AURORA_ENGINE_VERSION,
        // The API default is unencrypted; members must match the global cluster.
        storageEncrypted: true,
        deletionProtection: args.deletionProtection,
        forceDestroy: args.forceDestroy,
      },
      { parent: this, protect: args.protect },
    );
    const password = new random.RandomPassword(
      `${name}-master-password`,
      {
        length: MASTER_PASSWORD_LENGTH,
        special: true,
        overrideSpecial: MASTER_PASSWORD_SPECIALS,
        minLower: 1,
        minUpper: 1,
        minNumeric: 1,
      },
      { parent: this },
    );

    this.globalClusterIdentifier = globalCluster.globalClusterIdentifier;
    this.writerEndpoint = globalCluster.endpoint;
    this.masterCredentials = { username: MASTER_USERNAME, password: password.result };
    this.registerOutputs({
      globalClusterIdentifier: this.globalClusterIdentifier,
      writerEndpoint: this.writerEndpoint,
    });
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { databaseSecretName } from "../naming";
import { MasterCredentials } from "../data/aurora-cluster";
import { AURORA_PORT, DATABASE_NAME } from "../data/aurora-engine";

/** The rotation function and schedule of the master secret. */
export interface SecretRotationTarget {
  /** The single-user rotation function in the primary region (SecretRotationFunction). */
  readonly functionName: pulumi.Input<string>;
  readonly functionArn: pulumi.Input<string>;
  /** Days between rotations (dbSecretRotationDays, 1-90). */
  readonly automaticallyAfterDays: number;
}

export interface DatabaseSecretArgs {
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The primary region. */
  readonly primaryRegion: string;
  /** The DR region, where the replica lives. */
  readonly drRegion: string;
  /** The primary region's key. */
  readonly primaryKmsKeyArn: pulumi.Input<string>;
  /** The replica is encrypted with the DR region's key, so it is readable with the primary region gone. */
  readonly drKmsKeyArn: pulumi.Input<string>;
  /** The primary cluster's master credentials. */
  readonly credentials: MasterCredentials;
  /** The global writer endpoint: the right host before and after a failover. */
  readonly host: pulumi.Input<string>;
  /** 0 deletes at once (test); 7-30 otherwise. */
  readonly recoveryWindowInDays: number;
  /** Pulumi `protect` on the secret and so its replica (production): destroy refuses before it starts. */
  readonly protect: boolean;
  /** Rotation of the master password. */
  readonly rotation: SecretRotationTarget;
}

/**
 * The master credentials in Secrets Manager, in the primary region with a
 * replica in the DR region. It lives here, not in PrimaryRegion, because the
 * replica needs the DR region's key, which exists only after DrRegion.
 */
export class DatabaseSecret extends pulumi.ComponentResource {
  public readonly secretArn: pulumi.Output<string>;
  /** Same name and random suffix, in the DR region. */
  public readonly replicaSecretArn: pulumi.Output<string>;

  constructor(name: string, args: DatabaseSecretArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:global:DatabaseSecret", name, {}, opts);
    const secret = new aws.secretsmanager.Secret(
      name,
      {
        // The regions' functions read it by this name, each from its own region's copy.
        name: databaseSecretName(args.environmentSuffix),
        description: "Master credentials of the Aurora global database",
        kmsKeyId: args.primaryKmsKeyArn,
        replicas: [{ region: args.drRegion, kmsKeyId: args.drKmsKeyArn }],
        recoveryWindowInDays: args.recoveryWindowInDays,
      },
      { parent: this, protect: args.protect },
    );
    const initialValue = new aws.secretsmanager.SecretVersion(
      `${name}-value`,
      {
        secretId: secret.id,
        secretString: pulumi.all([args.credentials.password, args.host]).apply(([password, host]) =>
          JSON.stringify({
            engine: "postgres",
            host,
            port: AURORA_PORT,
            dbname: DATABASE_NAME,
            username: args.credentials.username,
            password,
          }),
        ),
      },
      // After the first rotation the value belongs to rotation. Rotation moves AWSCURRENT to
      // each new version, and a changed secretString would replace this version: either would
      // put the original password back as AWSCURRENT while the database has another. A change
      // of host or port goes through a rotation instead (PutSecretValue with the new value).
      { parent: this, ignoreChanges: ["versionStages", "secretString"] },
    );

    // Secrets Manager invokes the function for this secret only, from this account.
    const invoke = new aws.lambda.Permission(
      `${name}-rotation-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: args.rotation.functionName,
        principal: "secretsmanager.amazonaws.com",
        sourceArn: secret.arn,
        sourceAccount: secret.arn.apply((arn) => arn.split(":")[4]),
      },
      { parent: this },
    );
    new aws.secretsmanager.SecretRotation(
      `${name}-rotation`,
      {
        secretId: secret.id,
        rotationLambdaArn: args.rotation.functionArn,
        rotationRules: { automaticallyAfterDays: args.rotation.automaticallyAfterDays },
      },
      // The first rotation starts at once: the value and the permission must exist by then.
      { parent: this, dependsOn: [initialValue, invoke] },
    );
    this.secretArn = secret.arn;
    this.replicaSecretArn = secret.arn.apply((arn) =>
      arn.replace(`:secretsmanager:${args.primaryRegion}:`, `:secretsmanager:${args.drRegion}:`),
    );
    this.registerOutputs({ secretArn: this.secretArn, replicaSecretArn: this.replicaSecretArn });
  }
}

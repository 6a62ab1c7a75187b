import { SecureBucket } from "../data/secure-bucket";
/**
 * The EC2 fleet's arguments, fixed settings and argument checks, apart from the component
 * (lib/app/ec2-app-fleet.ts) so the checks are tested without the Pulumi runtime.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { FleetCapacity } from "./app-config";
import { instanceArchitecture } from "./ec2-image";
import { environmentNameProblems } from "./ec2-user-data";

export interface Ec2AppFleetArgs {
  /** The region this fleet runs in; its component's provider must be for the same region. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's role in the design, tagged on the instances. */
  readonly role: "primary" | "dr";
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Private app subnets (a NAT route out), in at least 2 AZs (AS-5). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The load balancer's security group: the only source allowed to reach appPort. */
  readonly albSecurityGroupId: pulumi.Input<string>;
  /** The target group the instances register with (HTTP on appPort, health-checked). */
  readonly targetGroupArn: pulumi.Input<string>;
  /** Port the server listens on: 1024-65535, since it runs as an unprivileged user. */
  readonly appPort: number;
  /** The region's customer managed key: root volumes and the bundle object use it. */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** EC2 instance type; its architecture picks the AL2023 AMI (arm64 for Graviton). */
  readonly instanceType: string;
  /**
   * Auto Scaling sizes. desiredCapacity applies when the group is created only: later the
   * scaling policy and the failover runbook own it, and `pulumi up` must not undo a failover.
   */
  readonly capacity: FleetCapacity;
  /**
   * The server's environment (DB_HOST, DB_PORT, DB_NAME, DB_SECRET_ID, TABLE_NAME, QUEUE_URL...):
   * names and locations only, written into user data. The fleet sets AWS_REGION, PORT,
   * DB_CA_FILE and NODE_ENV itself.
   */
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  /** Customer managed, least-privilege data-plane policy; attached to the instance role. */
  readonly apiPolicyArn: pulumi.Input<string>;
  /**
   * The bundled JavaScript of lambda/ec2-server/index.ts. It must bundle @aws-sdk/* too: unlike
   * the Lambda runtime, an instance has no SDK installed.
   */
  readonly bundle: string;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
  /**
   * Protect the Auto Scaling group in Pulumi (production): replacing it would stop every
   * instance at once. The fleet holds no data, so nothing else is retained.
   */
  readonly protect: boolean;
  /** Let destroy empty the artifacts bucket and delete the group without waiting for instances. */
  readonly forceDestroy: boolean;
  /** The region's server access log bucket, for the artifacts bucket (S3-5). */
  readonly accessLogBucket: SecureBucket;
  /**
   * Where this region's Aurora cluster lives (its isolated subnets): the only 5432 egress.
   * @default the RFC 1918 ranges, every address the VPCs and their peering can have
   */
  readonly databaseCidrs?: readonly string[];
}

/** Root volume: AL2023's root device is /dev/xvda; a different name adds a second volume instead. */
export const ROOT_DEVICE_NAME = "/dev/xvda";
export const ROOT_VOLUME_GIB = 16;
/** Boot installs Node.js and fetches two files before the first health check can pass. */
export const HEALTH_CHECK_GRACE_SECONDS = 300;
export const INSTANCE_WARMUP_SECONDS = 180;
/** Target tracking on average CPU: the server is CPU-bound on TLS and JSON per request. */
export const CPU_TARGET_PERCENT = 50;
/** Replace instances after 14 days, so new ones boot the current AL2023 release. */
export const MAX_INSTANCE_LIFETIME_SECONDS = 14 * 24 * 60 * 60;
/** Every private address a VPC (validated RFC 1918) or its peer can use. */
export const RFC1918_CIDRS = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] as const;
/** Group size metrics at 1-minute granularity, for dashboards and failover checks. */
export const GROUP_METRICS: aws.types.enums.autoscaling.Metric[] = [
  "GroupMinSize",
  "GroupMaxSize",
  "GroupDesiredCapacity",
  "GroupInServiceInstances",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
  "GroupTotalInstances",
];

/** Checks the plain args, listing every problem with its fix. */
/** The checks need no resources: the log bucket is left out so they run without a Pulumi run. */
export type CheckedFleetArgs = Omit<Ec2AppFleetArgs, "accessLogBucket">;

export function validateFleetArgs(args: CheckedFleetArgs): void {
  const problems: string[] = [];
  const { min, desired, max } = args.capacity;
  if (!Number.isInteger(args.appPort) || args.appPort < 1024 || args.appPort > 65535) {
    problems.push(
      `appPort ${args.appPort} is not allowed; use 1024-65535 (the server runs unprivileged)`,
    );
  }
  if (!(min >= 0 && min <= desired && desired <= max && max >= 1)) {
    problems.push(
      `capacity ${min}/${desired}/${max} is not allowed; use 0 <= min <= desired <= max and max >= 1`,
    );
  }
  if (args.subnetIds.length < 2) {
    problems.push(
      `subnetIds has ${args.subnetIds.length} subnet(s); give the private subnets of at least 2 AZs (AS-5)`,
    );
  }
  if (args.bundle.trim() === "") {
    problems.push("bundle is empty; pass the bundled JavaScript of lambda/ec2-server/index.ts");
  }
  problems.push(...environmentNameProblems(Object.keys(args.environment)));
  try {
    instanceArchitecture(args.instanceType);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) {
    throw new Error(`Ec2AppFleet ${args.region}:\n  ${problems.join("\n  ")}`);
  }
}

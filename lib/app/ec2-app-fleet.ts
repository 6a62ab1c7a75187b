import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../data/secure-bucket";
import { bucketName, physicalName } from "../naming";
import { serviceTrustPolicy } from "../security/iam-documents";
import { autoScalingServiceLinkedRoleArn } from "../security/key-policy";
import { tlsOnlyBucketPolicy } from "../security/resource-policies";
import { al2023ImageId } from "./ec2-image";
import {
  CPU_TARGET_PERCENT,
  Ec2AppFleetArgs,
  GROUP_METRICS,
  HEALTH_CHECK_GRACE_SECONDS,
  INSTANCE_WARMUP_SECONDS,
  MAX_INSTANCE_LIFETIME_SECONDS,
  RFC1918_CIDRS,
  ROOT_DEVICE_NAME,
  ROOT_VOLUME_GIB,
  validateFleetArgs,
} from "./ec2-fleet-args";
import {
  fleetServiceLinkedRoleName,
  fleetServiceLinkedRoleSuffix,
  instancePolicy,
} from "./ec2-instance-policy";
import { buildUserData, bundleObjectKey, bundleSha256 } from "./ec2-user-data";

/**
 * The region's app Auto Scaling group: deterministic, so the failover orchestrator of the same
 * region can be told (and allowed) to scale it without waiting for the group to exist.
 */
export function appFleetName(scope: { environmentSuffix: string; region: string }): string {
  return physicalName("autoScalingGroup", "app", scope);
}

/**
 * The API on EC2: an Auto Scaling group of AL2023 instances in the private subnets, behind the
 * region's target group, each running the bundled server under systemd. No SSH: Session
 * Manager only. Every child is parented here and reaches the region's provider through the
 * parent's `providers`.
 *
 * Baseline waivers (reference/security-baseline.md):
 * - AS-4 scaling notifications: the fleet is watched through its target group's alarms; see the
 *   README's waiver table for why the topic is not used directly.
 * - AS-6 multiple instance types: Auto Scaling refuses a mixed instances policy with an
 *   SSM-parameter AMI, and one AMI serves one architecture anyway.
 * - S3-10, S3-12, S3-13 for the artifacts bucket: it holds only the code bundle, which each
 *   region uploads for itself from the program; nothing to replicate or lock. Its access is
 *   logged like every bucket's (S3-5), so a read of the bundle by anything but the fleet shows.
 * - I-2: Session Manager's ssmmessages actions have no resource type ("*", pinned to the region).
 */
export class Ec2AppFleet extends pulumi.ComponentResource {
  public readonly autoScalingGroupName: pulumi.Output<string>;
  public readonly instanceRoleArn: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly launchTemplateId: pulumi.Output<string>;

  constructor(name: string, args: Ec2AppFleetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:Ec2AppFleet", name, {}, opts);
    validateFleetArgs(args);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const nameTag = physicalName("nameTag", "app", scope);

    // The bundle as an object of its own bucket, keyed by its hash.
    const objectKey = bundleObjectKey(args.bundle);
    const sha256 = bundleSha256(args.bundle);
    const artifacts = new SecureBucket(
      `${name}-artifacts`,
      {
        bucketName: pulumi
          .output(args.accountId)
          .apply((accountId) => bucketName("ec2-artifacts", scope, accountId)),
        encryption: { kind: "kms", keyArn: args.kmsKeyArn },
        policy: ({ bucketArn }) => tlsOnlyBucketPolicy(bucketArn),
        accountId: args.accountId,
        partition: args.partition,
        // Old bundles stay restorable this long after a deploy replaced them.
        noncurrentVersionDays: 30,
        forceDestroy: args.forceDestroy,
        // Rebuilt from the program on every deploy; a retained bucket would block the next one.
        retainOnDelete: false,
        nameTag: physicalName("nameTag", "ec2-artifacts", scope),
        accessLogBucket: args.accessLogBucket,
      },
      child,
    );
    const bundleObject = new aws.s3.BucketObjectv2(
      `${name}-bundle`,
      {
        bucket: artifacts.bucketName,
        key: objectKey,
        content: args.bundle,
        contentType: "application/javascript",
        // Explicit: the bucket's default encryption may not be in place yet at upload time.
        serverSideEncryption: "aws:kms",
        kmsKeyId: args.kmsKeyArn,
        bucketKeyEnabled: true,
      },
      child,
    );

    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: physicalName("securityGroup", "app", scope),
        description: "tap-dr API instances: app port from the load balancer only",
        vpcId: args.vpcId,
        tags: { Name: nameTag },
      },
      child,
    );
    const rules = this.securityGroupRules(name, args, securityGroup.id);

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        name: physicalName("iamRole", "app-instance", scope),
        description: `tap-dr API instances in ${args.region}`,
        assumeRolePolicy: pulumi
          .output(args.accountId)
          .apply((accountId) => JSON.stringify(serviceTrustPolicy("ec2.amazonaws.com", accountId))),
      },
      child,
    );
    const ownPolicy = new aws.iam.Policy(
      `${name}-policy`,
      {
        name: physicalName("iamPolicy", "app-instance", scope),
        description: "Bundle download and Session Manager for the tap-dr API instances",
        policy: pulumi
          .all([artifacts.bucketName, args.partition, args.kmsKeyArn])
          .apply(([bucket, partition, kmsKeyArn]) =>
            JSON.stringify(
              instancePolicy({
                region: args.region,
                partition,
                bucketName: bucket,
                objectKey,
                kmsKeyArn,
              }),
            ),
          ),
      },
      child,
    );
    const attachments = [
      new aws.iam.RolePolicyAttachment(
        `${name}-api-policy`,
        { role: role.name, policyArn: args.apiPolicyArn },
        child,
      ),
      new aws.iam.RolePolicyAttachment(
        `${name}-instance-policy`,
        { role: role.name, policyArn: ownPolicy.arn },
        child,
      ),
    ];
    const profile = new aws.iam.InstanceProfile(
      `${name}-profile`,
      { name: physicalName("instanceProfile", "app-instance", scope), role: role.name },
      child,
    );

    // The key policy names this role (see buildKeyPolicy), so Auto Scaling may attach volumes
    // encrypted under the region's key.
    const serviceLinkedRole = new aws.iam.ServiceLinkedRole(
      `${name}-autoscaling-role`,
      {
        awsServiceName: "autoscaling.amazonaws.com",
        customSuffix: fleetServiceLinkedRoleSuffix(scope),
        description: `Auto Scaling for the tap-dr API fleet in ${args.region}`,
      },
      child,
    );
    const serviceLinkedRoleArn = pulumi
      .all([args.partition, args.accountId])
      .apply(([partition, accountId]) =>
        autoScalingServiceLinkedRoleArn(partition, accountId, fleetServiceLinkedRoleName(scope)),
      );

    // Provider defaultTags reach neither Auto Scaling group tags nor launch template tag
    // specifications (terraform-provider-aws #19387), so they are copied explicitly.
    const defaultTags = aws.getDefaultTagsOutput({}, child).tags;
    const instanceTags = defaultTags.apply((tags) => ({
      ...tags,
      Name: nameTag,
      TapRegionRole: args.role,
    }));

    const userData = pulumi
      .all([artifacts.bucketName, pulumi.all(args.environment)])
      .apply(([bucket, environment]) =>
        Buffer.from(
          buildUserData({
            region: args.region,
            bucketName: bucket,
            objectKey,
            bundleSha256: sha256,
            appPort: args.appPort,
            environment,
          }),
          "utf8",
        ).toString("base64"),
      );

    const launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        name: physicalName("launchTemplate", "app", scope),
        description: `tap-dr API instances, bundle ${sha256.slice(0, 12)}`,
        imageId: al2023ImageId(args.instanceType),
        instanceType: args.instanceType,
        iamInstanceProfile: { arn: profile.arn },
        // IMDSv2 only, one hop: a container or proxy on the host cannot reach the role (AS-8/9).
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        monitoring: { enabled: true },
        networkInterfaces: [
          {
            deviceIndex: 0,
            associatePublicIpAddress: "false",
            deleteOnTermination: "true",
            securityGroups: [securityGroup.id],
          },
        ],
        blockDeviceMappings: [
          {
            deviceName: ROOT_DEVICE_NAME,
            ebs: {
              volumeType: "gp3",
              volumeSize: ROOT_VOLUME_GIB,
              encrypted: "true",
              kmsKeyId: args.kmsKeyArn,
              deleteOnTermination: "true",
            },
          },
        ],
        userData,
        updateDefaultVersion: true,
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: instanceTags,
        })),
        tags: { Name: nameTag },
      },
      child,
    );

    const group = new aws.autoscaling.Group(
      `${name}-asg`,
      {
        name: appFleetName(scope),
        vpcZoneIdentifiers: [...args.subnetIds],
        minSize: args.capacity.min,
        maxSize: args.capacity.max,
        desiredCapacity: args.capacity.desired,
        // A plain launch template: Auto Scaling rejects a mixed instances policy whose template
        // takes its AMI from an SSM parameter (AS-6 waived; AS-7 met).
        launchTemplate: {
          id: launchTemplate.id,
          version: launchTemplate.latestVersion.apply((version) => String(version)),
        },
        targetGroupArns: [args.targetGroupArn],
        healthCheckType: "ELB",
        healthCheckGracePeriod: HEALTH_CHECK_GRACE_SECONDS,
        defaultInstanceWarmup: INSTANCE_WARMUP_SECONDS,
        serviceLinkedRoleArn,
        maxInstanceLifetime: MAX_INSTANCE_LIFETIME_SECONDS,
        // Launch the replacement before terminating (lifetime and health replacements).
        instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: 200 },
        // A new launch template version (new bundle, user data or instance type) rolls the
        // fleet, new instances first. No skipMatching and no autoRollback: Auto Scaling
        // supports neither with an SSM-parameter AMI.
        instanceRefresh: {
          strategy: "Rolling",
          preferences: {
            minHealthyPercentage: 100,
            maxHealthyPercentage: 200,
            instanceWarmup: String(INSTANCE_WARMUP_SECONDS),
            skipMatching: false,
            autoRollback: false,
          },
        },
        terminationPolicies: ["OldestLaunchTemplate", "OldestInstance"],
        enabledMetrics: GROUP_METRICS,
        metricsGranularity: "1Minute",
        forceDelete: args.forceDestroy,
        tags: instanceTags.apply((tags) =>
          Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        ),
      },
      {
        parent: this,
        // Instances must find their role permissions, the bundle, egress and the key policy's
        // role in place when they boot.
        dependsOn: [serviceLinkedRole, ...attachments, bundleObject, ...rules],
        ignoreChanges: ["desiredCapacity"],
        protect: args.protect,
      },
    );

    new aws.autoscaling.Policy(
      `${name}-cpu`,
      {
        name: physicalName("autoScalingGroup", "app-cpu", scope),
        autoscalingGroupName: group.name,
        policyType: "TargetTrackingScaling",
        targetTrackingConfiguration: {
          predefinedMetricSpecification: { predefinedMetricType: "ASGAverageCPUUtilization" },
          targetValue: CPU_TARGET_PERCENT,
        },
      },
      child,
    );

    this.autoScalingGroupName = group.name;
    this.instanceRoleArn = role.arn;
    this.securityGroupId = securityGroup.id;
    this.launchTemplateId = launchTemplate.id;
    this.registerOutputs({
      autoScalingGroupName: this.autoScalingGroupName,
      instanceRoleArn: this.instanceRoleArn,
      securityGroupId: this.securityGroupId,
      launchTemplateId: this.launchTemplateId,
    });
  }

  /**
   * Standalone rules (SG-5), each described (SG-1). Egress is narrow (SG-3): HTTPS for AWS
   * APIs, the AL2023 repositories and the RDS trust store, and PostgreSQL to the databases.
   * DNS, IMDS and NTP go to link-local or reserved addresses that security groups do not filter.
   */
  private securityGroupRules(
    name: string,
    args: Ec2AppFleetArgs,
    securityGroupId: pulumi.Output<string>,
  ): pulumi.Resource[] {
    const child = { parent: this };
    const ingress = new aws.vpc.SecurityGroupIngressRule(
      `${name}-sg-app-from-alb`,
      {
        securityGroupId,
        description: `App port ${args.appPort} from the load balancer`,
        ipProtocol: "tcp",
        fromPort: args.appPort,
        toPort: args.appPort,
        referencedSecurityGroupId: args.albSecurityGroupId,
      },
      child,
    );
    const https = new aws.vpc.SecurityGroupEgressRule(
      `${name}-sg-https-out`,
      {
        securityGroupId,
        description: "HTTPS to AWS APIs, AL2023 repositories and the RDS trust store",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
      },
      child,
    );
    const databases = (args.databaseCidrs ?? RFC1918_CIDRS).map(
      (cidr, index) =>
        new aws.vpc.SecurityGroupEgressRule(
          `${name}-sg-postgres-out-${index}`,
          {
            securityGroupId,
            description: `PostgreSQL to Aurora in ${cidr}`,
            ipProtocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrIpv4: cidr,
          },
          child,
        ),
    );
    return [ingress, https, ...databases];
  }
}

import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SecureBucket } from "../data/secure-bucket";
import { bucketName, physicalName } from "../naming";
import { albAccessLogBucketPolicy } from "../security/elb-log-delivery";
import {
  ALB_ACCESS_LOG_PREFIX,
  ALB_IDLE_TIMEOUT_SECONDS,
  ALB_SSL_POLICY,
  LIVENESS_CHECK_PATH,
} from "./app-tier-settings";

/** What the load balancer forwards to. */
export type LoadBalancerTarget =
  /** A Lambda function: invoked by ELB through the Lambda API, not over the VPC. */
  | { readonly kind: "lambda"; readonly functionArn: pulumi.Input<string> }
  /** EC2 instances an Auto Scaling group registers, on this port. */
  | { readonly kind: "instance"; readonly port: number };

/** How clients connect. */
export type LoadBalancerListeners =
  /** HTTP on 80 only: test stacks without a domain (config refuses this in production). */
  | { readonly kind: "http" }
  /** HTTPS on 443 with this region's certificate; HTTP on 80 only redirects (LB-7). */
  | { readonly kind: "https"; readonly certificateArn: pulumi.Input<string> };

export interface AppLoadBalancerArgs {
  /** Region of this component's resources, reached through the provider it is given. */
  readonly region: string;
  /** Stack suffix in every physical name. */
  readonly environmentSuffix: string;
  /** The region's VPC. */
  readonly vpcId: pulumi.Input<string>;
  /** Public subnets, one per AZ (LB-5). */
  readonly publicSubnetIds: pulumi.Input<string>[];
  /** The only sources allowed in, on the listener ports (validated CIDR blocks). */
  readonly ingressCidrs: readonly string[];
  readonly listeners: LoadBalancerListeners;
  readonly target: LoadBalancerTarget;
  /** ELB deletion protection (LB-2): production. */
  readonly deletionProtection: boolean;
  /** Access logs: days to keep, noncurrent-version days, and destroy behaviour of the bucket. */
  readonly accessLogRetentionDays: number;
  readonly noncurrentVersionDays: number;
  readonly forceDestroy: boolean;
  readonly retainOnDelete: boolean;
  /** Pulumi `protect` on the access-log bucket (production): it holds the audit trail. */
  readonly protectLogs: boolean;
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

/**
 * The region's internet-facing Application Load Balancer: in the public subnets,
 * reachable on its listener ports from the configured CIDRs only, with access logs,
 * invalid-header dropping and desync mitigation, and one target group (Lambda or
 * instances) health-checked on the liveness path (Route 53 checks the deep /health).
 */
export class AppLoadBalancer extends pulumi.ComponentResource {
  public readonly loadBalancerArn: pulumi.Output<string>;
  public readonly arnSuffix: pulumi.Output<string>;
  public readonly dnsName: pulumi.Output<string>;
  /** Canonical hosted zone id of the load balancer, for Route 53 alias records. */
  public readonly zoneId: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;

  constructor(name: string, args: AppLoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:AppLoadBalancer", name, {}, opts);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };

    const securityGroup = this.securityGroup(name, args);

    // ALB access logs support only SSE-S3 ("Enable access logs for your Application Load
    // Balancer", bucket requirements), so this bucket uses the s3-managed kind; the log bucket
    // itself has no server access logging (S3-6 waiver, as for the data tier's log bucket).
    const logs = new SecureBucket(
      `${name}-access-logs`,
      {
        bucketName: pulumi
          .output(args.accountId)
          .apply((accountId) => bucketName("alb-logs", scope, accountId)),
        encryption: { kind: "s3-managed" },
        policy: ({ bucketArn, accountId, partition }) =>
          albAccessLogBucketPolicy({
            bucketArn,
            accountId,
            partition,
            region: args.region,
            prefix: ALB_ACCESS_LOG_PREFIX,
          }),
        accountId: args.accountId,
        partition: args.partition,
        noncurrentVersionDays: args.noncurrentVersionDays,
        expireCurrentAfterDays: args.accessLogRetentionDays,
        forceDestroy: args.forceDestroy,
        retainOnDelete: args.retainOnDelete,
        protect: args.protectLogs,
        nameTag: physicalName("nameTag", "alb-logs", scope),
      },
      child,
    );

    const loadBalancer = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        name: physicalName("loadBalancer", "api", scope),
        loadBalancerType: "application",
        internal: false,
        ipAddressType: "ipv4",
        subnets: args.publicSubnetIds,
        securityGroups: [securityGroup.id],
        dropInvalidHeaderFields: true,
        desyncMitigationMode: "defensive",
        enableDeletionProtection: args.deletionProtection,
        idleTimeout: ALB_IDLE_TIMEOUT_SECONDS,
        accessLogs: { bucket: logs.bucketName, prefix: ALB_ACCESS_LOG_PREFIX, enabled: true },
        tags: { Name: physicalName("nameTag", "alb", scope) },
      },
      // ELB writes a test object when logging is turned on: the bucket policy must be in place.
      { parent: this, dependsOn: [logs] },
    );

    const targetGroup = this.targetGroup(name, args);
    if (args.target.kind === "lambda") {
      this.attachFunction(name, targetGroup, args.target.functionArn);
    }
    this.listeners(name, args, loadBalancer, targetGroup);

    this.loadBalancerArn = loadBalancer.arn;
    this.arnSuffix = loadBalancer.arnSuffix;
    this.dnsName = loadBalancer.dnsName;
    this.zoneId = loadBalancer.zoneId;
    this.targetGroupArn = targetGroup.arn;
    this.targetGroupArnSuffix = targetGroup.arnSuffix;
    this.securityGroupId = securityGroup.id;
    this.accessLogBucketName = logs.bucketName;
    this.registerOutputs({
      loadBalancerArn: this.loadBalancerArn,
      arnSuffix: this.arnSuffix,
      dnsName: this.dnsName,
      zoneId: this.zoneId,
      targetGroupArn: this.targetGroupArn,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      securityGroupId: this.securityGroupId,
      accessLogBucketName: this.accessLogBucketName,
    });
  }

  /**
   * Ingress on the listener ports from the configured CIDRs only (SG-2: a public API
   * is the documented exception when the config says 0.0.0.0/0). No egress rule: ELB
   * invokes a Lambda target through the Lambda service, not through the VPC, and AWS's
   * recommended ALB rules only open egress to instance targets ("Security groups for
   * your Application Load Balancer"); the EC2 tier adds its one rule to the fleet.
   */
  private securityGroup(name: string, args: AppLoadBalancerArgs): aws.ec2.SecurityGroup {
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        name: physicalName("securityGroup", "alb", scope),
        description: "tap-dr API load balancer: listener ports from the allowed CIDRs only",
        vpcId: args.vpcId,
        tags: { Name: physicalName("nameTag", "alb", scope) },
      },
      { parent: this },
    );
    const ports = args.listeners.kind === "https" ? [80, 443] : [80];
    args.ingressCidrs.forEach((cidr, cidrIndex) => {
      for (const port of ports) {
        new aws.vpc.SecurityGroupIngressRule(
          `${name}-sg-${port}-${cidrIndex}`,
          {
            securityGroupId: securityGroup.id,
            description: `${port === 443 ? "HTTPS" : "HTTP"} from ${cidr}`,
            ipProtocol: "tcp",
            fromPort: port,
            toPort: port,
            cidrIpv4: cidr,
          },
          { parent: this },
        );
      }
    });
    return securityGroup;
  }

  /** One target group; its name carries the target kind, so switching tiers creates a new one. */
  private targetGroup(name: string, args: AppLoadBalancerArgs): aws.lb.TargetGroup {
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    if (args.target.kind === "lambda") {
      return new aws.lb.TargetGroup(
        `${name}-fn-tg`,
        {
          name: physicalName("targetGroup", "fn", scope),
          targetType: "lambda",
          lambdaMultiValueHeadersEnabled: false,
          // Off by default for Lambda targets; on, on the liveness path, so a function that cannot
          // start shows as unhealthy. Each check is an invocation (ELB User Guide, "Lambda
          // functions as targets"), hence a 30 s interval; the timeout stays under it.
          healthCheck: {
            enabled: true,
            path: LIVENESS_CHECK_PATH,
            matcher: "200",
            interval: 30,
            timeout: 10,
            healthyThreshold: 2,
            unhealthyThreshold: 2,
          },
          tags: { Name: physicalName("nameTag", "fn-tg", scope) },
        },
        { parent: this },
      );
    }
    return new aws.lb.TargetGroup(
      `${name}-ec2-tg`,
      {
        name: physicalName("targetGroup", "ec2", scope),
        targetType: "instance",
        vpcId: args.vpcId,
        port: args.target.port,
        // HTTP inside the VPC; TLS ends at the load balancer (LB-10 waiver for the target group).
        protocol: "HTTP",
        deregistrationDelay: 30,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: "traffic-port",
          path: LIVENESS_CHECK_PATH,
          matcher: "200",
          interval: 15,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
        tags: { Name: physicalName("nameTag", "ec2-tg", scope) },
      },
      { parent: this },
    );
  }

  /**
   * ELB may invoke the function only for this target group (L-14, L-15), and the
   * function is registered only after that permission exists: ELB validates it on
   * registration (ELB User Guide, "Lambda functions as targets").
   */
  private attachFunction(
    name: string,
    targetGroup: aws.lb.TargetGroup,
    functionArn: pulumi.Input<string>,
  ): void {
    const permission = new aws.lambda.Permission(
      `${name}-invoke`,
      {
        function: functionArn,
        action: "lambda:InvokeFunction",
        principal: "elasticloadbalancing.amazonaws.com",
        sourceArn: targetGroup.arn,
      },
      { parent: this },
    );
    new aws.lb.TargetGroupAttachment(
      `${name}-fn-target`,
      { targetGroupArn: targetGroup.arn, targetId: functionArn },
      { parent: this, dependsOn: [permission] },
    );
  }

  private listeners(
    name: string,
    args: AppLoadBalancerArgs,
    loadBalancer: aws.lb.LoadBalancer,
    targetGroup: aws.lb.TargetGroup,
  ): void {
    const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
    if (args.listeners.kind === "http") {
      // Test stacks without a domain only (LB-7/LB-10 waiver): there is no name to certify.
      new aws.lb.Listener(
        `${name}-http`,
        { loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: forward },
        { parent: this },
      );
      return;
    }
    new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: ALB_SSL_POLICY,
        certificateArn: args.listeners.certificateArn,
        defaultActions: forward,
      },
      { parent: this },
    );
    new aws.lb.Listener(
      `${name}-http-redirect`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ],
      },
      { parent: this },
    );
  }
}

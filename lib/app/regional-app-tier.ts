import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { apiFailoverHostname, regionalApiHostname } from "../dns/api-names";
import { databaseSecretName, physicalName, transactionTableName } from "../naming";
import { apiDataPlanePolicy, workerDataPlanePolicy } from "../security/lambda-grants";
import { AppFunction } from "./app-function";
import { AppLoadBalancer } from "./app-load-balancer";
import {
  API_MEMORY_MB,
  API_TIMEOUT_SECONDS,
  APP_PORT,
  HEALTH_CHECK_PATH,
  WORKER_BATCHING_WINDOW_SECONDS,
  WORKER_BATCH_SIZE,
  WORKER_MEMORY_MB,
  WORKER_TIMEOUT_SECONDS,
  handlerEnvironment,
  serverEnvironment,
  workerMaximumConcurrency,
} from "./app-tier-settings";
import { AsyncFailureQueue } from "./async-failure-queue";
import { functionEgress } from "./function-egress";
import { Ec2AppFleet } from "./ec2-app-fleet";
import { HANDLER_ENTRIES, bundleHandler } from "./lambda-bundle";
import { OutboxDrainSchedule } from "./outbox-drain-schedule";
import { RegionalCertificate } from "./regional-certificate";
import { RegionalAppTierArgs, validateAppTierArgs } from "./regional-app-tier-args";

/**
 * The transaction API of one region, the same in both: an internet-facing ALB in
 * front of either the API Lambda or an EC2 fleet, and the queue worker Lambda with
 * its outbox-drain schedule. Each region's handlers use that region's database
 * endpoint, queue, key, secret replica and table replica only.
 */
export class RegionalAppTier extends pulumi.ComponentResource {
  public readonly albArn: pulumi.Output<string>;
  public readonly albArnSuffix: pulumi.Output<string>;
  public readonly albDnsName: pulumi.Output<string>;
  /** Canonical hosted zone id of the ALB, for alias records. */
  public readonly albZoneId: pulumi.Output<string>;
  public readonly albSecurityGroupId: pulumi.Output<string>;
  public readonly targetGroupArn: pulumi.Output<string>;
  public readonly targetGroupArnSuffix: pulumi.Output<string>;
  public readonly accessLogBucketName: pulumi.Output<string>;
  /** "api-<region code>.<domain>", or undefined without a domain. */
  public readonly regionalApiHostname: string | undefined;
  /** "api.<domain>" (the failover name on the certificate), or undefined without a domain. */
  public readonly apiHostname: string | undefined;
  /** https://api-<code>.<domain>, or http://<ALB DNS name> without a domain. */
  public readonly apiUrl: pulumi.Output<string>;
  public readonly healthCheckPath: string;
  public readonly protocol: "HTTPS" | "HTTP";
  /** The API function; undefined in the EC2 tier. */
  public readonly apiFunctionName: pulumi.Output<string> | undefined;
  public readonly apiFunctionArn: pulumi.Output<string> | undefined;
  public readonly apiLogGroupName: pulumi.Output<string> | undefined;
  public readonly apiSecurityGroupId: pulumi.Output<string> | undefined;
  public readonly workerFunctionName: pulumi.Output<string>;
  public readonly workerFunctionArn: pulumi.Output<string>;
  public readonly workerLogGroupName: pulumi.Output<string>;
  public readonly workerSecurityGroupId: pulumi.Output<string>;
  /** The API's data-plane policy (Lambda role, or the EC2 instance role). */
  public readonly apiPolicyArn: pulumi.Output<string>;
  /** Records of failed outbox drains. */
  public readonly workerFailureQueueUrl: pulumi.Output<string>;
  /** The EC2 fleet's group and security group; undefined in the Lambda tier. */
  public readonly autoScalingGroupName: pulumi.Output<string> | undefined;
  public readonly fleetSecurityGroupId: pulumi.Output<string> | undefined;

  constructor(name: string, args: RegionalAppTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:RegionalAppTier", name, {}, opts);
    validateAppTierArgs(args);
    const scope = { environmentSuffix: args.environmentSuffix, region: args.region };
    const child = { parent: this };
    const { settings } = args;

    // The ARNs the policies name, all of this region (lib/security/lambda-grants.ts).
    const dataPlane = pulumi
      .all([args.partition, args.accountId, args.kmsKeyArn, args.queueArn])
      .apply(([partition, accountId, keyArn, queueArn]) => ({
        scope: { partition, accountId, region: args.region },
        secretName: databaseSecretName(args.environmentSuffix),
        tableName: transactionTableName(args.environmentSuffix),
        queueArn,
        keyArn,
      }));
    const apiPolicy = new aws.iam.Policy(
      `${name}-api-data-plane`,
      {
        name: physicalName("iamPolicy", "api-data-plane", scope),
        description: `Transaction API data plane in ${args.region}: secret, table, queue, key`,
        policy: dataPlane.apply((plane) => JSON.stringify(apiDataPlanePolicy(plane))),
      },
      child,
    );
    const failureQueue = new AsyncFailureQueue(
      `${name}-worker-failures`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        purpose: "worker",
        kmsKeyArn: args.kmsKeyArn,
        protect: settings.protectData,
      },
      child,
    );
    const workerPolicy = new aws.iam.Policy(
      `${name}-worker-data-plane`,
      {
        name: physicalName("iamPolicy", "worker-data-plane", scope),
        description: `Queue worker data plane in ${args.region}: secret, table, queues, key`,
        policy: pulumi
          .all([dataPlane, failureQueue.queueArn])
          .apply(([plane, failureQueueArn]) =>
            JSON.stringify(workerDataPlanePolicy({ ...plane, failureQueueArn })),
          ),
      },
      child,
    );

    const environmentInputs = {
      environmentSuffix: args.environmentSuffix,
      role: args.role,
      databaseHost: args.databaseEndpoint,
      databaseReadHost: args.databaseReaderEndpoint,
      queueUrl: args.queueUrl,
    };
    const functionArgs = {
      region: args.region,
      environmentSuffix: args.environmentSuffix,
      kmsKeyArn: args.kmsKeyArn,
      vpcId: args.vpcId,
      subnetIds: args.privateSubnetIds,
      egress: functionEgress(args),
      logRetentionDays: settings.appLogRetentionDays,
      retainLogsOnDelete: settings.retainDataOnDelete,
      accountId: args.accountId,
      partition: args.partition,
    };

    const worker = new AppFunction(
      `${name}-worker`,
      {
        ...functionArgs,
        purpose: "worker",
        description: "Settles queued transactions and drains the transactional outbox",
        entryPath: HANDLER_ENTRIES.worker,
        timeoutSeconds: WORKER_TIMEOUT_SECONDS,
        memorySizeMb: WORKER_MEMORY_MB,
        reservedConcurrency: args.app.workerReservedConcurrency,
        environment: handlerEnvironment({
          ...environmentInputs,
          serviceName: "transaction-worker",
        }),
        dataPlanePolicyArn: workerPolicy.arn,
      },
      child,
    );
    const maximumConcurrency = workerMaximumConcurrency(args.app.workerReservedConcurrency);
    new aws.lambda.EventSourceMapping(
      `${name}-worker-queue`,
      {
        eventSourceArn: args.queueArn,
        functionName: worker.functionArn,
        batchSize: WORKER_BATCH_SIZE,
        maximumBatchingWindowInSeconds: WORKER_BATCHING_WINDOW_SECONDS,
        // Only the failed messages of a batch return to the queue.
        functionResponseTypes: ["ReportBatchItemFailures"],
        scalingConfig: maximumConcurrency === undefined ? undefined : { maximumConcurrency },
        enabled: true,
      },
      child,
    );
    new OutboxDrainSchedule(
      `${name}-outbox-drain`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        functionName: worker.functionName,
        functionArn: worker.functionArn,
        failureQueueArn: failureQueue.queueArn,
      },
      child,
    );

    const api =
      args.app.tier === "lambda"
        ? new AppFunction(
            `${name}-api`,
            {
              ...functionArgs,
              purpose: "api",
              description: "Transaction API behind the region's load balancer",
              entryPath: HANDLER_ENTRIES.api,
              timeoutSeconds: API_TIMEOUT_SECONDS,
              memorySizeMb: API_MEMORY_MB,
              reservedConcurrency: args.app.apiReservedConcurrency,
              environment: handlerEnvironment({
                ...environmentInputs,
                serviceName: "transaction-api",
              }),
              dataPlanePolicyArn: apiPolicy.arn,
            },
            child,
          )
        : undefined;

    const domainName = args.domainName;
    const hostname =
      domainName === undefined ? undefined : regionalApiHostname(domainName, args.region);
    const failoverHostname = domainName === undefined ? undefined : apiFailoverHostname(domainName);
    const certificate =
      hostname === undefined || failoverHostname === undefined
        ? undefined
        : new RegionalCertificate(
            `${name}-certificate`,
            {
              domainName: failoverHostname,
              subjectAlternativeNames: [hostname],
              zoneId: args.hostedZoneId as pulumi.Input<string>,
            },
            child,
          );

    const loadBalancer = new AppLoadBalancer(
      `${name}-lb`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        vpcId: args.vpcId,
        publicSubnetIds: args.publicSubnetIds,
        ingressCidrs: args.app.ingressCidrs,
        listeners:
          certificate === undefined
            ? { kind: "http" }
            : { kind: "https", certificateArn: certificate.certificateArn },
        target:
          api === undefined
            ? { kind: "instance", port: APP_PORT }
            : { kind: "lambda", functionArn: api.functionArn },
        deletionProtection: settings.loadBalancerDeletionProtection,
        accessLogRetentionDays: settings.auditLogRetentionDays,
        noncurrentVersionDays: settings.noncurrentVersionDays,
        forceDestroy: settings.forceDestroy,
        retainOnDelete: settings.retainDataOnDelete,
        protectLogs: settings.protectData,
        accountId: args.accountId,
        partition: args.partition,
      },
      child,
    );

    const fleet =
      args.app.tier === "ec2"
        ? this.fleet(name, args, loadBalancer, apiPolicy.arn, environmentInputs)
        : undefined;

    this.albArn = loadBalancer.loadBalancerArn;
    this.albArnSuffix = loadBalancer.arnSuffix;
    this.albDnsName = loadBalancer.dnsName;
    this.albZoneId = loadBalancer.zoneId;
    this.albSecurityGroupId = loadBalancer.securityGroupId;
    this.targetGroupArn = loadBalancer.targetGroupArn;
    this.targetGroupArnSuffix = loadBalancer.targetGroupArnSuffix;
    this.accessLogBucketName = loadBalancer.accessLogBucketName;
    this.regionalApiHostname = hostname;
    this.apiHostname = failoverHostname;
    this.protocol = hostname === undefined ? "HTTP" : "HTTPS";
    this.apiUrl =
      hostname === undefined
        ? pulumi.interpolate`http://${loadBalancer.dnsName}`
        : pulumi.output(`https://${hostname}`);
    this.healthCheckPath = HEALTH_CHECK_PATH;
    this.apiFunctionName = api?.functionName;
    this.apiFunctionArn = api?.functionArn;
    this.apiLogGroupName = api?.logGroupName;
    this.apiSecurityGroupId = api?.securityGroupId;
    this.workerFunctionName = worker.functionName;
    this.workerFunctionArn = worker.functionArn;
    this.workerLogGroupName = worker.logGroupName;
    this.workerSecurityGroupId = worker.securityGroupId;
    this.apiPolicyArn = apiPolicy.arn;
    this.workerFailureQueueUrl = failureQueue.queueUrl;
    this.autoScalingGroupName = fleet?.autoScalingGroupName;
    this.fleetSecurityGroupId = fleet?.securityGroupId;
    this.registerOutputs({
      albArn: this.albArn,
      albArnSuffix: this.albArnSuffix,
      albDnsName: this.albDnsName,
      albZoneId: this.albZoneId,
      albSecurityGroupId: this.albSecurityGroupId,
      targetGroupArn: this.targetGroupArn,
      targetGroupArnSuffix: this.targetGroupArnSuffix,
      accessLogBucketName: this.accessLogBucketName,
      regionalApiHostname: this.regionalApiHostname,
      apiHostname: this.apiHostname,
      apiUrl: this.apiUrl,
      healthCheckPath: this.healthCheckPath,
      protocol: this.protocol,
      apiFunctionName: this.apiFunctionName,
      apiFunctionArn: this.apiFunctionArn,
      apiLogGroupName: this.apiLogGroupName,
      apiSecurityGroupId: this.apiSecurityGroupId,
      workerFunctionName: this.workerFunctionName,
      workerFunctionArn: this.workerFunctionArn,
      workerLogGroupName: this.workerLogGroupName,
      workerSecurityGroupId: this.workerSecurityGroupId,
      apiPolicyArn: this.apiPolicyArn,
      workerFailureQueueUrl: this.workerFailureQueueUrl,
      autoScalingGroupName: this.autoScalingGroupName,
      fleetSecurityGroupId: this.fleetSecurityGroupId,
    });
  }

  /**
   * The EC2 tier: the same API handler as a server on APP_PORT, in the private
   * subnets, registered with the instance target group. The load balancer's one
   * egress rule goes to the fleet's security group on that port (traffic and
   * health checks alike).
   */
  private fleet(
    name: string,
    args: RegionalAppTierArgs,
    loadBalancer: AppLoadBalancer,
    apiPolicyArn: pulumi.Output<string>,
    environmentInputs: Omit<Parameters<typeof serverEnvironment>[0], "serviceName">,
  ): Ec2AppFleet {
    const fleet = new Ec2AppFleet(
      `${name}-fleet`,
      {
        region: args.region,
        environmentSuffix: args.environmentSuffix,
        role: args.role,
        vpcId: args.vpcId,
        subnetIds: args.privateSubnetIds,
        albSecurityGroupId: loadBalancer.securityGroupId,
        targetGroupArn: loadBalancer.targetGroupArn,
        appPort: APP_PORT,
        kmsKeyArn: args.kmsKeyArn,
        instanceType: args.app.instanceType,
        capacity: args.role === "primary" ? args.app.primaryCapacity : args.app.drCapacity,
        environment: serverEnvironment({ ...environmentInputs, serviceName: "transaction-api" }),
        apiPolicyArn,
        // An instance has no SDK installed, unlike the Lambda runtime.
        bundle: bundleHandler(HANDLER_ENTRIES.ec2Server, { awsSdk: "bundled" }).code,
        accountId: args.accountId,
        partition: args.partition,
        protect: args.settings.protectData,
        forceDestroy: args.settings.forceDestroy,
        accessLogBucket: args.accessLogBucket,
        // Like the functions: only this region's own cluster (DB_HOST), never across regions.
        databaseCidrs: args.databaseSubnetCidrs,
      },
      { parent: this },
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-alb-to-fleet`,
      {
        securityGroupId: loadBalancer.securityGroupId,
        description: `App port ${APP_PORT} to the API instances (traffic and health checks)`,
        ipProtocol: "tcp",
        fromPort: APP_PORT,
        toPort: APP_PORT,
        referencedSecurityGroupId: fleet.securityGroupId,
      },
      { parent: this },
    );
    return fleet;
  }
}

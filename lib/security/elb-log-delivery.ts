import * as aws from "@pulumi/aws";
import { denyInsecureTransport } from "./resource-policies";

/**
 * Elastic Load Balancing's own account per region, for the regions whose ALB access
 * logs AWS documents as delivered by that account ("Enable access logs for your
 * Application Load Balancer", step "Attach a policy to your S3 bucket";
 * awsdocs/elb-application-load-balancers-user-guide, enable-access-logging.md).
 * Every other (newer) region delivers through the service principal
 * logdelivery.elasticloadbalancing.amazonaws.com instead. A table rather than
 * aws.elb.getServiceAccount: it is one pure lookup, testable, and it says which rule
 * applies where.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "ap-east-1": "754344448648",
  "ap-northeast-1": "582318560864",
  "ap-northeast-2": "600734575887",
  "ap-northeast-3": "383597477331",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-south-1": "718504428378",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
};

/** The log-delivery service principal of the regions not in ELB_LOG_DELIVERY_ACCOUNTS. */
export const ELB_LOG_DELIVERY_SERVICE = "logdelivery.elasticloadbalancing.amazonaws.com";

/** Who writes ALB access logs into a bucket in this region. */
export function elbLogDeliveryPrincipal(
  region: string,
  partition: string,
): { AWS: string } | { Service: string } {
  const account = ELB_LOG_DELIVERY_ACCOUNTS[region];
  return account === undefined
    ? { Service: ELB_LOG_DELIVERY_SERVICE }
    : { AWS: `arn:${partition}:iam::${account}:root` };
}

export interface AlbLogBucketScope {
  readonly bucketArn: string;
  /** The account that owns the load balancers; logs land under AWSLogs/<account>/. */
  readonly accountId: string;
  readonly partition: string;
  /** The bucket's (and the load balancers') region: access logs need the same region. */
  readonly region: string;
  /** The prefix given to the load balancer's accessLogs; ELB appends AWSLogs/<account>/. */
  readonly prefix: string;
}

/**
 * TLS-only, and ELB log delivery may put objects under this account's prefix only.
 * ACLs are off (bucket-owner-enforced), which the documented policies work with:
 * they need no ACL condition.
 */
export function albAccessLogBucketPolicy(scope: AlbLogBucketScope): aws.iam.PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      denyInsecureTransport("s3:*", [scope.bucketArn, `${scope.bucketArn}/*`]),
      {
        Sid: "ElbAccessLogDelivery",
        Effect: "Allow",
        Principal: elbLogDeliveryPrincipal(scope.region, scope.partition),
        Action: "s3:PutObject",
        Resource: `${scope.bucketArn}/${scope.prefix}/AWSLogs/${scope.accountId}/*`,
      },
    ],
  };
}

import { ALB_SSL_POLICY, LIVENESS_CHECK_PATH } from "../../../lib/app/app-tier-settings";
import { ELB_LOG_DELIVERY_ACCOUNTS } from "../../../lib/security/elb-log-delivery";
import { TEST_ACCOUNT_ID, acmValidationRecord } from "../../support/aws-mocks";
import { Graph, policyOf, str } from "../../support/graph";
import { CapturedResource, runProgram } from "../../support/mock-graph";

const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const LISTENER = "aws:lb/listener:Listener";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const RECORD = "aws:route53/record:Record";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
const REGIONS = [
  ["us-east-1", "use1"],
  ["us-east-2", "use2"],
] as const;
const ZONE_ID = "Z0123456789ABCDEFGHIJ";

interface ListenerInputs {
  port: number;
  protocol: string;
  sslPolicy?: string;
  certificateArn?: string;
  defaultActions: {
    type: string;
    targetGroupArn?: string;
    redirect?: { protocol: string; port: string; statusCode: string };
  }[];
}

const inRegion = (graph: Graph, type: string, region: string): CapturedResource[] =>
  graph.ofType(type).filter((resource) => resource.region === region);
const onlyIn = (graph: Graph, type: string, region: string): CapturedResource => {
  const found = inRegion(graph, type, region);
  expect([type, region, found.length]).toEqual([type, region, 1]);
  return found[0];
};
const listenersIn = (graph: Graph, region: string) =>
  inRegion(graph, LISTENER, region).map((listener) => listener.inputs as unknown as ListenerInputs);
const bucketNamed = (graph: Graph, name: unknown): CapturedResource => {
  const found = graph
    .ofType("aws:s3/bucket:Bucket")
    .find((bucket) => bucket.inputs.bucket === name);
  if (!found) throw new Error(`no bucket named ${String(name)}`);
  return found;
};
const configOf = (graph: Graph, bucket: CapturedResource, type: string): CapturedResource => {
  const found = graph.ofType(type).filter((r) => r.inputs.bucket === `${bucket.name}-id`);
  expect([type, found.length]).toEqual([type, 1]);
  return found[0];
};

describe.each([
  [
    "test mode without a domain",
    { environmentSuffix: "dev", mode: "test" },
    { https: false, deletionProtection: false, ingressCidrs: ["0.0.0.0/0"] },
  ],
  [
    "production mode with a domain and restricted ingress",
    {
      environmentSuffix: "dev",
      mode: "production",
      domainName: "payments.example.com",
      hostedZoneId: ZONE_ID,
      albIngressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    },
    {
      https: true,
      deletionProtection: true,
      ingressCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
    },
  ],
])("regional load balancers (%s)", (_label, config, expected) => {
  let graph: Graph;
  beforeAll(async () => {
    graph = new Graph(await runProgram(config));
  });

  it.each(REGIONS)(
    "puts an internet-facing ALB in %s's public subnets, with the baseline's protections",
    (region, code) => {
      const alb = onlyIn(graph, LOAD_BALANCER, region);
      expect(alb.inputs).toMatchObject({
        name: `tap-dev-api-${code}`,
        loadBalancerType: "application",
        internal: false,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: expected.deletionProtection,
        idleTimeout: 60,
      });
      expect(["defensive", "strictest"]).toContain(alb.inputs.desyncMitigationMode);
      const subnets = (alb.inputs.subnets as string[]).map((id) => graph.byId(id));
      expect(
        subnets.map((subnet) => [subnet.region, subnet.name.replace(/^.*-network-/, "")]),
      ).toEqual([
        [region, "public-0"],
        [region, "public-1"],
        [region, "public-2"],
      ]);
    },
  );

  it.each(REGIONS)(
    "logs %s's ALB access into an SSE-S3, TLS-only bucket in its region that ELB may write to",
    (region, code) => {
      const alb = onlyIn(graph, LOAD_BALANCER, region);
      const accessLogs = alb.inputs.accessLogs as {
        bucket: string;
        prefix: string;
        enabled: boolean;
      };
      expect(accessLogs).toEqual({
        bucket: `tap-dev-alb-logs-${TEST_ACCOUNT_ID}-${code}`,
        prefix: "alb",
        enabled: true,
      });
      const bucket = bucketNamed(graph, accessLogs.bucket);
      expect(bucket.region).toBe(region);
      const [rule] = configOf(
        graph,
        bucket,
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      ).inputs.rules as { applyServerSideEncryptionByDefault: unknown }[];
      expect(rule.applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
      expect(
        configOf(graph, bucket, "aws:s3/bucketVersioning:BucketVersioning").inputs
          .versioningConfiguration,
      ).toEqual({ status: "Enabled" });
      const policy = configOf(graph, bucket, "aws:s3/bucketPolicy:BucketPolicy");
      const arn = `arn:aws:s3:::${accessLogs.bucket}`;
      expect(policyOf(policy).Statement).toEqual([
        expect.objectContaining({
          Effect: "Deny",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
        {
          Sid: "ElbAccessLogDelivery",
          Effect: "Allow",
          // Both default regions predate August 2022: ELB's own account delivers there.
          Principal: { AWS: `arn:aws:iam::${ELB_LOG_DELIVERY_ACCOUNTS[region]}:root` },
          Action: "s3:PutObject",
          Resource: `${arn}/alb/AWSLogs/${TEST_ACCOUNT_ID}/*`,
        },
      ]);
      // ELB writes a test object when logging is turned on.
      expect(graph.dependsOn(alb, policy)).toBe(true);
    },
  );

  it.each(REGIONS)(
    "admits only the configured CIDRs, only on the listener ports, into %s's ALB, which has no egress",
    (region) => {
      const alb = onlyIn(graph, LOAD_BALANCER, region);
      const [securityGroupId] = alb.inputs.securityGroups as string[];
      expect(graph.byId(securityGroupId).region).toBe(region);
      const ingress = graph
        .ofType(INGRESS)
        .filter((r) => r.inputs.securityGroupId === securityGroupId);
      const ports = expected.https ? [443, 80] : [80];
      expect(
        ingress.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort]).sort(),
      ).toEqual(
        expected.ingressCidrs.flatMap((cidr) => ports.map((port) => [cidr, port, port])).sort(),
      );
      for (const rule of ingress) {
        expect([rule.inputs.ipProtocol, rule.inputs.description]).toEqual([
          "tcp",
          expect.stringContaining(String(rule.inputs.cidrIpv4)),
        ]);
      }
      // A Lambda target is invoked through the Lambda service, not over the VPC.
      expect(
        graph.ofType(EGRESS).filter((r) => r.inputs.securityGroupId === securityGroupId),
      ).toEqual([]);
    },
  );

  it.each(REGIONS)(
    "forwards %s's ALB to the region's API function, registered after ELB may invoke it for that target group only",
    (region, code) => {
      const targetGroup = onlyIn(graph, TARGET_GROUP, region);
      expect(targetGroup.inputs).toMatchObject({
        name: `tap-dev-fn-${code}`,
        targetType: "lambda",
        lambdaMultiValueHeadersEnabled: false,
        healthCheck: { enabled: true, path: LIVENESS_CHECK_PATH, matcher: "200" },
      });
      const health = targetGroup.inputs.healthCheck as { interval: number; timeout: number };
      expect(health.timeout).toBeLessThan(health.interval);

      const api = graph.one(
        "aws:lambda/function:Function",
        `tap-${code === "use1" ? "primary" : "dr"}-app-api`,
      );
      const functionArn = `arn:aws:lambda:${region}:${TEST_ACCOUNT_ID}:function:${str(api, "name")}`;
      const permission = inRegion(graph, "aws:lambda/permission:Permission", region).find(
        (p) => p.inputs.principal === "elasticloadbalancing.amazonaws.com",
      ) as CapturedResource;
      expect(permission.inputs).toMatchObject({
        action: "lambda:InvokeFunction",
        function: functionArn,
      });
      expect(graph.byArn(permission.inputs.sourceArn).urn).toBe(targetGroup.urn);

      const attachment = onlyIn(
        graph,
        "aws:lb/targetGroupAttachment:TargetGroupAttachment",
        region,
      );
      expect(graph.byArn(attachment.inputs.targetGroupArn).urn).toBe(targetGroup.urn);
      expect(attachment.inputs.targetId).toBe(functionArn);
      expect(graph.dependsOn(attachment, permission)).toBe(true);
    },
  );

  if (!expected.https) {
    it.each(REGIONS)(
      "serves %s over HTTP on 80 only, with no certificate (test stacks without a domain)",
      (region) => {
        const targetGroup = onlyIn(graph, TARGET_GROUP, region);
        const listeners = listenersIn(graph, region);
        expect(listeners).toHaveLength(1);
        const [http] = listeners;
        expect([http.port, http.protocol, http.certificateArn]).toEqual([80, "HTTP", undefined]);
        expect(http.defaultActions).toHaveLength(1);
        expect(http.defaultActions[0].type).toBe("forward");
        expect(graph.byArn(http.defaultActions[0].targetGroupArn).urn).toBe(targetGroup.urn);
        expect(graph.ofType(CERTIFICATE)).toEqual([]);
      },
    );
    return;
  }

  it.each(REGIONS)(
    "serves %s over HTTPS with a modern TLS policy and a certificate of its own region; HTTP only redirects",
    (region) => {
      const listeners = listenersIn(graph, region).sort((a, b) => a.port - b.port);
      expect(listeners).toHaveLength(2);
      const [http, https] = listeners;
      expect(http).toMatchObject({
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          {
            type: "redirect",
            redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
          },
        ],
      });
      expect(https).toMatchObject({ port: 443, protocol: "HTTPS", sslPolicy: ALB_SSL_POLICY });
      expect(https.defaultActions).toHaveLength(1);
      expect(graph.byArn(https.defaultActions[0].targetGroupArn).urn).toBe(
        onlyIn(graph, TARGET_GROUP, region).urn,
      );
      const certificate = graph.byArn(https.certificateArn);
      expect([certificate.type, certificate.region]).toEqual([CERTIFICATE, region]);
    },
  );

  it.each(REGIONS)(
    "certifies api.<domain> and %s's own api-%s.<domain>, validated by DNS in the zone",
    (region, code) => {
      const certificate = onlyIn(graph, CERTIFICATE, region);
      expect(certificate.inputs).toMatchObject({
        domainName: "api.payments.example.com",
        subjectAlternativeNames: [`api-${code}.payments.example.com`],
        validationMethod: "DNS",
      });
      const records = inRegion(graph, RECORD, region).filter((record) =>
        String(record.inputs.name).startsWith("_"),
      );
      expect(records.map((record) => [record.inputs.name, record.inputs.records]).sort()).toEqual(
        ["api.payments.example.com", `api-${code}.payments.example.com`]
          .map(acmValidationRecord)
          .map((dvo) => [dvo.resourceRecordName, [dvo.resourceRecordValue]])
          .sort(),
      );
      const validation = onlyIn(
        graph,
        "aws:acm/certificateValidation:CertificateValidation",
        region,
      );
      expect(graph.byArn(validation.inputs.certificateArn).urn).toBe(certificate.urn);
      for (const record of records) {
        expect(record.inputs).toMatchObject({
          zoneId: ZONE_ID,
          type: "CNAME",
          allowOverwrite: true,
        });
        expect(graph.dependsOn(validation, record)).toBe(true);
      }
    },
  );

  it("writes the same validation record for the shared api.<domain> from both regions, so neither depends on the other", () => {
    const shared = acmValidationRecord("api.payments.example.com").resourceRecordName;
    const copies = graph.ofType(RECORD).filter((record) => record.inputs.name === shared);
    expect(copies.map((record) => record.region).sort()).toEqual(["us-east-1", "us-east-2"]);
    expect(new Set(copies.map((record) => JSON.stringify(record.inputs.records))).size).toBe(1);
  });
});

/**
 * Broken variants of the simulated stack for the API suite's HTTP tests: faults in what a client
 * on the internet goes through (Route 53 records and health, security groups, listeners,
 * certificates, redirects) and in what the API behind them reports. Each reaches the test through
 * the simulated internet (internet/), never by changing what the test asserts.
 */
import { Cloud } from "./cloud";
import { loadBalancerDnsName } from "./internet/dns";
import { type Mutation, failingHealthCheck, find, output, remove, set } from "./mutation-helpers";
import type { SimulatedStack } from "./simulated-aws";

const API = "api";
const RECORD = "aws:route53/record:Record";
const LISTENER = "aws:lb/listener:Listener";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";
const TABLE = "aws:dynamodb/table:Table";
const CLUSTER_INSTANCE = "aws:rds/clusterInstance:ClusterInstance";

const regionalTest = (side: string, role: string) =>
  `answers the deep health check directly at the ${side} region's load balancer, as the ${role}`;
const FAILOVER_NAME_TEST =
  "serves the health check through the failover name from the primary region";
const REDIRECT_TEST = "redirects plain HTTP to HTTPS";
const healthCheckTest = (side: string) =>
  `has a healthy Route 53 health check for the ${side} region`;

const dnsNameOf = (s: SimulatedStack, side: "primary" | "dr"): string =>
  loadBalancerDnsName(new Cloud(s), find(s, LOAD_BALANCER, `tap-${side}-app-lb-alb`));
const hostOf = (s: SimulatedStack, key: string): string => new URL(output(s, key)).hostname;
const redirectWith = (redirect: Record<string, string>) => (s: SimulatedStack) =>
  set(s, LISTENER, "tap-primary-app-lb-http-redirect", {
    defaultActions: [{ type: "redirect", redirect }],
  });

export const API_HTTP_MUTATIONS: readonly Mutation[] = [
  {
    name: "RDS reports the DR cluster as the writer (the primary a secondary)",
    suite: API,
    test: regionalTest("primary", "writer"),
    because: /"reader"/,
    apply: (s) => {
      s.service.globalWriterArns = [output(s, "drClusterArn")];
    },
  },
  {
    name: "primary regional name aliasing the DR load balancer",
    suite: API,
    test: regionalTest("primary", "writer"),
    because: /altnames/,
    apply: (s) =>
      set(s, RECORD, "tap-global-dns-regional-primary", {
        aliases: [{ name: dnsNameOf(s, "dr"), zoneId: "ZDR", evaluateTargetHealth: true }],
      }),
  },
  {
    name: "primary certificate without the region's own name (TLS host-name check fails)",
    suite: API,
    test: regionalTest("primary", "writer"),
    because: /altnames/,
    apply: (s) =>
      set(s, CERTIFICATE, "tap-primary-app-certificate", { subjectAlternativeNames: [] }),
  },
  {
    name: "primary load balancer's security group without HTTPS ingress",
    suite: API,
    test: regionalTest("primary", "writer"),
    because: /ETIMEDOUT/,
    apply: (s) => remove(s, INGRESS_RULE, "tap-primary-app-lb-sg-443-0"),
  },
  {
    name: "primary cluster without instances (the database cannot be reached)",
    suite: API,
    test: regionalTest("primary", "writer"),
    because: /"unhealthy"/,
    apply: (s) => {
      for (const r of s.run.resources.filter(
        (r) => r.type === CLUSTER_INSTANCE && r.name.startsWith("tap-primary-"),
      )) {
        remove(s, CLUSTER_INSTANCE, r.name);
      }
    },
  },
  {
    name: "RDS reports both clusters as the writer",
    suite: API,
    test: regionalTest("dr", "reader"),
    because: /"writer"/,
    apply: (s) => {
      s.service.globalWriterArns = [output(s, "primaryClusterArn"), output(s, "drClusterArn")];
    },
  },
  {
    name: "DR load balancer without its HTTPS listener",
    suite: API,
    test: regionalTest("dr", "reader"),
    because: /ECONNREFUSED/,
    apply: (s) => remove(s, LISTENER, "tap-dr-app-lb-https"),
  },
  {
    name: "transaction table without its DR replica (the DR DynamoDB check fails)",
    suite: API,
    test: regionalTest("dr", "reader"),
    because: /"unhealthy"/,
    apply: (s) => set(s, TABLE, "tap-global-state-table", { replicas: [] }),
  },
  {
    name: "DR API down (the load balancer answers 502)",
    suite: API,
    test: regionalTest("dr", "reader"),
    because: /JSON/,
    apply: (s) => {
      s.service.downApiRegions = [output(s, "drRegion")];
    },
  },
  {
    name: "failover records with the roles swapped (PRIMARY on the DR region's record)",
    suite: API,
    test: FAILOVER_NAME_TEST,
    because: /"reader"/,
    apply: (s) => {
      set(s, RECORD, "tap-global-dns-api-primary", {
        failoverRoutingPolicies: [{ type: "SECONDARY" }],
      });
      set(s, RECORD, "tap-global-dns-api-dr", { failoverRoutingPolicies: [{ type: "PRIMARY" }] });
    },
  },
  {
    name: "primary health check failing: Route 53 answers the failover name with the DR region",
    suite: API,
    test: FAILOVER_NAME_TEST,
    because: /"reader"/,
    apply: failingHealthCheck("primary"),
  },
  {
    name: "primary failover record pointing at the DR region's name",
    suite: API,
    test: FAILOVER_NAME_TEST,
    because: /altnames|"reader"/,
    apply: (s) =>
      set(s, RECORD, "tap-global-dns-api-primary", { records: [hostOf(s, "drApiUrl")] }),
  },
  {
    name: "primary certificate without the failover name (TLS host-name check fails)",
    suite: API,
    test: FAILOVER_NAME_TEST,
    because: /altnames/,
    apply: (s) =>
      set(s, CERTIFICATE, "tap-primary-app-certificate", {
        domainName: hostOf(s, "primaryApiUrl"),
        subjectAlternativeNames: [],
      }),
  },
  {
    name: "no PRIMARY record in the failover group (only the DR region answers)",
    suite: API,
    test: FAILOVER_NAME_TEST,
    because: /"reader"/,
    apply: (s) => remove(s, RECORD, "tap-global-dns-api-primary"),
  },
  {
    name: "port 80 forwarding to the API instead of redirecting",
    suite: API,
    test: REDIRECT_TEST,
    because: /Received: 200/,
    apply: (s) => {
      const https = find(s, LISTENER, "tap-primary-app-lb-https");
      set(s, LISTENER, "tap-primary-app-lb-http-redirect", {
        defaultActions: https.inputs.defaultActions,
      });
    },
  },
  {
    name: "redirect keeping the request's protocol (to http://...:443)",
    suite: API,
    test: REDIRECT_TEST,
    because: /"http:"/,
    apply: redirectWith({ protocol: "#{protocol}", port: "443", statusCode: "HTTP_301" }),
  },
  {
    name: "temporary redirect (HTTP_302)",
    suite: API,
    test: REDIRECT_TEST,
    because: /Received: 302/,
    apply: redirectWith({ protocol: "HTTPS", port: "443", statusCode: "HTTP_302" }),
  },
  {
    name: "no listener on port 80",
    suite: API,
    test: REDIRECT_TEST,
    because: /ECONNREFUSED/,
    apply: (s) => remove(s, LISTENER, "tap-primary-app-lb-http-redirect"),
  },
  {
    name: "primary load balancer's security group without HTTP ingress",
    suite: API,
    test: REDIRECT_TEST,
    because: /ETIMEDOUT/,
    apply: (s) => remove(s, INGRESS_RULE, "tap-primary-app-lb-sg-80-0"),
  },
  {
    name: "redirect without a port (to https://...:80, where nothing speaks TLS)",
    suite: API,
    test: REDIRECT_TEST,
    because: /"80"/,
    apply: redirectWith({ protocol: "HTTPS", statusCode: "HTTP_301" }),
  },
  {
    name: "primary load balancer made internal (private addresses only)",
    suite: API,
    test: regionalTest("primary", "writer"),
    because: /ETIMEDOUT/,
    apply: (s) => set(s, LOAD_BALANCER, "tap-primary-app-lb-alb", { internal: true }),
  },
  {
    name: "primary ingress narrowed to the test runner's range (Route 53's checkers are shut out)",
    suite: API,
    test: healthCheckTest("primary"),
    fakeTime: true,
    because: /Connection timed out/,
    apply: (s) => {
      set(s, INGRESS_RULE, "tap-primary-app-lb-sg-443-0", { cidrIpv4: "203.0.113.0/24" });
      set(s, INGRESS_RULE, "tap-primary-app-lb-sg-80-0", { cidrIpv4: "203.0.113.0/24" });
    },
  },
  {
    name: "primary HTTPS listener on a TLS 1.3-only policy (Route 53's checkers speak up to TLS 1.2)",
    suite: API,
    test: healthCheckTest("primary"),
    fakeTime: true,
    because: /TLS 1.3 only/,
    apply: (s) =>
      set(s, LISTENER, "tap-primary-app-lb-https", {
        sslPolicy: "ELBSecurityPolicy-TLS13-1-3-2021-06",
      }),
  },
  {
    name: "DR health check of a path the API does not serve (404)",
    suite: API,
    test: healthCheckTest("dr"),
    fakeTime: true,
    because: /HTTP Status Code 404/,
    apply: (s) =>
      set(s, "aws:route53/healthCheck:HealthCheck", "tap-global-dns-health-dr", {
        resourcePath: "/healthz",
      }),
  },
  {
    name: "DR health check of plain HTTP on 443 (the listener speaks TLS)",
    suite: API,
    test: healthCheckTest("dr"),
    fakeTime: true,
    because: /does not speak TLS|plain HTTP/,
    apply: (s) =>
      set(s, "aws:route53/healthCheck:HealthCheck", "tap-global-dns-health-dr", { type: "HTTP" }),
  },
];

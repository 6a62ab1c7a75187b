/**
 * Test-only: what a simulated Application Load Balancer does with a connection and a request,
 * from the graph: which ports its security group admits from the internet, which listener is on
 * a port, which names its certificate covers, and what the listener's default action answers.
 */
import { type PeerCertificate, checkServerIdentity } from "node:tls";
import { cidrContains, parseCidr } from "../../../../lib/util/cidr";
import type { CapturedResource } from "../../../support/mock-graph";
import { type Cloud, record, records, text } from "../cloud";

const LISTENER = "aws:lb/listener:Listener";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const CERTIFICATE = "aws:acm/certificate:Certificate";
const TARGET_GROUP = "aws:lb/targetGroup:TargetGroup";
const ATTACHMENT = "aws:lb/targetGroupAttachment:TargetGroupAttachment";
const AUTO_SCALING_GROUP = "aws:autoscaling/group:Group";

/**
 * Who connects, from which address. The test runner is on the internet: an address of TEST-NET-3
 * (RFC 5737), so only a rule open to the internet admits it. Route 53's checkers come from the
 * ROUTE53_HEALTHCHECKS ranges of ip-ranges.json (15.177.0.0/18 among them), and the probers,
 * Lambda functions outside any VPC, from AWS's own public addresses.
 */
export const SOURCE_ADDRESSES = {
  client: "203.0.113.10",
  route53Checker: "15.177.0.1",
  prober: "52.94.0.10",
} as const;
export type Source = keyof typeof SOURCE_ADDRESSES;

/** IANA protocol numbers a rule may name instead of the keyword (6 is TCP). */
const TCP = ["tcp", "6"];

/**
 * Whether `source` can open TCP to the load balancer on `port`: an internet-facing load balancer
 * (an internal one has private addresses only) whose security groups admit it.
 */
export function admits(
  c: Cloud,
  loadBalancer: CapturedResource,
  port: number,
  source: Source,
): boolean {
  if (loadBalancer.inputs.internal === true) return false;
  const groups = (loadBalancer.inputs.securityGroups as unknown[] | undefined) ?? [];
  const address = parseCidr(`${SOURCE_ADDRESSES[source]}/32`);
  return c.of(INGRESS_RULE, loadBalancer.region).some((rule) => {
    if (!groups.includes(rule.inputs.securityGroupId)) return false;
    const protocol = String(rule.inputs.ipProtocol);
    const all = protocol === "-1";
    const from = Number(rule.inputs.fromPort);
    const to = Number(rule.inputs.toPort);
    const range = parseCidr(text(rule.inputs.cidrIpv4) ?? "");
    return (
      (all || (TCP.includes(protocol) && from <= port && port <= to)) &&
      range !== undefined &&
      address !== undefined &&
      cidrContains(range, address)
    );
  });
}

/** The listener on `port` of the load balancer, if any. */
export function listenerOn(
  c: Cloud,
  loadBalancer: CapturedResource,
  port: number,
): CapturedResource | undefined {
  return c
    .of(LISTENER, loadBalancer.region)
    .find(
      (l) => l.inputs.loadBalancerArn === c.arnOf(loadBalancer) && Number(l.inputs.port) === port,
    );
}

/**
 * The DNS names the HTTPS listener's certificate covers (domain name and SANs). A listener can
 * only use an ACM certificate of its own region, so one from elsewhere (or none) covers nothing.
 */
export function certificateNames(c: Cloud, listener: CapturedResource): string[] {
  const certificate = c
    .of(CERTIFICATE, listener.region)
    .find((cert) => c.arnOf(cert) === listener.inputs.certificateArn);
  if (certificate === undefined) return [];
  const sans = (certificate.inputs.subjectAlternativeNames as unknown[] | undefined) ?? [];
  return [String(certificate.inputs.domainName), ...sans.map(String)];
}

export interface IncomingRequest {
  /** "http" or "https": the listener's protocol. */
  readonly protocol: string;
  /** The Host header without a port. */
  readonly host: string;
  readonly port: number;
  /** The path, starting with "/". */
  readonly path: string;
  /** The query string without "?", or "". */
  readonly query: string;
}

export type ListenerAnswer =
  /** Forward to the targets of a region's API. */
  | { readonly kind: "forward"; readonly region: string }
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  | { readonly kind: "fixed-response"; readonly status: number; readonly body: string };

/**
 * The listener's default action for a request. Redirects follow RedirectActionConfig: every
 * component not given keeps the request's ("#{protocol}", "#{host}", "#{port}", "/#{path}",
 * "#{query}"), and ELB writes the port into Location. A forward with no registered target, or to
 * a target group that is not in the graph, answers 503, as an ALB does.
 */
export function listenerAnswer(
  c: Cloud,
  listener: CapturedResource,
  request: IncomingRequest,
): ListenerAnswer {
  const action = records(listener.inputs.defaultActions)[0];
  switch (action?.type) {
    case "redirect": {
      const config = record(action.redirect);
      const fill = (template: string): string =>
        template
          .replace(/#\{protocol\}/g, request.protocol.toUpperCase())
          .replace(/#\{host\}/g, request.host)
          .replace(/#\{port\}/g, String(request.port))
          .replace(/#\{path\}/g, request.path.replace(/^\//, ""))
          .replace(/#\{query\}/g, request.query);
      const protocol = fill(text(config.protocol) ?? "#{protocol}").toLowerCase();
      const query = fill(text(config.query) ?? "#{query}");
      const location =
        `${protocol}://${fill(text(config.host) ?? "#{host}")}:${fill(text(config.port) ?? "#{port}")}` +
        `${fill(text(config.path) ?? "/#{path}")}${query === "" ? "" : `?${query}`}`;
      const status = Number(/^HTTP_(\d{3})$/.exec(String(config.statusCode))?.[1] ?? Number.NaN);
      return { kind: "redirect", status, location };
    }
    case "fixed-response": {
      const config = record(action.fixedResponse);
      return {
        kind: "fixed-response",
        status: Number(config.statusCode),
        body: text(config.messageBody) ?? "",
      };
    }
    case "forward": {
      const region = targetRegion(c, text(action.targetGroupArn));
      return region === undefined
        ? { kind: "fixed-response", status: 503, body: "503 Service Temporarily Unavailable" }
        : { kind: "forward", region };
    }
    default:
      return { kind: "fixed-response", status: 503, body: "503 Service Temporarily Unavailable" };
  }
}

/**
 * The region whose API the target group's targets run: its Lambda target's region, or, for
 * instance targets, the region of the Auto Scaling group that registers them, while it runs any.
 * A target in another region than the group cannot be registered, so it counts as none.
 */
function targetRegion(c: Cloud, targetGroupArn: string | undefined): string | undefined {
  const group = c.of(TARGET_GROUP).find((tg) => c.arnOf(tg) === targetGroupArn);
  if (group === undefined) return undefined;
  const lambdaTarget = c
    .of(ATTACHMENT, group.region)
    .find((a) => a.inputs.targetGroupArn === targetGroupArn);
  if (lambdaTarget !== undefined) {
    const fn = c
      .of("aws:lambda/function:Function", group.region)
      .find((f) => c.arnOf(f) === lambdaTarget.inputs.targetId);
    return fn?.region;
  }
  const fleet = c
    .of(AUTO_SCALING_GROUP, group.region)
    .find((asg) =>
      ((asg.inputs.targetGroupArns as unknown[] | undefined) ?? []).includes(targetGroupArn),
    );
  return fleet !== undefined && Number(fleet.inputs.desiredCapacity ?? 0) > 0
    ? fleet.region
    : undefined;
}

/**
 * Whether an alias with EvaluateTargetHealth counts the load balancer healthy: some listener
 * forwards to a target group with a registered target whose API answers ("a target group with
 * no registered targets is unhealthy", Route 53 Developer Guide, "Values specific for failover
 * alias records").
 */
export function hasHealthyTargets(c: Cloud, loadBalancer: CapturedResource): boolean {
  return c
    .of(LISTENER, loadBalancer.region)
    .filter((l) => l.inputs.loadBalancerArn === c.arnOf(loadBalancer))
    .some((l) => {
      const action = records(l.inputs.defaultActions)[0];
      const region =
        action?.type === "forward" ? targetRegion(c, text(action.targetGroupArn)) : undefined;
      return region !== undefined && !c.stack.service.downApiRegions.includes(region);
    });
}

/**
 * Whether a TLS client completes a handshake with the HTTPS listener: the listener has a
 * certificate of its region; a verifying client (Node) also needs the name covered, by Node's own
 * rules (wildcards included); Route 53's checkers do not verify but speak TLS 1.0 to 1.2 only
 * ("must support TLS v1.0, v1.1, or v1.2", API reference, HealthCheckConfig Type), so a TLS
 * 1.3-only policy shuts them out.
 */
export function tlsHandshake(
  c: Cloud,
  listener: CapturedResource,
  client: { readonly serverName: string; readonly verify: boolean; readonly maxTls12: boolean },
): { readonly ok: true } | { readonly ok: false; readonly reason: string } {
  if (listener.inputs.protocol !== "HTTPS") {
    return {
      ok: false,
      reason: `the ${String(listener.inputs.protocol)} listener does not speak TLS`,
    };
  }
  const names = certificateNames(c, listener);
  if (names.length === 0)
    return { ok: false, reason: "the listener has no certificate of its region" };
  if (client.maxTls12 && /TLS13-1-3/.test(String(listener.inputs.sslPolicy))) {
    return { ok: false, reason: `${String(listener.inputs.sslPolicy)} allows TLS 1.3 only` };
  }
  if (client.verify) {
    const mismatch = checkServerIdentity(client.serverName, {
      subject: { CN: names[0] },
      subjectaltname: names.map((name) => `DNS:${name}`).join(", "),
    } as PeerCertificate);
    if (mismatch !== undefined) return { ok: false, reason: mismatch.message };
  }
  return { ok: true };
}

/**
 * Test-only: what a simulated Application Load Balancer does with a connection and a request,
 * from the graph: which ports its security group admits from the internet, which listener is on
 * a port, which names its certificate covers, and what the listener's default action answers.
 */
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
 * Where the simulated client (a test runner or CI job on the internet) connects from: an address
 * of TEST-NET-3 (RFC 5737), so only a rule open to the internet admits it.
 */
export const CLIENT_ADDRESS = "203.0.113.10";

/** Whether the load balancer's security groups admit TCP on `port` from CLIENT_ADDRESS. */
export function admitsClient(c: Cloud, loadBalancer: CapturedResource, port: number): boolean {
  const groups = (loadBalancer.inputs.securityGroups as unknown[] | undefined) ?? [];
  const client = parseCidr(`${CLIENT_ADDRESS}/32`);
  return c.of(INGRESS_RULE, loadBalancer.region).some((rule) => {
    if (!groups.includes(rule.inputs.securityGroupId)) return false;
    const protocol = String(rule.inputs.ipProtocol);
    const all = protocol === "-1";
    const from = Number(rule.inputs.fromPort);
    const to = Number(rule.inputs.toPort);
    const range = parseCidr(text(rule.inputs.cidrIpv4) ?? "");
    return (
      (all || (protocol === "tcp" && from <= port && port <= to)) &&
      range !== undefined &&
      client !== undefined &&
      cidrContains(range, client)
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
 * instance targets, the region of the Auto Scaling group that registers them.
 */
function targetRegion(c: Cloud, targetGroupArn: string | undefined): string | undefined {
  const group = c.of(TARGET_GROUP).find((tg) => c.arnOf(tg) === targetGroupArn);
  if (group === undefined) return undefined;
  const lambdaTarget = c
    .of(ATTACHMENT, group.region)
    .find((a) => a.inputs.targetGroupArn === targetGroupArn);
  if (lambdaTarget !== undefined) {
    const fn = c
      .of("aws:lambda/function:Function")
      .find((f) => c.arnOf(f) === lambdaTarget.inputs.targetId);
    return fn?.region;
  }
  const fleet = c
    .of(AUTO_SCALING_GROUP, group.region)
    .find((asg) =>
      ((asg.inputs.targetGroupArns as unknown[] | undefined) ?? []).includes(targetGroupArn),
    );
  return fleet?.region;
}

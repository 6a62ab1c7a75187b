/**
 * The simulated internet (support/internet/) answers as Route 53 and ELB are documented to, so
 * that a live API test passing or failing against it means what it would mean on AWS: which
 * record of a group Route 53 answers with as health changes, and where an ALB redirect sends.
 */
import type { CapturedResource } from "../support/mock-graph";
import { Cloud, correctStack } from "./support/cloud";
import { loadBalancerDnsName, resolveHost } from "./support/internet/dns";
import { listenerAnswer } from "./support/internet/load-balancer";

const RECORD = "aws:route53/record:Record";

function resource(
  type: string,
  name: string,
  region: string,
  inputs: Record<string, unknown>,
): CapturedResource {
  return {
    urn: `urn:pulumi:stack::project::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    parent: "",
    dependencies: [],
    providerUrn: undefined,
    region,
    retainOnDelete: false,
    protect: false,
    ignoreChanges: [],
  };
}

const LB_A = resource("aws:lb/loadBalancer:LoadBalancer", "lb-a", "us-east-1", { name: "lb-a" });
const LB_B = resource("aws:lb/loadBalancer:LoadBalancer", "lb-b", "us-west-2", { name: "lb-b" });

/** Two regional names aliasing two load balancers, with a failover and a weighted group above. */
function zone(): Cloud {
  const stack = correctStack({ resources: [], outputs: {}, lookups: [] });
  const c = new Cloud(stack);
  const regional = (name: string, lb: CapturedResource) =>
    resource(RECORD, name, "us-east-1", {
      name,
      type: "A",
      aliases: [{ name: loadBalancerDnsName(c, lb), zoneId: "Z", evaluateTargetHealth: true }],
    });
  const member = (name: string, target: string, check: string, policy: Record<string, unknown>) =>
    resource(RECORD, name, "us-east-1", {
      type: "CNAME",
      records: [target],
      healthCheckId: `${check}-id`,
      ...policy,
    });
  stack.run.resources.push(
    LB_A,
    LB_B,
    resource("aws:route53/healthCheck:HealthCheck", "hc-a", "us-east-1", {}),
    resource("aws:route53/healthCheck:HealthCheck", "hc-b", "us-east-1", {}),
    regional("a.example.com", LB_A),
    regional("b.example.com", LB_B),
    member("api-a", "a.example.com", "hc-a", { failoverRoutingPolicies: [{ type: "PRIMARY" }] }),
    member("api-b", "b.example.com", "hc-b", { failoverRoutingPolicies: [{ type: "SECONDARY" }] }),
    member("w-a", "a.example.com", "hc-a", { weightedRoutingPolicies: [{ weight: 100 }] }),
    member("w-b", "b.example.com", "hc-b", { weightedRoutingPolicies: [{ weight: 0 }] }),
  );
  for (const r of stack.run.resources.filter((r) => r.name.startsWith("api-"))) {
    r.inputs.name = "api.example.com";
  }
  for (const r of stack.run.resources.filter((r) => r.name.startsWith("w-"))) {
    r.inputs.name = "w.example.com";
  }
  return c;
}

/** The DNS choice alone: health as the service state sets it. */
const staticHealth = (c: Cloud) => (id: string) =>
  !c.stack.service.failingHealthChecks.includes(id);

const answeredBy = (c: Cloud, host: string): string => {
  const resolution = resolveHost(c, host, staticHealth(c));
  return resolution.kind === "load-balancer" ? resolution.loadBalancer.name : "no answer";
};

describe("simulated Route 53 answers", () => {
  it.each([
    ["both healthy", [], "lb-a"],
    ["the primary failing", ["hc-a-id"], "lb-b"],
    ["both failing (Route 53 returns the primary)", ["hc-a-id", "hc-b-id"], "lb-a"],
    ["only the secondary failing", ["hc-b-id"], "lb-a"],
  ])("answers a failover group with %s", (_case, failing, expected) => {
    const c = zone();
    c.stack.service.failingHealthChecks = failing;
    expect(answeredBy(c, "api.example.com")).toBe(expected);
  });

  it("answers with an unchecked secondary when the primary fails, even if the secondary's target is down", () => {
    const c = zone();
    const secondary = c.of(RECORD).find((r) => r.name === "api-b");
    delete secondary?.inputs.healthCheckId;
    c.stack.service.failingHealthChecks = ["hc-a-id"];
    expect(answeredBy(c, "api.example.com")).toBe("lb-b");
  });

  it.each([
    ["both healthy", [], "lb-a"],
    ["the weighted record failing (the zero-weighted one is considered)", ["hc-a-id"], "lb-b"],
    ["both failing (all are considered, weights decide)", ["hc-a-id", "hc-b-id"], "lb-a"],
  ])("answers a weighted 100/0 group with %s", (_case, failing, expected) => {
    const c = zone();
    c.stack.service.failingHealthChecks = failing;
    expect(answeredBy(c, "w.example.com")).toBe(expected);
  });

  it("has no answer for a name without records, and names the chain it followed", () => {
    const c = zone();
    expect(resolveHost(c, "nothing.example.com", staticHealth(c))).toEqual({
      kind: "no-answer",
      chain: ["nothing.example.com"],
      reason: "no record of this name",
    });
    const b = c.of(RECORD).find((r) => r.name === "b.example.com");
    if (b !== undefined) b.inputs.aliases = [{ name: "gone.elb.amazonaws.com" }];
    c.stack.service.failingHealthChecks = ["hc-a-id"];
    expect(resolveHost(c, "api.example.com", staticHealth(c))).toMatchObject({
      kind: "no-answer",
      chain: ["api.example.com", "b.example.com", "gone.elb.amazonaws.com"],
    });
  });
});

describe("simulated ALB listener actions", () => {
  const request = {
    protocol: "http",
    host: "api.example.com",
    port: 80,
    path: "/health",
    query: "verbose=1",
  };
  const listener = (action: Record<string, unknown>) =>
    resource("aws:lb/listener:Listener", "l", "us-east-1", { port: 80, defaultActions: [action] });

  it.each([
    [
      "the usual HTTP to HTTPS redirect keeps host, path and query, and states the port",
      { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
      { status: 301, location: "https://api.example.com:443/health?verbose=1" },
    ],
    [
      "reserved keywords in host and path",
      { host: "www.#{host}", path: "/v2/#{path}", query: "#{query}&x=1", statusCode: "HTTP_302" },
      { status: 302, location: "http://www.api.example.com:80/v2/health?verbose=1&x=1" },
    ],
  ])("redirects: %s", (_case, redirect, expected) => {
    const answer = listenerAnswer(zone(), listener({ type: "redirect", redirect }), request);
    expect(answer).toEqual({ kind: "redirect", ...expected });
  });

  it("answers 503 for a forward to a target group that has no registered target", () => {
    const answer = listenerAnswer(
      zone(),
      listener({ type: "forward", targetGroupArn: "arn:aws:elasticloadbalancing:x" }),
      request,
    );
    expect(answer).toMatchObject({ kind: "fixed-response", status: 503 });
  });
});

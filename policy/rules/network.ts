/** Load balancers, listeners, security groups and VPCs. */
import { GraphResource, PolicyContext, PolicyRule, isUnknown } from "../model";
import { asArray, flag, objectOf, objectsOf, shown } from "../values";
import { LISTENER_TYPES, LOAD_BALANCER_TYPES, TYPES } from "./types";

/** Application load balancers: `loadBalancerType` "application", AWS's default. */
const isApplication = (lb: GraphResource): boolean =>
  lb.inputs.loadBalancerType === undefined || lb.inputs.loadBalancerType === "application";

export const albDropsInvalidHeaders: PolicyRule = {
  id: "TAP-ALB-1",
  title: "Application load balancers drop invalid HTTP header fields",
  baseline: "FSBP ELB.4, CKV_AWS_131",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: LOAD_BALANCER_TYPES,
  scope: "resource",
  remediation: "Set dropInvalidHeaderFields: true.",
  validate(lb) {
    if (!isApplication(lb)) return [];
    const drop = lb.inputs.dropInvalidHeaderFields;
    return isUnknown(drop) || flag(drop) === true
      ? []
      : [`dropInvalidHeaderFields is ${shown(drop)}; set it to true`];
  },
};

export const albDeletionProtection: PolicyRule = {
  id: "TAP-ALB-2",
  title: "In production, load balancers have deletion protection",
  baseline: "FSBP ELB.6, CKV_AWS_150",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: LOAD_BALANCER_TYPES,
  scope: "resource",
  remediation: "In production set enableDeletionProtection: true (lib/modes.ts).",
  validate(lb, context) {
    if (context.mode !== "production") return [];
    const enabled = lb.inputs.enableDeletionProtection;
    return isUnknown(enabled) || flag(enabled) === true
      ? []
      : [`enableDeletionProtection is ${shown(enabled)}; a production load balancer needs it`];
  },
};

export const albAccessLogs: PolicyRule = {
  id: "TAP-ALB-3",
  title: "Load balancers write access logs to S3",
  baseline: "FSBP ELB.5, AwsSolutions-ELB2, CKV_AWS_91",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: LOAD_BALANCER_TYPES,
  scope: "resource",
  remediation: "Set accessLogs { bucket, enabled: true }.",
  validate(lb) {
    const logs = objectOf(lb.inputs.accessLogs);
    if (isUnknown(logs)) return [];
    return flag(logs?.enabled) === true && logs?.bucket !== undefined && logs.bucket !== ""
      ? []
      : ["access logs are off (accessLogs { bucket, enabled: true })"];
  },
};

export const albDesyncMitigation: PolicyRule = {
  id: "TAP-ALB-4",
  title: "Application load balancers mitigate HTTP desync (defensive or strictest)",
  baseline: "FSBP ELB.12, CKV_AWS_328",
  severity: "low",
  enforcement: "mandatory",
  resourceTypes: LOAD_BALANCER_TYPES,
  scope: "resource",
  remediation: 'Leave desyncMitigationMode unset (defensive) or set "defensive" or "strictest".',
  validate(lb) {
    const mode = lb.inputs.desyncMitigationMode;
    if (!isApplication(lb) || mode === undefined || isUnknown(mode)) return [];
    return mode === "defensive" || mode === "strictest"
      ? []
      : [`desyncMitigationMode is ${shown(mode)}; use "defensive" or "strictest"`];
  },
};

export const listenerRedirectsHttp: PolicyRule = {
  id: "TAP-ALB-5",
  title: "Plain-HTTP listeners only redirect to HTTPS",
  baseline: "FSBP ELB.1, CKV2_AWS_20, CKV_AWS_2",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: LISTENER_TYPES,
  scope: "resource",
  remediation:
    'Give the HTTP listener one default action: redirect { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" }.',
  validate(listener) {
    const protocol = listener.inputs.protocol;
    if (protocol !== "HTTP") return [];
    const actions = objectsOf(listener.inputs.defaultActions);
    if (isUnknown(actions)) return [];
    const redirects = actions.every((action) => {
      const redirect = objectOf(action.redirect);
      return action.type === "redirect" && !isUnknown(redirect) && redirect?.protocol === "HTTPS";
    });
    return actions.length > 0 && redirects
      ? []
      : [
          `HTTP listener on port ${shown(listener.inputs.port)} serves traffic (${actions.map((a) => shown(a.type)).join(", ")}) instead of redirecting to HTTPS`,
        ];
  },
};

/** Policies that negotiate TLS 1.2 or later only (ELB's TLS13-1-2/1-3, TLS-1-2 and FS-1-2 families). */
const MODERN_TLS_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const listenerModernTls: PolicyRule = {
  id: "TAP-ALB-6",
  title: "HTTPS listeners use a TLS 1.2+ security policy and a certificate",
  baseline: "FSBP ELB.17, CKV_AWS_103, CKV2_AWS_74",
  severity: "high",
  enforcement: "mandatory",
  resourceTypes: LISTENER_TYPES,
  scope: "resource",
  remediation: 'Set sslPolicy "ELBSecurityPolicy-TLS13-1-2-2021-06" and a certificateArn.',
  validate(listener) {
    if (listener.inputs.protocol !== "HTTPS") return [];
    const problems: string[] = [];
    const policy = listener.inputs.sslPolicy;
    if (!isUnknown(policy) && !(typeof policy === "string" && MODERN_TLS_POLICY.test(policy))) {
      problems.push(
        `sslPolicy is ${shown(policy)}${policy === undefined ? " (AWS's default allows TLS 1.0)" : ""}; use a TLS 1.2+ policy such as "ELBSecurityPolicy-TLS13-1-2-2021-06"`,
      );
    }
    if (listener.inputs.certificateArn === undefined || listener.inputs.certificateArn === "") {
      problems.push("certificateArn is unset");
    }
    return problems;
  },
};

const OPEN_CIDRS = ["0.0.0.0/0", "::/0"];
/** The ports the public API's load balancer may open to the internet. */
const PUBLIC_LB_PORTS = [80, 443];

interface Ingress {
  readonly cidrs: string[];
  readonly fromPort: unknown;
  readonly toPort: unknown;
  readonly protocol: unknown;
  readonly label: string;
}

/** The ingress entries a resource opens, with the security group they belong to. */
function ingressOf(
  resource: GraphResource,
  context: PolicyContext,
): { ingress: Ingress[]; group: GraphResource | undefined } {
  const { inputs } = resource;
  if (resource.type === TYPES.securityGroup) {
    const rules = objectsOf(inputs.ingress);
    return {
      group: resource,
      ingress: isUnknown(rules)
        ? []
        : rules.map((rule, index) => ({
            cidrs: [
              ...asArray(rule.cidrBlocks as string[]),
              ...asArray(rule.ipv6CidrBlocks as string[]),
            ],
            fromPort: rule.fromPort,
            toPort: rule.toPort,
            protocol: rule.protocol,
            label: `ingress[${index}]`,
          })),
    };
  }
  const group = context.graph.referencedBy(resource, "securityGroupId", TYPES.securityGroup)[0];
  if (resource.type === TYPES.securityGroupRule) {
    if (inputs.type !== "ingress") return { group, ingress: [] };
    return {
      group,
      ingress: [
        {
          cidrs: [
            ...asArray(inputs.cidrBlocks as string[]),
            ...asArray(inputs.ipv6CidrBlocks as string[]),
          ],
          fromPort: inputs.fromPort,
          toPort: inputs.toPort,
          protocol: inputs.protocol,
          label: "rule",
        },
      ],
    };
  }
  return {
    group,
    ingress: [
      {
        cidrs: [inputs.cidrIpv4, inputs.cidrIpv6].filter((c): c is string => typeof c === "string"),
        fromPort: inputs.fromPort,
        toPort: inputs.toPort,
        protocol: inputs.ipProtocol,
        label: "rule",
      },
    ],
  };
}

/** Whether an internet-facing application load balancer uses the security group. */
function isPublicLoadBalancerGroup(group: GraphResource, context: PolicyContext): boolean {
  return LOAD_BALANCER_TYPES.some((type) =>
    context.graph
      .referencing(group, type, "securityGroups")
      .some((lb) => flag(lb.inputs.internal) !== true && isApplication(lb)),
  );
}

export const securityGroupNoOpenIngress: PolicyRule = {
  id: "TAP-SG-1",
  title: "No security group admits 0.0.0.0/0 or ::/0, except a public ALB's on ports 80 and 443",
  baseline:
    "FSBP EC2.18, FSBP EC2.19, AwsSolutions-EC23, CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277",
  severity: "critical",
  enforcement: "mandatory",
  resourceTypes: [TYPES.securityGroup, TYPES.securityGroupRule, TYPES.ingressRule],
  scope: "stack",
  remediation:
    "Admit a security group, a prefix list or a narrower CIDR; only the internet-facing load balancer may take 80 and 443 from anywhere (config albIngressCidrs narrows even that).",
  validate(resource, context) {
    const { ingress, group } = ingressOf(resource, context);
    const problems: string[] = [];
    for (const entry of ingress) {
      const open = entry.cidrs.filter((cidr) => OPEN_CIDRS.includes(cidr));
      if (open.length === 0) continue;
      const port = entry.fromPort === entry.toPort ? entry.fromPort : undefined;
      const webPort =
        entry.protocol === "tcp" && typeof port === "number" && PUBLIC_LB_PORTS.includes(port);
      if (webPort && group !== undefined && isPublicLoadBalancerGroup(group, context)) continue;
      const ports =
        entry.fromPort === entry.toPort
          ? `port ${shown(entry.fromPort)}`
          : `ports ${shown(entry.fromPort)}-${shown(entry.toPort)}`;
      problems.push(
        `${entry.label} admits ${open.join(" and ")} on ${ports} (${shown(entry.protocol)})${webPort ? ", but the group is no internet-facing load balancer's" : ""}`,
      );
    }
    return problems;
  },
};

export const securityGroupDescriptions: PolicyRule = {
  id: "TAP-SG-2",
  title: "Security groups and their rules have descriptions",
  baseline: "AwsSolutions-EC27, CKV_AWS_23",
  severity: "low",
  enforcement: "advisory",
  resourceTypes: [
    TYPES.securityGroup,
    TYPES.securityGroupRule,
    TYPES.ingressRule,
    TYPES.egressRule,
  ],
  scope: "resource",
  remediation: "Say what each group and rule admits in its description.",
  validate(resource) {
    const problems: string[] = [];
    const description = resource.inputs.description;
    if (!isUnknown(description) && (typeof description !== "string" || description === "")) {
      problems.push(
        resource.type === TYPES.securityGroup
          ? 'has no description (AWS shows "Managed by Pulumi")'
          : "has no description",
      );
    }
    if (resource.type === TYPES.securityGroup) {
      for (const field of ["ingress", "egress"]) {
        const rules = objectsOf(resource.inputs[field]);
        if (isUnknown(rules)) continue;
        rules.forEach((rule, index) => {
          if (typeof rule.description !== "string" || rule.description === "") {
            problems.push(`${field}[${index}] has no description`);
          }
        });
      }
    }
    return problems;
  },
};

export const vpcFlowLogs: PolicyRule = {
  id: "TAP-VPC-1",
  title: "Every VPC has a flow log of all traffic",
  baseline: "FSBP EC2.6, AwsSolutions-VPC7, CKV2_AWS_11",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.vpc],
  scope: "stack",
  remediation: 'Add an aws.ec2.FlowLog with vpcId the VPC and trafficType "ALL".',
  validate(vpc, context) {
    const logs = context.graph.referencing(vpc, TYPES.flowLog, "vpcId");
    if (logs.length === 0) return ["has no flow log"];
    return logs.some((log) => log.inputs.trafficType === "ALL" || isUnknown(log.inputs.trafficType))
      ? []
      : [
          `flow logs record ${logs.map((log) => shown(log.inputs.trafficType)).join(", ")} traffic, not "ALL"`,
        ];
  },
};

export const vpcDefaultSecurityGroupClosed: PolicyRule = {
  id: "TAP-VPC-2",
  title: "Every VPC's default security group admits and sends nothing",
  baseline: "FSBP EC2.2, CKV2_AWS_12",
  severity: "medium",
  enforcement: "mandatory",
  resourceTypes: [TYPES.vpc],
  scope: "stack",
  remediation:
    "Add an aws.ec2.DefaultSecurityGroup for the VPC without ingress or egress rules (Pulumi then removes AWS's defaults).",
  validate(vpc, context) {
    const groups = context.graph.referencing(vpc, TYPES.defaultSecurityGroup, "vpcId");
    if (groups.length === 0) {
      return ["its default security group is not managed, so AWS's allow-within-group rules stay"];
    }
    const open = groups.filter((group) =>
      ["ingress", "egress"].some((field) => {
        const rules = objectsOf(group.inputs[field]);
        return !isUnknown(rules) && rules.length > 0;
      }),
    );
    return open.length === 0 ? [] : ["its default security group has ingress or egress rules"];
  },
};

export const NETWORK_RULES: readonly PolicyRule[] = [
  albDropsInvalidHeaders,
  albDeletionProtection,
  albAccessLogs,
  albDesyncMitigation,
  listenerRedirectsHttp,
  listenerModernTls,
  securityGroupNoOpenIngress,
  securityGroupDescriptions,
  vpcFlowLogs,
  vpcDefaultSecurityGroupClosed,
];

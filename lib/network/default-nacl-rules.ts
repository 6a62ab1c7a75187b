import { cidrContains, parseCidr } from "../util/cidr";

/** One entry of a network ACL, in the shape of aws.ec2.DefaultNetworkAcl's ingress/egress blocks. */
export interface NaclRule {
  readonly ruleNo: number;
  readonly action: "allow" | "deny";
  /** "-1" is every protocol; AWS then requires ports 0 to 0. */
  readonly protocol: "tcp" | "udp" | "icmp" | "-1";
  readonly cidrBlock: string;
  readonly fromPort: number;
  readonly toPort: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
}

export interface DefaultNaclRules {
  readonly ingress: readonly NaclRule[];
  readonly egress: readonly NaclRule[];
}

export interface DefaultNaclRulesArgs {
  /** This VPC's CIDR. */
  readonly vpcCidr: string;
  /** The peered VPC's CIDR, when there is a peering. @default undefined (no peer rule) */
  readonly peerVpcCidr?: string;
}

export const ANYWHERE_IPV4 = "0.0.0.0/0";
/** SSH and RDP: FSBP EC2.21 (nacl-no-unrestricted-ssh-rdp) checks both, over TCP and UDP. */
export const ADMIN_PORTS = [22, 3389] as const;
/**
 * Return traffic from outside the VPC arrives on the caller's ephemeral port. The VPC User
 * Guide's example NACLs ("Example: Control access to instances in a subnet") open 1024-65535,
 * which covers Linux clients, NAT gateways and ELB nodes, so it is used here.
 */
export const EPHEMERAL_PORTS = { from: 1024, to: 65535 } as const;
/** The lowest allow rule: every deny below it is evaluated first (rules run lowest number first). */
export const FIRST_ALLOW_RULE = 100;

/**
 * The rules of each VPC's default network ACL, which every subnet of this stack uses.
 *
 * NACLs are stateless and evaluated lowest rule number first, first match wins, only when
 * traffic crosses a subnet boundary (VPC User Guide, "Network ACL basics"). So:
 * - Rules 10-40 deny SSH and RDP (TCP and UDP) from 0.0.0.0/0 before any allow. This covers the
 *   VPC and the peer too: nothing in the design uses those ports (instances are reached with
 *   Session Manager). The VPC has no IPv6 CIDR, so there is no ::/0 to deny.
 * - 100/110: everything from this VPC and the peer VPC: ALB to instances and health checks,
 *   Lambda and instances to interface endpoints in another subnet, Aurora 5432, and the return
 *   traffic of all of it, plus the peering (both directions of a peer call land here).
 * - 200/210: HTTPS and HTTP to the internet-facing ALB in the public subnets.
 * - 300: TCP return traffic from the internet and from AWS public endpoints: NAT gateway
 *   replies, and S3/DynamoDB gateway endpoint replies, which come from the services' public
 *   addresses, not from the VPC. It spans 3389, which rule 30 already denied; a connection
 *   whose own source port happens to be 3389 would lose its replies, which Linux clients
 *   (ephemeral range 32768-60999) never pick.
 * - 310: ICMP "fragmentation needed" from anywhere: traffic over an internet gateway is limited
 *   to 1500 MTU and inter-Region peering to 8500, while instances use 9001, so Path MTU
 *   Discovery needs these messages (EC2 User Guide, "Network maximum transmission unit").
 * - Egress allows everything; security groups (stateful) narrow each resource's egress.
 * Amazon DNS, DHCP, instance metadata and Time Sync are not filtered by NACLs at all (VPC User
 * Guide, "Network ACL rules"), so they need no rule.
 */
export function defaultNetworkAclRules(args: DefaultNaclRulesArgs): DefaultNaclRules {
  const denies: NaclRule[] = ADMIN_PORTS.flatMap((port, portIndex) =>
    (["tcp", "udp"] as const).map((protocol, protocolIndex) => ({
      ruleNo: 10 * (1 + portIndex * 2 + protocolIndex),
      action: "deny" as const,
      protocol,
      cidrBlock: ANYWHERE_IPV4,
      fromPort: port,
      toPort: port,
    })),
  );
  const everything = (ruleNo: number, cidrBlock: string): NaclRule => ({
    ruleNo,
    action: "allow",
    protocol: "-1",
    cidrBlock,
    fromPort: 0,
    toPort: 0,
  });
  const tcpFromAnywhere = (ruleNo: number, fromPort: number, toPort: number): NaclRule => ({
    ruleNo,
    action: "allow",
    protocol: "tcp",
    cidrBlock: ANYWHERE_IPV4,
    fromPort,
    toPort,
  });
  const ingress: NaclRule[] = [
    ...denies,
    everything(FIRST_ALLOW_RULE, args.vpcCidr),
    ...(args.peerVpcCidr === undefined ? [] : [everything(110, args.peerVpcCidr)]),
    tcpFromAnywhere(200, 443, 443),
    tcpFromAnywhere(210, 80, 80),
    tcpFromAnywhere(300, EPHEMERAL_PORTS.from, EPHEMERAL_PORTS.to),
    {
      ruleNo: 310,
      action: "allow",
      protocol: "icmp",
      cidrBlock: ANYWHERE_IPV4,
      fromPort: 0,
      toPort: 0,
      icmpType: 3,
      icmpCode: 4,
    },
  ];
  return { ingress, egress: [everything(FIRST_ALLOW_RULE, ANYWHERE_IPV4)] };
}

/** A packet as a NACL sees it: protocol, source or destination address, and port. */
export interface NaclPacket {
  readonly protocol: "tcp" | "udp" | "icmp";
  /** The remote address (source for ingress, destination for egress). */
  readonly address: string;
  readonly port: number;
}

/**
 * How AWS evaluates a packet against a NACL: the lowest-numbered matching rule decides, and the
 * final "*" rule denies whatever matched nothing. Used by the tests and the simulated EC2 API.
 */
export function evaluateNacl(rules: readonly NaclRule[], packet: NaclPacket): "allow" | "deny" {
  const address = parseCidr(`${packet.address}/32`);
  const match = [...rules]
    .sort((a, b) => a.ruleNo - b.ruleNo)
    .find((rule) => {
      const block = parseCidr(rule.cidrBlock);
      if (!block || !address || !cidrContains(block, address)) return false;
      if (rule.protocol === "-1") return true;
      if (rule.protocol !== packet.protocol) return false;
      if (rule.protocol === "icmp") return true;
      return packet.port >= rule.fromPort && packet.port <= rule.toPort;
    });
  return match?.action ?? "deny";
}

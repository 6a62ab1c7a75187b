/** An IPv4 CIDR block, parsed. `network` is the address as an unsigned 32-bit integer. */
export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

/** Parses "a.b.c.d/n". Returns undefined for anything that is not a well-formed IPv4 CIDR. */
export function parseCidr(text: string): Ipv4Cidr | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(text);
  if (!match) {
    return undefined;
  }
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) {
    return undefined;
  }
  const network = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  return { network, prefix };
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

/** True when the address has no bits set below the prefix (10.0.0.0/16, not 10.0.1.0/16). */
export function isNetworkAligned(cidr: Ipv4Cidr): boolean {
  return cidr.network % blockSize(cidr.prefix) === 0;
}

/** The aligned network that contains the address, for "did you mean" messages. */
export function alignedNetwork(cidr: Ipv4Cidr): Ipv4Cidr {
  const size = blockSize(cidr.prefix);
  return { network: cidr.network - (cidr.network % size), prefix: cidr.prefix };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(cidr.network / 2 ** shift) % 256);
  return `${octets.join(".")}/${cidr.prefix}`;
}

export function cidrsOverlap(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const aEnd = a.network + blockSize(a.prefix);
  const bEnd = b.network + blockSize(b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/** True when `inner` lies entirely inside `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
  return (
    inner.prefix >= outer.prefix &&
    inner.network >= outer.network &&
    inner.network + blockSize(inner.prefix) <= outer.network + blockSize(outer.prefix)
  );
}

/**
 * The `index`-th block of `parent` when it is split into 2^newBits equal blocks
 * (Terraform's cidrsubnet).
 */
export function subdivide(parent: Ipv4Cidr, newBits: number, index: number): Ipv4Cidr {
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || index < 0 || index >= 2 ** newBits) {
    throw new Error(`cannot take block ${index} of ${formatCidr(parent)} split by ${newBits} bits`);
  }
  return { network: parent.network + index * blockSize(prefix), prefix };
}

/**
 * Which Amazon Linux 2023 image an instance type boots. Pure, so every family rule is tested.
 */

/** CPU architectures of the AL2023 public AMI parameters. */
export type CpuArchitecture = "arm64" | "x86_64";

/**
 * Public SSM parameter of the latest AL2023 AMI with the default kernel, per architecture
 * ("Find the latest Amazon Linux AMI using Systems Manager", Amazon EC2 User Guide).
 */
export const AL2023_AMI_PARAMETER_PREFIX =
  "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-";

/** "<family>.<size>"; the family starts with series letters, then the generation digits. */
const INSTANCE_TYPE = /^([a-z][a-z0-9-]*)\.[a-z0-9]+$/;
/** Series letters, generation digits, then the attribute letters (u-6tb1 and m7i-flex included). */
const FAMILY = /^([a-z][a-z-]*?)(\d+)([a-z]*)/;

/**
 * The architecture of an instance type. Graviton families carry a "g" among the attribute
 * letters after the generation digit (t4g, m7g, c7gn, r6gd, x2gd, im4gn, is4gen, g5g); a1 is
 * the first Graviton generation and has none. Everything else that runs AL2023 is x86_64.
 */
export function instanceArchitecture(instanceType: string): CpuArchitecture {
  const family = FAMILY.exec(INSTANCE_TYPE.exec(instanceType)?.[1] ?? "");
  if (family === null) {
    throw new Error(
      `instanceType "${instanceType}" is not an EC2 instance type; use a name such as t4g.small or m7i.large`,
    );
  }
  const [, series, generation, attributes] = family;
  if (series.startsWith("mac")) {
    throw new Error(
      `instanceType "${instanceType}" is an EC2 Mac type, which runs macOS AMIs only; use a Linux type such as t4g.small or m7i.large`,
    );
  }
  if (series === "a" && generation === "1") return "arm64";
  return attributes.includes("g") ? "arm64" : "x86_64";
}

/**
 * The launch template's imageId: "resolve:ssm:<public parameter>". EC2 resolves it to an AMI
 * ID when it launches an instance, and Auto Scaling on each create or update of the group
 * (EC2 Auto Scaling User Guide, "Use AWS Systems Manager parameters instead of AMI IDs in
 * launch templates"), so new instances get the current AL2023 release without a new template
 * version. The same page's limits shape the fleet: no mixed instances policy, no instance
 * refresh with skip matching or a desired configuration, and no refresh rollback.
 */
export function al2023ImageId(instanceType: string): string {
  return `resolve:ssm:${AL2023_AMI_PARAMETER_PREFIX}${instanceArchitecture(instanceType)}`;
}

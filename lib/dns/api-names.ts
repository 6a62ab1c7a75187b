/**
 * The API's DNS names, made in one place so the certificate SANs, the records
 * and the health checks cannot drift apart.
 */
import { regionCode } from "../util/aws-regions";

/** The two places a region can play in DNS; it mirrors the region's role in the stack. */
export type DnsRole = "primary" | "dr";

/**
 * A domain name is at most 255 bytes on the wire including the dots, each label at most
 * 63 (Route 53 Developer Guide, "DNS domain name format"): 253 characters in text form.
 */
export const MAX_DNS_NAME_LENGTH = 253;

function checkedName(name: string, what: string): string {
  if (name.length > MAX_DNS_NAME_LENGTH) {
    throw new Error(
      `${what} "${name}" is ${name.length} characters; DNS allows at most ${MAX_DNS_NAME_LENGTH}, so shorten domainName`,
    );
  }
  return name;
}

/** "api.<domain>": the name clients use; Route 53 answers it with the healthy region. */
export function apiFailoverHostname(domainName: string): string {
  return checkedName(`api.${domainName}`, "the API's failover name");
}

/**
 * "api-<region code>.<domain>": one region's own name. Health checks use it, so each
 * checks exactly one region; it is not the failover name, because Route 53 calls a health
 * check whose domain name matches the records it is associated with unpredictable
 * (Developer Guide, "Values that you specify when you create or update health checks",
 * Domain name).
 */
export function regionalApiHostname(domainName: string, region: string): string {
  return checkedName(`api-${regionCode(region)}.${domainName}`, "the regional API name");
}

/**
 * SetIdentifier of a region's record in the api.<domain> group: unique within the group
 * (Developer Guide, "Record ID") and stable, since changing it replaces the record.
 */
export function apiSetIdentifier(role: DnsRole, region: string): string {
  return `${role}-${regionCode(region)}`;
}

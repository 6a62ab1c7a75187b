import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PublicHostedZoneArgs {
  /** The API's domain, for example payments.example.com. */
  readonly domainName: string;
  /** An existing public zone of domainName; when set, nothing is created. */
  readonly existingZoneId?: string;
  /** Keep a created zone when the stack deletes it (production mode): its NS delegation is external. */
  readonly retainOnDelete: boolean;
  /** Let destroy delete a created zone with records it did not create (test mode). */
  readonly forceDestroy: boolean;
  /**
   * Pulumi `protect` on a created zone (production): a new zone gets new name servers, so
   * losing it breaks the delegation until the parent domain is updated.
   */
  readonly protect: boolean;
}

/**
 * The public zone of the API's domain: an existing zone by id (recommended,
 * since it is already delegated and certificates validate on the first
 * deploy), or a new one. A new zone answers only once the parent domain
 * delegates to its name servers (output `nameServers`); until then ACM's DNS
 * validation of the regional certificates waits.
 */
export class PublicHostedZone extends pulumi.ComponentResource {
  public readonly zoneId: pulumi.Output<string>;
  /** Name servers to delegate to; empty for an existing zone (already delegated). */
  public readonly nameServers: pulumi.Output<string[]>;

  constructor(name: string, args: PublicHostedZoneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:dns:PublicHostedZone", name, {}, opts);
    if (args.existingZoneId !== undefined) {
      this.zoneId = pulumi.output(args.existingZoneId);
      this.nameServers = pulumi.output([]);
    } else {
      const zone = new aws.route53.Zone(
        name,
        {
          name: args.domainName,
          comment: "tap-dr API domain (failover records and certificate validation)",
          forceDestroy: args.forceDestroy,
        },
        { parent: this, retainOnDelete: args.retainOnDelete, protect: args.protect },
      );
      this.zoneId = zone.zoneId;
      this.nameServers = zone.nameServers;
    }
    this.registerOutputs({ zoneId: this.zoneId, nameServers: this.nameServers });
  }
}

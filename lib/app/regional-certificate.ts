import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface RegionalCertificateArgs {
  /** The certificate's name, for example api.payments.example.com. */
  readonly domainName: string;
  /** More names on the same certificate, for example the region's own api-use1.payments.example.com. */
  readonly subjectAlternativeNames: readonly string[];
  /** Public zone of the domain, where the validation records go. */
  readonly zoneId: pulumi.Input<string>;
  /** Seconds resolvers may cache a validation record. @default 300 */
  readonly validationRecordTtl?: number;
}

/**
 * A DNS-validated ACM certificate in this component's region. ACM certificates are
 * regional, and a load balancer can only use one from its own region, so each
 * region requests its own ("Supported Regions", ACM User Guide). The listener should
 * use `certificateArn`, which resolves only once ACM has issued the certificate.
 */
export class RegionalCertificate extends pulumi.ComponentResource {
  /** Resolves after validation: a listener given it waits for an issued certificate. */
  public readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: RegionalCertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tap:app:RegionalCertificate", name, {}, opts);
    const certificate = new aws.acm.Certificate(
      name,
      {
        domainName: args.domainName,
        subjectAlternativeNames: [...args.subjectAlternativeNames],
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
      },
      { parent: this },
    );

    const names = [args.domainName, ...args.subjectAlternativeNames];
    const option = (domain: string) =>
      certificate.domainValidationOptions.apply((options) => {
        const found = (options ?? []).find((candidate) => candidate.domainName === domain);
        if (found === undefined) {
          throw new Error(`ACM returned no DNS validation record for ${domain} (${name})`);
        }
        return found;
      });
    const records = names.map((domain, index) => {
      const record = option(domain);
      return new aws.route53.Record(
        `${name}-validation-${index}`,
        {
          zoneId: args.zoneId,
          name: record.resourceRecordName,
          type: record.resourceRecordType,
          records: [record.resourceRecordValue],
          ttl: args.validationRecordTtl ?? 300,
          // The validation CNAME is per domain name and account, not per certificate or region
          // ("the CNAME validation token works for any region", ACM User Guide, DNS validation),
          // so both regions' certificates ask for the same record for the shared api.<domain>.
          // Both regions upsert identical data instead of one region depending on the other.
          allowOverwrite: true,
        },
        // Replacing a record that shares its name with another must not end with the delete
        // of the old copy wiping the name the new copy just wrote.
        { parent: this, deleteBeforeReplace: true },
      );
    });

    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      {
        certificateArn: certificate.arn,
        validationRecordFqdns: records.map((record) => record.fqdn),
      },
      { parent: this },
    );
    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}

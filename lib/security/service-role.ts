import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { serviceTrustPolicy } from "./iam-documents";

export interface ServiceRoleArgs {
  /** Physical role name (see physicalName "iamRole"). */
  readonly roleName: string;
  /** What the role is for, shown in IAM. */
  readonly description: string;
  /** The service principal that assumes the role, for example "backup.amazonaws.com". */
  readonly service: string;
  /** AWS managed policies under "service-role/" to attach. */
  readonly managedServicePolicies: readonly string[];
  /** The deploying account, from a lookup through this region's provider. */
  readonly accountId: pulumi.Input<string>;
  /** The partition ("aws"), from a lookup through this region's provider. */
  readonly partition: pulumi.Input<string>;
}

export interface ServiceRole {
  readonly role: aws.iam.Role;
  /** Resources that use the role depend on these: services check the role's permissions on use. */
  readonly attachments: aws.iam.RolePolicyAttachment[];
}

/** A role one AWS service assumes for this account only, with AWS managed service policies. */
export function createServiceRole(
  name: string,
  args: ServiceRoleArgs,
  opts: pulumi.CustomResourceOptions,
): ServiceRole {
  const role = new aws.iam.Role(
    name,
    {
      name: args.roleName,
      description: args.description,
      assumeRolePolicy: pulumi
        .output(args.accountId)
        .apply((accountId) => JSON.stringify(serviceTrustPolicy(args.service, accountId))),
    },
    opts,
  );
  const attachments = args.managedServicePolicies.map(
    (policy) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-${policy}`,
        {
          role: role.name,
          policyArn: pulumi.interpolate`arn:${args.partition}:iam::aws:policy/service-role/${policy}`,
        },
        opts,
      ),
  );
  return { role, attachments };
}

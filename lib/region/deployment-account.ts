import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The deploying account: the pinned id when the config has one, so a stack whose other region
 * is down needs no sts:GetCallerIdentity; otherwise a lookup through the given provider.
 */
export function deploymentAccountId(
  pinnedAccountId: string | undefined,
  lookupOptions: pulumi.InvokeOutputOptions,
): pulumi.Output<string> {
  return pinnedAccountId !== undefined
    ? pulumi.output(pinnedAccountId)
    : aws.getCallerIdentityOutput({}, lookupOptions).accountId;
}

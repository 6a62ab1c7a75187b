import * as pulumi from "@pulumi/pulumi";
import { loadConfig } from "./lib/config";
import { TapStack } from "./lib/tap-stack";

// Validation throws before any resource is registered.
const config = loadConfig();
const stack = new TapStack("tap", config);

const all = (ids: pulumi.Output<string>[]): pulumi.Output<string[]> => pulumi.all(ids);

// Stack outputs: flat camelCase names, read by operators and by tests/integration
// through `pulumi stack output --json > cfn-outputs/flat-outputs.json`.
export const environmentSuffix = config.environmentSuffix;
export const stackMode = config.mode;
export const primaryRegion = config.primaryRegion;
export const drRegion = config.drRegion;

export const primaryVpcId = stack.primary.vpcId;
export const primaryVpcCidr = stack.primary.vpcCidr;
export const primaryPublicSubnetIds = all(stack.primary.publicSubnetIds);
export const primaryPrivateSubnetIds = all(stack.primary.privateSubnetIds);
export const primaryIsolatedSubnetIds = all(stack.primary.isolatedSubnetIds);
export const primaryKmsKeyArn = stack.primary.kmsKeyArn;
export const primaryKmsKeyAlias = stack.primary.kmsKeyAlias;
export const primaryFlowLogGroupName = stack.primary.flowLogGroupName;

export const drVpcId = stack.dr.vpcId;
export const drVpcCidr = stack.dr.vpcCidr;
export const drPublicSubnetIds = all(stack.dr.publicSubnetIds);
export const drPrivateSubnetIds = all(stack.dr.privateSubnetIds);
export const drIsolatedSubnetIds = all(stack.dr.isolatedSubnetIds);
export const drKmsKeyArn = stack.dr.kmsKeyArn;
export const drKmsKeyAlias = stack.dr.kmsKeyAlias;
export const drFlowLogGroupName = stack.dr.flowLogGroupName;

export const vpcPeeringConnectionId = stack.global.vpcPeeringConnectionId;

import {
  kmsAliasName,
  lambdaLogGroupName,
  lambdaLogGroupPrefix,
  stateMachineLogGroupName,
  stateMachineLogGroupPrefix,
  logGroupName,
  physicalName,
} from "../../lib/naming";
import { AWS_COMMERCIAL_REGIONS, regionCode } from "../../lib/util/aws-regions";

describe("regionCode", () => {
  it.each([
    ["us-east-1", "use1"],
    ["us-east-2", "use2"],
    ["eu-central-1", "euc1"],
    ["ap-southeast-2", "apse2"],
    ["ap-northeast-3", "apne3"],
  ])("%s -> %s", (region, code) => {
    expect(regionCode(region)).toBe(code);
  });

  it("gives every AWS commercial region a distinct code of at most 5 characters", () => {
    // IAM names carry the code: two regions with one code would collide globally.
    const codes = AWS_COMMERCIAL_REGIONS.map(regionCode);
    expect(new Set(codes).size).toBe(AWS_COMMERCIAL_REGIONS.length);
    expect(Math.max(...codes.map((code) => code.length))).toBe(5);
  });

  it("rejects a name that is not a region", () => {
    expect(() => regionCode("useast1")).toThrow(
      'region "useast1" is not an AWS region name of the form <geo>-<direction>-<number> (for example us-east-1)',
    );
  });
});

describe("physical names", () => {
  const scope = { environmentSuffix: "dev", region: "us-east-2" };

  it("puts project, suffix, purpose and region code in that order", () => {
    expect(physicalName("iamRole", "flowlogs", scope)).toBe("tap-dev-flowlogs-use2");
    expect(kmsAliasName("data", scope)).toBe("alias/tap-dev-data-use2");
    expect(logGroupName("vpc-flow-logs", scope)).toBe("/tap/dev/vpc-flow-logs");
  });

  it("puts a function's logs where Lambda writes them, under the prefix the key policy allows", () => {
    const functionName = physicalName("lambdaFunction", "api", scope);
    expect(lambdaLogGroupName(functionName)).toBe("/aws/lambda/tap-dev-api-use2");
    expect(lambdaLogGroupName(functionName).startsWith(lambdaLogGroupPrefix(scope))).toBe(true);
  });

  it("puts a state machine's logs under /aws/vendedlogs/states/, under the prefix the key policy allows", () => {
    const machine = physicalName("stateMachine", "failover", scope);
    expect(stateMachineLogGroupName(machine)).toBe("/aws/vendedlogs/states/tap-dev-failover-use2");
    expect(stateMachineLogGroupName(machine).startsWith(stateMachineLogGroupPrefix(scope))).toBe(
      true,
    );
  });

  it("keeps load balancer and target group names within ELB's 32 characters", () => {
    expect(() =>
      physicalName("loadBalancer", "api", {
        environmentSuffix: "a".repeat(16),
        region: "ap-southeast-2",
      }),
    ).not.toThrow();
    expect(() => physicalName("targetGroup", "x".repeat(30), scope)).toThrow(
      `targetGroup name "tap-dev-${"x".repeat(30)}-use2" is 43 characters; AWS allows at most 32`,
    );
  });

  it("throws with the name, its length and the limit when a name is over its AWS limit", () => {
    const longPurpose = "x".repeat(60);
    expect(() => physicalName("iamRole", longPurpose, scope)).toThrow(
      `iamRole name "tap-dev-${longPurpose}-use2" is 73 characters; AWS allows at most 64`,
    );
  });
});

import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { requestedByOf, stsCallerIdentity } from "../../../lambda/dr-cli/caller-identity";

const sts = mockClient(STSClient);
afterEach(() => sts.reset());

describe("the CLI's caller identity", () => {
  it("asks the target region's STS, never the global endpoint, and attributes the action to the caller", async () => {
    const regions: string[] = [];
    sts.on(GetCallerIdentityCommand).callsFake(async (_input, getClient) => {
      regions.push(await getClient().config.region());
      return { Arn: "arn:aws:sts::123456789012:assumed-role/dr-operator/alice" };
    });
    const arn = await stsCallerIdentity("us-east-2");
    expect(regions).toEqual(["us-east-2"]);
    expect(requestedByOf(arn)).toBe("cli:arn:aws:sts::123456789012:assumed-role/dr-operator/alice");
  });

  it('falls back to "cli" when STS does not answer, so a failover is never blocked by it', async () => {
    sts.on(GetCallerIdentityCommand).rejects(new Error("connect ETIMEDOUT"));
    expect(requestedByOf(await stsCallerIdentity("us-east-2"))).toBe("cli");
  });
});

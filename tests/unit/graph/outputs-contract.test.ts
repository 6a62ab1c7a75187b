import { DNS_OUTPUT_KEYS, STACK_OUTPUT_KEYS } from "../../integration/stack-outputs";
import { runProgram } from "../../support/mock-graph";

const missingIn = (outputs: Record<string, unknown>, keys: readonly string[]): string[] =>
  keys.filter((key) => {
    const value = outputs[key];
    return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
  });

describe("stack outputs contract", () => {
  it("exports, non-empty, every output the integration tests read, in a test stack without a domain", async () => {
    const { outputs } = await runProgram({ environmentSuffix: "dev", mode: "test" });
    expect(missingIn(outputs, STACK_OUTPUT_KEYS)).toEqual([]);
    // No domain: no zone, records or health checks, and the live DNS cases skip.
    expect(DNS_OUTPUT_KEYS.filter((key) => outputs[key] !== undefined)).toEqual([]);
    expect(outputs.primaryApiUrl).toMatch(/^http:\/\/.+\.us-east-1\.elb\.amazonaws\.com$/);
  });

  it("exports the DNS outputs too, and one subnet id per AZ, in a production stack", async () => {
    const { outputs } = await runProgram({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      azCount: "2",
    });
    expect(missingIn(outputs, [...STACK_OUTPUT_KEYS, ...DNS_OUTPUT_KEYS])).toEqual([]);
    expect([outputs.apiFailoverUrl, outputs.primaryApiUrl, outputs.drApiUrl]).toEqual([
      "https://api.payments.example.com",
      "https://api-use1.payments.example.com",
      "https://api-use2.payments.example.com",
    ]);
    for (const key of STACK_OUTPUT_KEYS.filter((k) => k.endsWith("SubnetIds"))) {
      expect([key, (outputs[key] as string[]).length]).toEqual([key, 2]);
    }
  });
});

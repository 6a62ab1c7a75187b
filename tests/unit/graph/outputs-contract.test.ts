import { STACK_OUTPUT_KEYS } from "../../integration/stack-outputs";
import { runProgram } from "../../support/mock-graph";

describe("stack outputs contract", () => {
  it("exports, non-empty, every output the integration tests read", async () => {
    const { outputs } = await runProgram({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      mode: "test",
    });
    const missing = STACK_OUTPUT_KEYS.filter((key) => {
      const value = outputs[key];
      return value === undefined || value === "" || (Array.isArray(value) && value.length === 0);
    });
    expect(missing).toEqual([]);
  });

  it("exports list outputs as lists of one id per AZ", async () => {
    const { outputs } = await runProgram({
      environmentSuffix: "dev",
      domainName: "payments.example.com",
      azCount: "2",
    });
    for (const key of STACK_OUTPUT_KEYS.filter((k) => k.endsWith("SubnetIds"))) {
      expect([key, (outputs[key] as string[]).length]).toEqual([key, 2]);
    }
  });
});

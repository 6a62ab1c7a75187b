import { HANDLER_ENTRIES, buildBundle, bundleHandler } from "../../lib/app/lambda-bundle";

describe("handler bundles", () => {
  it.each([["api"], ["worker"]] as const)(
    "bundles the %s entry deterministically: the same text (and asset hash) twice",
    (kind) => {
      const first = buildBundle(HANDLER_ENTRIES[kind]);
      const second = buildBundle(HANDLER_ENTRIES[kind]);
      expect(second.code).toBe(first.code);
      expect(first.bytes).toBe(Buffer.byteLength(first.code));
      // The Lambda runtime provides the SDK v3; the program is never bundled in.
      expect(first.code.includes('require("@aws-sdk/client-')).toBe(true);
      expect(first.code.includes("@pulumi")).toBe(false);
    },
  );

  it("bundles the SDK into the EC2 server, which has none installed", () => {
    const server = buildBundle(HANDLER_ENTRIES.ec2Server, { awsSdk: "bundled" });
    // Only the SDK's own optional CRT signer stays a runtime require (it is never installed).
    const sdkRequires = [...new Set(server.code.match(/require\("@aws-sdk\/[^"]+"\)/g) ?? [])];
    expect(sdkRequires).toEqual(['require("@aws-sdk/signature-v4-crt")']);
    expect(server.code.includes("@pulumi")).toBe(false);
  });

  it("builds each entry once per process", () => {
    expect(bundleHandler(HANDLER_ENTRIES.api)).toBe(bundleHandler(HANDLER_ENTRIES.api));
  });

  it("names the entry when it cannot be bundled", () => {
    expect(() => buildBundle("lambda/does-not-exist/index.ts")).toThrow(/does-not-exist/);
  });
});

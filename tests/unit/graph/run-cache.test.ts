import * as asset from "@pulumi/pulumi/asset";
import { unsecret } from "../../support/graph";
import { runProgram } from "../../support/mock-graph";
import { deserialize, serialize, stableJson } from "../../support/run-cache";

// The config most graph suites run, so the cached side of the comparison is usually free.
const CONFIG = { environmentSuffix: "dev", domainName: "payments.example.com", mode: "test" };

/** The value with each Pulumi asset and archive, whose contents are promises, replaced by its class and content. */
async function settled(value: unknown): Promise<unknown> {
  if (Array.isArray(value)) {
    return Promise.all(value.map(settled));
  }
  if (typeof value !== "object" || value === null) {
    return value;
  }
  const record = value as Record<string, unknown>;
  if (asset.Asset.isInstance(value) || asset.Archive.isInstance(value)) {
    const field = ["assets", "path", "text", "uri"].find((name) => name in record)!;
    return { [value.constructor.name]: await settled(await record[field]) };
  }
  const entries = await Promise.all(
    Object.entries(record).map(async ([key, item]) => [key, await settled(item)] as const),
  );
  return Object.fromEntries(entries);
}

describe("the run cache", () => {
  it("gives a run of the real program equal to a fresh one, secrets and archives included", async () => {
    // GIVEN the run every suite shares WHEN the program runs again in this worker THEN they are equal
    const cached = await runProgram(CONFIG);
    const fresh = await runProgram(CONFIG, { fresh: true });
    expect(await settled(cached)).toStrictEqual(await settled(fresh));
    // The comparison covers secrets and archives only while the graph holds them.
    const inputs = fresh.resources.flatMap((resource) => Object.values(resource.inputs));
    expect(inputs.filter((value) => unsecret(value) !== value).length).toBeGreaterThan(0);
    expect(inputs.filter((value) => asset.Archive.isInstance(value)).length).toBeGreaterThan(0);
  });

  it("restores what JSON alone would change: undefined entries and Pulumi archives", async () => {
    const value = {
      absent: undefined,
      list: [1, undefined, null, { nested: true }],
      code: new asset.AssetArchive({ "index.js": new asset.StringAsset("exports.handler = 1;") }),
      file: new asset.FileArchive("./bundle"),
    };
    const { code, file, ...plain } = deserialize(await serialize(value)) as typeof value;
    expect(plain).toStrictEqual({
      absent: undefined,
      list: [1, undefined, null, { nested: true }],
    });
    // An archive's contents are promises, which equality does not compare.
    expect(code).toBeInstanceOf(asset.AssetArchive);
    const assets = await code.assets;
    expect(assets["index.js"]).toBeInstanceOf(asset.StringAsset);
    expect(await (assets["index.js"] as asset.StringAsset).text).toBe("exports.handler = 1;");
    expect(file).toBeInstanceOf(asset.FileArchive);
    expect(await file.path).toBe("./bundle");
  });

  it("fails, naming where, on a value it cannot restore", async () => {
    await expect(serialize({ inputs: { when: new Date(0) } })).rejects.toThrow(
      "cannot cache the program run: $.inputs.when is a Date object",
    );
  });

  it("keys a config by its content, not its key order", () => {
    expect(stableJson({ mode: "test", tags: { b: "2", a: "1" } })).toBe(
      stableJson({ tags: { a: "1", b: "2" }, mode: "test" }),
    );
  });
});

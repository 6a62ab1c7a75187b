/**
 * The environment contract between the Pulumi program and the Lambda entries: these exact names,
 * and a cold start that fails naming the variable when one is missing or malformed.
 */
import { buildAwsAdapters } from "../../lambda/shared/aws-wiring";
import { optionalPositiveInt, requireEnv, requirePortEnv } from "../../lambda/shared/env";

const CONTRACT: NodeJS.ProcessEnv = {
  AWS_REGION: "us-west-2",
  DB_HOST: "tap-dr-dr.cluster-abc.us-west-2.rds.amazonaws.com",
  DB_PORT: "5432",
  DB_NAME: "tapdr",
  DB_SECRET_ID: "tap-dr/master",
  TABLE_NAME: "tap-dr-transactions",
  QUEUE_URL: "https://sqs.us-west-2.amazonaws.com/123456789012/tap-dr-transactions",
};

describe("buildAwsAdapters", () => {
  it("GIVEN every variable of the contract WHEN the entry starts THEN the adapters are built for that region", () => {
    const adapters = buildAwsAdapters(CONTRACT);

    expect(adapters.region).toBe("us-west-2");
  });

  it.each([
    "AWS_REGION",
    "DB_HOST",
    "DB_PORT",
    "DB_NAME",
    "DB_SECRET_ID",
    "TABLE_NAME",
    "QUEUE_URL",
  ])("GIVEN %s is missing WHEN the entry starts THEN it fails naming the variable", (name) => {
    const env = { ...CONTRACT, [name]: undefined };

    expect(() => buildAwsAdapters(env)).toThrow(
      `Environment variable ${name} is required but is not set`,
    );
  });

  it("GIVEN DB_CA_FILE names a missing file WHEN the entry starts THEN it fails at once rather than at the first query", () => {
    expect(() => buildAwsAdapters({ ...CONTRACT, DB_CA_FILE: "/nonexistent/ca.pem" })).toThrow(
      /ENOENT/,
    );
  });
});

describe("env helpers", () => {
  it.each([
    ["unset", undefined],
    ["empty", ""],
    ["blank", "  "],
  ])("GIVEN a required variable that is %s WHEN read THEN it throws naming it", (_, value) => {
    expect(() => requireEnv("TABLE_NAME", { TABLE_NAME: value })).toThrow(
      "Environment variable TABLE_NAME is required but is not set",
    );
  });

  it.each(["0", "65536", "54.3", "postgres"])(
    "GIVEN DB_PORT=%s WHEN read THEN it throws naming the variable and the value",
    (value) => {
      expect(() => requirePortEnv("DB_PORT", { DB_PORT: value })).toThrow(
        `Environment variable DB_PORT must be a TCP port (1-65535), got "${value}"`,
      );
    },
  );

  it.each([
    [undefined, undefined],
    ["8", 8],
  ])("GIVEN DB_POOL_MAX=%s WHEN read THEN %s", (value, expected) => {
    expect(optionalPositiveInt("DB_POOL_MAX", { DB_POOL_MAX: value })).toBe(expected);
  });

  it("GIVEN DB_POOL_MAX=0 WHEN read THEN it throws naming the variable", () => {
    expect(() => optionalPositiveInt("DB_POOL_MAX", { DB_POOL_MAX: "0" })).toThrow(
      'Environment variable DB_POOL_MAX must be a positive integer, got "0"',
    );
  });
});

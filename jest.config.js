/**
 * Two projects: `unit` (type-free, offline: pure logic and the program under
 * pulumi mocks) and `integration` (a deployed stack, read from
 * cfn-outputs/flat-outputs.json; skips without it). `npm test` runs both.
 * Type checking is `tsc --noEmit` in `npm test`, so ts-jest only transpiles.
 */
const shared = {
  testEnvironment: "node",
  testEnvironmentOptions: { globalsCleanup: "off" },
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.jest.json" }] },
  setupFiles: ["<rootDir>/tests/support/setup-env.ts"],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    {
      ...shared,
      displayName: "unit",
      testMatch: ["<rootDir>/tests/unit/**/*.test.ts"],
    },
    {
      ...shared,
      displayName: "integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
    },
  ],
  testTimeout: 120000,
};

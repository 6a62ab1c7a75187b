/**
 * Projects: `unit` (type-free, offline: pure logic and the program under
 * pulumi mocks), `integration` (a deployed stack, read from
 * cfn-outputs/flat-outputs.json; skips without it), `simulated` (the integration
 * suites against a simulated stack, correct and broken) and `lambda`. `npm test` runs all.
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
      // One directory per jest run where runProgram shares each config's run between workers.
      globalSetup: "<rootDir>/tests/support/run-cache-setup.ts",
      globalTeardown: "<rootDir>/tests/support/run-cache-teardown.ts",
    },
    {
      ...shared,
      displayName: "integration",
      testMatch: ["<rootDir>/tests/integration/**/*.test.ts"],
    },
    {
      // The live suites above, run against a simulated stack (the program's mock graph answering
      // the SDK per region) and against broken variants of it; see tests/simulated/.
      ...shared,
      displayName: "simulated",
      testMatch: ["<rootDir>/tests/simulated/**/*.test.ts"],
      setupFiles: [...shared.setupFiles, "<rootDir>/tests/simulated/setup-env.ts"],
    },
    {
      // The Lambda handlers against real local services: one embedded PostgreSQL (TLS on) and
      // one dynalite for the run, started by the global setup; a database and table per file.
      ...shared,
      displayName: "lambda",
      testMatch: ["<rootDir>/tests/lambda/**/*.test.ts"],
      globalSetup: "<rootDir>/tests/lambda/setup/global-setup.mjs",
      globalTeardown: "<rootDir>/tests/lambda/setup/global-teardown.mjs",
    },
  ],
  testTimeout: 120000,
  // jest's default, cores - 1, runs a 2-core machine in band; the parent process mostly waits.
  maxWorkers: "100%",
};

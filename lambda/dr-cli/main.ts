/**
 * `npm run dr -- status | switchover | failover | failback [--dry-run] [--yes] [--outputs <file>]
 * [--stack <name>]`: wires the real ports (SDK clients with short timeouts, the terminal, the
 * clock) into runCli. Credentials come from the default AWS provider chain.
 */
import { createInterface } from "node:readline/promises";
import { setTimeout as sleep } from "node:timers/promises";

import { createAwsClients } from "./aws-clients";
import { stsCallerIdentity } from "./caller-identity";
import { loadOutputs } from "./outputs";
import { runCli } from "./run";

// The SDK warns about Node 20 at load time; on an operator's terminal that is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

void runCli(process.argv.slice(2), {
  io: {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
  clients: createAwsClients(),
  callerIdentity: stsCallerIdentity,
  loadOutputs,
  prompt: { interactive: process.stdin.isTTY === true && process.stdout.isTTY === true, ask },
  now: () => Date.now(),
  sleep: (ms) => sleep(ms),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);

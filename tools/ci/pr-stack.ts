/**
 * `npx tsx tools/ci/pr-stack.ts <pr number>`: prints the ephemeral stack's names as
 * `key=value` lines for $GITHUB_OUTPUT (stack, environment-suffix). Exit 2 with the reason on
 * stderr for a number that gives no valid suffix.
 */
import { parsePrNumber, prStack } from "./pr-stack-suffix";

/** The lines the workflow appends to $GITHUB_OUTPUT. */
export function outputLines(argv: readonly string[]): string {
  if (argv.length !== 1 || argv[0] === undefined) {
    throw new Error("usage: tsx tools/ci/pr-stack.ts <pr number>");
  }
  const { stack, environmentSuffix } = prStack(parsePrNumber(argv[0]));
  return `stack=${stack}\nenvironment-suffix=${environmentSuffix}\n`;
}

if (require.main === module) {
  try {
    process.stdout.write(outputLines(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}

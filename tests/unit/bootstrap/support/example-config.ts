/** bootstrap/Pulumi.example.yaml's config, without the project namespace, as the tests' base. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { BOOTSTRAP_PROJECT } from "./run-bootstrap";

export const BOOTSTRAP_DIR = path.resolve(__dirname, "../../../../bootstrap");

export function exampleConfig(): Record<string, unknown> {
  const file = parse(readFileSync(path.join(BOOTSTRAP_DIR, "Pulumi.example.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const prefix = `${BOOTSTRAP_PROJECT}:`;
  return Object.fromEntries(
    Object.entries(file.config)
      .filter(([key]) => key.startsWith(prefix))
      .map(([key, value]) => [key.slice(prefix.length), value]),
  );
}

/** Test-only: the shape of a mutation of the simulated stack, and the edits mutations make. */
import type { CapturedResource } from "../../support/mock-graph";
import type { SimulatedStack } from "./simulated-aws";

export interface Mutation {
  readonly name: string;
  /** The live suite, tests/integration/<suite>.test.ts. */
  readonly suite: string;
  /** The title of the test that must fail, as jest prints it. */
  readonly test: string;
  readonly apply: (stack: SimulatedStack) => void;
  /** Run on jest's fake clock: the test can only fail at its polling deadline. */
  readonly fakeTime?: boolean;
  /** What the failure must say, where a wrong reason could also fail the test. */
  readonly because?: RegExp;
}

export function find(stack: SimulatedStack, type: string, name: string): CapturedResource {
  const found = stack.run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`mutation target ${type} ${name} is not in the graph`);
  return found;
}

export function set(
  stack: SimulatedStack,
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): void {
  Object.assign(find(stack, type, name).inputs, inputs);
}

export function remove(stack: SimulatedStack, type: string, name: string): void {
  const target = find(stack, type, name);
  stack.run.resources.splice(stack.run.resources.indexOf(target), 1);
}

export const output = (stack: SimulatedStack, key: string): string =>
  String(stack.run.outputs[key]);

/** Every Route 53 checker reports Failure for that region's health check. */
export const failingHealthCheck =
  (side: "primary" | "dr") =>
  (s: SimulatedStack): void => {
    s.service.failingHealthChecks = [output(s, `${side}HealthCheckId`)];
  };

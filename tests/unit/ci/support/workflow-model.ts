/**
 * The repository's GitHub workflows as plain data for the checks in workflows.test.ts: every
 * workflow file read with the `yaml` package, its jobs and steps narrowed to the few fields
 * the checks read. Syntax and schema are the parser's job (validate-workflows.ts); this is
 * only a typed view of the same files.
 */
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

export const REPO_ROOT = path.resolve(__dirname, "../../../..");
export const WORKFLOW_DIR = path.join(REPO_ROOT, ".github", "workflows");

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly if?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

export interface Job {
  readonly id: string;
  readonly if?: string;
  readonly needs: readonly string[];
  readonly permissions?: unknown;
  readonly environment?: unknown;
  readonly concurrency?: unknown;
  /** A reusable-workflow call (`jobs.<id>.uses`). */
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly steps: readonly Step[];
}

export interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly on: unknown;
  readonly permissions?: unknown;
  readonly jobs: readonly Job[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const optionalString = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "boolean" ? String(value) : undefined;

function toStep(raw: unknown): Step {
  if (!isRecord(raw)) throw new Error(`a step is not a mapping: ${JSON.stringify(raw)}`);
  return {
    name: optionalString(raw.name),
    id: optionalString(raw.id),
    uses: optionalString(raw.uses),
    run: optionalString(raw.run),
    if: optionalString(raw.if),
    with: isRecord(raw.with) ? raw.with : undefined,
    env: isRecord(raw.env) ? raw.env : undefined,
  };
}

function toJob(id: string, raw: unknown): Job {
  if (!isRecord(raw)) throw new Error(`job ${id} is not a mapping`);
  const needs = raw.needs;
  return {
    id,
    if: optionalString(raw.if),
    needs: typeof needs === "string" ? [needs] : Array.isArray(needs) ? needs.map(String) : [],
    permissions: raw.permissions,
    environment: raw.environment,
    concurrency: raw.concurrency,
    uses: optionalString(raw.uses),
    with: isRecord(raw.with) ? raw.with : undefined,
    steps: Array.isArray(raw.steps) ? raw.steps.map(toStep) : [],
  };
}

/** File names (not paths) of every workflow, sorted. */
export function workflowFiles(): string[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((file) => /\.ya?ml$/.test(file))
    .sort();
}

export function loadWorkflow(file: string): Workflow {
  const text = readFileSync(path.join(WORKFLOW_DIR, file), "utf8");
  const doc: unknown = parse(text);
  if (!isRecord(doc) || !isRecord(doc.jobs)) throw new Error(`${file}: no jobs mapping`);
  return {
    file,
    text,
    on: doc.on,
    permissions: doc.permissions,
    jobs: Object.entries(doc.jobs).map(([id, job]) => toJob(id, job)),
  };
}

/** A job's environment name (`environment: x` or `environment: { name: x }`). */
export function environmentName(job: Job): string | undefined {
  const env = job.environment;
  if (typeof env === "string") return env;
  return isRecord(env) ? optionalString(env.name) : undefined;
}

/** A job's concurrency as `{ group, cancelInProgress }`; cancel-in-progress defaults to false. */
export function concurrencyOf(
  job: Job,
): { group: string; cancelInProgress: boolean | string } | undefined {
  const c = job.concurrency;
  if (typeof c === "string") return { group: c, cancelInProgress: false };
  if (!isRecord(c) || typeof c.group !== "string") return undefined;
  const cancel = c["cancel-in-progress"];
  return {
    group: c.group,
    cancelInProgress: typeof cancel === "boolean" || typeof cancel === "string" ? cancel : false,
  };
}

/** The permissions a job grants as a map, `{}` for none; a shorthand string as-is. */
export function permissionsOf(job: Job): Record<string, string> | string | undefined {
  const p = job.permissions;
  if (typeof p === "string") return p;
  if (!isRecord(p)) return undefined;
  return Object.fromEntries(Object.entries(p).map(([scope, level]) => [scope, String(level)]));
}

/** Every `npm run <script>` (and `npm test`) in a shell script, by script name. */
export function npmScriptsCalled(run: string): string[] {
  const names = [...run.matchAll(/\bnpm\s+run(?:-script)?\s+([A-Za-z0-9:._-]+)/g)].map(
    (match) => match[1],
  );
  if (/\bnpm\s+(?:test|t)\b/.test(run)) names.push("test");
  return names;
}

/**
 * Every `uses:` line of a workflow's text with its trailing comment: the YAML model drops
 * comments, and the pin's tag lives in one.
 */
export function usesLines(text: string): { value: string; comment: string; line: number }[] {
  const found: { value: string; comment: string; line: number }[] = [];
  text.split("\n").forEach((line, index) => {
    const match = /^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$/.exec(line);
    if (match) found.push({ value: match[1], comment: match[2] ?? "", line: index + 1 });
  });
  return found;
}

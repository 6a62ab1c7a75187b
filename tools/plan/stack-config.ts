/**
 * A stack's config as the Pulumi CLI hands it to the program: the stack file's values, the
 * project's `config:` defaults for keys the stack does not set, and the CLI's own checks of
 * both against the declared types. Mirrors sdk/go/common/workspace (mergeConfig,
 * validateStackConfigValue, ValidateConfigValue, createConfigValue) of pulumi/pulumi, including
 * its error texts, so `npm run plan` refuses what `pulumi preview` refuses and passes the
 * program exactly the text `pulumi up` would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

/** One `config:` declaration of Pulumi.yaml. */
export interface ConfigDeclaration {
  readonly type?: string;
  readonly items?: { readonly type: string; readonly items?: unknown };
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret?: boolean;
}

export interface ProjectFile {
  readonly name: string;
  readonly config: Readonly<Record<string, ConfigDeclaration>>;
}

/** The config a stack's program receives. */
export interface StackConfig {
  readonly project: string;
  readonly stack: string;
  /** The stack file read, relative to the project ("" when there was none: defaults and overrides only). */
  readonly stackFile: string;
  /** Namespaced keys (`tap-dr:azCount`, `aws:profile`) and their values as text, lists and maps as JSON. */
  readonly values: Readonly<Record<string, string>>;
  /** Project keys whose value came from a Pulumi.yaml default. */
  readonly defaulted: readonly string[];
}

/** What the Pulumi CLI itself refuses before the program runs (message as the CLI words it). */
export class PulumiConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PulumiConfigError";
  }
}

/** Reads Pulumi.yaml, with Pulumi's shorthand (`key: value`) rewritten into declarations. */
export function readProjectFile(projectDir: string): ProjectFile {
  const raw = parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, unknown>;
  };
  const config: Record<string, ConfigDeclaration> = {};
  for (const [key, declaration] of Object.entries(raw.config ?? {})) {
    const shorthand =
      declaration === null || typeof declaration !== "object" || Array.isArray(declaration);
    config[key] = shorthand
      ? isProjectKey(raw.name, key)
        ? { default: declaration }
        : { value: declaration }
      : declaration;
  }
  return { name: raw.name, config };
}

const isProjectKey = (project: string, key: string): boolean =>
  !key.includes(":") || key.startsWith(`${project}:`);

const namespaced = (project: string, key: string): string =>
  key.includes(":") ? key : `${project}:${key}`;

/** A stack file's `config:` map (empty when the file has none). */
export function readStackFile(file: string): Record<string, unknown> {
  const raw = parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null;
  return raw?.config ?? {};
}

/** A config value as the engine passes it: scalars as their text, lists and maps as JSON. */
function configText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

function hasSecureValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasSecureValue);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return "secure" in record || Object.values(record).some(hasSecureValue);
  }
  return false;
}

/** pulumi/pulumi ValidateConfigValue: the CLI's check of a value against a declared type. */
function matchesType(type: string, items: ConfigDeclaration["items"], value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^[+-]?\d+$/.test(value))
      );
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return value !== null && typeof value === "object" && !Array.isArray(value);
    default:
      return (
        Array.isArray(value) &&
        items !== undefined &&
        value.every((item) =>
          matchesType(items.type, items.items as ConfigDeclaration["items"], item),
        )
      );
  }
}

const fullTypeName = (type: string, items: ConfigDeclaration["items"]): string =>
  items === undefined
    ? type
    : `array<${fullTypeName(items.type, items.items as ConfigDeclaration["items"])}>`;

/**
 * Pure: the stack's values merged with the project's declarations the way the Pulumi CLI does
 * (mergeConfig, then validateStackConfigValues). Stack values win; a project key the stack
 * does not set takes its `default` (or `value`); a project key with neither is missing. Every
 * scalar in a stack file reaches the program as text, so the type check sees text for
 * scalars (an integer key accepts "3", not "three") and structures for lists.
 */
export function mergeStackConfig(
  project: ProjectFile,
  stack: string,
  stackValues: Readonly<Record<string, unknown>>,
): { values: Record<string, string>; defaulted: string[] } {
  const values: Record<string, string> = {};
  const structured = new Map<string, unknown>();
  for (const [key, value] of Object.entries(stackValues)) {
    const full = namespaced(project.name, key);
    if (hasSecureValue(value)) {
      throw new PulumiConfigError(
        `Stack '${stack}' has an encrypted value for '${full}', which the offline plan cannot ` +
          `decrypt; give a stand-in with --config ${key.replace(`${project.name}:`, "")}=<value>`,
      );
    }
    values[full] = configText(value);
    structured.set(full, value);
  }

  const missing: string[] = [];
  const defaulted: string[] = [];
  for (const key of Object.keys(project.config).sort()) {
    const declaration = project.config[key];
    const full = namespaced(project.name, key);
    if (full in values) continue;
    const fallback = declaration.default ?? declaration.value;
    if (fallback === undefined) {
      if (isProjectKey(project.name, key)) missing.push(key);
      continue;
    }
    values[full] = configText(fallback);
    defaulted.push(key);
  }
  if (missing.length > 0) {
    throw new PulumiConfigError(missingKeysMessage(stack, missing));
  }

  for (const key of Object.keys(project.config).sort()) {
    const declaration = project.config[key];
    const full = namespaced(project.name, key);
    if (declaration.type === undefined || !structured.has(full)) continue;
    const stackValue = structured.get(full);
    // Scalars reach the check as the text the stack stores; lists and maps as themselves.
    const content =
      stackValue !== null && typeof stackValue === "object" ? stackValue : configText(stackValue);
    if (!matchesType(declaration.type, declaration.items, content)) {
      throw new PulumiConfigError(
        `Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(declaration.type, declaration.items)}'`,
      );
    }
  }
  return { values, defaulted };
}

/** pulumi/pulumi missingStackConfigurationKeysError. */
function missingKeysMessage(stack: string, keys: string[]): string {
  const quoted = [...keys].sort().map((key) => `'${key}'`);
  const list =
    quoted.length === 1
      ? quoted[0]
      : quoted
          .map((key, i) =>
            i === quoted.length - 1
              ? `and ${key}`
              : i === quoted.length - 2
                ? `${key} `
                : `${key}, `,
          )
          .join("");
  return `Stack '${stack}' is missing configuration value${keys.length > 1 ? "s" : ""} ${list}`;
}

export interface StackConfigSource {
  /** Where Pulumi.yaml and the stack files are. */
  readonly projectDir: string;
  /** @default "dev" */
  readonly stack?: string;
  /**
   * A stack file to read instead of Pulumi.<stack>.yaml, such as examples/dev-minimal.yaml.
   * @default Pulumi.<stack>.yaml in projectDir
   */
  readonly stackFile?: string;
  /** `key=value` settings over the stack file's, as `pulumi up --config` gives them. */
  readonly overrides?: Readonly<Record<string, string>>;
}

export const DEFAULT_STACK = "dev";

/**
 * The config `pulumi up` would give the program of this stack. A missing stack file is an
 * error unless overrides stand in for it (a stack that only has `--config` values).
 */
export function loadStackConfig(source: StackConfigSource): StackConfig {
  const project = readProjectFile(source.projectDir);
  const stack =
    source.stack ??
    (source.stackFile === undefined
      ? DEFAULT_STACK
      : path
          .basename(source.stackFile)
          .replace(/^Pulumi\./, "")
          .replace(/\.ya?ml$/, ""));
  const stackFile =
    source.stackFile === undefined
      ? path.join(source.projectDir, `Pulumi.${stack}.yaml`)
      : path.resolve(source.stackFile);
  let fromFile: Record<string, unknown> = {};
  if (fs.existsSync(stackFile)) {
    fromFile = readStackFile(stackFile);
  } else if (source.stackFile !== undefined || source.overrides === undefined) {
    throw new PulumiConfigError(
      `no stack file ${path.relative(process.cwd(), stackFile) || stackFile}; create it ` +
        `(pulumi stack init ${stack}) or copy one from examples/`,
    );
  }
  const { values, defaulted } = mergeStackConfig(project, stack, {
    ...fromFile,
    ...source.overrides,
  });
  return {
    project: project.name,
    stack,
    stackFile: fs.existsSync(stackFile) ? path.relative(source.projectDir, stackFile) : "",
    values,
    defaulted,
  };
}

/** The value of `key=value`, as `pulumi config set` stores it (text). */
export function parseOverride(text: string): [string, string] {
  const at = text.indexOf("=");
  if (at <= 0) {
    throw new PulumiConfigError(`--config "${text}" is not key=value`);
  }
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Reading resource inputs: unknowns, ARNs, JSON policy documents and the region's own KMS key. */
import { PolicyContext, UNKNOWN, isUnknown } from "./model";

export type Maybe<T> = T | undefined | typeof UNKNOWN;

/** Field value as a plain object (or undefined); UNKNOWN passes through. */
export function objectOf(value: unknown): Maybe<Record<string, unknown>> {
  if (isUnknown(value)) return UNKNOWN;
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Field value as an array of objects; [] when absent; UNKNOWN passes through. */
export function objectsOf(value: unknown): Record<string, unknown>[] | typeof UNKNOWN {
  if (isUnknown(value)) return UNKNOWN;
  if (!Array.isArray(value)) return [];
  return value.filter(
    (item): item is Record<string, unknown> =>
      typeof item === "object" && item !== null && !Array.isArray(item),
  );
}

export const asArray = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];

/** A quoted value for messages: `"x"`, `unset`. */
export const shown = (value: unknown): string =>
  value === undefined ? "unset" : typeof value === "string" ? `"${value}"` : JSON.stringify(value);

/** true/false from a boolean or its text ("true"; launch templates use text); undefined otherwise. */
export function flag(value: unknown): boolean | undefined {
  if (value === true || value === "true") return true;
  if (value === false || value === "false") return false;
  return undefined;
}

const SECRET_SIGNATURE = "4dabf18193072939515e22adb298388d";

/** The value with Pulumi secret wrappers (as the mocks capture them) replaced by their plain value. */
export function unsecretDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unsecretDeep);
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    if (SECRET_SIGNATURE in record && "value" in record) return unsecretDeep(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unsecretDeep(v)]));
  }
  return value;
}

export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

export function parseArn(value: unknown): Arn | undefined {
  if (typeof value !== "string") return undefined;
  const match = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(value);
  if (!match) return undefined;
  const [, partition, service, region, account, resource] = match;
  return { partition, service, region, account, resource };
}

/** `arn:<partition>:kms:<region>:<account>:key/<id>`: a key's ARN (not an alias, not a bare id). */
export const isKmsKeyArn = (arn: Arn | undefined): arn is Arn =>
  arn !== undefined && arn.service === "kms" && arn.resource.startsWith("key/");

/**
 * Problems with an encryption key reference: it must be a KMS key ARN in the resource's own
 * region (a key in another region, an alias or an AWS-managed key fails), and, where the graph's
 * keys are known, one of that region's keys. [] when the value is UNKNOWN (a preview cannot tell).
 */
export function regionalKeyProblems(
  value: unknown,
  field: string,
  region: string,
  context: PolicyContext,
): string[] {
  if (isUnknown(value)) return [];
  if (value === undefined || value === null || value === "") {
    return [`${field} is unset; encrypt with the ${regionLabel(region)} customer-managed key`];
  }
  const arn = parseArn(value);
  if (!isKmsKeyArn(arn)) {
    return [
      `${field} is ${shown(value)}, not a customer-managed key ARN; use the ARN of the ${regionLabel(region)} key (an alias or an AWS-managed key cannot be checked or shared)`,
    ];
  }
  if (region !== "" && arn.region !== region) {
    return [
      `${field} is a key in ${arn.region}, but the resource is in ${region}; a region's data must be encrypted with that region's own key, so it stays readable when the other region is lost`,
    ];
  }
  const known =
    context.regionKeys === undefined ? undefined : (context.regionKeys[arn.region] ?? []);
  if (known !== undefined && !known.includes(value as string)) {
    return [
      `${field} ${shown(value)} is not one of this stack's ${arn.region} keys (${known.map((k) => `"${k}"`).join(", ") || "none"})`,
    ];
  }
  return [];
}

const regionLabel = (region: string): string => (region === "" ? "region's" : `${region}`);

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | string[];
  readonly NotAction?: string | string[];
  readonly Resource?: string | string[];
  readonly NotResource?: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/**
 * The statements of a JSON policy document input (text or object). undefined when the input is
 * absent or not a policy document; UNKNOWN when the engine does not know it yet.
 */
export function statementsOf(value: unknown): PolicyStatement[] | undefined | typeof UNKNOWN {
  if (isUnknown(value)) return UNKNOWN;
  let document: unknown = value;
  if (typeof value === "string") {
    try {
      document = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  const statements = (document as { Statement?: unknown } | null | undefined)?.Statement;
  if (statements === undefined) return undefined;
  return asArray(statements as PolicyStatement | PolicyStatement[]);
}

/** The statement's label for messages: its Sid, or its position. */
export const statementLabel = (statement: PolicyStatement, index: number): string =>
  statement.Sid !== undefined && statement.Sid !== "" ? `"${statement.Sid}"` : `#${index + 1}`;

/** Principal "*" or {AWS: "*"} (or a list holding "*"): anyone. */
export function isPublicPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (typeof principal === "object" && principal !== null) {
    const aws = (principal as Record<string, unknown>).AWS;
    return asArray(aws as string | string[] | undefined).includes("*");
  }
  return false;
}

/** Allow statements open to anyone: a public principal and no condition. */
export function publicAllowStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  return statements.filter(
    (statement) =>
      statement.Effect === "Allow" &&
      isPublicPrincipal(statement.Principal) &&
      (statement.Condition === undefined || Object.keys(statement.Condition).length === 0),
  );
}

/**
 * A statement that denies every request without TLS: Deny, anyone, all of the service's actions
 * (`<service>:*` or `*`), and `aws:SecureTransport` false.
 */
export function deniesInsecureTransport(statement: PolicyStatement, service: string): boolean {
  if (statement.Effect !== "Deny" || !isPublicPrincipal(statement.Principal)) return false;
  const actions = asArray(statement.Action);
  if (!actions.some((action) => action === "*" || action === `${service}:*`)) {
    // SNS topic policies may list every action they allow instead of sns:*.
    if (!(service === "sns" && actions.includes("sns:Publish"))) return false;
  }
  const bool = statement.Condition?.Bool ?? {};
  const secure = bool["aws:SecureTransport"];
  return asArray(secure as string | boolean | (string | boolean)[] | undefined).some(
    (value) => value === false || value === "false",
  );
}

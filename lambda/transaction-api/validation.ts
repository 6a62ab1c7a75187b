/**
 * Pure validation of `POST /transactions`: headers, size, JSON, fields. It reports EVERY problem
 * it can see, so one 400 tells the client everything to fix; nothing is written on a 400.
 *
 * Contract (the `allowed` texts below are part of the API and are asserted by tests):
 * - Content-Type: `application/json`, optionally with `charset=utf-8`.
 * - Idempotency-Key: 1-128 visible ASCII characters (0x21-0x7E). No spaces, because proxies trim
 *   header whitespace and would silently change a key. A UUID v4 is the recommended form.
 * - Body: at most 16 KiB, one JSON object, no fields other than the five below.
 * - amount: a JSON integer in the currency's minor unit, 1..100,000,000,000. The cap (1e11, i.e.
 *   one billion in a two-decimal currency) is a per-transaction business limit far below
 *   Number.MAX_SAFE_INTEGER, so amounts and sums of many of them stay exact in JavaScript.
 * - currency: an active ISO 4217 code in upper case (currencies.ts).
 * - sourceAccount, destinationAccount: 8-34 upper-case letters or digits (fits IBANs, whose
 *   maximum length is 34, and internal account numbers); they must differ.
 * - reference: optional, 1-140 characters without control characters (140 is the SEPA limit for
 *   unstructured remittance information).
 */
import type { FieldError } from "../shared/errors";
import type { TransactionRequest } from "../shared/transaction";
import { ACTIVE_CURRENCIES } from "./currencies";

export const MAX_BODY_BYTES = 16 * 1024;
export const MAX_AMOUNT_MINOR = 100_000_000_000;
export const ACCOUNT_PATTERN = /^[A-Z0-9]{8,34}$/;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7E]{1,128}$/;
export const MAX_REFERENCE_LENGTH = 140;

export const ALLOWED = {
  contentType: "application/json (optionally ; charset=utf-8)",
  idempotencyKey: "1-128 visible ASCII characters (0x21-0x7E), e.g. a UUID",
  bodySize: `at most ${MAX_BODY_BYTES} bytes`,
  body: "a JSON object",
  amount: `an integer number of minor units from 1 to ${MAX_AMOUNT_MINOR}`,
  currency: "an active ISO 4217 currency code in upper case, e.g. EUR",
  account: "8-34 upper-case letters or digits",
  differentAccount: "an account different from sourceAccount",
  reference: `a string of 1-${MAX_REFERENCE_LENGTH} characters without control characters`,
  unknownField:
    "no such field; the fields are amount, currency, sourceAccount, destinationAccount, reference",
} as const;

const FIELDS = new Set(["amount", "currency", "sourceAccount", "destinationAccount", "reference"]);

export interface CreateRequestInput {
  readonly contentType: string | undefined;
  readonly idempotencyKey: string | undefined;
  /** The decoded body (ALB base64 already undone). */
  readonly body: string;
}

export type CreateRequestValidation =
  | { readonly ok: true; readonly idempotencyKey: string; readonly request: TransactionRequest }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export function validateCreateRequest(input: CreateRequestInput): CreateRequestValidation {
  const errors: FieldError[] = [];
  if (!isJsonContentType(input.contentType)) {
    errors.push({
      field: "Content-Type",
      value: input.contentType ?? null,
      allowed: ALLOWED.contentType,
    });
  }
  const key = input.idempotencyKey;
  if (key === undefined || !IDEMPOTENCY_KEY_PATTERN.test(key)) {
    errors.push({ field: "Idempotency-Key", value: key ?? null, allowed: ALLOWED.idempotencyKey });
  }

  const size = Buffer.byteLength(input.body, "utf8");
  let request: TransactionRequest | undefined;
  if (size > MAX_BODY_BYTES) {
    // Too large to parse: the size is the only thing said about the body.
    errors.push({ field: "body", value: size, allowed: ALLOWED.bodySize });
  } else {
    const parsed = parseObject(input.body);
    if (parsed === undefined) {
      errors.push({ field: "body", value: null, allowed: ALLOWED.body });
    } else {
      request = validateFields(parsed, errors);
    }
  }

  if (errors.length > 0 || request === undefined || key === undefined) {
    return { ok: false, errors };
  }
  return { ok: true, idempotencyKey: key, request };
}

/**
 * The canonical form of a validated request (keys sorted, optional fields omitted when absent):
 * whitespace or key order never make "the same request" look different to the idempotency check.
 */
export function canonicalBody(request: TransactionRequest): string {
  const entries = Object.entries(request)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [mediaType, ...params] = header.split(";").map((p) => p.trim().toLowerCase());
  if (mediaType !== "application/json") return false;
  return params.every(
    (p) => p === "" || p.replace(/\s*=\s*/, "=").replace(/"/g, "") === "charset=utf-8",
  );
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function validateFields(
  body: Record<string, unknown>,
  errors: FieldError[],
): TransactionRequest | undefined {
  const before = errors.length;
  const { amount, currency, sourceAccount, destinationAccount, reference } = body;

  if (!(
    typeof amount === "number" &&
    Number.isInteger(amount) &&
    amount >= 1 &&
    amount <= MAX_AMOUNT_MINOR
  )) {
    errors.push({ field: "amount", value: amount ?? null, allowed: ALLOWED.amount });
  }
  if (!(typeof currency === "string" && ACTIVE_CURRENCIES.has(currency))) {
    errors.push({ field: "currency", value: currency ?? null, allowed: ALLOWED.currency });
  }
  const sourceOk = typeof sourceAccount === "string" && ACCOUNT_PATTERN.test(sourceAccount);
  if (!sourceOk) {
    errors.push({ field: "sourceAccount", value: sourceAccount ?? null, allowed: ALLOWED.account });
  }
  const destinationOk =
    typeof destinationAccount === "string" && ACCOUNT_PATTERN.test(destinationAccount);
  if (!destinationOk) {
    errors.push({
      field: "destinationAccount",
      value: destinationAccount ?? null,
      allowed: ALLOWED.account,
    });
  } else if (sourceOk && destinationAccount === sourceAccount) {
    errors.push({
      field: "destinationAccount",
      value: destinationAccount,
      allowed: ALLOWED.differentAccount,
    });
  }
  if (reference !== undefined && !isReference(reference)) {
    errors.push({ field: "reference", value: reference, allowed: ALLOWED.reference });
  }
  for (const [field, value] of Object.entries(body)) {
    if (!FIELDS.has(field)) errors.push({ field, value, allowed: ALLOWED.unknownField });
  }

  if (errors.length > before) return undefined;
  return {
    amount: amount as number,
    currency: currency as string,
    sourceAccount: sourceAccount as string,
    destinationAccount: destinationAccount as string,
    ...(reference !== undefined ? { reference: reference as string } : {}),
  };
}

function isReference(value: unknown): boolean {
  if (typeof value !== "string") return false;
  const length = [...value].length;
  return length >= 1 && length <= MAX_REFERENCE_LENGTH && !/\p{Cc}/u.test(value);
}

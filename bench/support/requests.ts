/** Valid POST /transactions requests, and the ALB events the local server would build for them. */
import { IncomingMessage } from "node:http";
import { Socket } from "node:net";

import type { ALBEvent } from "aws-lambda";

import { toAlbEvent } from "../../lambda/shared/alb-http";

export interface CreateRequest {
  readonly idempotencyKey: string;
  /** The exact JSON text sent (a retried or reused key sends the identical text). */
  readonly body: string;
}

/** 22-character IBAN-like account: matches /^[A-Z0-9]{8,34}$/. */
export function account(country: string, n: number): string {
  return `${country}${String(n).padStart(20, "0")}`;
}

/** A valid body; source and destination always differ. */
export function transactionBody(n: number, random: () => number): string {
  return JSON.stringify({
    amount: 1 + Math.floor(random() * 1_000_000),
    currency: "EUR",
    sourceAccount: account("DE", n % 997),
    destinationAccount: account("FR", n % 991),
    reference: `bench ${n}`,
  });
}

/** `bench-<run>-<n>`: visible ASCII, unique per run. */
export function idempotencyKey(run: string, n: number): string {
  return `bench-${run}-${n}`;
}

const socket = new Socket();

/**
 * The ALB event for a request, built by the local server's own `toAlbEvent` from an
 * IncomingMessage carrying the headers node:http would parse (single-value header form).
 */
export function albEvent(request: CreateRequest): ALBEvent {
  const message = new IncomingMessage(socket);
  message.method = "POST";
  message.url = "/transactions";
  message.headers = {
    host: "127.0.0.1",
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(request.body)),
    "idempotency-key": request.idempotencyKey,
  };
  return toAlbEvent(message, Buffer.from(request.body, "utf8"));
}

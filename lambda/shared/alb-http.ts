/**
 * node:http <-> ALB Lambda events, so the EC2 server and the local server call the API core
 * exactly as the ALB does (single-value headers form; bodies of non-text types are base64, like
 * ALB).
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";

import type { ALBEvent, ALBResult } from "aws-lambda";

import { describeError, logger } from "./observability";

/** An HTTP server that hands every request to `api` as an ALB event; failures answer 500. */
export function createAlbHttpServer(api: (event: ALBEvent) => Promise<ALBResult>): Server {
  return createServer((req, res) => {
    readBody(req)
      .then((body) => api(toAlbEvent(req, body)))
      .then((result) => writeAlbResult(res, result))
      .catch((error: unknown) => {
        logger.error("Request failed", { error: describeError(error) });
        if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
        res.end(JSON.stringify({ error: "internal_error" }));
      });
  });
}

/** Refuse to buffer more than this (the API itself rejects bodies over 16 KiB). */
const MAX_LOCAL_BODY_BYTES = 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_LOCAL_BODY_BYTES) throw new Error("Request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function toAlbEvent(req: IncomingMessage, body: Buffer): ALBEvent {
  const url = new URL(req.url ?? "/", "http://local");
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const contentType = headers["content-type"] ?? "";
  const text = body.length === 0 || /^(text\/|application\/json)/i.test(contentType);
  return {
    requestContext: {
      elb: { targetGroupArn: "arn:aws:elasticloadbalancing:local:0:targetgroup/local/0" },
    },
    httpMethod: req.method ?? "GET",
    path: url.pathname,
    queryStringParameters: Object.fromEntries(url.searchParams),
    headers,
    body: text ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: !text,
  };
}

export function writeAlbResult(res: ServerResponse, result: ALBResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
  for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k] = v.map(String);
  const body = result.body ?? "";
  res.writeHead(result.statusCode, headers);
  res.end(result.isBase64Encoded === true ? Buffer.from(body, "base64") : body);
}

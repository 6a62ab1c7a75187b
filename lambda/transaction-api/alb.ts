/**
 * ALB event <-> ApiRequest/ApiResponse. ALB sends either `headers` or, when the target group
 * enables multi-value headers, `multiValueHeaders`; the response must use the same form
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html).
 */
import { STATUS_CODES } from "node:http";

import type { ALBEvent, ALBResult } from "aws-lambda";

import type { ApiRequest, ApiResponse } from "./http";

export function fromAlbEvent(event: ALBEvent): ApiRequest {
  const headers: Record<string, string | undefined> = {};
  if (event.multiValueHeaders !== undefined) {
    for (const [name, values] of Object.entries(event.multiValueHeaders)) {
      headers[name.toLowerCase()] = values?.[0];
    }
  } else {
    for (const [name, value] of Object.entries(event.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
  }
  const raw = event.body ?? "";
  return {
    method: event.httpMethod.toUpperCase(),
    path: event.path,
    headers,
    body: event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw,
  };
}

export function toAlbResult(response: ApiResponse, multiValue: boolean): ALBResult {
  const statusDescription = `${response.statusCode} ${STATUS_CODES[response.statusCode] ?? ""}`;
  const base = {
    statusCode: response.statusCode,
    statusDescription: statusDescription.trim(),
    body: response.body,
    isBase64Encoded: false,
  };
  if (multiValue) {
    const multiValueHeaders = Object.fromEntries(
      Object.entries(response.headers).map(([k, v]) => [k, [v]]),
    );
    return { ...base, multiValueHeaders };
  }
  return { ...base, headers: { ...response.headers } };
}

/** The API's own request/response shapes, independent of ALB, and the JSON response helper. */

export interface ApiRequest {
  readonly method: string;
  readonly path: string;
  /** Lower-case header names; for repeated headers, the first value. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Decoded body text ("" when absent). */
  readonly body: string;
}

export interface ApiResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A JSON response; `body` is sent as is when already serialized (idempotent replays). */
export function jsonResponse(
  statusCode: number,
  body: string | Readonly<Record<string, unknown>>,
  headers: Readonly<Record<string, string>> = {},
): ApiResponse {
  return {
    statusCode,
    headers: {
      "Content-Type": "application/json",
      "Cache-Control": "no-store",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  };
}

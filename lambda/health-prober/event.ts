/**
 * The prober's input: the constant input of its EventBridge schedule rule. A bad input is a
 * deployment bug, so it fails the invocation (Lambda Errors alarms on it) with a message naming
 * each field, the value received and what is allowed, instead of probing the wrong thing.
 */
import type { FieldError } from "../shared/errors";

export interface ProberEvent {
  /** The peer region's API health URL (regional endpoint + health path), http or https. */
  readonly targetUrl: string;
  /** The region that is probed; names the metrics' PeerRegion dimension. */
  readonly peerRegion: string;
}

/**
 * An AWS region name such as us-east-1 or ap-southeast-2. It is also put into a host name
 * (rds.<region>.amazonaws.com), so nothing but letters, digits and dashes may pass.
 */
const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export class InvalidProberEventError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(
      `Invalid prober event: ${errors
        .map((e) => `${e.field}=${JSON.stringify(e.value) ?? "undefined"} (allowed: ${e.allowed})`)
        .join("; ")}`,
    );
    this.name = "InvalidProberEventError";
  }
}

/** Pure: the validated event, or InvalidProberEventError listing every problem at once. */
export function parseProberEvent(event: unknown): ProberEvent {
  const input: Record<string, unknown> =
    typeof event === "object" && event !== null && !Array.isArray(event)
      ? (event as Record<string, unknown>)
      : {};
  const errors: FieldError[] = [];
  const { targetUrl, peerRegion } = input;
  if (!isHttpUrl(targetUrl)) {
    errors.push({
      field: "targetUrl",
      value: targetUrl ?? null,
      allowed: "an absolute http:// or https:// URL (the peer's API URL + health path)",
    });
  }
  if (typeof peerRegion !== "string" || !REGION_PATTERN.test(peerRegion)) {
    errors.push({
      field: "peerRegion",
      value: peerRegion ?? null,
      allowed: "an AWS region name such as us-east-1",
    });
  }
  if (errors.length > 0) throw new InvalidProberEventError(errors);
  return { targetUrl: targetUrl as string, peerRegion: peerRegion as string };
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}

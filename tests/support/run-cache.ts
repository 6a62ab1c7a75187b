/* eslint-disable @typescript-eslint/no-require-imports --
 * Pulumi's asset classes are loaded only when a cached value holds an asset. */
/**
 * Shares program runs between the jest workers of one run. Workers share no
 * memory, so the first worker to need a config captures it and writes it as
 * JSON to a directory that lives as long as the jest run (run-cache-setup.ts);
 * workers that need the same config meanwhile wait behind a lock.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as PulumiAsset from "@pulumi/pulumi/asset";

/** Set by the unit project's globalSetup; without it, every run is fresh. */
export const RUN_CACHE_DIR_ENV = "TAP_DR_PROGRAM_RUN_CACHE";

/** Under jest's testTimeout (120 s), so a stuck capture fails with this message, not a hook timeout. */
const LOCK_TIMEOUT_MS = 100_000;
const POLL_MS = 100;

/** JSON with sorted object keys: equal configs give equal keys whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === "object" && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * The text cached under `key` in this jest run; `produce` makes it when no
 * worker has. A rejection of `produce` is not cached: the next caller retries.
 */
export async function cachedText(
  dir: string,
  key: string,
  produce: () => Promise<string>,
): Promise<string> {
  const base = path.join(dir, createHash("sha256").update(key).digest("hex").slice(0, 32));
  const file = `${base}.json`;
  const lock = `${base}.lock`;
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (;;) {
    if (fs.existsSync(file)) {
      return fs.readFileSync(file, "utf8");
    }
    if (tryLock(lock)) {
      try {
        // Another worker may have written the file and released the lock since the check above.
        if (fs.existsSync(file)) {
          return fs.readFileSync(file, "utf8");
        }
        const text = await produce();
        // Written whole, then renamed: a reader never sees a partial file.
        fs.writeFileSync(`${base}.tmp-${process.pid}`, text);
        fs.renameSync(`${base}.tmp-${process.pid}`, file);
        return text;
      } finally {
        fs.rmdirSync(lock);
      }
    }
    if (Date.now() > deadline) {
      throw new Error(
        `waited ${LOCK_TIMEOUT_MS / 1000} s for another jest worker to capture ${key}; ` +
          `its lock ${lock} is still held: that run hangs, or its worker died`,
      );
    }
    await new Promise((done) => setTimeout(done, POLL_MS));
  }
}

/** mkdir is atomic: exactly one worker creates the directory. */
function tryLock(lock: string): boolean {
  try {
    fs.mkdirSync(lock);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      return false;
    }
    throw error;
  }
}

/**
 * A value that JSON alone would change. Plain data passes as itself (secrets
 * stay the engine's `{ <signature>: ..., value }` objects); `undefined`, which
 * JSON drops from objects and turns into null in arrays, and Pulumi assets and
 * archives, whose fields are promises, are tagged.
 */
const TAG = "__tapDrRunCache";
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const ASSET_FIELDS = { path: "FileAsset", text: "StringAsset", uri: "RemoteAsset" } as const;
const ARCHIVE_FIELDS = {
  assets: "AssetArchive",
  path: "FileArchive",
  uri: "RemoteArchive",
} as const;
type AssetClass = (typeof ASSET_FIELDS)[keyof typeof ASSET_FIELDS];
type ArchiveClass = (typeof ARCHIVE_FIELDS)[keyof typeof ARCHIVE_FIELDS];

/** The value as JSON text; fails, naming where, on a value it cannot restore. */
export async function serialize(value: unknown): Promise<string> {
  return JSON.stringify(await encode(value, "$"));
}

/** The value `serialize` was given. */
export function deserialize(text: string): unknown {
  return decode(JSON.parse(text) as Json);
}

async function encode(value: unknown, at: string): Promise<Json> {
  if (value === undefined) {
    return { [TAG]: "undefined" };
  }
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    return value;
  }
  if (typeof value === "number" && Number.isFinite(value)) {
    return value;
  }
  if (Array.isArray(value)) {
    return Promise.all(value.map((item: unknown, i) => encode(item, `${at}[${i}]`)));
  }
  if (typeof value === "object") {
    const record = value as Record<string, unknown>;
    for (const [marker, fields] of [
      ["__pulumiAsset", ASSET_FIELDS],
      ["__pulumiArchive", ARCHIVE_FIELDS],
    ] as const) {
      if (record[marker] === true) {
        const field = Object.keys(fields).find((name) => name in record) as
          keyof typeof fields | undefined;
        if (field !== undefined) {
          const content = await (record[field] as Promise<unknown>);
          return { [TAG]: fields[field], value: await encode(content, `${at}.${field}`) };
        }
      }
    }
    // A plain object, from whichever realm: its prototype is an Object.prototype.
    const prototype: unknown = Object.getPrototypeOf(value);
    if ((prototype === null || Object.getPrototypeOf(prototype) === null) && !(TAG in record)) {
      const entries = await Promise.all(
        Object.entries(record).map(
          async ([key, item]) => [key, await encode(item, `${at}.${key}`)] as const,
        ),
      );
      return Object.fromEntries(entries);
    }
  }
  const kind =
    typeof value === "object"
      ? `a ${value?.constructor?.name ?? "null-prototype"} object`
      : typeof value === "number"
        ? `the number ${value}`
        : `a ${typeof value}`;
  throw new Error(
    `cannot cache the program run: ${at} is ${kind}; ` +
      "teach encode and decode in tests/support/run-cache.ts to restore it",
  );
}

function decode(json: Json): unknown {
  if (Array.isArray(json)) {
    return json.map(decode);
  }
  if (json === null || typeof json !== "object") {
    return json;
  }
  const tag = json[TAG];
  if (tag === undefined) {
    return Object.fromEntries(Object.entries(json).map(([key, item]) => [key, decode(item)]));
  }
  if (tag === "undefined") {
    return undefined;
  }
  const asset = require("@pulumi/pulumi/asset") as typeof PulumiAsset;
  const Class = asset[tag as AssetClass | ArchiveClass] as new (content: unknown) => unknown;
  return new Class(decode(json.value));
}

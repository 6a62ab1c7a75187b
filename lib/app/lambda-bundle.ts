import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync } from "esbuild";

/**
 * Handler entries, relative to the project root. The program refers to them by
 * path only and never imports handler code: esbuild reads them while the program
 * runs.
 */
export const HANDLER_ENTRIES = {
  api: "lambda/transaction-api/index.ts",
  worker: "lambda/transaction-worker/index.ts",
  ec2Server: "lambda/ec2-server/index.ts",
  orchestrator: "lambda/failover-orchestrator/index.ts",
  prober: "lambda/health-prober/index.ts",
  secretRotation: "lambda/secret-rotation/index.ts",
} as const;

/** Where the AWS SDK v3 comes from at run time. */
export type AwsSdkSource =
  /**
   * The Lambda Node.js runtime ships the SDK v3: leaving it out keeps the bundle
   * about a tenth of the size and the cold start shorter (TOOLCHAIN.md, 806 KB vs 85 KB).
   */
  | "runtime"
  /** Bundled in: an EC2 instance has no SDK installed. */
  | "bundled";

export interface BundleOptions {
  /** @default "runtime" */
  readonly awsSdk?: AwsSdkSource;
}

export interface HandlerBundle {
  /** The bundled CommonJS module; the handler is its `handler` export. */
  readonly code: string;
  /** Size of `code` in bytes (UTF-8). */
  readonly bytes: number;
}

/** The project root: entries are resolved against it whatever the working directory. */
export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/**
 * Optional native binding pg loads lazily and only when asked for pg.native; it is
 * never installed, so it stays an unresolved require rather than a build error.
 */
const NEVER_LOADED = ["pg-native"];

/**
 * Bundles one entry with esbuild, in memory. Deterministic: the same sources give
 * the same text, so the asset hash (and the function) only change when the code
 * does. Pure apart from reading the sources.
 */
export function buildBundle(entryPath: string, options: BundleOptions = {}): HandlerBundle {
  const awsSdk = options.awsSdk ?? "runtime";
  const entry = path.resolve(PROJECT_ROOT, entryPath);
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    write: false,
    external: [...(awsSdk === "runtime" ? ["@aws-sdk/*"] : []), ...NEVER_LOADED],
    legalComments: "none",
    sourcemap: false,
    // Paths in the output are relative to the root, so the text does not depend on
    // where the project is checked out.
    absWorkingDir: PROJECT_ROOT,
    logLevel: "silent",
  });
  const [output] = result.outputFiles;
  if (output === undefined) {
    throw new Error(`esbuild produced no output for ${entryPath}`);
  }
  const code = output.text;
  return { code, bytes: Buffer.byteLength(code, "utf8") };
}

const cache = new Map<string, HandlerBundle>();

/**
 * The bundle of an entry, built once per process: both regions deploy the same
 * code, and the benchmark script imports this to measure what is deployed.
 */
export function bundleHandler(entryPath: string, options: BundleOptions = {}): HandlerBundle {
  const key = `${options.awsSdk ?? "runtime"}:${path.resolve(PROJECT_ROOT, entryPath)}`;
  const cached = cache.get(key);
  if (cached !== undefined) {
    return cached;
  }
  const bundle = buildBundle(entryPath, options);
  cache.set(key, bundle);
  return bundle;
}

/** File name of the bundle in the deployment package; the function's handler is "index.handler". */
export const BUNDLE_FILE = "index.js";
export const LAMBDA_HANDLER = "index.handler";

/** The deployment package of a Lambda entry: one file, from a string, so its hash is stable. */
export function handlerArchive(entryPath: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({
    [BUNDLE_FILE]: new pulumi.asset.StringAsset(bundleHandler(entryPath).code),
  });
}

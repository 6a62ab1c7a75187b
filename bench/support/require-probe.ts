/**
 * Runs in a fresh plain `node` process (bundled to CommonJS by bundles.ts, never through tsx):
 * times one cold `require()` of a Lambda bundle, as the runtime's init phase does.
 *
 *   node require-probe.cjs <bundle.js> <project root> <sdk module>...
 *
 * Before timing it (1) installs recorders on every way out of the process (TCP/TLS/HTTP connect,
 * listen, UDP, DNS, fetch, child processes) that block the call and record it, so module-scope
 * I/O is reported and nothing is contacted; (2) defines `navigator` as Node 22 (the Lambda
 * runtime) does, so pg skips its Cloudflare probe exactly as it would there; (3) preloads the
 * `@aws-sdk/*` modules the bundle leaves external, since the Lambda runtime provides them.
 * It then waits 100 ms (untimed) to catch deferred I/O, and prints one JSON line.
 */
import childProcess from "node:child_process";
import dgram from "node:dgram";
import dns from "node:dns";
import { createRequire } from "node:module";
import net from "node:net";
import { join } from "node:path";

export interface ProbeResult {
  readonly requireMs: number;
  readonly preloadMs: number;
  readonly handlerExport: string;
  readonly io: readonly string[];
  readonly error?: string;
}

const io: string[] = [];
const record = (what: string) => {
  io.push(what);
};

function blockNetwork(): void {
  const connect = function (this: net.Socket, ...args: unknown[]) {
    const target = args[0];
    const where =
      typeof target === "object" && target !== null
        ? JSON.stringify({
            host: (target as { host?: unknown }).host,
            port: (target as { port?: unknown }).port,
          })
        : String(target);
    record(`net connect ${where}`);
    process.nextTick(() => this.destroy(new Error("blocked by the bundle benchmark")));
    return this;
  };
  net.Socket.prototype.connect = connect;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    record(`net listen ${JSON.stringify(args.filter((a) => typeof a !== "function"))}`);
    return this;
  } as typeof net.Server.prototype.listen;
  dgram.Socket.prototype.send = function () {
    record("udp send");
  };
  dgram.Socket.prototype.bind = function (this: dgram.Socket) {
    record("udp bind");
    return this;
  };
  dns.lookup = function (hostname: string) {
    record(`dns lookup ${hostname}`);
    throw new Error("blocked by the bundle benchmark");
  } as unknown as typeof dns.lookup;
  Object.defineProperty(dns.promises, "lookup", {
    value: (hostname: string) => {
      record(`dns lookup ${hostname}`);
      return Promise.reject(new Error("blocked by the bundle benchmark"));
    },
  });

  globalThis.fetch = (input: string | URL | Request) => {
    record(`fetch ${input instanceof Request ? input.url : String(input)}`);
    return Promise.reject(new Error("blocked by the bundle benchmark"));
  };
  for (const name of ["spawn", "exec", "execFile", "fork", "spawnSync", "execSync"] as const) {
    Object.defineProperty(childProcess, name, {
      value: (command: string) => {
        record(`child_process.${name} ${command}`);
        throw new Error("blocked by the bundle benchmark");
      },
    });
  }
}

function main(): void {
  const [bundle, root, ...sdkModules] = process.argv.slice(2);
  if (bundle === undefined || root === undefined) throw new Error("usage: <bundle> <root> ...");
  blockNetwork();
  if (!("navigator" in globalThis)) {
    Object.defineProperty(globalThis, "navigator", {
      value: { userAgent: "Node.js/22", hardwareConcurrency: 2, language: "en-US" },
      configurable: true,
    });
  }
  const projectRequire = createRequire(join(root, "package.json"));
  const preloadStart = process.hrtime();
  for (const name of sdkModules) projectRequire(name);
  const [ps, pns] = process.hrtime(preloadStart);

  let requireMs = Number.NaN;
  let handlerExport = "none";
  let error: string | undefined;
  const start = process.hrtime();
  try {
    const loaded = projectRequire(bundle) as { handler?: unknown };
    const [s, ns] = process.hrtime(start);
    requireMs = s * 1e3 + ns / 1e6;
    handlerExport = typeof loaded.handler;
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  setTimeout(() => {
    const result: ProbeResult = {
      requireMs,
      preloadMs: ps * 1e3 + pns / 1e6,
      handlerExport,
      io,
      ...(error !== undefined ? { error } : {}),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    process.exit(0);
  }, 100);
}

main();

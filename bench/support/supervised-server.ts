/**
 * Runs support/server-process.ts in a child process on a fixed loopback port and starts it again
 * whenever it dies unexpectedly (like systemd's Restart=always), recording each crash and the
 * error it printed. `stop()` ends restarts and shuts the server down cleanly.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

import type { ChildMessage, ServerProcessConfig } from "./server-process";

export interface Crash {
  /** ms since the supervisor started */
  readonly atMs: number;
  readonly exit: string;
  /** The error the process printed before dying, as far as it can be told from stderr. */
  readonly reason: string;
}

export interface SupervisedServer {
  readonly port: number;
  readonly crashes: readonly Crash[];
  /** Stops restarting, stops the server; resolves with its dead-letter count (if it answered). */
  stop(): Promise<number | undefined>;
}

const ENTRY = join(__dirname, "server-process.ts");
const STDERR_TAIL = 16 * 1024;
const START_TIMEOUT_MS = 30_000;
/** A process that keeps dying at start is not restarted forever. */
const MAX_RESTARTS = 20;

/** The thrown error's message and code, from Node's uncaught-exception printout. */
export function crashReason(stderr: string): string {
  const lines = stderr.split("\n");
  let messageIndex = -1;
  lines.forEach((l, i) => {
    if (/^(\w*Error|error)(\s\[\w+\])?: /.test(l)) messageIndex = i;
  });
  if (messageIndex < 0)
    return lines
      .filter((l) => l.trim() !== "")
      .slice(-3)
      .join(" | ");
  const code = lines
    .slice(messageIndex)
    .map((l) => /^\s*code: '([^']+)'/.exec(l)?.[1])
    .find((c) => c !== undefined);
  const thrownAt = lines.find((l) => /Unhandled 'error' event/.test(l))
    ? " (unhandled 'error' event)"
    : "";
  return `${lines[messageIndex]}${code !== undefined ? ` [${code}]` : ""}${thrownAt}`;
}

export async function startSupervisedServer(
  config: ServerProcessConfig & { port: number },
): Promise<SupervisedServer> {
  const started = Date.now();
  const crashes: Crash[] = [];
  let stopping = false;
  let child: ChildProcess | undefined;

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const proc = spawn(process.execPath, ["--import", "tsx", ENTRY], {
        env: {
          ...process.env,
          BENCH_SERVER_CONFIG: JSON.stringify(config),
          BENCH_RESULT_FILE: "",
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        },
        stdio: ["ignore", "ignore", "pipe", "ipc"],
      });
      child = proc;
      let stderr = "";
      proc.stderr?.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
      });
      const timer = setTimeout(
        () => reject(new Error("server process did not start")),
        START_TIMEOUT_MS,
      );
      proc.on("message", (message: ChildMessage) => {
        if (message.type === "ready") {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.on("exit", (code, signal) => {
        clearTimeout(timer);
        if (stopping) return;
        crashes.push({
          atMs: Date.now() - started,
          exit: signal !== null ? `signal ${signal}` : `code ${code}`,
          reason: crashReason(stderr),
        });
        // Restart=always: at once, on the same port; clients see refused connections meanwhile.
        if (crashes.length <= MAX_RESTARTS) launch().catch(() => undefined);
        reject(new Error(`server process exited during start: ${crashReason(stderr)}`));
      });
    });

  await launch();
  return {
    port: config.port,
    crashes,
    async stop() {
      stopping = true;
      const proc = child;
      if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null)
        return undefined;
      return new Promise<number | undefined>((resolve) => {
        let deadLetters: number | undefined;
        const kill = setTimeout(() => proc.kill("SIGKILL"), 15_000);
        proc.on("message", (message: ChildMessage) => {
          if (message.type === "stopped") deadLetters = message.deadLetters;
        });
        proc.on("exit", () => {
          clearTimeout(kill);
          resolve(deadLetters);
        });
        proc.send({ type: "stop" });
      });
    },
  };
}

/**
 * Child-process entry of the load benchmark's server: `startLocalServer` (the same wiring as
 * `npm run api:local`) against the PostgreSQL and dynalite the parent runs. It lives in its own
 * process so that (1) the load generator does not share its event loop, and (2) if it crashes,
 * the parent can see it and start it again, as systemd (Restart=always) does for ec2-server and
 * Lambda does with a failed execution environment.
 *
 * Parent -> child (IPC): { type: "stop" }. Child -> parent: { type: "ready" },
 * { type: "stopped", deadLetters }. Config: the BENCH_SERVER_CONFIG environment variable (JSON).
 * Logs go to stdout/stderr as in Lambda; the parent discards stdout and keeps stderr's tail.
 */
import { type LocalServerOptions, startLocalServer } from "../../lambda/local/server";

export type ServerProcessConfig = Pick<LocalServerOptions, "port" | "database" | "dynamodb">;

export type ParentMessage = { readonly type: "stop" };
export type ChildMessage =
  { readonly type: "ready" } | { readonly type: "stopped"; readonly deadLetters: number };

function send(message: ChildMessage, then?: () => void): void {
  process.send?.(message, undefined, undefined, () => then?.());
}

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_SERVER_CONFIG ?? "{}") as ServerProcessConfig;
  const server = await startLocalServer({ ...config, host: "127.0.0.1" });
  process.on("message", (message: ParentMessage) => {
    if (message.type !== "stop") return;
    void server.close().then(() => {
      send({ type: "stopped", deadLetters: server.queue.deadLetters.length }, () =>
        process.exit(0),
      );
    });
  });
  // Never outlive the benchmark that started it.
  process.on("disconnect", () => process.exit(1));
  send({ type: "ready" });
}

main().catch((error: unknown) => {
  process.stderr.write(`server process failed to start: ${String(error)}\n`);
  process.exit(2);
});

/**
 * The handlers log through Powertools (one JSON line per request, plus one EMF metrics line per
 * invocation), as they do in Lambda. A benchmark must not flood the terminal with them, so
 * `captureOutput()` replaces process.stdout/stderr writes with a counting sink: the lines are
 * still built and serialised by the code under test (that cost stays in the figures), only the
 * final terminal write is dropped. The bench's own report goes through `print`, which writes to
 * the real stdout. The last stderr lines (warnings, errors) are kept for diagnostics.
 */

type Write = typeof process.stdout.write;
type WriteCallback = (error?: Error | null) => void;

export interface CapturedOutput {
  /** Lines and bytes the code under test wrote since the last reset. */
  readonly stdoutLines: number;
  readonly stdoutBytes: number;
  readonly stderrLines: number;
  /** The most recent stderr lines (at most 20), for diagnostics. */
  readonly recentStderr: readonly string[];
  reset(): void;
}

const realStdout: Write = process.stdout.write.bind(process.stdout);
const realStderr: Write = process.stderr.write.bind(process.stderr);

/** Writes the bench's own output to the real stdout (even while output is captured). */
export function print(text = ""): void {
  realStdout(text.endsWith("\n") ? text : `${text}\n`);
}

/** Writes a diagnostic to the real stderr. */
export function printError(text: string): void {
  realStderr(text.endsWith("\n") ? text : `${text}\n`);
}

let captured: CapturedOutput | undefined;

export function captureOutput(): CapturedOutput {
  if (captured !== undefined) return captured;
  const state = {
    stdoutLines: 0,
    stdoutBytes: 0,
    stderrLines: 0,
    recentStderr: [] as string[],
    reset() {
      state.stdoutLines = 0;
      state.stdoutBytes = 0;
      state.stderrLines = 0;
    },
  };
  const sink =
    (stream: "stdout" | "stderr"): Write =>
    (
      chunk: string | Uint8Array,
      encodingOrCallback?: BufferEncoding | WriteCallback,
      callback?: WriteCallback,
    ): boolean => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      const lines = text.split("\n").filter((line) => line.length > 0);
      if (stream === "stdout") {
        state.stdoutLines += lines.length;
        state.stdoutBytes += Buffer.byteLength(text);
      } else {
        state.stderrLines += lines.length;
        state.recentStderr.push(...lines.map((line) => line.slice(0, 500)));
        state.recentStderr.splice(0, Math.max(0, state.recentStderr.length - 20));
      }
      const done = typeof encodingOrCallback === "function" ? encodingOrCallback : callback;
      if (done !== undefined) queueMicrotask(() => done(null));
      return true;
    };
  process.stdout.write = sink("stdout");
  process.stderr.write = sink("stderr");
  captured = state;
  return state;
}

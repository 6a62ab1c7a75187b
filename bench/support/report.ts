/** Figures, goals and the PASS/FAIL table every bench prints (and run-all prints once more). */
import { writeFileSync } from "node:fs";

export type Unit = "ms" | "x" | "KB" | "req/s" | "count" | "µs";

export interface Figure {
  /** Which benchmark produced it: "handler", "bundles" or "load". */
  readonly bench: string;
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
  /** The goal: passes when value <= max. Without it the figure is for information only. */
  readonly max?: number;
}

export interface BenchResult {
  readonly bench: string;
  readonly figures: readonly Figure[];
  /** Set when the bench could not finish (exception, timeout); the run then fails. */
  readonly error?: string;
}

/** The file run-all.ts asks each bench to write its result to. */
export const RESULT_FILE_ENV = "BENCH_RESULT_FILE";

export function passes(figure: Figure): boolean | undefined {
  return figure.max === undefined ? undefined : figure.value <= figure.max;
}

export function resultPasses(result: BenchResult): boolean {
  return result.error === undefined && result.figures.every((f) => passes(f) !== false);
}

export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return String(value);
  switch (unit) {
    case "x":
      return `${value.toFixed(2)}x`;
    case "ms":
      return `${value < 10 ? value.toFixed(3) : value.toFixed(1)} ms`;
    case "µs":
      return `${value.toFixed(0)} µs`;
    case "KB":
      return `${value.toFixed(1)} KB`;
    case "req/s":
      return `${value.toFixed(0)} req/s`;
    case "count":
      return value.toFixed(0);
  }
}

function goalText(figure: Figure): string {
  if (figure.max === undefined) return "";
  if (figure.unit === "count") return figure.max === 0 ? "= 0" : `<= ${figure.max}`;
  return `<= ${formatValue(figure.max, figure.unit)}`;
}

function resultText(figure: Figure): string {
  const ok = passes(figure);
  return ok === undefined ? "info" : ok ? "PASS" : "FAIL";
}

/** A plain-text table: Benchmark | Figure | Value | Goal | Result. */
export function formatTable(results: readonly BenchResult[]): string {
  const rows: string[][] = [["Benchmark", "Figure", "Value", "Goal", "Result"]];
  for (const result of results) {
    for (const f of result.figures) {
      rows.push([f.bench, f.name, formatValue(f.value, f.unit), goalText(f), resultText(f)]);
    }
    if (result.error !== undefined) {
      rows.push([result.bench, `did not finish: ${result.error}`, "", "", "FAIL"]);
    }
  }
  const widths = rows[0].map((_, col) => Math.max(...rows.map((row) => row[col].length)));
  const line = (row: readonly string[]) =>
    row
      .map((cell, col) => (col === 2 ? cell.padStart(widths[col]) : cell.padEnd(widths[col])))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join("\n");
}

/** Writes the result where run-all.ts asked for it (nothing when run on its own). */
export function saveResult(result: BenchResult): void {
  const file = process.env[RESULT_FILE_ENV];
  if (file !== undefined && file !== "") writeFileSync(file, JSON.stringify(result));
}

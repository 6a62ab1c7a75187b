import { isCloudResource } from "./graph";
import { CapturedResource } from "./mock-graph";

export interface SummaryRow {
  readonly type: string;
  readonly region: string;
  readonly count: number;
}

/** Cloud resources counted per type and region ("(ambient)" would mean a missing provider). */
export function summarizeByTypeAndRegion(resources: readonly CapturedResource[]): SummaryRow[] {
  const counts = new Map<string, SummaryRow>();
  for (const resource of resources) {
    if (!isCloudResource(resource)) continue;
    const region = resource.region === "" ? "(ambient)" : resource.region;
    const key = `${resource.type}\u0000${region}`;
    const row = counts.get(key);
    counts.set(key, { type: resource.type, region, count: (row?.count ?? 0) + 1 });
  }
  return [...counts.values()].sort(
    (a, b) => a.type.localeCompare(b.type) || a.region.localeCompare(b.region),
  );
}

/** A fixed-width table for review: `npm run graph:summary`. */
export function formatSummary(rows: readonly SummaryRow[]): string {
  const typeWidth = Math.max(4, ...rows.map((row) => row.type.length));
  const regionWidth = Math.max(6, ...rows.map((row) => row.region.length));
  const line = (type: string, region: string, count: string) =>
    `${type.padEnd(typeWidth)}  ${region.padEnd(regionWidth)}  ${count.padStart(5)}`;
  const total = rows.reduce((sum, row) => sum + row.count, 0);
  return [
    line("type", "region", "count"),
    ...rows.map((row) => line(row.type, row.region, String(row.count))),
    line("total", "", String(total)),
  ].join("\n");
}

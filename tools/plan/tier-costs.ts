/** Warm standby against pilot light: the two tiers' estimates, line by line. */
import { CostEstimate, CostLine, round } from "./cost-model";

export interface TierCostLine {
  readonly service: string;
  readonly item: string;
  readonly region: string;
  readonly warmStandbyUsd: number;
  readonly pilotLightUsd: number;
}

export interface TierCostComparison {
  readonly warmStandbyUsd: number;
  readonly pilotLightUsd: number;
  /** What warm standby costs more than pilot light a month. */
  readonly differenceUsd: number;
  /** The lines that differ. */
  readonly lines: TierCostLine[];
  /** Unpriced items only one tier has: the difference leaves them out. */
  readonly unpricedDifferences: string[];
}

/** The two tiers' estimates side by side, from the graphs of each tier's config. */
export function compareTiers(
  warmStandby: CostEstimate,
  pilotLight: CostEstimate,
): TierCostComparison {
  const keyOf = (line: CostLine) => `${line.service}\u0000${line.item}\u0000${line.region}`;
  const sums = (estimate: CostEstimate) => {
    const map = new Map<string, { line: CostLine; usd: number }>();
    for (const line of estimate.lines) {
      const entry = map.get(keyOf(line));
      map.set(keyOf(line), { line, usd: (entry?.usd ?? 0) + line.monthlyUsd });
    }
    return map;
  };
  const warm = sums(warmStandby);
  const pilot = sums(pilotLight);
  const lines: TierCostLine[] = [];
  for (const key of new Set([...warm.keys(), ...pilot.keys()])) {
    const w = warm.get(key)?.usd ?? 0;
    const p = pilot.get(key)?.usd ?? 0;
    if (Math.abs(w - p) < 0.005) continue;
    const line = (warm.get(key) ?? pilot.get(key))!.line;
    lines.push({
      service: line.service,
      item: line.item,
      region: line.region,
      warmStandbyUsd: round(w),
      pilotLightUsd: round(p),
    });
  }
  const unpriced = (estimate: CostEstimate) =>
    estimate.unpriced.map((u) => `${u.service} ${u.item} (${u.region})`);
  const warmUnpriced = unpriced(warmStandby);
  const pilotUnpriced = unpriced(pilotLight);
  return {
    warmStandbyUsd: warmStandby.totalUsd,
    pilotLightUsd: pilotLight.totalUsd,
    differenceUsd: round(warmStandby.totalUsd - pilotLight.totalUsd),
    lines,
    unpricedDifferences: [
      ...warmUnpriced
        .filter((item) => !pilotUnpriced.includes(item))
        .map((i) => `warm standby: ${i}`),
      ...pilotUnpriced
        .filter((item) => !warmUnpriced.includes(item))
        .map((i) => `pilot light: ${i}`),
    ],
  };
}

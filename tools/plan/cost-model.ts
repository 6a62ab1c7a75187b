/**
 * The shapes of a cost estimate, the usage it assumes, and the accumulator that prices each
 * line from tools/plan/prices.ts.
 */
import { HOURS_PER_MONTH, PRICES, Price, PriceKey } from "./prices";

export interface CostAssumptions {
  /**
   * Transaction API requests a month, all served by the primary region. Each is one API
   * invocation, one queued message for the worker (one worker invocation, SQS send, receive
   * and delete), one DynamoDB write replicated to DR, and `auroraIosPerRequest` Aurora I/Os.
   * @default 0 (idle: only what the stack does by itself)
   */
  readonly requestsPerMonth: number;
  /** Average Lambda duration. @default 100 */
  readonly lambdaDurationMs: number;
  /** Average ACU of each Serverless v2 instance. @default each cluster's minimum (idle) */
  readonly auroraAverageAcu: number | undefined;
  /** Aurora storage per cluster. @default 1 */
  readonly auroraStorageGb: number;
  /** @default 10 */
  readonly auroraIosPerRequest: number;
  /** CloudWatch Logs ingested per region (flow logs, function, database logs). @default 1 */
  readonly logsGbPerRegion: number;
  /** Size of the data AWS Backup protects (the cluster and the table). @default 1 */
  readonly backupGb: number;
  /** Count the account's monthly free allowances (Lambda, X-Ray, logs, alarms, SQS, ...). @default true */
  readonly freeTier: boolean;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  requestsPerMonth: 0,
  lambdaDurationMs: 100,
  auroraAverageAcu: undefined,
  auroraStorageGb: 1,
  auroraIosPerRequest: 10,
  logsGbPerRegion: 1,
  backupGb: 1,
  freeTier: true,
};

/** Where a line's price comes from. */
export interface PriceRef {
  readonly key: string;
  readonly unit: string;
  readonly source: string;
  readonly sourceDate?: string;
  readonly read: string;
}

export interface CostLine {
  readonly service: string;
  readonly item: string;
  /** An AWS region, "global" (Route 53) or "account" (free allowances, account-wide). */
  readonly region: string;
  readonly quantity: number;
  readonly unit: string;
  readonly unitUsd: number;
  readonly monthlyUsd: number;
  readonly price: PriceRef;
  /** A us-east-1 price applied to another region. */
  readonly approximate: boolean;
  /** How the quantity was counted. */
  readonly basis: string;
}

export interface Unpriced {
  readonly service: string;
  readonly item: string;
  readonly region: string;
  readonly reason: string;
}

export interface CostEstimate {
  readonly assumptions: CostAssumptions;
  readonly hoursPerMonth: number;
  readonly lines: CostLine[];
  readonly unpriced: Unpriced[];
  readonly byRegion: Record<string, number>;
  readonly byService: Record<string, number>;
  readonly totalUsd: number;
  /** What the estimate leaves out. */
  readonly notes: string[];
}

export const SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600;
const PRICED_REGION = "us-east-1";

const priceRef = (key: string, price: Price): PriceRef => ({
  key,
  unit: price.unit,
  source: price.source,
  sourceDate: price.sourceDate,
  read: price.read,
});

export const round = (usd: number): number => Math.round(usd * 100) / 100;

/** Minutes between runs of an EventBridge rate() expression; undefined for anything else. */
export function rateMinutes(expression: unknown): number | undefined {
  const match = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(String(expression));
  if (!match) return undefined;
  const n = Number(match[1]);
  return match[2].startsWith("minute") ? n : match[2].startsWith("hour") ? n * 60 : n * 1440;
}

/** Collects priced lines; a zero quantity adds none. */
export class Estimator {
  readonly lines: CostLine[] = [];
  readonly unpriced: Unpriced[] = [];

  add(
    service: string,
    item: string,
    region: string,
    quantity: number,
    key: PriceKey | { key: string; price: Price },
    basis: string,
  ): void {
    if (quantity === 0) return;
    const [name, price] = typeof key === "string" ? [key, PRICES[key]] : [key.key, key.price];
    this.lines.push({
      service,
      item,
      region,
      quantity,
      unit: price.unit,
      unitUsd: price.usd,
      monthlyUsd: quantity * price.usd,
      price: priceRef(name, price),
      approximate: region !== PRICED_REGION && region !== "global" && region !== "account",
      basis,
    });
  }

  /** The account's monthly allowance of a price, as one negative line over every region's use. */
  freeAllowance(service: string, key: PriceKey): void {
    const price: Price = PRICES[key];
    const allowance = price.freePerMonth ?? 0;
    const used = this.lines
      .filter((line) => line.price.key === key)
      .reduce((sum, line) => sum + line.quantity, 0);
    const free = Math.min(used, allowance);
    if (free > 0) {
      this.add(
        service,
        `free tier (${allowance} a month)`,
        "account",
        -free,
        key,
        "account-wide allowance",
      );
    }
  }
}

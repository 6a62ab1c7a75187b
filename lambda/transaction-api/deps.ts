/** What the API core needs; the Lambda entry, the local server and the tests each wire one. */
import { randomUUID } from "node:crypto";

import type { Queue, StatusStore, TransactionStore } from "../shared/stores/ports";

export interface ApiDeps {
  readonly transactions: TransactionStore;
  readonly statuses: StatusStore;
  readonly queue: Queue;
  /** Reported by /health. @default process.env.AWS_REGION ?? "local" */
  readonly region?: string;
  /** Per-dependency budget of /health, in ms. @default 800 */
  readonly healthTimeoutMs?: number;
  /** @default crypto.randomUUID */
  readonly newId?: () => string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export type ResolvedApiDeps = Required<ApiDeps>;

export function resolveDeps(deps: ApiDeps): ResolvedApiDeps {
  return {
    ...deps,
    region: deps.region ?? process.env.AWS_REGION ?? "local",
    healthTimeoutMs: deps.healthTimeoutMs ?? 800,
    newId: deps.newId ?? randomUUID,
    now: deps.now ?? (() => new Date()),
  };
}

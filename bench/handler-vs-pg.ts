/**
 * Benchmark 1: the create-transaction path through `makeApiHandler` vs raw `pg` on the same
 * PostgreSQL (goal: handler <= 1.5x raw, for the mean and for the median).
 *
 * Handler side: ALB events as the local server builds them (toAlbEvent), unique Idempotency-Key
 * each, the real PgTransactionStore over the real Database (tls false, pool size as in Lambda),
 * and in-memory StatusStore/Queue adapters: DynamoDB and SQS are separate services and are
 * excluded from this ratio, which measures our code on the database path. Logs and EMF metrics
 * are produced as in Lambda and written to a counting sink (see support/output.ts).
 *
 * Raw side: a pg.Pool with the options Database gives its pool, and per call the same two round
 * trips the handler makes: the INSERT of an equivalent transactions row + outbox row (the same
 * single statement), then a SELECT of that row. A third series runs the handler's exact
 * statements raw (INSERT, then the outbox UPDATE), to separate statement cost from code cost.
 *
 * Series run interleaved call by call after a warm-up, sequentially (one call at a time).
 */
import { Pool } from "pg";

import { StaticCredentials } from "../lambda/shared/db/credentials";
import { Database } from "../lambda/shared/db/database";
import { migrate } from "../lambda/shared/db/migrations";
import { PgTransactionStore } from "../lambda/shared/stores/pg-transaction-store";
import { logger, metrics } from "../lambda/shared/observability";
import { makeApiHandler } from "../lambda/transaction-api/handler";
import { InMemoryQueue, InMemoryStatusStore } from "./support/in-memory-adapters";
import { runBench } from "./support/main";
import { print } from "./support/output";
import { startPostgres } from "./support/postgres";
import {
  INSERT_SQL,
  type Params,
  SELECT_SQL,
  UPDATE_SQL,
  poolLikeDatabase,
  rawParams,
} from "./support/raw-pg";
import type { Figure } from "./support/report";
import { type CreateRequest, albEvent, idempotencyKey, transactionBody } from "./support/requests";
import { NoDatabaseStore, TimedStore } from "./support/store-doubles";
import { type Summary, elapsedMs, seededRandom, summarize } from "./support/stats";

const N = Number(process.env.BENCH_HANDLER_N ?? 2000);
const WARMUP = 200;
const BREAKDOWN_N = 500;
const RATIO_GOAL = 1.5;
const BENCH = "handler";
/**
 * PostgreSQL's defaults: every commit waits for the disk flush, as a 201 promises durability.
 * BENCH_PG_SYNC_COMMIT_OFF=1 takes the disk (about 3.5 ms per fsync on these VMs) out of both
 * sides, to look at our code's overhead alone.
 */
const DURABLE = process.env.BENCH_PG_SYNC_COMMIT_OFF !== "1";
const PG_FLAGS = DURABLE ? [] : ["-c", "synchronous_commit=off"];

function formatSummary(name: string, s: Summary): string {
  const f = (x: number) => x.toFixed(3).padStart(8);
  return `${name.padEnd(44)} ${f(s.mean)} ${f(s.p50)} ${f(s.p99)} ${f(s.max)}`;
}

runBench(BENCH, { deadlineMs: 150_000 }, async ({ output, defer }) => {
  const random = seededRandom(1);
  const pg = await startPostgres({ database: "bench", flags: PG_FLAGS });
  defer(() => pg.dispose());

  const database = new Database({
    host: pg.host,
    port: pg.port,
    database: pg.database,
    credentials: new StaticCredentials({ username: pg.user, password: pg.password }),
    tls: false,
  });
  defer(() => database.end());
  await database.withClient((client) => migrate(client));

  const statuses = new InMemoryStatusStore();
  const queue = new InMemoryQueue();
  const store = new PgTransactionStore(database);
  const api = makeApiHandler({ transactions: store, statuses, queue, region: "bench" });
  const pool = new Pool(poolLikeDatabase(pg));
  pool.on("error", () => undefined);
  defer(() => pool.end());

  const run = `h${process.pid}`;
  let requestNo = 0;
  const nextRequest = (): CreateRequest => {
    requestNo += 1;
    return {
      idempotencyKey: idempotencyKey(run, requestNo),
      body: transactionBody(requestNo, random),
    };
  };
  let rawNo = 0;
  const nextParams = () => rawParams((rawNo += 1), random);

  const callHandler = async (handler: typeof api, request: CreateRequest): Promise<number> => {
    const event = albEvent(request);
    const start = process.hrtime.bigint();
    const result = await handler(event);
    const ms = elapsedMs(start);
    const replayed = result.headers?.["Idempotent-Replayed"] !== undefined;
    if (result.statusCode !== 201 || replayed) {
      throw new Error(`handler answered ${result.statusCode}: ${result.body ?? ""}`);
    }
    return ms;
  };
  const callRaw = async (params: Params, second: "select" | "update") => {
    const start = process.hrtime.bigint();
    const client = await pool.connect();
    let insertMs: number;
    try {
      const inserted = await client.query<{ id: string }>(INSERT_SQL, params);
      insertMs = elapsedMs(start);
      const outboxId = inserted.rows[0]?.id;
      if (outboxId === undefined) throw new Error("raw INSERT inserted nothing");
      if (second === "select") await client.query(SELECT_SQL, [params[0]]);
      else await client.query(UPDATE_SQL, [outboxId]);
    } finally {
      client.release();
    }
    return { totalMs: elapsedMs(start), insertMs };
  };

  // Events and parameters are prepared outside the timed region.
  const handlerSeries: number[] = [];
  const rawSeries: number[] = [];
  const rawSameSeries: number[] = [];
  const rawInsertOnly: number[] = [];
  const series = {
    handler: async (record: boolean) => {
      const ms = await callHandler(api, nextRequest());
      if (record) handlerSeries.push(ms);
    },
    raw: async (record: boolean) => {
      const { totalMs } = await callRaw(nextParams(), "select");
      if (record) rawSeries.push(totalMs);
    },
    rawSame: async (record: boolean) => {
      const { totalMs, insertMs } = await callRaw(nextParams(), "update");
      if (record) {
        rawSameSeries.push(totalMs);
        rawInsertOnly.push(insertMs);
      }
    },
  };
  const order = [series.handler, series.raw, series.rawSame];

  for (const step of order) for (let i = 0; i < WARMUP; i += 1) await step(false);
  output.reset();
  // Round-robin, one call at a time, rotating which series goes first, so that every series
  // sees the same background load (this 2-core machine is shared).
  for (let i = 0; i < N; i += 1) {
    for (let k = 0; k < order.length; k += 1) await order[(i + k) % order.length]?.(true);
  }
  const logLinesPerCall = output.stdoutLines / N;
  const logBytesPerCall = output.stdoutBytes / N;

  // Breakdown: where the handler's time goes (separate pass, not part of the ratio).
  const timed = new TimedStore(store);
  const timedApi = makeApiHandler({ transactions: timed, statuses, queue, region: "bench" });
  const noDbApi = makeApiHandler({
    transactions: new NoDatabaseStore(),
    statuses,
    queue,
    region: "bench",
  });
  const timedTotals: number[] = [];
  const noDbTotals: number[] = [];
  const rawTotals: number[] = [];
  const rawInserts: number[] = [];
  for (let i = 0; i < BREAKDOWN_N; i += 1) {
    timedTotals.push(await callHandler(timedApi, nextRequest()));
    noDbTotals.push(await callHandler(noDbApi, nextRequest()));
    const { totalMs, insertMs } = await callRaw(nextParams(), "update");
    rawTotals.push(totalMs);
    rawInserts.push(insertMs);
  }
  const rest = timedTotals.map((t, i) => t - (timed.createMs[i] ?? 0));
  const rawUpdates = rawTotals.map((t, i) => t - (rawInserts[i] ?? 0));

  // Ablation of the no-I/O path: the same calls with Powertools logging silenced, and with
  // logging and EMF metrics both stubbed out (module singletons, toggled around each call).
  const stubMetrics = (stub: boolean) => {
    if (stub) {
      metrics.addMetric = () => metrics;
      metrics.publishStoredMetrics = () => metrics;
    } else {
      // Back to the class's own methods.
      Reflect.deleteProperty(metrics, "addMetric");
      Reflect.deleteProperty(metrics, "publishStoredMetrics");
    }
  };
  const withPowertools = async (log: boolean, emf: boolean, run: () => Promise<number>) => {
    logger.setLogLevel(log ? "INFO" : "SILENT");
    stubMetrics(!emf);
    try {
      return await run();
    } finally {
      logger.setLogLevel("INFO");
      stubMetrics(false);
    }
  };
  const ablation = { full: [] as number[], noLog: [] as number[], bare: [] as number[] };
  for (let i = 0; i < N; i += 1) {
    ablation.full.push(await withPowertools(true, true, () => callHandler(noDbApi, nextRequest())));
    ablation.noLog.push(
      await withPowertools(false, true, () => callHandler(noDbApi, nextRequest())),
    );
    ablation.bare.push(
      await withPowertools(false, false, () => callHandler(noDbApi, nextRequest())),
    );
  }

  const checkout = async (run: () => Promise<void>) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < BREAKDOWN_N; i += 1) await run();
    return (elapsedMs(start) / BREAKDOWN_N) * 1000;
  };
  const withClientUs = await checkout(() => database.withClient(() => Promise.resolve()));
  const rawCheckoutUs = await checkout(async () => (await pool.connect()).release());

  const handler = summarize(handlerSeries);
  const raw = summarize(rawSeries);
  const rawSame = summarize(rawSameSeries);
  const insertOnly = summarize(rawInsertOnly);
  print(`\nHandler vs raw pg: ${N} sequential calls per series after ${WARMUP} warm-up calls`);
  print("(DynamoDB and SQS are excluded: in-memory StatusStore/Queue; the ratio is our code on");
  print(
    ` the database path. PostgreSQL: embedded, loopback TCP, ${DURABLE ? "default durability" : "synchronous_commit=off"}.)\n`,
  );
  print(
    `${"series (ms)".padEnd(44)} ${"mean".padStart(8)} ${"p50".padStart(8)} ${"p99".padStart(8)} ${"max".padStart(8)}`,
  );
  print(formatSummary("handler (makeApiHandler, PgTransactionStore)", handler));
  print(formatSummary("raw pg: INSERT row+outbox, SELECT row", raw));
  print(formatSummary("raw pg: INSERT row+outbox, UPDATE outbox", rawSame));
  print(formatSummary("  of which the INSERT round trip", insertOnly));
  print(
    `\nratio handler/raw: mean ${(handler.mean / raw.mean).toFixed(2)}x, ` +
      `p50 ${(handler.p50 / raw.p50).toFixed(2)}x (goal <= ${RATIO_GOAL}x); vs a raw ` +
      `INSERT+UPDATE (two commits): mean ${(handler.mean / rawSame.mean).toFixed(2)}x, ` +
      `p50 ${(handler.p50 / rawSame.p50).toFixed(2)}x`,
  );
  const us = (ms: number) => (ms * 1000).toFixed(0).padStart(7);
  const row = (label: string, samples: readonly number[], rawLabel = "", rawSamples?: number[]) => {
    const a = summarize(samples);
    const r = rawSamples === undefined ? undefined : summarize(rawSamples);
    print(
      `  ${label.padEnd(44)}${us(a.mean)}${us(a.p50)}   ${rawLabel.padEnd(26)}` +
        (r === undefined ? "" : `${us(r.mean)}${us(r.p50)}`),
    );
  };
  print(
    `\nWhere the handler's time goes: a separate pass of ${BREAKDOWN_N} rounds, each one handler ` +
      `call (store timed),\none call over a store with no I/O, one raw INSERT+UPDATE (µs):`,
  );
  print(
    `  ${"handler".padEnd(44)}${"mean".padStart(7)}${"p50".padStart(7)}   ${"raw pg, same pass".padEnd(26)}${"mean".padStart(7)}${"p50".padStart(7)}`,
  );
  row("whole call", timedTotals, "INSERT + UPDATE", rawTotals);
  row("store.create (checkout, INSERT)", timed.createMs, "checkout + INSERT", rawInserts);
  row("(the handler has no second statement)", [0], "UPDATE + release", rawUpdates);
  row("the rest: in-process code around it", rest);
  row("whole call over a store with no I/O", noDbTotals);
  print(`\nThe no-I/O path, ${N} rounds of three calls (µs):`);
  row("as deployed (INFO log line + EMF line)", ablation.full);
  row("logger silenced (level SILENT)", ablation.noLog);
  row("logger silenced, EMF metrics stubbed", ablation.bare);
  print(
    `  one checkout+release, no query: Database.withClient ${withClientUs.toFixed(0)} µs, raw pool.connect ${rawCheckoutUs.toFixed(0)} µs (the handler does 1)`,
  );
  print(
    `  log output per call: ${logLinesPerCall.toFixed(1)} lines, ${logBytesPerCall.toFixed(0)} bytes (built, then discarded)`,
  );

  const figures: Figure[] = [
    { bench: BENCH, name: "handler mean", value: handler.mean, unit: "ms" },
    { bench: BENCH, name: "handler p50", value: handler.p50, unit: "ms" },
    { bench: BENCH, name: "handler p99", value: handler.p99, unit: "ms" },
    { bench: BENCH, name: "raw pg mean", value: raw.mean, unit: "ms" },
    { bench: BENCH, name: "raw pg p50", value: raw.p50, unit: "ms" },
    { bench: BENCH, name: "raw pg p99", value: raw.p99, unit: "ms" },
    {
      bench: BENCH,
      name: "ratio of means",
      value: handler.mean / raw.mean,
      unit: "x",
      max: RATIO_GOAL,
    },
    {
      bench: BENCH,
      name: "ratio of p50s",
      value: handler.p50 / raw.p50,
      unit: "x",
      max: RATIO_GOAL,
    },
    {
      bench: BENCH,
      name: "ratio of means vs raw INSERT+UPDATE",
      value: handler.mean / rawSame.mean,
      unit: "x",
    },
    {
      bench: BENCH,
      name: "handler code without I/O (mean)",
      value: summarize(noDbTotals).mean * 1000,
      unit: "µs",
    },
  ];
  return figures;
});

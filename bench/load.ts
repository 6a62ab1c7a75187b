/**
 * Benchmark 3: POST /transactions under load on loopback, with PostgreSQL stopped and started
 * again midway (goals: 0 duplicate rows, 0 acknowledged-but-missing transactions).
 *
 * - The full local environment (support/local-environment.ts): embedded PostgreSQL with its
 *   default durability settings, dynalite, and `startLocalServer` (in-process queue and worker)
 *   on a fixed 127.0.0.1 port, in a child process that is started again if it dies (as systemd
 *   does for ec2-server); each crash is recorded with its error and must not happen.
 * - Exactly 10,000 requests at concurrency 50 over keep-alive HTTP to 127.0.0.1. 20% reuse an
 *   idempotency key sent earlier with the identical body: half of those pick a key from the
 *   last 50 requests (often still in flight), half any earlier key. Seeded, so every run sends
 *   the same plan (keys carry the process id, so runs never collide).
 * - After ~5,000 requests PostgreSQL is stopped (fast shutdown), and started again on the same
 *   data dir 2 s later, while the load continues.
 * - Clients retry a 503 or a connection error with the SAME key and body, up to 20 tries, with
 *   100-250 ms of jittered backoff (Retry-After is not honoured: the point is to hammer).
 * - Afterwards PostgreSQL is checked against every 201 the clients received.
 */
import { Agent } from "node:http";
import { setTimeout as delay } from "node:timers/promises";

import { Client } from "pg";

import { startBenchEnvironment } from "./support/local-environment";
import { postJson } from "./support/http-client";
import { runBench } from "./support/main";
import { print } from "./support/output";
import type { Figure } from "./support/report";
import { type CreateRequest, idempotencyKey, transactionBody } from "./support/requests";
import { elapsedMs, seededRandom, summarize } from "./support/stats";

const BENCH = "load";
const TOTAL = 10_000;
const CONCURRENCY = 50;
const REUSE_FRACTION = 0.2;
const OUTAGE_AFTER = 5_000;
const OUTAGE_MS = 2_000;
const MAX_TRIES = 20;
const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 250;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** The whole run, setup and checks included (BENCH_LOAD_DEADLINE_S overrides, for testing). */
const DEADLINE_MS = Number(process.env.BENCH_LOAD_DEADLINE_S ?? 300) * 1000;

interface PlannedRequest extends CreateRequest {
  readonly reuse: boolean;
}

function buildPlan(run: string, random: () => number): PlannedRequest[] {
  const candidates = Array.from({ length: TOTAL - CONCURRENCY }, (_, i) => i + CONCURRENCY);
  for (let i = candidates.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [candidates[i], candidates[j]] = [candidates[j] ?? 0, candidates[i] ?? 0];
  }
  const reuseAt = new Set(candidates.slice(0, Math.round(TOTAL * REUSE_FRACTION)));
  const plan: PlannedRequest[] = [];
  const originals: number[] = [];
  for (let i = 0; i < TOTAL; i += 1) {
    if (reuseAt.has(i)) {
      const recent = originals.filter((o) => o >= i - CONCURRENCY);
      const pool = random() < 0.5 && recent.length > 0 ? recent : originals;
      const source = plan[pool[Math.floor(random() * pool.length)] ?? 0];
      if (source === undefined) throw new Error("plan: no earlier request to reuse");
      plan.push({ idempotencyKey: source.idempotencyKey, body: source.body, reuse: true });
    } else {
      const n = originals.length;
      originals.push(i);
      plan.push({
        idempotencyKey: idempotencyKey(run, n),
        body: transactionBody(n, random),
        reuse: false,
      });
    }
  }
  return plan;
}

runBench(BENCH, { deadlineMs: DEADLINE_MS }, async ({ defer }) => {
  const setupStart = process.hrtime.bigint();
  const env = await startBenchEnvironment(defer);
  const setupMs = elapsedMs(setupStart);
  const { pg, server } = env;
  const random = seededRandom(3);
  const plan = buildPlan(`l${process.pid}`, random);
  const jitter = seededRandom(4);

  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  defer(() => Promise.resolve(agent.destroy()));

  const acks: { key: string; id: string; replayed: boolean }[] = [];
  const finalFailures = new Map<string, number>();
  const latencies: number[] = [];
  const attemptLatencies: number[] = [];
  let answers503 = 0;
  let connectionErrors = 0;
  let replays = 0;
  let attempts = 0;
  let dispatched = 0;
  let outage: Promise<{ stopMs: number; downMs: number; startMs: number }> | undefined;

  const startOutage = async () => {
    const t0 = process.hrtime.bigint();
    await pg.stop();
    const stopMs = elapsedMs(t0);
    await delay(OUTAGE_MS);
    const t1 = process.hrtime.bigint();
    await pg.start();
    return { stopMs, startMs: elapsedMs(t1), downMs: elapsedMs(t0) };
  };

  const send = async (request: PlannedRequest): Promise<void> => {
    const start = process.hrtime.bigint();
    let outcome = "";
    for (let attempt = 1; attempt <= MAX_TRIES; attempt += 1) {
      attempts += 1;
      const attemptStart = process.hrtime.bigint();
      try {
        const answer = await postJson(
          agent,
          server.port,
          "/transactions",
          { "idempotency-key": request.idempotencyKey },
          request.body,
          ATTEMPT_TIMEOUT_MS,
        );
        attemptLatencies.push(elapsedMs(attemptStart));
        if (answer.status === 201) {
          const { id } = JSON.parse(answer.body) as { id: string };
          const replayed = answer.headers["idempotent-replayed"] === "true";
          if (replayed) replays += 1;
          acks.push({ key: request.idempotencyKey, id, replayed });
          latencies.push(elapsedMs(start));
          return;
        }
        outcome = `HTTP ${answer.status}`;
        if (answer.status !== 503) break;
        answers503 += 1;
      } catch (error) {
        attemptLatencies.push(elapsedMs(attemptStart));
        connectionErrors += 1;
        outcome = `connection error (${error instanceof Error ? error.message : String(error)})`;
      }
      await delay(BACKOFF_MIN_MS + jitter() * (BACKOFF_MAX_MS - BACKOFF_MIN_MS));
    }
    latencies.push(elapsedMs(start));
    finalFailures.set(outcome, (finalFailures.get(outcome) ?? 0) + 1);
  };

  const loadStart = process.hrtime.bigint();
  const worker = async () => {
    for (;;) {
      const index = dispatched;
      const request = plan[index];
      if (request === undefined) return;
      dispatched += 1;
      if (dispatched === OUTAGE_AFTER) {
        outage = startOutage();
        outage.catch(() => undefined); // awaited (and reported) after the load
      }
      await send(request);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const loadMs = elapsedMs(loadStart);
  const outageTimes = await (outage ?? Promise.reject(new Error("the outage never started")));

  // Verification against PostgreSQL.
  const client = new Client({
    host: pg.host,
    port: pg.port,
    database: pg.database,
    user: pg.user,
    password: pg.password,
  });
  await client.connect();
  const scalar = async (sql: string, params: unknown[] = []) =>
    Number((await client.query<{ n: string }>(sql, params)).rows[0]?.n ?? Number.NaN);
  const duplicateKeys = await scalar(
    `SELECT count(*) AS n FROM (
       SELECT idempotency_key FROM transactions GROUP BY idempotency_key HAVING count(*) > 1) d`,
  );
  const rows = await scalar("SELECT count(*) AS n FROM transactions");
  const outboxRows = await scalar("SELECT count(*) AS n FROM outbox");
  const sentKeys = [...new Set(plan.map((p) => p.idempotencyKey))];
  const foreignRows = await scalar(
    "SELECT count(*) AS n FROM transactions WHERE NOT (idempotency_key = ANY($1::text[]))",
    [sentKeys],
  );
  const ackedIds = [...new Set(acks.map((a) => a.id))];
  const found = await client.query<{ id: string; idempotency_key: string }>(
    "SELECT id, idempotency_key FROM transactions WHERE id = ANY($1::uuid[])",
    [ackedIds],
  );
  await client.end();
  const keyOf = new Map(found.rows.map((r) => [r.id, r.idempotency_key]));
  const missing = ackedIds.filter((id) => !keyOf.has(id)).length;
  const wrongKey = acks.filter((a) => keyOf.has(a.id) && keyOf.get(a.id) !== a.key).length;
  const idsPerKey = new Map<string, Set<string>>();
  for (const a of acks) idsPerKey.set(a.key, (idsPerKey.get(a.key) ?? new Set()).add(a.id));
  const keysWithSeveralIds = [...idsPerKey.values()].filter((ids) => ids.size > 1).length;
  const ackedKeys = idsPerKey.size;
  const finalNon2xx = [...finalFailures.values()].reduce((a, b) => a + b, 0);
  const completed = acks.length + finalNon2xx;

  const latency = summarize(latencies);
  const perAttempt = summarize(attemptLatencies);
  const throughput = completed / (loadMs / 1000);
  print(
    `\nLoad: ${TOTAL} POST /transactions, concurrency ${CONCURRENCY}, keep-alive, 127.0.0.1:${server.port}`,
  );
  print(
    `  setup (PostgreSQL initdb+start, dynalite, schema, server): ${(setupMs / 1000).toFixed(1)} s`,
  );
  print(
    `  load phase: ${(loadMs / 1000).toFixed(1)} s, ${throughput.toFixed(0)} req/s; ${attempts} attempts in all`,
  );
  print(
    `  outage after request ${OUTAGE_AFTER}: stop ${outageTimes.stopMs.toFixed(0)} ms, ` +
      `restart ${outageTimes.startMs.toFixed(0)} ms, PostgreSQL down ${(outageTimes.downMs / 1000).toFixed(1)} s`,
  );
  print(
    `  per request (incl. retries): p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, ` +
      `max ${latency.max.toFixed(0)} ms; per attempt: p50 ${perAttempt.p50.toFixed(1)} ms, p99 ${perAttempt.p99.toFixed(1)} ms`,
  );
  print(
    `  answers: ${acks.length} x 201 (${replays} replayed), ${answers503} x 503, ` +
      `${connectionErrors} connection errors; final non-2xx: ${finalNon2xx}` +
      (finalNon2xx > 0 ? ` (${[...finalFailures].map(([k, v]) => `${v} ${k}`).join(", ")})` : ""),
  );
  print(
    `  PostgreSQL: ${rows} transactions rows, ${outboxRows} outbox rows, ${sentKeys.length} unique keys ` +
      `sent, ${ackedKeys} acknowledged; duplicate keys ${duplicateKeys}; acknowledged ids missing ` +
      `${missing}; id/key mismatches ${wrongKey}; keys answered with >1 id ${keysWithSeveralIds}; ` +
      `rows with unknown keys ${foreignRows}`,
  );
  const deadLetters = await server.stop();
  print(`  dead-lettered worker messages (local queue): ${deadLetters ?? "unknown"}`);
  print(`  server process crashes (restarted at once): ${server.crashes.length}`);
  for (const crash of server.crashes) {
    print(`    at ${(crash.atMs / 1000).toFixed(1)} s, ${crash.exit}: ${crash.reason}`);
  }

  const figures: Figure[] = [
    {
      bench: BENCH,
      name: "duplicate idempotency keys (rows)",
      value: duplicateKeys,
      unit: "count",
      max: 0,
    },
    { bench: BENCH, name: "acknowledged (201) ids missing", value: missing, unit: "count", max: 0 },
    {
      bench: BENCH,
      name: "acks inconsistent (key->2 ids, id<->key)",
      value: keysWithSeveralIds + wrongKey + foreignRows,
      unit: "count",
      max: 0,
    },
    {
      bench: BENCH,
      name: "requests without a final answer",
      value: TOTAL - completed,
      unit: "count",
      max: 0,
    },
    {
      bench: BENCH,
      name: "server process crashes",
      value: server.crashes.length,
      unit: "count",
      max: 0,
    },
    { bench: BENCH, name: "rows in transactions", value: rows, unit: "count" },
    { bench: BENCH, name: "unique keys sent", value: sentKeys.length, unit: "count" },
    { bench: BENCH, name: "final non-2xx after retries", value: finalNon2xx, unit: "count" },
    { bench: BENCH, name: "503 answers seen", value: answers503, unit: "count" },
    { bench: BENCH, name: "connection errors seen", value: connectionErrors, unit: "count" },
    { bench: BENCH, name: "replayed 201s", value: replays, unit: "count" },
    { bench: BENCH, name: "latency p50 (incl. retries)", value: latency.p50, unit: "ms" },
    { bench: BENCH, name: "latency p99 (incl. retries)", value: latency.p99, unit: "ms" },
    { bench: BENCH, name: "throughput (incl. outage)", value: throughput, unit: "req/s" },
  ];
  return figures;
});

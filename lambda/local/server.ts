/**
 * Local HTTP adapter: node:http on 127.0.0.1 turns each request into an ALB event and calls the
 * SAME `makeApiHandler` as the Lambda entry, wired to local adapters:
 *   - pg against a local PostgreSQL (PgTransactionStore, unchanged);
 *   - DynamoDB against a local endpoint such as dynalite (DynamoDbStatusStore, unchanged);
 *   - an in-process queue that hands messages to the SAME worker handler;
 *   - a timer that sends the worker the outbox-drain command, like the EventBridge schedule.
 * `npm run api:local` (start-local.ts) starts PostgreSQL and dynalite and then this server.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

import { StaticCredentials } from "../shared/db/credentials";
import { Database } from "../shared/db/database";
import { describeError, logger } from "../shared/observability";
import { DynamoDbStatusStore } from "../shared/stores/dynamodb-status-store";
import { PgTransactionStore } from "../shared/stores/pg-transaction-store";
import { createAlbHttpServer } from "../shared/alb-http";
import { makeApiHandler } from "../transaction-api/handler";
import { makeWorkerHandler } from "../transaction-worker/handler";
import { InProcessQueue } from "./in-process-queue";

export interface LocalServerOptions {
  /** @default Number(process.env.PORT ?? 3000); 0 picks a free port */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  readonly database: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
    readonly password: string;
    /** @default false (plain TCP to a local server) */
    readonly tls?: { readonly caFile?: string } | false;
    /** @default 10 */
    readonly poolMax?: number;
  };
  readonly dynamodb: {
    readonly endpoint: string;
    readonly tableName: string;
    /** @default "us-east-1" */
    readonly region?: string;
  };
  /** Outbox drain period; 0 disables the timer. @default 10000 */
  readonly outboxDrainIntervalMs?: number;
}

export interface LocalServer {
  readonly url: string;
  readonly port: number;
  /** The in-process queue (await `queue.idle()` to let the worker catch up). */
  readonly queue: InProcessQueue;
  close(): Promise<void>;
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const db = options.database;
  const database = new Database({
    host: db.host,
    port: db.port,
    database: db.database,
    credentials: new StaticCredentials({ username: db.user, password: db.password }),
    tls: db.tls ?? false,
    poolMax: db.poolMax ?? 10,
    applicationName: "tap-dr-local",
  });
  const dynamo = new DynamoDBClient({
    endpoint: options.dynamodb.endpoint,
    region: options.dynamodb.region ?? "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 2,
  });
  const transactions = new PgTransactionStore(database);
  const statuses = new DynamoDbStatusStore(dynamo, options.dynamodb.tableName);
  const queue = new InProcessQueue();
  const worker = makeWorkerHandler({ transactions, statuses, queue });
  queue.attach((event) => worker(event));
  const api = makeApiHandler({ transactions, statuses, queue, region: "local" });

  const server = createAlbHttpServer(api);
  const port = await listen(
    server,
    options.port ?? Number(process.env.PORT ?? 3000),
    options.host ?? "127.0.0.1",
  );

  const interval = options.outboxDrainIntervalMs ?? 10_000;
  const drainTimer =
    interval > 0
      ? setInterval(() => {
          worker({ action: "drain-outbox" }).catch((error: unknown) => {
            logger.warn("Local outbox drain failed", { error: describeError(error) });
          });
        }, interval)
      : undefined;

  const url = `http://${options.host ?? "127.0.0.1"}:${port}`;
  logger.info("Local API listening", { url });
  return {
    url,
    port,
    queue,
    async close() {
      clearInterval(drainTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await queue.idle();
      await database.end();
      dynamo.destroy();
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The local environment of `npm run api:local` (lambda/local/start-local.ts), assembled from the
 * same pieces but keeping hold of the PostgreSQL instance, which startLocalEnvironment does not
 * expose: the load benchmark stops and restarts it under load. Embedded PostgreSQL (persistent
 * data dir) + dynalite + the schema in this process, and `startLocalServer` on a fixed
 * 127.0.0.1 port in a supervised child process (support/supervised-server.ts).
 */
import { StaticCredentials } from "../../lambda/shared/db/credentials";
import { Database } from "../../lambda/shared/db/database";
import { migrate } from "../../lambda/shared/db/migrations";
import { type LocalDynamo, startDynalite } from "./dynalite";
import { type ThrowawayPostgres, freePort, startPostgres } from "./postgres";
import { type SupervisedServer, startSupervisedServer } from "./supervised-server";

export interface BenchEnvironment {
  readonly pg: ThrowawayPostgres;
  readonly dynamo: LocalDynamo;
  readonly server: SupervisedServer;
}

/** Starts everything; each started piece is handed to `defer` for cleanup (reverse order). */
export async function startBenchEnvironment(
  defer: (cleanup: () => Promise<unknown>) => void,
  options: { readonly pgFlags?: readonly string[] } = {},
): Promise<BenchEnvironment> {
  const pg = await startPostgres({ database: "tapdr", flags: options.pgFlags ?? [] });
  defer(() => pg.dispose());

  const database = new Database({
    host: pg.host,
    port: pg.port,
    database: pg.database,
    credentials: new StaticCredentials({ username: pg.user, password: pg.password }),
    tls: false,
  });
  try {
    await database.withClient((client) => migrate(client));
  } finally {
    await database.end();
  }

  const dynamo = await startDynalite("tap-dr-bench");
  defer(() => dynamo.close());

  const server = await startSupervisedServer({
    port: await freePort(),
    database: {
      host: pg.host,
      port: pg.port,
      database: pg.database,
      user: pg.user,
      password: pg.password,
    },
    dynamodb: { endpoint: dynamo.endpoint, tableName: dynamo.tableName },
  });
  defer(() => server.stop());
  return { pg, dynamo, server };
}

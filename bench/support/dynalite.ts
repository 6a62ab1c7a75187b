/**
 * In-process DynamoDB (dynalite) on 127.0.0.1 with the status table that
 * lambda/local/start-local.ts creates (lambda/local/local-table.ts: the deployed key schema).
 */
import type { AddressInfo } from "node:net";

import dynalite from "dynalite";

import { createLocalStatusTableAt } from "../../lambda/local/local-table";

export interface LocalDynamo {
  readonly endpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

export async function startDynalite(tableName: string): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const port = await new Promise<number>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  try {
    await createLocalStatusTableAt(endpoint, tableName);
  } catch (error) {
    await close();
    throw error;
  }
  return { endpoint, tableName, close };
}

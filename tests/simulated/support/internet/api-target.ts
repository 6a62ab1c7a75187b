/**
 * Test-only: what a region's API target answers behind its load balancer. The request goes to
 * the real API core (`makeApiHandler`, as the Lambda entry and the EC2 server use it) wired to
 * stores that answer from the simulated stack: the database probe reports the role RDS gives
 * this region's cluster in the global cluster, and the DynamoDB probe succeeds where the table
 * has a replica. Reads and writes of transactions are not simulated (they answer 500): the live
 * write test runs against test-mode stacks only, and against real PostgreSQL in
 * tests/lambda/live-api-suite.test.ts.
 */
import type { ALBEvent, ALBResult } from "aws-lambda";
import type {
  DatabaseRole,
  Queue,
  StatusStore,
  TransactionStore,
} from "../../../../lambda/shared/stores/ports";
import { makeApiHandler } from "../../../../lambda/transaction-api/handler";
import { type Cloud, records } from "../cloud";

const CLUSTER = "aws:rds/cluster:Cluster";
const TABLE = "aws:dynamodb/table:Table";

const notSimulated = (what: string): Promise<never> =>
  Promise.reject(new Error(`simulated API: ${what} is not simulated (see api-target.ts)`));

/**
 * What this region's API reaches of its database: the role RDS reports for the region's member
 * of the global cluster, or undefined when it has no instance to connect to.
 */
export function databaseRole(c: Cloud, region: string): DatabaseRole | undefined {
  const cluster = c.of(CLUSTER, region).find((r) => r.inputs.globalClusterIdentifier !== undefined);
  if (cluster === undefined || c.instancesOf(cluster).length === 0) return undefined;
  return c.isGlobalWriter(cluster) ? "writer" : "reader";
}

/** Whether the transaction table (the stack's transactionTableName) has a copy in the region. */
export function tableServed(c: Cloud, region: string): boolean {
  const table = c.of(TABLE).find((t) => c.nameOf(t) === c.stack.run.outputs.transactionTableName);
  return (
    table !== undefined &&
    (table.region === region ||
      records(table.inputs.replicas).some((replica) => replica.regionName === region))
  );
}

/**
 * The status the region's API answers a GET of `path` with, for callers that cannot wait for the
 * handler (the simulated Route 53 checkers and probers, which answer synchronously): the
 * handler's routes for the health paths, 404 elsewhere. internet-model.test.ts holds it to the
 * real handler's answers.
 */
export function apiStatusFor(c: Cloud, region: string, path: string): number {
  if (path === "/health/live") return 200;
  if (path === "/health") {
    return databaseRole(c, region) !== undefined && tableServed(c, region) ? 200 : 503;
  }
  return 404;
}

/** The region's API, answering ALB events from the stack `cloud()` returns at each request. */
export function simulatedApi(
  cloud: () => Cloud,
  region: string,
): (event: ALBEvent) => Promise<ALBResult> {
  const transactions: TransactionStore = {
    create: () => notSimulated("creating a transaction"),
    findById: () => notSimulated("reading a transaction"),
    settle: () => notSimulated("settling a transaction"),
    drainOutbox: () => notSimulated("draining the outbox"),
    probe(): Promise<DatabaseRole> {
      const role = databaseRole(cloud(), region);
      return role === undefined
        ? Promise.reject(new Error(`connect ECONNREFUSED: no database instance in ${region}`))
        : Promise.resolve(role);
    },
  };
  const statuses: StatusStore = {
    putPending: () => notSimulated("writing a status"),
    putSettled: () => notSimulated("writing a status"),
    get: () => notSimulated("reading a status"),
    listByCustomer: () => notSimulated("listing statuses"),
    probe(): Promise<void> {
      return tableServed(cloud(), region)
        ? Promise.resolve()
        : Promise.reject(new Error(`ResourceNotFoundException: no table replica in ${region}`));
    },
  };
  const queue: Queue = { send: () => notSimulated("sending a message") };
  return makeApiHandler({ transactions, statuses, queue, region });
}

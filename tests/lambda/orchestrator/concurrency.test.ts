/**
 * Duplicate and concurrent events: the lock is a real conditional PutItem on dynalite, so
 * "exactly one action" is proven by DynamoDB's own condition check, not by a mock.
 */
import "aws-sdk-client-mock-jest";

import { StartExecutionCommand } from "@aws-sdk/client-sfn";

import {
  type ControlTable,
  REGIONAL_OUTAGE,
  SimulatedGlobalDb,
  alarmEvent,
  asEntry,
  createControlTable,
  installMetrics,
  makeOrchestrator,
  published,
  testConfig,
  useMocks,
} from "./support";

const mocks = useMocks();
let table: ControlTable;

beforeAll(async () => {
  table = await createControlTable("orchestrator-concurrency");
});
afterAll(() => table.drop());
beforeEach(async () => {
  await table.clearLock();
  new SimulatedGlobalDb().install(mocks.rds);
  installMetrics(mocks.cloudwatch, REGIONAL_OUTAGE);
});

it("GIVEN two alarm events delivered at the same time (EventBridge at-least-once) WHEN both are handled concurrently THEN exactly one StartExecution; the other answers locked, naming the holder", async () => {
  const o = makeOrchestrator(testConfig(table.name));

  const answers = (await Promise.all([o.handler(alarmEvent()), o.handler(alarmEvent())])).map(
    asEntry,
  );

  expect(answers.map((a) => a.outcome).sort()).toEqual(["locked", "started"]);
  expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
  const started = answers.find((a) => a.outcome === "started");
  const locked = answers.find((a) => a.outcome === "locked");
  expect(locked?.lock?.actionId).toBe(started?.actionId);
  expect((await table.lockItem())?.actionId?.S).toBe(started?.actionId);
  expect(published(mocks).filter((p) => p.outcome === "started")).toHaveLength(1);
});

it("GIVEN eight events from separate Lambda environments (an alarm storm, a human with the CLI) WHEN they race THEN exactly one action starts", async () => {
  const environments = Array.from({ length: 4 }, () => makeOrchestrator(testConfig(table.name)));

  const answers = (
    await Promise.all(
      environments.flatMap((o, i) => [
        o.handler(alarmEvent()),
        o.handler({ action: "failover", requestedBy: `cli:operator-${i}` }),
      ]),
    )
  ).map(asEntry);

  expect(answers.filter((a) => a.outcome === "started")).toHaveLength(1);
  expect(answers.filter((a) => a.outcome === "locked")).toHaveLength(7);
  expect(mocks.sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
});

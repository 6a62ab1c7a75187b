/**
 * decide() is pure: the corroboration rules, minute by minute. Clock 12:00:30, window 3 min,
 * grace 2 min: a window may end at 12:00, 11:59 or 11:58.
 */
import {
  type Datapoint,
  type DecisionInput,
  decide,
} from "../../../lambda/failover-orchestrator/decide";

const NOW = new Date("2030-01-15T12:00:30.000Z");
const minute = (minutesBeforeNow: number) =>
  new Date(Date.UTC(2030, 0, 15, 12, 0) - minutesBeforeNow * 60_000);

/** One datapoint per minute: values[0] is 11:59 (the newest complete minute), then older. */
const series = (...values: (number | undefined)[]): Datapoint[] =>
  values.flatMap((value, i) => (value === undefined ? [] : [{ timestamp: minute(i + 1), value }]));

const input = (overrides: Partial<DecisionInput> = {}): DecisionInput => ({
  now: NOW,
  windowMinutes: 3,
  replicationLagThresholdMs: 60_000,
  region: { role: "secondary", inProgress: false },
  series: {
    peerApiProbeFailed: series(0, 0, 0, 0, 0),
    peerRegionProbeFailed: series(0, 0, 0, 0, 0),
    replicationLagMs: series(100, 100, 100, 100, 100),
  },
  ...overrides,
});

const failing = (overrides: Partial<DecisionInput>) => decide(input(overrides)).failingSignals;

describe("a signal fails only when every minute of a whole window fails", () => {
  it("GIVEN the peer API probe failing 3 minutes in a row WHEN decided THEN peerApiProbe fails", () => {
    expect(
      failing({ series: { ...input().series, peerApiProbeFailed: series(1, 2, 1, 0, 0) } }),
    ).toEqual(["peerApiProbe"]);
  });

  it("GIVEN failing every other minute (flapping) WHEN decided THEN it does not fail, for any phase", () => {
    for (const values of [series(1, 0, 1, 0, 1), series(0, 1, 0, 1, 0)]) {
      expect(
        failing({
          series: {
            ...input().series,
            peerApiProbeFailed: values,
            peerRegionProbeFailed: values,
          },
        }),
      ).toEqual([]);
    }
  });

  it("GIVEN 2 failing minutes of a 3-minute window WHEN decided THEN not failing, and the verdict counts 2", () => {
    const d = decide(
      input({ series: { ...input().series, peerRegionProbeFailed: series(1, 1, 0, 0, 0) } }),
    );
    expect(d.signals.find((s) => s.name === "peerRegionProbe")).toMatchObject({
      failing: false,
      failingMinutes: 2,
    });
  });

  it("GIVEN a missing prober datapoint inside the run WHEN decided THEN not failing (no data is not evidence)", () => {
    expect(
      failing({
        series: { ...input().series, peerApiProbeFailed: series(1, undefined, 1, 1, 0) },
      }),
    ).toEqual([]);
  });

  it("GIVEN the newest minute not yet ingested but the 3 before it failing WHEN decided THEN failing (the ingestion grace)", () => {
    expect(
      failing({
        series: { ...input().series, peerApiProbeFailed: series(undefined, 1, 1, 1, 0) },
      }),
    ).toEqual(["peerApiProbe"]);
  });

  it("GIVEN the signal recovered in the newest 2 minutes after 3 failing ones WHEN decided THEN not failing (a good minute is never skipped)", () => {
    expect(
      failing({ series: { ...input().series, peerApiProbeFailed: series(0, 0, 1, 1, 1) } }),
    ).toEqual([]);
  });

  it("GIVEN the newest 3 minutes not ingested WHEN decided THEN not failing (more than the grace: stale, not evidence)", () => {
    expect(
      failing({
        series: {
          ...input().series,
          peerApiProbeFailed: series(undefined, undefined, undefined, 1, 1, 1),
        },
      }),
    ).toEqual([]);
  });

  it("GIVEN the failing run ended longer ago than the grace WHEN decided THEN not failing (stale)", () => {
    expect(
      failing({
        series: {
          ...input().series,
          peerApiProbeFailed: series(0, 0, 0, 1, 1, 1),
        },
      }),
    ).toEqual([]);
  });
});

describe("replication lag", () => {
  it("GIVEN lag above the threshold every minute WHEN decided THEN failing", () => {
    expect(
      failing({
        series: { ...input().series, replicationLagMs: series(90_000, 61_000, 70_000) },
      }),
    ).toEqual(["replicationLag"]);
  });

  it("GIVEN lag exactly at the threshold WHEN decided THEN not failing (above means above)", () => {
    expect(
      failing({ series: { ...input().series, replicationLagMs: series(60_000, 60_000, 60_000) } }),
    ).toEqual([]);
  });

  it("GIVEN no lag datapoint in the whole lookback while a secondary with instances WHEN decided THEN failing (replication stopped reporting)", () => {
    const d = decide(input({ series: { ...input().series, replicationLagMs: [] } }));
    expect(d.failingSignals).toEqual(["replicationLag"]);
    expect(d.signals.find((s) => s.name === "replicationLag")?.reason).toBe(
      "AuroraGlobalDBReplicationLag not reported for 5 min while this cluster is a secondary",
    );
  });

  it("GIVEN no lag datapoint while the secondary is headless WHEN decided THEN unknown, not failing (one prober signal alone must never trigger)", () => {
    const d = decide(
      input({
        region: { role: "headless", inProgress: false },
        series: { ...input().series, peerApiProbeFailed: series(1, 1, 1), replicationLagMs: [] },
      }),
    );
    expect(d.recommend).toBe(false);
    expect(d.failingSignals).toEqual(["peerApiProbe"]);
  });
});

describe("recommendation", () => {
  const outage = {
    peerApiProbeFailed: series(1, 1, 1, 1, 1),
    peerRegionProbeFailed: series(1, 1, 1, 1, 1),
    replicationLagMs: [],
  };

  it("GIVEN two independent failing signals, a secondary, nothing in progress WHEN decided THEN recommended", () => {
    const d = decide(
      input({ series: { ...outage, replicationLagMs: series(100, 100, 100, 100, 100) } }),
    );
    expect(d.recommend).toBe(true);
    expect(d.failingSignals).toEqual(["peerApiProbe", "peerRegionProbe"]);
  });

  it("GIVEN one failing signal WHEN decided THEN not recommended", () => {
    const d = decide(
      input({
        series: { ...input().series, peerRegionProbeFailed: outage.peerRegionProbeFailed },
      }),
    );
    expect(d).toMatchObject({
      recommend: false,
      reason: "not corroborated: 1 of 2 required signals failing (peerRegionProbe)",
    });
  });

  it.each([
    ["writer", false, "this region's cluster is already the writer"],
    ["detached", false, "this region's cluster is not a member of the global cluster"],
    ["secondary", true, "a failover or switchover is in progress (busy)"],
  ] as const)(
    "GIVEN all signals failing but role %s / in progress %s WHEN decided THEN not recommended",
    (role, inProgress, reason) => {
      const d = decide(
        input({ series: outage, region: { role, inProgress, inProgressReason: "busy" } }),
      );
      expect(d).toMatchObject({ recommend: false, reason });
    },
  );

  it("GIVEN the optional Route 53 input says the peer is unhealthy WHEN decided THEN it counts as a signal; absent, it is not required", () => {
    const oneProbe = {
      ...input().series,
      peerApiProbeFailed: outage.peerApiProbeFailed,
    };
    expect(decide(input({ series: oneProbe })).recommend).toBe(false);
    expect(
      decide(input({ series: oneProbe, peerHealthCheckHealthy: false })).failingSignals,
    ).toEqual(["peerApiProbe", "route53HealthCheck"]);
    expect(decide(input({ series: oneProbe, peerHealthCheckHealthy: true })).recommend).toBe(false);
  });
});

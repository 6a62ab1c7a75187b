/**
 * The health prober against a real local HTTP server (node:http on 127.0.0.1) through the real
 * global fetch: up, down (closed port), slow (timeout), 5xx, redirects. The EMF record Powertools
 * writes to stdout is captured and asserted exactly, because the alarms, the composite alarm and
 * the dashboards match on those names, that namespace and those dimensions.
 */
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Logger } from "@aws-lambda-powertools/logger";

import { type ProberDeps, makeProberHandler } from "../../../lambda/health-prober/handler";
import { createProberMetrics } from "../../../lambda/health-prober/observability";
import { regionEndpointUrl } from "../../../lambda/health-prober/probes";
import { closedPort } from "../support/services";

type Route = (req: IncomingMessage, res: ServerResponse) => void;

interface SeenRequest {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly userAgent: string | undefined;
}

let server: Server;
let base: string;
const routes = new Map<string, Route>();
const seen: SeenRequest[] = [];
/** The fake monotonic clock; a route may advance it to simulate time spent answering. */
let clock = 1_000;

// The lambda project's global setup disables Powertools metrics for the other suites; the EMF
// record is what these tests are about, so metrics are on for this file.
const metricsDisabled = process.env.POWERTOOLS_METRICS_DISABLED;

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = "false";
  server = createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, userAgent: req.headers["user-agent"] });
    const route = routes.get(req.url ?? "");
    if (route === undefined) {
      res.writeHead(404).end("no route");
      return;
    }
    route(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  process.env.POWERTOOLS_METRICS_DISABLED = metricsDisabled;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answer =
  (status: number, headers: Record<string, string> = {}, advanceClockMs = 0): Route =>
  (_req, res) => {
    clock += advanceClockMs;
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify({ status: status === 200 ? "ok" : "unhealthy" }));
  };

/** Captures what Powertools writes to stdout; returns the EMF records (lines with `_aws`). */
function captureStdout(): { emf: () => Record<string, unknown>[]; restore: () => void } {
  const lines: string[] = [];
  const spy = jest.spyOn(process.stdout, "write").mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  return {
    emf: () =>
      lines
        .flatMap((chunk) => chunk.split("\n"))
        .filter((line) => line.includes('"_aws"'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

function prober(overrides: Partial<ProberDeps> = {}) {
  return makeProberHandler({
    fetch,
    metrics: createProberMetrics(),
    logger: new Logger({ serviceName: "health-prober", logLevel: "SILENT" }),
    now: () => clock,
    regionEndpointUrl: (region) => `${base}/rds/${region}/`,
    ...overrides,
  });
}

function emfFor(
  failedApi: number,
  failedRegion: number,
  latency: number,
  peerRegion = "us-east-1",
) {
  return {
    _aws: {
      Timestamp: expect.any(Number) as unknown,
      CloudWatchMetrics: [
        {
          Namespace: "TapDr/Failover",
          Dimensions: [["service", "PeerRegion"]],
          Metrics: [
            { Name: "PeerApiProbeFailed", Unit: "Count" },
            { Name: "PeerRegionProbeFailed", Unit: "Count" },
            { Name: "PeerApiProbeLatency", Unit: "Milliseconds" },
          ],
        },
      ],
    },
    service: "health-prober",
    PeerRegion: peerRegion,
    PeerApiProbeFailed: failedApi,
    PeerRegionProbeFailed: failedRegion,
    PeerApiProbeLatency: latency,
  };
}

beforeEach(() => {
  routes.clear();
  seen.length = 0;
  clock = 1_000;
});

describe("health prober", () => {
  it("GIVEN the peer API answers 200 in 37 ms and the RDS endpoint answers 404 WHEN the schedule fires THEN one EMF record with both failures 0 and latency 37, in TapDr/Failover with service and PeerRegion", async () => {
    routes.set("/health", answer(200, {}, 37));
    routes.set("/rds/us-east-1/", answer(404));
    const out = captureStdout();
    try {
      const report = await prober()({ targetUrl: `${base}/health`, peerRegion: "us-east-1" });

      expect(out.emf()).toEqual([emfFor(0, 0, 37)]);
      expect(report.api).toEqual({ url: `${base}/health`, ok: true, latencyMs: 37, status: 200 });
      expect(report.region).toMatchObject({ ok: true, status: 404 });
    } finally {
      out.restore();
    }
    expect(seen).toEqual(
      expect.arrayContaining([
        { method: "GET", url: "/health", userAgent: "tap-dr-health-prober" },
        { method: "GET", url: "/rds/us-east-1/", userAgent: "tap-dr-health-prober" },
      ]),
    );
    expect(seen).toHaveLength(2);
  });

  it.each([
    ["503 from the API", answer(503), 1, "status 503"],
    ["500 from the API", answer(500), 1, "status 500"],
    [
      "a 302 redirect (not followed: the health path must answer itself)",
      answer(302, { location: "/elsewhere" }),
      1,
      "status 302",
    ],
    ["204 (only 200 is healthy)", answer(204), 1, "status 204"],
  ])(
    "GIVEN %s WHEN probed THEN PeerApiProbeFailed is 1 and the region probe still passes",
    async (_title, route, failed, reason) => {
      routes.set("/health", route);
      routes.set("/elsewhere", answer(200));
      routes.set("/rds/eu-west-1/", answer(403));
      const out = captureStdout();
      try {
        const report = await prober()({ targetUrl: `${base}/health`, peerRegion: "eu-west-1" });

        expect(out.emf()).toEqual([emfFor(failed, 0, 0, "eu-west-1")]);
        expect(report.api.reason).toBe(reason);
      } finally {
        out.restore();
      }
      expect(seen.map((r) => r.url)).not.toContain("/elsewhere");
    },
  );

  it.each([
    ["404", 404, 0],
    ["302 redirect", 302, 0],
    ["499", 499, 0],
    ["500", 500, 1],
    ["503", 503, 1],
  ])(
    "GIVEN the RDS endpoint answers %s (status %i) WHEN probed THEN PeerRegionProbeFailed is %i",
    async (_title, status, failed) => {
      routes.set("/health", answer(200));
      routes.set("/rds/us-east-1/", answer(status, { location: "https://aws.amazon.com/rds/" }));
      const out = captureStdout();
      try {
        await prober()({ targetUrl: `${base}/health`, peerRegion: "us-east-1" });
        expect(out.emf()).toEqual([emfFor(0, failed, 0)]);
      } finally {
        out.restore();
      }
    },
  );

  it("GIVEN the peer refuses connections WHEN probed THEN both probes fail with a network error and the handler still returns", async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const out = captureStdout();
    try {
      const report = await prober({ regionEndpointUrl: (r) => `${down}/rds/${r}/` })({
        targetUrl: `${down}/health`,
        peerRegion: "us-east-1",
      });

      expect(out.emf()).toEqual([emfFor(1, 1, 0)]);
      expect(report.api.reason).toBe("network error: ECONNREFUSED");
      expect(report.region.reason).toBe("network error: ECONNREFUSED");
      expect(report.api.status).toBeUndefined();
    } finally {
      out.restore();
    }
  });

  it("GIVEN the peer API hangs WHEN probed with a 300 ms timeout THEN the probe fails on the timeout (not on the server's 3 s) and reports the time waited", async () => {
    routes.set("/health", (_req, res) => {
      setTimeout(() => res.writeHead(200).end("late"), 3_000).unref();
    });
    routes.set("/rds/us-east-1/", answer(404));
    const out = captureStdout();
    const started = Date.now();
    try {
      const report = await prober({ timeoutMs: 300, now: () => performance.now() })({
        targetUrl: `${base}/health`,
        peerRegion: "us-east-1",
      });
      const waited = Date.now() - started;

      expect(report.api).toMatchObject({ ok: false, reason: "timeout after 300 ms" });
      expect(report.api.latencyMs).toBeGreaterThanOrEqual(250);
      expect(waited).toBeLessThan(2_000);
      const [record] = out.emf();
      expect(record).toMatchObject({ PeerApiProbeFailed: 1, PeerRegionProbeFailed: 0 });
      expect(record?.PeerApiProbeLatency).toBe(report.api.latencyMs);
    } finally {
      out.restore();
    }
  });

  it("GIVEN a peer that answers only once BOTH probes have arrived WHEN probed THEN both pass: the probes run in parallel (in sequence, the first would time out)", async () => {
    const waiting: (() => void)[] = [];
    const barrier =
      (status: number): Route =>
      (_req, res) => {
        waiting.push(() => res.writeHead(status).end());
        if (waiting.length === 2) waiting.forEach((release) => release());
      };
    routes.set("/health", barrier(200));
    routes.set("/rds/us-east-1/", barrier(404));
    const out = captureStdout();
    try {
      const report = await prober({ timeoutMs: 2_000 })({
        targetUrl: `${base}/health`,
        peerRegion: "us-east-1",
      });

      expect([report.api.ok, report.region.ok]).toEqual([true, true]);
      expect(out.emf()).toEqual([emfFor(0, 0, 0)]);
    } finally {
      out.restore();
    }
  });

  it("GIVEN two runs for different peers WHEN published THEN each record carries only its own PeerRegion (dimensions do not leak between invocations)", async () => {
    routes.set("/health", answer(200));
    routes.set("/rds/us-east-1/", answer(404));
    routes.set("/rds/us-west-2/", answer(404));
    const handler = prober();
    const out = captureStdout();
    try {
      await handler({ targetUrl: `${base}/health`, peerRegion: "us-east-1" });
      await handler({ targetUrl: `${base}/health`, peerRegion: "us-west-2" });
      expect(out.emf()).toEqual([emfFor(0, 0, 0, "us-east-1"), emfFor(0, 0, 0, "us-west-2")]);
    } finally {
      out.restore();
    }
  });

  it.each([
    [
      "no fields",
      {},
      "Invalid prober event: targetUrl=null (allowed: an absolute http:// or https:// URL (the peer's API URL + health path)); peerRegion=null (allowed: an AWS region name such as us-east-1)",
    ],
    [
      "an ftp URL",
      { targetUrl: "ftp://example.com/health", peerRegion: "us-east-1" },
      'Invalid prober event: targetUrl="ftp://example.com/health" (allowed: an absolute http:// or https:// URL (the peer\'s API URL + health path))',
    ],
    [
      "a host name smuggled into the region",
      { targetUrl: "https://api.example.com/health", peerRegion: "evil.com/x" },
      'Invalid prober event: peerRegion="evil.com/x" (allowed: an AWS region name such as us-east-1)',
    ],
  ])(
    "GIVEN %s WHEN invoked THEN it throws naming field, value and allowed values, and probes and publishes nothing",
    async (_title, event, message) => {
      const out = captureStdout();
      try {
        await expect(prober()(event)).rejects.toThrow(message);
        expect(out.emf()).toEqual([]);
      } finally {
        out.restore();
      }
      expect(seen).toEqual([]);
    },
  );

  it("the default region endpoint is the region's public RDS API", () => {
    expect(regionEndpointUrl("eu-central-1")).toBe("https://rds.eu-central-1.amazonaws.com/");
  });
});

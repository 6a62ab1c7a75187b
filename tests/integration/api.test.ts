import { GetHealthCheckStatusCommand, type HealthCheckObservation } from "@aws-sdk/client-route-53";
import { randomUUID } from "node:crypto";
import { ROUTE53_CONTROL_REGION, clientsFor } from "./clients";
import { eventually } from "./polling";
import { StackOutputs, describeLive } from "./stack-outputs";

type Side = "primary" | "dr";

interface HealthBody {
  status: string;
  role?: string;
  failing?: string[];
}

/** The distinct statuses the checkers report, for a failure message. */
const checkerStatuses = (observations: HealthCheckObservation[]): string =>
  [...new Set(observations.map((o) => o.StatusReport?.Status ?? "no report"))].join(" | ");

const fetchWithin = (url: string, init: RequestInit = {}): Promise<Response> =>
  fetch(url, { ...init, redirect: "manual", signal: AbortSignal.timeout(10_000) });

describeLive("deployed transaction API", (outputs: StackOutputs) => {
  const apiUrl = (side: Side): string =>
    outputs.text(side === "primary" ? "primaryApiUrl" : "drApiUrl");
  const failoverUrl = (): string => outputs.text("apiFailoverUrl");
  // Decided when the suite is defined, so a skipped case says why in its title.
  const hasDomain = outputs.optionalText("apiFailoverUrl") !== undefined;
  const withDomain = hasDomain ? it : it.skip;
  const domainNote = hasDomain ? "" : " (skipped: the stack has no domain, so no DNS records)";
  // Pilot light: the DR region has no database (or app) instance until a failover adds one, so
  // its deep health answers 503 by design and Route 53 sends it no traffic.
  const drServes = outputs.text("drTier") !== "pilot-light";
  // Writes create real rows; only test-mode stacks get them.
  const isTestStack = outputs.optionalText("stackMode") === "test";
  const inTestStack = isTestStack ? it : it.skip;
  const writeNote = isTestStack ? "" : " (skipped: writes run against test-mode stacks only)";

  const regionalRoles: [Side, string][] = drServes
    ? [
        ["primary", "writer"],
        ["dr", "reader"],
      ]
    : [["primary", "writer"]];
  it.each<[Side, string]>(regionalRoles)(
    "answers the deep health check directly at the %s region's load balancer, as the %s",
    async (side, role) => {
      const response = await fetchWithin(`${apiUrl(side)}/health`);
      const body = (await response.json()) as HealthBody;
      expect([response.status, body.status, body.role]).toEqual([200, "ok", role]);
    },
  );

  (drServes ? it.skip : it)(
    `answers 503 at the dr region's load balancer while it is pilot light${drServes ? " (skipped: the DR region is warm standby)" : ""}`,
    async () => {
      const response = await fetchWithin(`${apiUrl("dr")}/health`);
      expect(response.status).toBe(503);
    },
  );

  withDomain(
    `serves the health check through the failover name from the primary region${domainNote}`,
    async () => {
      const response = await fetchWithin(`${failoverUrl()}/health`);
      const body = (await response.json()) as HealthBody;
      expect([response.status, body.role]).toEqual([200, "writer"]);
    },
  );

  withDomain(`redirects plain HTTP to HTTPS${domainNote}`, async () => {
    const response = await fetchWithin(`${failoverUrl().replace(/^https:/, "http:")}/health`);
    expect(response.status).toBe(301);
    // The same name and path over HTTPS on 443 (ELB writes ":443"; the URL parser drops it).
    const location = new URL(response.headers.get("location") ?? "", "http://relative.invalid");
    expect([location.protocol, location.hostname, location.port, location.pathname]).toEqual([
      "https:",
      new URL(failoverUrl()).hostname,
      "",
      "/health",
    ]);
  });

  withDomain.each<Side>(drServes ? ["primary", "dr"] : ["primary"])(
    `has a healthy Route 53 health check for the %s region${domainNote}`,
    async (side) => {
      const id = outputs.text(side === "primary" ? "primaryHealthCheckId" : "drHealthCheckId");
      // Health-check status is read from Route 53's control plane (us-east-1); tests only.
      const { route53 } = clientsFor(ROUTE53_CONTROL_REGION);
      const observations = await eventually("a healthy majority of checkers", async () => {
        const { HealthCheckObservations = [] } = await route53.send(
          new GetHealthCheckStatusCommand({ HealthCheckId: id }),
        );
        const healthy = HealthCheckObservations.filter((o) =>
          o.StatusReport?.Status?.startsWith("Success"),
        );
        if (healthy.length > HealthCheckObservations.length / 2) return HealthCheckObservations;
        // Kept for the timeout message: what the checkers see is the reason.
        throw new Error(
          `${healthy.length}/${HealthCheckObservations.length} report Success; ${checkerStatuses(HealthCheckObservations)}`,
        );
      });
      expect(observations.length).toBeGreaterThan(0);
    },
  );

  (hasDomain && !drServes ? it : it.skip)(
    `has the dr region's Route 53 health check failing on 503 while it is pilot light${hasDomain ? (drServes ? " (skipped: the DR region is warm standby)" : "") : domainNote}`,
    async () => {
      const { route53 } = clientsFor(ROUTE53_CONTROL_REGION);
      // The checkers reach the endpoint and are refused by the deep check, not cut off from it.
      const observations = await eventually("a majority of checkers seeing HTTP 503", async () => {
        const { HealthCheckObservations = [] } = await route53.send(
          new GetHealthCheckStatusCommand({ HealthCheckId: outputs.text("drHealthCheckId") }),
        );
        const refused = HealthCheckObservations.filter((o) =>
          /HTTP Status Code 503/.test(o.StatusReport?.Status ?? ""),
        );
        if (refused.length > HealthCheckObservations.length / 2) return HealthCheckObservations;
        throw new Error(
          `${refused.length}/${HealthCheckObservations.length} see 503; ${checkerStatuses(HealthCheckObservations)}`,
        );
      });
      expect(observations.length).toBeGreaterThan(0);
    },
  );

  inTestStack(
    `accepts a transaction once per idempotency key in the primary, refuses writes in the DR region, and reads it back in both${writeNote}`,
    async () => {
      const key = randomUUID();
      const body = JSON.stringify({
        amount: 1250,
        currency: "EUR",
        sourceAccount: `ITSRC${key.slice(0, 8).toUpperCase()}`,
        destinationAccount: `ITDST${key.slice(0, 8).toUpperCase()}`,
        reference: "integration test",
      });
      const post = (side: Side) =>
        fetchWithin(`${apiUrl(side)}/transactions`, {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": key },
          body,
        });
      const first = await post("primary");
      const created = (await first.json()) as { id: string; status: string };
      expect([first.status, created.status]).toEqual([201, "pending"]);

      const replay = await post("primary");
      expect([replay.status, await replay.json()]).toEqual([201, created]);

      const refused = await post("dr");
      expect(refused.status).toBe(503);

      for (const side of ["primary", "dr"] as const) {
        const found = await eventually(`GET in ${side}`, async () => {
          const response = await fetchWithin(`${apiUrl(side)}/transactions/${created.id}`);
          return response.status === 200 ? ((await response.json()) as { id: string }) : undefined;
        });
        expect(found.id).toBe(created.id);
      }
    },
  );
});

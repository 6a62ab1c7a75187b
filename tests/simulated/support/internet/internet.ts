/**
 * Test-only: the internet between a live test and the simulated stack. `fetch` here resolves the
 * URL's host through the stack's Route 53 records (dns.ts), connects only where the load
 * balancer's security group admits the client and a listener is on the port, speaks TLS with a
 * certificate carrying exactly the names of the listener's ACM certificate (checked by the
 * client's own host-name verification against a test CA, test-certificates.ts), and lets the
 * listener's default action answer: a redirect, or the region's API (api-target.ts).
 *
 * It is undici's fetch (the implementation behind Node's global fetch) with a connector that
 * dials local servers instead of public addresses; the live suites call it as `fetch`, unchanged.
 */
import {
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer as createHttpServer,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { type AddressInfo, type Socket, connect as tcpConnect } from "node:net";
import { type TLSSocket, connect as tlsConnect, createSecureContext } from "node:tls";
import { Agent, type buildConnector, fetch as undiciFetch } from "undici";
import type { ALBEvent, ALBResult } from "aws-lambda";
import { readBody, toAlbEvent, writeAlbResult } from "../../../../lambda/shared/alb-http";
import type { CapturedResource } from "../../../support/mock-graph";
import type { Cloud } from "../cloud";
import { simulatedApi } from "./api-target";
import { route53Health } from "./health-checker";
import { certificateNames, listenerAnswer, listenerOn } from "./load-balancer";
import { reach } from "./reachability";
import { createTestCertificateAuthority } from "./test-certificates";

const LOAD_BALANCER = "aws:lb/loadBalancer:LoadBalancer";

export interface SimulatedInternet {
  /** `fetch` as a client on the internet (SOURCE_ADDRESSES.client) reaches the simulated stack. */
  readonly fetch: typeof fetch;
  /**
   * Faults of the simulation itself (a handler that threw, a certificate that could not be
   * made) since the last call. A test that failed because of one proves nothing about the stack.
   */
  takeSimulationErrors(): string[];
  close(): Promise<void>;
}

function systemError(code: string, message: string): Error {
  const error = new Error(message) as NodeJS.ErrnoException;
  error.code = code;
  return error;
}

export function startSimulatedInternet(cloud: () => Cloud): SimulatedInternet {
  const authority = createTestCertificateAuthority();
  const simulationErrors: string[] = [];
  const describe = (error: unknown): string =>
    error instanceof Error ? error.message : String(error);
  const servers = new Map<string, Promise<{ server: Server; port: number }>>();
  const apis = new Map<string, (event: ALBEvent) => Promise<ALBResult>>();
  const apiOf = (region: string) => {
    let api = apis.get(region);
    if (api === undefined) {
      api = simulatedApi(cloud, region);
      apis.set(region, api);
    }
    return api;
  };

  /** One load balancer listener's requests, answered from the stack as it is at that moment. */
  const handle =
    (loadBalancerName: string, port: number) => (req: IncomingMessage, res: ServerResponse) => {
      const c = cloud();
      const loadBalancer = c.of(LOAD_BALANCER).find((lb) => lb.name === loadBalancerName);
      const listener = loadBalancer && listenerOn(c, loadBalancer, port);
      if (listener === undefined) {
        res.destroy();
        return;
      }
      const url = new URL(req.url ?? "/", "http://placeholder");
      const answer = listenerAnswer(c, listener, {
        protocol: String(listener.inputs.protocol).toLowerCase(),
        host: (req.headers.host ?? "").replace(/:\d+$/, ""),
        port,
        path: url.pathname,
        query: url.search.replace(/^\?/, ""),
      });
      if (answer.kind === "redirect") {
        res.writeHead(answer.status, { location: answer.location }).end();
      } else if (answer.kind === "fixed-response") {
        res.writeHead(answer.status, { "content-type": "text/plain" }).end(answer.body);
      } else if (c.stack.service.downApiRegions.includes(answer.region)) {
        // The target does not answer: an ALB reports it as 502 Bad Gateway.
        res.writeHead(502, { "content-type": "text/html" }).end("502 Bad Gateway");
      } else {
        readBody(req)
          .then((body) => apiOf(answer.region)(toAlbEvent(req, body)))
          .then((result) => writeAlbResult(res, result))
          .catch((error: unknown) => {
            simulationErrors.push(`API handler in ${answer.region}: ${describe(error)}`);
            res.writeHead(502).end();
          });
      }
    };

  /** The local server standing in for a listener: TLS for HTTPS listeners, plain for HTTP. */
  const serverFor = (loadBalancer: CapturedResource, listener: CapturedResource) => {
    const port = Number(listener.inputs.port);
    const tls = listener.inputs.protocol === "HTTPS";
    const key = `${loadBalancer.name}:${port}:${tls ? "tls" : "tcp"}`;
    let started = servers.get(key);
    if (started === undefined) {
      const handler = handle(loadBalancer.name, port);
      const server = tls
        ? createHttpsServer(
            {
              // The listener's certificate as it is now, whatever name the client asked for: an
              // ALB with one certificate serves it for every SNI name.
              SNICallback: (_servername, done) => {
                const c = cloud();
                const current = c.of(LOAD_BALANCER).find((lb) => lb.name === loadBalancer.name);
                const live = current && listenerOn(c, current, port);
                const names = live === undefined ? [] : certificateNames(c, live);
                if (names.length === 0) {
                  done(new Error("the listener has no certificate of its region"));
                  return;
                }
                try {
                  done(null, createSecureContext(authority.issue(names)));
                } catch (error) {
                  simulationErrors.push(`certificate for ${names.join(", ")}: ${describe(error)}`);
                  done(error instanceof Error ? error : new Error(String(error)), undefined);
                }
              },
            },
            handler,
          )
        : createHttpServer(handler);
      started = new Promise((resolve, reject) => {
        server.once("error", (error) => {
          // Not kept: the next connection tries to start the server again.
          servers.delete(key);
          reject(error);
        });
        server.listen(0, "127.0.0.1", () =>
          resolve({ server, port: (server.address() as AddressInfo).port }),
        );
      });
      servers.set(key, started);
    }
    return started;
  };

  const connect: buildConnector.connector = (options, callback) => {
    const https = options.protocol === "https:";
    const port = Number(options.port || (https ? 443 : 80));
    const host = options.hostname;
    const c = cloud();
    const path = reach(c, host, port, "client", route53Health(c));
    if (!path.ok) {
      callback(systemError(path.code, path.message), null);
      return;
    }
    const { loadBalancer, listener } = path;
    serverFor(loadBalancer, listener).then(
      ({ port: localPort }) => {
        let settled = false;
        const socket: Socket | TLSSocket = https
          ? tlsConnect({
              host: "127.0.0.1",
              port: localPort,
              // Verified against this name, as a client connecting to the real host would.
              servername: options.servername || host,
              ca: [authority.caCert],
              ALPNProtocols: ["http/1.1"],
            })
          : tcpConnect({ host: "127.0.0.1", port: localPort });
        socket.once(https ? "secureConnect" : "connect", () => {
          if (settled) return;
          settled = true;
          callback(null, socket);
        });
        socket.once("error", (error: Error) => {
          if (settled) return;
          settled = true;
          callback(error, null);
        });
      },
      (error: Error) => callback(error, null),
    );
  };

  // No keep-alive: each request resolves its host again, so a test after a mutation never
  // reuses a connection made to the stack before it.
  const agent = new Agent({ connect, pipelining: 0 });
  const simulatedFetch = (input: unknown, init?: Parameters<typeof undiciFetch>[1]) => {
    // The live suites pass URLs as strings; a Request would carry its own method and headers.
    if (typeof input !== "string" && !(input instanceof URL)) {
      throw new TypeError("the simulated fetch takes a URL string or URL, not a Request");
    }
    return undiciFetch(String(input), { ...init, dispatcher: agent });
  };

  return {
    fetch: simulatedFetch,
    takeSimulationErrors: () => simulationErrors.splice(0),
    async close() {
      await agent.close();
      const started = await Promise.allSettled(servers.values());
      for (const result of started) {
        if (result.status !== "fulfilled") continue;
        const { server } = result.value;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      authority.dispose();
    },
  };
}

// Over 350 lines on purpose: the knobs that act on every call (latency, 429 storms, failures, the clock) share
// one request path.
/**
 * The fake's core: two loopback HTTP servers (SMAPI and Login with Amazon). A SMAPI request is matched against
 * the OpenAPI document, its access token checked, and then answered by the handler of its route. The knobs
 * that act on every call live here: latency, 429 storms (with `Retry-After`), failure injection, the call log, the
 * `Date` header of the service's clock, and the violations `close()` reports.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  accessTokenValid,
  handleAuthorizeRequest,
  handleTokenRequest,
  type FakeLwaState,
  type FakeReply,
} from "../lwa";
import { badRequest, errorReply, type SkillRoutes, type SmapiRequest, type VendorRoutes } from "./context";
import { isModelledRoute, resolveRoute, SMAPI_ROUTES, type SmapiRouteName } from "./routes";
import { matchSpecRoute, missingRequiredParameters } from "./spec";
import type { FakeSkill } from "./state";
import type { FailureInjection, FakeCall, FakeSmapi, FakeSmapiKnobs } from "./types";

/** What the servers work on: the state and records they share with the fake, and every route's handler. */
export interface FakeCore {
  knobs: FakeSmapiKnobs;
  lwa: FakeLwaState;
  skills: Map<string, FakeSkill>;
  calls: FakeCall[];
  violations: string[];
  skillRoutes: SkillRoutes;
  vendorRoutes: VendorRoutes;
  /** Told of every call to a skill before it is answered: what goes on by itself moves on (imports). */
  onSkillCall?(skill: FakeSkill): void;
  /** The service's clock (ms since the epoch): its timestamps and every answer's `Date` header. */
  now(): number;
}

/** The running servers, and the parts of the fake that act on every call. */
export type FakeServers = Pick<
  FakeSmapi,
  | "smapiUrl"
  | "lwaUrl"
  | "maxConcurrentCalls"
  | "throttle"
  | "failAt"
  | "holdUntilConcurrent"
  | "clearFailures"
  | "close"
>;

/** Calls to one route held until `count` of them are in flight together. */
interface Barrier {
  route: string;
  call: string;
  count: number;
  arrived: number;
  open: boolean;
  released: Promise<void>;
  release(): void;
}

interface ArmedInjection extends Required<Omit<FailureInjection, "call">> {
  route: string;
  seen: number;
  fired: number;
}

/** The handlers keyed by `METHOD /template`, as requests are matched. */
function byTemplate<Handler>(routes: Partial<Record<SmapiRouteName, Handler>>): Map<string, Handler> {
  return new Map(
    Object.entries(routes).map(([name, handler]) => [
      SMAPI_ROUTES[name as SmapiRouteName],
      handler as Handler,
    ]),
  );
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function stop(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/** Starts the SMAPI and LWA servers on two loopback ports. */
export async function startServers(core: FakeCore): Promise<FakeServers> {
  const { knobs, lwa, skills, calls, violations } = core;
  const skillHandlers = byTemplate(core.skillRoutes);
  const vendorHandlers = byTemplate(core.vendorRoutes);
  const pendingThrottles: Record<"smapi" | "lwa", string[]> = { smapi: [], lwa: [] };
  let inFlight = 0;
  const injections: ArmedInjection[] = [];
  const barriers: Barrier[] = [];

  /** Counts a call against the first injection still armed for its route; returns it when it fires now. */
  const firingInjection = (route: string): ArmedInjection | undefined => {
    const injection = injections.find(
      (candidate) => candidate.route === route && candidate.fired < candidate.times,
    );
    if (injection === undefined) return undefined;
    injection.seen += 1;
    if (injection.seen < injection.nth) return undefined;
    injection.fired += 1;
    return injection;
  };

  const smapiHandle = async (
    request: IncomingMessage,
    rawBody: string,
    url: URL,
    call: FakeCall,
  ): Promise<FakeReply | "drop"> => {
    const route = matchSpecRoute(request.method ?? "GET", url.pathname);
    if (route === undefined) {
      const message = `${request.method} ${url.pathname} is not a path and method of the Skill Management API`;
      violations.push(message);
      return errorReply(404, `skillship fake: ${message}`);
    }
    call.route = route.key;
    let body: unknown;
    if (rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return badRequest(`The request body of ${route.key} is not JSON.`);
      }
    }
    call.body = body;
    const missing = missingRequiredParameters(route, {
      query: url.searchParams,
      headers: request.headers,
      body,
    });
    if (missing.length > 0) {
      const message = `${route.key} lacks required parameters ${missing.join(", ")}`;
      violations.push(message);
      return badRequest(`skillship fake: ${message}`);
    }
    if (!accessTokenValid(lwa, request.headers.authorization)) {
      return {
        status: 401,
        body: { message: "The auth token is invalid/expired or doesn't have access to the resource." },
      };
    }
    const throttled = pendingThrottles.smapi.shift();
    if (throttled !== undefined) {
      return { status: 429, body: { message: "Rate exceeded" }, headers: { "retry-after": throttled } };
    }
    const smapiRequest: SmapiRequest = {
      params: route.params,
      query: url.searchParams,
      headers: request.headers,
      body,
    };
    // The vendor's routes (the vendor list, upload URLs, import status) name no skill: no skill lookup.
    const vendorHandler = vendorHandlers.get(route.key);
    const skillHandler = skillHandlers.get(route.key);
    let answer: () => FakeReply | Promise<FakeReply>;
    if (vendorHandler !== undefined) {
      answer = () => vendorHandler(smapiRequest);
    } else if (skillHandler !== undefined) {
      const skill = skills.get(route.params.skillId);
      if (skill === undefined) {
        return errorReply(404, `Skill ${route.params.skillId} not found.`);
      }
      answer = () => {
        core.onSkillCall?.(skill);
        return skillHandler(smapiRequest, skill);
      };
    } else {
      const message = `${route.key} is in the Skill Management API but not modelled by the fake`;
      violations.push(message);
      return errorReply(501, `skillship fake: ${message}`);
    }
    const firing = firingInjection(route.key);
    if (firing?.when === "before") {
      return firing.drop ? "drop" : errorReply(firing.status, `Injected failure at ${route.key}`);
    }
    const barrier = barriers.find((candidate) => candidate.route === route.key && !candidate.open);
    if (barrier !== undefined) {
      barrier.arrived += 1;
      if (barrier.arrived === barrier.count) barrier.release();
      await barrier.released;
    }
    const reply = await answer();
    if (firing !== undefined) {
      return firing.drop
        ? "drop"
        : errorReply(firing.status, `Injected failure at ${route.key} (after the change)`);
    }
    return reply;
  };

  const lwaHandle = (request: IncomingMessage, rawBody: string, url: URL): FakeReply => {
    const path = url.pathname.toLowerCase();
    const throttled = pendingThrottles.lwa.shift();
    if (throttled !== undefined) {
      return {
        status: 429,
        body: { error: "rate_limited", error_description: "Too many requests" },
        headers: { "retry-after": throttled },
      };
    }
    if (request.method === "POST" && path === "/auth/o2/token") {
      return handleTokenRequest(lwa, new URLSearchParams(rawBody), request.headers.authorization);
    }
    if (request.method === "GET" && path === "/ap/oa") {
      return handleAuthorizeRequest(lwa, url.searchParams);
    }
    const message = `${request.method} ${url.pathname} is not a Login with Amazon endpoint the fake serves`;
    violations.push(message);
    return errorReply(404, `skillship fake: ${message}`);
  };

  const serve =
    (service: "smapi" | "lwa") =>
    (request: IncomingMessage, response: ServerResponse): void => {
      const startedAt = performance.now();
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        void (async () => {
          const rawBody = Buffer.concat(chunks).toString("utf8");
          const url = new URL(request.url ?? "/", "http://127.0.0.1");
          const call: FakeCall = {
            service,
            method: request.method ?? "GET",
            path: request.url ?? "/",
            headers: service === "smapi" ? { ...request.headers, authorization: undefined } : {},
            status: 0,
            startedAt,
            endedAt: 0,
          };
          calls.push(call);
          if (service === "smapi") {
            inFlight += 1;
            servers.maxConcurrentCalls = Math.max(servers.maxConcurrentCalls, inFlight);
          }
          try {
            if (knobs.latencyMs > 0) {
              await new Promise((resolve) => setTimeout(resolve, knobs.latencyMs));
            }
            const reply =
              service === "smapi"
                ? await smapiHandle(request, rawBody, url, call)
                : lwaHandle(request, rawBody, url);
            call.endedAt = performance.now();
            if (reply === "drop") {
              call.status = 0;
              request.socket.destroy();
              return;
            }
            call.status = reply.status;
            const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
            response.writeHead(reply.status, {
              date: new Date(core.now()).toUTCString(),
              ...(payload === "" ? {} : { "content-type": "application/json" }),
              ...reply.headers,
            });
            response.end(payload);
          } catch (cause) {
            const message = `the fake failed on ${call.method} ${call.path}: ${cause instanceof Error ? cause.stack : String(cause)}`;
            violations.push(message);
            call.status = 500;
            call.endedAt = performance.now();
            response.writeHead(500, { "content-type": "application/json" });
            response.end(JSON.stringify({ message: `skillship fake: ${message}` }));
          } finally {
            if (service === "smapi") {
              inFlight -= 1;
            }
          }
        })();
      });
    };

  const smapiServer = createServer(serve("smapi"));
  const lwaServer = createServer(serve("lwa"));
  const [smapiUrl, lwaUrl] = await Promise.all([listen(smapiServer), listen(lwaServer)]);

  const servers: FakeServers = {
    smapiUrl,
    lwaUrl,
    maxConcurrentCalls: 0,
    throttle(count, options = {}) {
      const retryAfter = options.retryAfter ?? "1";
      for (let i = 0; i < count; i += 1) {
        pendingThrottles[options.service ?? "smapi"].push(
          typeof retryAfter === "function" ? retryAfter(core.now()) : retryAfter,
        );
      }
    },
    failAt(injection) {
      const entry: ArmedInjection = {
        route: resolveRoute(injection.call),
        nth: injection.nth ?? 1,
        times: injection.times ?? 1,
        when: injection.when ?? "before",
        status: injection.status ?? 500,
        drop: injection.drop ?? false,
        seen: 0,
        fired: 0,
      };
      if (!isModelledRoute(entry.route)) {
        throw new Error(`fake SMAPI: failAt names an unknown call ${injection.call}`);
      }
      injections.push(entry);
      return {
        get fired() {
          return entry.fired;
        },
      };
    },
    holdUntilConcurrent(call, count, guardMs = 10_000) {
      const route = resolveRoute(call);
      if (!isModelledRoute(route)) {
        throw new Error(`fake SMAPI: holdUntilConcurrent names an unknown call ${call}`);
      }
      let answer!: () => void;
      const released = new Promise<void>((resolve) => (answer = resolve));
      const barrier: Barrier = { route, call, count, arrived: 0, open: false, released, release: () => {} };
      const guard = setTimeout(() => {
        violations.push(
          `${call}: only ${barrier.arrived} of ${count} calls were in flight together; the client waits for ` +
            "each answer before the next call",
        );
        barrier.release();
      }, guardMs);
      guard.unref();
      barrier.release = () => {
        clearTimeout(guard);
        barrier.open = true;
        answer();
      };
      barriers.push(barrier);
    },
    clearFailures() {
      injections.length = 0;
      pendingThrottles.smapi.length = 0;
      pendingThrottles.lwa.length = 0;
    },
    async close() {
      for (const barrier of barriers.filter((candidate) => !candidate.open)) {
        violations.push(`${barrier.call}: only ${barrier.arrived} of ${barrier.count} held calls arrived`);
        barrier.release();
      }
      await Promise.all([stop(smapiServer), stop(lwaServer)]);
      if (violations.length > 0) {
        throw new Error(
          `The fake Skill Management API saw requests it does not allow:\n- ${violations.join("\n- ")}`,
        );
      }
    },
  };
  return servers;
}

/**
 * The Alexa event gateway (`POST /v3/events`) on 127.0.0.1: it takes an event when the bearer token is one
 * Login with Amazon issued and has not expired, and the event's scope carries that same token; it answers 202,
 * or an exception the way the gateway does (`{ header, payload: { code, description } }`). Knobs: the next
 * answers forced (403 SKILL_DISABLED_EXCEPTION, 429, 500, …). Every event received is kept for the test to check.
 */
import { randomUUID } from "node:crypto";
import { bearerOf, startLoopbackServer, type LoopbackReply } from "./loopback";

/** An event the gateway accepted or refused. */
export interface ReceivedEvent {
  /** The bearer token it came with. */
  token?: string;
  /** The parsed body. */
  body: unknown;
  /** What the gateway answered. */
  status: number;
}

/** A running fake event gateway. */
export interface FakeEventGateway {
  /** The events endpoint (`ALEXA_EVENT_GATEWAY_URL`). */
  url: string;
  events: ReceivedEvent[];
  /** The next `times` events get this answer, whatever they hold. */
  failNext(status: number, code: string, times?: number): void;
  close(): Promise<void>;
}

/** Options of {@link startFakeEventGateway}. */
export interface FakeEventGatewayOptions {
  /** Whether a bearer token is one Login with Amazon issued and still valid (see `accessTokenValid`). */
  tokenValid: (token: string) => boolean;
}

function exception(status: number, code: string, description: string): LoopbackReply {
  return {
    status,
    body: {
      header: { namespace: "System", name: "Exception", messageId: randomUUID() },
      payload: { code, description },
    },
  };
}

/** Starts a fake event gateway on a free loopback port. */
export async function startFakeEventGateway(options: FakeEventGatewayOptions): Promise<FakeEventGateway> {
  const events: ReceivedEvent[] = [];
  const forced: Array<{ status: number; code: string }> = [];
  const server = await startLoopbackServer((request) => {
    const token = bearerOf(request.headers);
    let body: unknown;
    try {
      body = JSON.parse(request.body);
    } catch {
      body = request.body;
    }
    const answer = ((): LoopbackReply => {
      if (request.method !== "POST" || request.url.pathname !== "/v3/events") {
        return exception(
          404,
          "NOT_FOUND",
          `${request.method} ${request.url.pathname} is not the events endpoint`,
        );
      }
      const next = forced.shift();
      if (next !== undefined) return exception(next.status, next.code, "Forced by the test");
      if (token === undefined || !options.tokenValid(token)) {
        return exception(401, "INVALID_ACCESS_TOKEN_EXCEPTION", "Access token is not valid.");
      }
      const scopeToken = (body as { event?: { endpoint?: { scope?: { token?: unknown } } } })?.event?.endpoint
        ?.scope?.token;
      if (typeof body !== "object" || scopeToken !== token) {
        return exception(
          400,
          "INVALID_REQUEST_EXCEPTION",
          "The event's endpoint scope must carry the bearer token.",
        );
      }
      return { status: 202 };
    })();
    events.push({ token, body, status: answer.status });
    return answer;
  });
  return {
    url: `${server.url}/v3/events`,
    events,
    failNext(status, code, times = 1) {
      for (let i = 0; i < times; i += 1) forced.push({ status, code });
    },
    close: () => server.close(),
  };
}

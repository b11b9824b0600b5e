/**
 * A JSON HTTP server on 127.0.0.1 for the small fakes (home hub, Alexa event gateway, Login with Amazon): the
 * request read whole, one reply per request, or none at all ("drop" resets the connection, "hang" never
 * answers, so a client's deadline is what ends the call). `close()` ends every open connection.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the fake sees it. */
export interface LoopbackRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A reply: status, JSON body (or none), extra headers. */
export interface LoopbackReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A running loopback server. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Serves `handle` on a free loopback port. */
export async function startLoopbackServer(
  handle: (
    request: LoopbackRequest,
  ) => LoopbackReply | "drop" | "hang" | Promise<LoopbackReply | "drop" | "hang">,
): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        let reply: LoopbackReply | "drop" | "hang";
        try {
          reply = await handle({
            method: request.method ?? "GET",
            url: new URL(request.url ?? "/", "http://127.0.0.1"),
            headers: request.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        } catch (error) {
          reply = { status: 500, body: { error: "fake_failed", message: (error as Error).stack } };
        }
        if (reply === "hang") return;
        if (reply === "drop") {
          request.socket.destroy();
          return;
        }
        const payload = reply.body === undefined ? "" : JSON.stringify(reply.body);
        response.writeHead(reply.status, {
          ...(payload === "" ? {} : { "content-type": "application/json" }),
          ...reply.headers,
        });
        response.end(payload);
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  return /^Bearer (.+)$/.exec(headers.authorization ?? "")?.[1];
}

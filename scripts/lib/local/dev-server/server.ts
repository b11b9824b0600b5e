/**
 * The local endpoint: a node:http server speaking Alexa's HTTPS-endpoint protocol (POST of the request envelope,
 * the response envelope back) and serving the media folder through signed, expiring URLs on the same origin.
 * With verification on, a request whose signature or timestamp fails is answered 400 and never reaches the skill.
 * Either way the endpoint takes only `application/json` and nothing from a browser: a web page open on the same
 * machine could otherwise post a "simple" cross-origin request (a form or `text/plain`) to a server that, with
 * verification off, trusts whoever reaches it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { RequestEnvelope } from "ask-sdk-model";
import type { InvocableSkill } from "../skill";
import { ConfigError } from "../../core/errors";
import { MAX_BODY_BYTES, readBody } from "./body";
import { serveMedia, type MediaRouteOptions } from "./media";
import { envelopeProblem } from "../../../../runtime/envelope";
import type { RequestVerifier } from "../../../../runtime/verify";

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** The skill answering now; called per request, so a reload takes effect on the next one. */
  skill: () => InvocableSkill;
  /** Checks signature and timestamp; undefined when verification is off (a loopback-only server). */
  verifier?: RequestVerifier;
  /** The media folder and the secret its URLs are signed with, read per request; undefined when there is none. */
  media?: () => MediaRouteOptions | undefined;
  maxBodyBytes?: number;
  /** One line per request handled. */
  log?: (line: string) => void;
}

/** A running local endpoint. */
export interface DevServer {
  /** `http://host:port` as bound (the actual port when 0 was asked for). */
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections; resolves when the port is free. */
  close(): Promise<void>;
}

/**
 * Starts the endpoint. A port already in use (or not allowed) is a {@link ConfigError} naming the port and
 * `--port`.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log = options.log ?? (() => undefined);
  const server = createServer((request, response) => {
    const started = performance.now();
    handle(request, response, options).then(
      (summary) =>
        log(`${request.method} ${pathOf(request)} → ${response.statusCode} ${summary} (${elapsed(started)})`),
      (error: unknown) => {
        log(
          `${request.method} ${pathOf(request)} → 500 ${error instanceof Error ? error.message : String(error)}`,
        );
        if (!response.headersSent) sendJson(response, 500, { error: "the skill failed; see the log" });
        else response.destroy();
      },
    );
  });
  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  options: DevServerOptions,
): Promise<string> {
  const url = pathOf(request);
  if (url.startsWith("/media/")) {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { Allow: "GET, HEAD" }).end();
      return "media accepts GET and HEAD";
    }
    const media = options.media?.();
    if (media === undefined) {
      response
        .writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
        .end("the skill serves no media folder locally\n");
      return "no media folder";
    }
    const outcome = await serveMedia(request, response, media);
    return [outcome.key, outcome.reason].filter(Boolean).join(": ");
  }
  if (request.method === "GET" && url === "/") {
    sendJson(response, 200, {
      service: "Skillship local Alexa endpoint",
      usage: "POST an Alexa request envelope (application/json) to this URL",
      verification: options.verifier !== undefined,
    });
    return "status page";
  }
  if (request.method !== "POST") {
    response.writeHead(405, { Allow: "POST" }).end();
    return "the endpoint accepts POST";
  }
  const browser = browserRequest(request);
  if (browser !== undefined) {
    request.resume();
    sendJson(response, 403, { error: "requests from a browser are refused" });
    return `refused: ${browser}`;
  }
  if (!isJson(request.headers["content-type"])) {
    request.resume();
    sendJson(response, 415, { error: "the endpoint accepts application/json" });
    return `refused: content type ${JSON.stringify(request.headers["content-type"] ?? "(none)")}`;
  }
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
  const body = await readBody(request, maxBytes);
  if (!body.ok) {
    response.setHeader("Connection", "close");
    sendJson(response, 413, { error: `request body over ${maxBytes} bytes` });
    return `body of ${body.bytes} bytes refused`;
  }
  const accepted = await accept(body.body, request, options);
  if (!accepted.ok) {
    sendJson(response, accepted.status, { error: "bad request" });
    return accepted.reason;
  }
  const envelope = accepted.envelope;
  const answer = await options.skill().invoke(envelope);
  sendJson(response, 200, answer);
  const sent = envelope.request as { type: string; intent?: { name: string } };
  return [sent.type, sent.intent?.name].filter(Boolean).join(" ");
}

type Acceptance = { ok: true; envelope: RequestEnvelope } | { ok: false; status: number; reason: string };

async function accept(
  body: Buffer,
  request: IncomingMessage,
  options: DevServerOptions,
): Promise<Acceptance> {
  if (options.verifier !== undefined) {
    const result = await options.verifier.verify(body, request.headers);
    return result.ok ? result : { ok: false, status: result.status, reason: result.reason };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (error) {
    return { ok: false, status: 400, reason: `malformed JSON: ${(error as Error).message}` };
  }
  const problem = envelopeProblem(parsed);
  if (problem !== undefined) return { ok: false, status: 400, reason: `not an Alexa request: ${problem}` };
  return { ok: true, envelope: parsed as RequestEnvelope };
}

/** Why the request comes from a web page, or undefined: Alexa sends none of these headers, browsers always do. */
function browserRequest(request: IncomingMessage): string | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined) return `a browser request from origin ${origin}`;
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined) return `a browser request (Sec-Fetch-Site: ${String(site)})`;
  return undefined;
}

/** True for `application/json`, with or without parameters (Alexa sends `; charset=utf-8`). */
function isJson(contentType: string | undefined): boolean {
  return contentType?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

function sendJson(response: ServerResponse, status: number, document: unknown): void {
  const text = JSON.stringify(document);
  response
    .writeHead(status, {
      "Content-Type": "application/json;charset=UTF-8",
      "Content-Length": Buffer.byteLength(text),
    })
    .end(text);
}

function pathOf(request: IncomingMessage): string {
  return (request.url ?? "/").split("?")[0];
}

function elapsed(started: number): string {
  return `${Math.round(performance.now() - started)} ms`;
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") {
        reject(
          new ConfigError(
            `Port ${port} on ${host} is already in use (another \`npm start\`?): stop that process or pick another port with --port`,
            { cause: error },
          ),
        );
      } else if (error.code === "EACCES") {
        reject(
          new ConfigError(`Port ${port} on ${host} needs privileges: pick a port above 1023 with --port`, {
            cause: error,
          }),
        );
      } else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") {
        reject(
          new ConfigError(`Cannot bind to --host ${host}: it is not an address of this machine`, {
            cause: error,
          }),
        );
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

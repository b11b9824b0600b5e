/**
 * Login with Amazon: the authorization-code flow on 127.0.0.1, to mint the refresh token CI needs with the
 * team's own security profile (the authorize URL, a one-shot local redirect receiver that checks the `state`
 * parameter, the code-for-token exchange), and the access tokens a command signs its Skill Management API calls
 * with (one request shared by every call, renewed once when refused). No token or secret is ever put in a message.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, OperationError, StillWaitingError, UsageError } from "../core/errors";
import {
  defaultRetryPolicy,
  isTransient,
  parseRetryAfter,
  withRetries,
  type RetryPolicy,
} from "../core/retry";

/** Where people grant access. */
export const DEFAULT_AUTHORIZE_URL = "https://www.amazon.com/ap/oa";

/** What the Skill Management API needs: manage skills and models, and run the simulation. */
export const DEFAULT_SCOPES = [
  "alexa::ask:skills:readwrite",
  "alexa::ask:models:readwrite",
  "alexa::ask:skills:test",
];

/** The redirect path (the one the ASK CLI uses, so a security profile set up for it works as it is). */
export const REDIRECT_PATH = "/cb";

/** A random, unguessable `state` value for one login. */
export function newState(): string {
  return randomBytes(24).toString("hex");
}

/** The URL a person opens to grant the security profile access. */
export function authorizeUrl(input: {
  authorizeUrl?: string;
  clientId: string;
  scopes: string[];
  redirectUri: string;
  state: string;
}): string {
  let url: URL;
  try {
    url = new URL(input.authorizeUrl ?? DEFAULT_AUTHORIZE_URL);
  } catch (cause) {
    throw new UsageError(`--authorize-url is not a URL: ${input.authorizeUrl}`, { cause });
  }
  url.searchParams.set("client_id", input.clientId);
  url.searchParams.set("scope", input.scopes.join(" "));
  url.searchParams.set("response_type", "code");
  url.searchParams.set("redirect_uri", input.redirectUri);
  url.searchParams.set("state", input.state);
  return url.toString();
}

/** A local receiver of the redirect: its URI, and the code it gets. */
export interface RedirectReceiver {
  redirectUri: string;
  /** Resolves with the authorization code of the first redirect carrying the right `state`. */
  code: Promise<string>;
  close(): Promise<void>;
}

const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><h1>${title}</h1><p>${text}</p>`;

/**
 * Listens on 127.0.0.1:`port` (0 picks a free port) for the redirect. A redirect with a wrong or missing `state`
 * is refused (400) and ignored: it is not the answer to this login. One with the right `state` and an `error`
 * (the person denied access) fails the login; one with a code resolves it. Gives up after `timeoutMs`.
 */
export async function startRedirectReceiver(input: {
  port: number;
  state: string;
  timeoutMs: number;
  onRefused?: (reason: string) => void;
}): Promise<RedirectReceiver> {
  let settle: { resolve: (code: string) => void; reject: (error: Error) => void } | undefined;
  const code = new Promise<string>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // Avoid an unhandled rejection if the caller closes the receiver before awaiting the code.
  code.catch(() => undefined);

  const answer = (response: ServerResponse, status: number, title: string, text: string): void => {
    response.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    response.end(page(title, text));
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method !== "GET" || url.pathname !== REDIRECT_PATH) {
      answer(response, 404, "Not found", "This server only receives the Login with Amazon redirect.");
      return;
    }
    if (url.searchParams.get("state") !== input.state) {
      input.onRefused?.("a redirect arrived with a state that does not match this login; it was refused");
      answer(
        response,
        400,
        "Refused",
        "The state parameter does not match this login. Start the login again.",
      );
      return;
    }
    const error = url.searchParams.get("error");
    if (error !== null) {
      const description = url.searchParams.get("error_description");
      answer(response, 400, "Access not granted", `Login with Amazon answered ${error}.`);
      settle?.reject(
        new OperationError(
          `Login with Amazon did not grant access (${error}${description === null ? "" : `: ${description}`}): ` +
            "run skillship lwa login again and allow access",
        ),
      );
      return;
    }
    const received = url.searchParams.get("code");
    if (received === null || received === "") {
      answer(response, 400, "No code", "The redirect carries no authorization code.");
      return;
    }
    answer(response, 200, "Signed in", "skillship received the authorization. You can close this tab.");
    settle?.resolve(received);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", (cause: NodeJS.ErrnoException) =>
      reject(
        cause.code === "EADDRINUSE"
          ? new UsageError(`Port ${input.port} on 127.0.0.1 is in use: pick another with --port`, { cause })
          : cause,
      ),
    );
    server.listen(input.port, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const timer = setTimeout(() => {
    settle?.reject(
      new StillWaitingError(
        `No redirect from Login with Amazon within ${Math.round(input.timeoutMs / 1000)}s: open the URL again, ` +
          "or raise --timeout",
      ),
    );
  }, input.timeoutMs);
  timer.unref();

  return {
    redirectUri: `http://127.0.0.1:${port}${REDIRECT_PATH}`,
    code,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Login with Amazon's token endpoint under `tokenHost`. */
function tokenEndpoint(tokenHost: string): string {
  return `${tokenHost.replace(/\/+$/, "")}/auth/o2/token`;
}

/** POSTs a grant, form-encoded (secrets and tokens hold `+`, `&`, `=`), to the token endpoint. */
function postGrant(endpoint: string, grant: Record<string, string>): Promise<Response> {
  return fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded;charset=UTF-8" },
    body: new URLSearchParams(grant),
  });
}

/** Tokens returned by the exchange. */
export interface LwaTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn?: number;
}

/**
 * Exchanges an authorization code for tokens at `${tokenHost}/auth/o2/token`. A refused client is a
 * {@link ConfigError} naming the variables; a refused code an {@link OperationError}.
 */
export async function exchangeAuthorizationCode(input: {
  tokenHost: string;
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
}): Promise<LwaTokens> {
  const endpoint = tokenEndpoint(input.tokenHost);
  let response: Response;
  try {
    response = await postGrant(endpoint, {
      grant_type: "authorization_code",
      code: input.code,
      redirect_uri: input.redirectUri,
      client_id: input.clientId,
      client_secret: input.clientSecret,
    });
  } catch (cause) {
    throw new OperationError(
      `Could not reach Login with Amazon at ${endpoint} (check ASK_LWA_TOKEN_HOST and the network)`,
      { cause },
    );
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    refresh_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || body.refresh_token === undefined || body.access_token === undefined) {
    const reason = `${response.status}${body.error === undefined ? "" : ` ${body.error}`}`;
    if (body.error === "invalid_client" || body.error === "unauthorized_client") {
      throw new ConfigError(
        `Login with Amazon refused the security profile (${reason}): check ASK_LWA_CLIENT_ID and ` +
          `ASK_LWA_CLIENT_SECRET, and that the profile allows the return URL ${input.redirectUri}`,
      );
    }
    throw new OperationError(
      `Login with Amazon refused the authorization code (${reason}${
        body.error_description === undefined ? "" : `: ${body.error_description}`
      }): run skillship lwa login again`,
    );
  }
  return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresIn: body.expires_in };
}

/**
 * A token request Login with Amazon refused or did not answer: its HTTP status (none when it could not be
 * reached), its OAuth error body, and the wait its `Retry-After` asked for. Never holds a secret.
 */
export class LwaTokenError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    readonly response: { error?: string; error_description?: string } | undefined,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "LwaTokenError";
  }
}

/** The access tokens of one command: one request at a time, shared by every caller, renewed when refused. */
export interface AccessTokenSource {
  /** The token in hand while it is valid; else one request to Login with Amazon, shared by every caller waiting. */
  get(): Promise<string>;
  /** Forgets `token` after the service refused it (401), so that the next {@link get} asks for a new one. */
  invalidate(token: string): void;
}

/** Login with Amazon's refresh-token grant, with the security profile and refresh token of the environment. */
export interface AccessTokenInput {
  tokenHost: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Bound of the retries of a token request (429, 5xx, no answer), `Retry-After` honoured. */
  retry?: RetryPolicy;
  now?: () => number;
}

/** A token is renewed this long before Login with Amazon says it expires. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Creates the access-token source of one command: a single flight (callers that ask while a request is out wait
 * for that request), the token kept until a minute before it expires, and a fresh one after a refusal.
 */
export function createAccessTokenSource(input: AccessTokenInput): AccessTokenSource {
  const now = input.now ?? Date.now;
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const renew = async (): Promise<string> => {
    const granted = await withRetries(
      () => requestAccessToken(input),
      input.retry ?? defaultRetryPolicy,
      (error) => error instanceof LwaTokenError && (error.statusCode === undefined || isTransient(error)),
    );
    current = { token: granted.accessToken, expiresAt: now() + granted.expiresInMs - EXPIRY_MARGIN_MS };
    return granted.accessToken;
  };
  return {
    get() {
      if (current !== undefined && current.expiresAt > now()) {
        return Promise.resolve(current.token);
      }
      pending ??= renew().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (current?.token === token) {
        current = undefined;
      }
    },
  };
}

async function requestAccessToken(
  input: AccessTokenInput,
): Promise<{ accessToken: string; expiresInMs: number }> {
  const endpoint = tokenEndpoint(input.tokenHost);
  let response: Response;
  try {
    response = await postGrant(endpoint, {
      grant_type: "refresh_token",
      refresh_token: input.refreshToken,
      client_id: input.clientId,
      client_secret: input.clientSecret,
    });
  } catch (cause) {
    throw new LwaTokenError(`no answer from ${endpoint}`, undefined, undefined, undefined, { cause });
  }
  const body = (await response.json().catch(() => ({}))) as {
    access_token?: string;
    expires_in?: number;
    error?: string;
    error_description?: string;
  };
  if (!response.ok || typeof body.access_token !== "string") {
    const answered = Date.parse(response.headers.get("date") ?? "");
    throw new LwaTokenError(
      `Login with Amazon answered ${response.status}${body.error === undefined ? "" : ` ${body.error}`}`,
      response.status,
      { error: body.error, error_description: body.error_description },
      parseRetryAfter(
        response.headers.get("retry-after") ?? undefined,
        Number.isNaN(answered) ? Date.now() : answered,
      ),
    );
  }
  return { accessToken: body.access_token, expiresInMs: (body.expires_in ?? 3600) * 1000 };
}

/**
 * The Login with Amazon side of the fake: the token endpoint (`/auth/o2/token`, refresh-token and
 * authorization-code grants) and the authorization page (`/ap/oa`), answering errors the way LWA does
 * (`invalid_client` 401, `invalid_grant` 400, `unsupported_grant_type` 400). The fake Skill Management API
 * serves it beside itself; {@link startFakeLwa} serves it alone, as a smart-home skill's own LWA (the
 * AcceptGrant code exchange and the refreshes of a user's Alexa tokens).
 */
import { randomBytes } from "node:crypto";
import { startLoopbackServer } from "./loopback";

/** The security profile and refresh token the fake accepts. */
export interface FakeCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * Test credentials. The secret and the token hold `+`, `&`, `=` and `|` on purpose: a client that forgets to
 * form-encode them is refused, as LWA would refuse it.
 */
export const FAKE_CREDENTIALS: FakeCredentials = {
  clientId: "amzn1.application-oa2-client.fake0123456789",
  clientSecret: "fake-secret+with&special=chars",
  refreshToken: "Atzr|fake-refresh+token/with=chars",
};

/** What the LWA side remembers. */
export interface FakeLwaState {
  credentials: FakeCredentials;
  /** Refresh tokens the token endpoint accepts: the configured one plus those minted by code exchanges. */
  refreshTokens: Set<string>;
  /** Access tokens issued, with their expiry (epoch ms). */
  accessTokens: Map<string, number>;
  /**
   * Authorization codes issued by `/ap/oa` (or `issueAuthorizationCode`), with the redirect URI they are for;
   * none for the grant codes of AcceptGrant, which are exchanged without one.
   */
  authorizationCodes: Map<string, { redirectUri?: string; scope: string }>;
  accessTokenTtlSeconds: number;
}

/** An answer of the fake: status, JSON body (or none), extra headers. */
export interface FakeReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function oauthError(status: number, error: string, description: string): FakeReply {
  return { status, body: { error, error_description: description } };
}

function basicCredentials(header: string | undefined): { id?: string; secret?: string } {
  if (header === undefined || !header.startsWith("Basic ")) {
    return {};
  }
  const decoded = Buffer.from(header.slice("Basic ".length), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0
    ? {}
    : {
        id: decodeURIComponent(decoded.slice(0, colon)),
        secret: decodeURIComponent(decoded.slice(colon + 1)),
      };
}

/** Issues an access token valid for the configured lifetime. */
export function issueAccessToken(state: FakeLwaState): { token: string; expiresIn: number } {
  const token = `Atza|fake-${randomBytes(12).toString("hex")}`;
  state.accessTokens.set(token, Date.now() + state.accessTokenTtlSeconds * 1000);
  return { token, expiresIn: state.accessTokenTtlSeconds };
}

/** True when the bearer token was issued by the fake and has not expired. */
export function accessTokenValid(state: FakeLwaState, authorization: string | undefined): boolean {
  const token = /^Bearer (.+)$/.exec(authorization ?? "")?.[1];
  if (token === undefined) {
    return false;
  }
  const expiry = state.accessTokens.get(token);
  return expiry !== undefined && expiry > Date.now();
}

/**
 * Issues a one-time authorization code for a redirect URI, as the consent page would; without one, a grant code
 * as Alexa passes in AcceptGrant.
 */
export function issueAuthorizationCode(
  state: FakeLwaState,
  redirectUri: string | undefined,
  scope: string,
): string {
  const code = `ANfake${randomBytes(10).toString("hex")}`;
  state.authorizationCodes.set(code, { redirectUri, scope });
  return code;
}

function tokenGranted(state: FakeLwaState, refreshToken: string): FakeReply {
  const access = issueAccessToken(state);
  return {
    status: 200,
    body: {
      access_token: access.token,
      refresh_token: refreshToken,
      token_type: "bearer",
      expires_in: access.expiresIn,
    },
  };
}

/** `POST /auth/o2/token` with a form-encoded body. */
export function handleTokenRequest(
  state: FakeLwaState,
  form: URLSearchParams,
  authorization: string | undefined,
): FakeReply {
  const basic = basicCredentials(authorization);
  const clientId = form.get("client_id") ?? basic.id;
  const clientSecret = form.get("client_secret") ?? basic.secret;
  if (clientId !== state.credentials.clientId || clientSecret !== state.credentials.clientSecret) {
    return oauthError(401, "invalid_client", "Client authentication failed");
  }
  const grantType = form.get("grant_type");
  if (grantType === "refresh_token") {
    const refreshToken = form.get("refresh_token");
    if (refreshToken === null || !state.refreshTokens.has(refreshToken)) {
      return oauthError(400, "invalid_grant", "The request has an invalid grant parameter : refresh_token");
    }
    return tokenGranted(state, refreshToken);
  }
  if (grantType === "authorization_code") {
    const code = form.get("code") ?? "";
    const issued = state.authorizationCodes.get(code);
    if (issued === undefined) {
      return oauthError(400, "invalid_grant", "The request has an invalid grant parameter : code");
    }
    if (issued.redirectUri !== undefined && form.get("redirect_uri") !== issued.redirectUri) {
      return oauthError(400, "invalid_grant", "The request has an invalid parameter : redirect_uri");
    }
    state.authorizationCodes.delete(code);
    const refreshToken = `Atzr|fake-${randomBytes(16).toString("hex")}`;
    state.refreshTokens.add(refreshToken);
    return tokenGranted(state, refreshToken);
  }
  return oauthError(
    400,
    "unsupported_grant_type",
    `The grant type ${grantType ?? "(none)"} is not supported`,
  );
}

/**
 * `GET /ap/oa`: the consent page, already consented. Redirects to `redirect_uri` with a code and the caller's
 * `state`, as LWA does once the user allows access.
 */
export function handleAuthorizeRequest(state: FakeLwaState, query: URLSearchParams): FakeReply {
  const redirectUri = query.get("redirect_uri");
  if (query.get("client_id") !== state.credentials.clientId) {
    return oauthError(400, "invalid_client", "Unknown client_id");
  }
  if (query.get("response_type") !== "code" || redirectUri === null) {
    return oauthError(400, "invalid_request", "response_type=code and redirect_uri are required");
  }
  const scope = query.get("scope") ?? "";
  const code = issueAuthorizationCode(state, redirectUri, scope);
  const target = new URL(redirectUri);
  target.searchParams.set("code", code);
  target.searchParams.set("scope", scope);
  const callerState = query.get("state");
  if (callerState !== null) {
    target.searchParams.set("state", callerState);
  }
  return { status: 302, headers: { location: target.toString() } };
}

/** The security profile of a smart-home skill's own LWA client ("Alexa Skill Messaging" credentials). */
export const FAKE_SKILL_CREDENTIALS: FakeCredentials = {
  clientId: "amzn1.application-oa2-client.skillfake0123456789",
  clientSecret: "skill-secret+with&special=chars|x",
  refreshToken: "Atzr|skill-fake-refresh",
};

/** A request the standalone LWA received. */
export interface FakeLwaRequest {
  grantType: string | null;
  status: number;
}

/** Login with Amazon alone on 127.0.0.1. */
export interface FakeLwa {
  /** The token endpoint, `http://127.0.0.1:<port>/auth/o2/token`. */
  tokenUrl: string;
  state: FakeLwaState;
  requests: FakeLwaRequest[];
  /** A fresh grant code, as Alexa would put in an AcceptGrant directive. */
  issueGrantCode(): string;
  /** Whether a bearer token was issued here and has not expired (for the event gateway). */
  tokenValid(token: string): boolean;
  /** Every access token issued so far expires now (refresh tokens stay valid). */
  expireAccessTokens(): void;
  /** Every refresh token is revoked (the user withdrew the grant). */
  revokeRefreshTokens(): void;
  close(): Promise<void>;
}

/** Starts Login with Amazon's token endpoint alone, accepting `credentials`. */
export async function startFakeLwa(
  credentials: FakeCredentials = FAKE_SKILL_CREDENTIALS,
  options: { accessTokenTtlSeconds?: number } = {},
): Promise<FakeLwa> {
  const state: FakeLwaState = {
    credentials,
    refreshTokens: new Set([credentials.refreshToken]),
    accessTokens: new Map(),
    authorizationCodes: new Map(),
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 3600,
  };
  const requests: FakeLwaRequest[] = [];
  const server = await startLoopbackServer((request) => {
    if (request.method !== "POST" || request.url.pathname.toLowerCase() !== "/auth/o2/token") {
      return { status: 404, body: { error: "not_found" } };
    }
    const form = new URLSearchParams(request.body);
    const reply = handleTokenRequest(state, form, request.headers.authorization);
    requests.push({ grantType: form.get("grant_type"), status: reply.status });
    return reply;
  });
  return {
    tokenUrl: `${server.url}/auth/o2/token`,
    state,
    requests,
    issueGrantCode: () => issueAuthorizationCode(state, undefined, "alexa::async_event:write"),
    tokenValid: (token) => accessTokenValid(state, `Bearer ${token}`),
    expireAccessTokens() {
      for (const token of state.accessTokens.keys()) state.accessTokens.set(token, 0);
    },
    revokeRefreshTokens() {
      state.refreshTokens.clear();
    },
    close: () => server.close(),
  };
}

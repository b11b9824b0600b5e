/**
 * Login with Amazon's token endpoint, as the skill itself calls it: the AcceptGrant code exchanged for the
 * user's Alexa access and refresh tokens (grant_type authorization_code), and the refresh when the access token
 * expires (grant_type refresh_token). The client id and secret are the skill's own ("Alexa Skill Messaging"
 * credentials of the developer console's Permissions page), sent in the form body; never logged.
 */
import { callJson, NoAnswerError, stringField, type Fetch } from "./http";

/** Login with Amazon's token endpoint. */
export const LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token";

/** Tokens LWA granted. */
export interface GrantedTokens {
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token, in seconds. */
  expiresInSeconds: number;
}

/** LWA refused or did not answer; `code` is LWA's OAuth error (`invalid_grant`, `invalid_client`, …). */
export class LwaError extends Error {
  override readonly name = "LwaError";
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The two grants the skill asks LWA for. */
export interface LwaClient {
  exchangeCode(code: string): Promise<GrantedTokens>;
  refresh(refreshToken: string): Promise<GrantedTokens>;
}

/** Options of {@link createLwaClient}. */
export interface LwaClientOptions {
  clientId: string;
  clientSecret: string;
  /** Default {@link LWA_TOKEN_URL}. */
  tokenUrl?: string;
  /** Default 5 s. */
  timeoutMs?: number;
  fetch?: Fetch;
}

/** An {@link LwaClient} over HTTP. */
export function createLwaClient(options: LwaClientOptions): LwaClient {
  const url = new URL(options.tokenUrl ?? LWA_TOKEN_URL);
  const grant = async (fields: Record<string, string>, what: string): Promise<GrantedTokens> => {
    const body = new URLSearchParams({
      ...fields,
      client_id: options.clientId,
      client_secret: options.clientSecret,
    }).toString();
    let reply;
    try {
      reply = await callJson(
        "Login with Amazon",
        url,
        {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
            accept: "application/json",
          },
          body,
        },
        options.timeoutMs ?? 5000,
        options.fetch,
      );
    } catch (error) {
      if (error instanceof NoAnswerError)
        throw new LwaError(error.message, undefined, undefined, { cause: error });
      throw error;
    }
    if (reply.status !== 200) {
      const code = stringField(reply.json, "error");
      const description = stringField(reply.json, "error_description");
      throw new LwaError(
        `Login with Amazon refused the ${what} (${reply.status}${code === undefined ? "" : ` ${code}`}` +
          `${description === undefined ? "" : `: ${description}`})`,
        code,
        reply.status,
      );
    }
    const accessToken = stringField(reply.json, "access_token");
    const refreshToken = stringField(reply.json, "refresh_token") ?? fields.refresh_token;
    const expiresIn = (reply.json as { expires_in?: unknown }).expires_in;
    if (accessToken === undefined || refreshToken === undefined || typeof expiresIn !== "number") {
      throw new LwaError(
        `Login with Amazon answered the ${what} without access_token, refresh_token and expires_in`,
        undefined,
        200,
      );
    }
    return { accessToken, refreshToken, expiresInSeconds: expiresIn };
  };
  return {
    exchangeCode: (code) => grant({ grant_type: "authorization_code", code }, "authorization code exchange"),
    refresh: (refreshToken) =>
      grant({ grant_type: "refresh_token", refresh_token: refreshToken }, "refresh of an access token"),
  };
}

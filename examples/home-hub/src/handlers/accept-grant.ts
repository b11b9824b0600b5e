/**
 * `Alexa.Authorization` AcceptGrant: sent once when a user links their account, because the skill has the
 * `alexa::async_event:write` permission. The bridge finds out who the user is at the hub (the grantee token is
 * their hub access token), exchanges the grant code with Login with Amazon for the user's Alexa tokens, and
 * keeps them, so that it can later send ChangeReports for that user. Any failure answers ACCEPT_GRANT_FAILED,
 * and Alexa then fails the account linking: an unhandled AcceptGrant is why linking breaks as soon as
 * asynchronous reporting is switched on.
 */
import { acceptGrantResponse } from "../messages";
import type { DirectiveHandler } from "./context";

/** AcceptGrant could not be completed; the message (never a token) goes into ACCEPT_GRANT_FAILED. */
export class AcceptGrantError extends Error {
  override readonly name = "AcceptGrantError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const field = (value: unknown, key: string): unknown =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;

export const acceptGrant: DirectiveHandler = async (context) => {
  const { directive } = context;
  const grant = directive.payload.grant;
  const grantee = directive.payload.grantee;
  const code = field(grant, "code");
  const granteeToken = field(grantee, "token");
  if (field(grant, "type") !== "OAuth2.AuthorizationCode" || typeof code !== "string" || code === "") {
    throw new AcceptGrantError("payload.grant must be an OAuth2.AuthorizationCode with a code");
  }
  if (field(grantee, "type") !== "BearerToken" || typeof granteeToken !== "string" || granteeToken === "") {
    throw new AcceptGrantError("payload.grantee must be a BearerToken with a token");
  }
  const step = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw new AcceptGrantError(`${what}: ${cause instanceof Error ? cause.message : String(cause)}`, {
        cause,
      });
    }
  };
  const userId = await step("Could not identify the user at the home hub", () =>
    context.hub.whoIs(granteeToken),
  );
  const granted = await step("Could not exchange the grant code with Login with Amazon", () =>
    context.lwa.exchangeCode(code),
  );
  await step("Could not keep the user's Alexa tokens", () =>
    context.tokens.put({
      userId,
      accessToken: granted.accessToken,
      refreshToken: granted.refreshToken,
      expiresAt: context.now().getTime() + granted.expiresInSeconds * 1000,
    }),
  );
  context.log({ level: "info", message: "AcceptGrant: Alexa tokens stored", userId });
  return acceptGrantResponse(directive);
};

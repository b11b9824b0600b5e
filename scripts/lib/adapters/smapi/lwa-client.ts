/**
 * The SDK's HTTP client with Login with Amazon told apart: the SDK fetches its access token through the same
 * client as its Skill Management API calls, so a token request that fails (the host unreachable, an error status)
 * is thrown here as a {@link LoginWithAmazonFailure}, and the message then names Login with Amazon, not the API.
 */
import { runtime } from "ask-smapi-model";

/** A token request to Login with Amazon that failed: no answer (`statusCode` undefined), or an error status. */
export class LoginWithAmazonFailure extends Error {
  override readonly name = "LoginWithAmazonFailure";
  constructor(
    message: string,
    /** The HTTP status, when Login with Amazon answered. */
    readonly statusCode?: number,
    /** Its parsed answer (an OAuth error body: `error`, `error_description`). */
    readonly response?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

// Login with Amazon's token endpoint, as the SDK calls it.
const TOKEN_PATH = /\/auth\/o2\/token$/i;

function parse(body: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body ?? "");
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The SDK's default client, token requests' failures thrown as {@link LoginWithAmazonFailure}. */
export function lwaAwareApiClient(): runtime.ApiClient {
  const inner = new runtime.DefaultApiClient();
  return {
    async invoke(request) {
      if (!TOKEN_PATH.test(new URL(request.url).pathname)) return inner.invoke(request);
      let response: runtime.ApiClientResponse;
      try {
        response = await inner.invoke(request);
      } catch (error) {
        throw new LoginWithAmazonFailure(
          error instanceof Error ? error.message : String(error),
          undefined,
          undefined,
          {
            cause: error,
          },
        );
      }
      if (response.statusCode >= 200 && response.statusCode < 300) return response;
      const body = parse(response.body);
      throw new LoginWithAmazonFailure(
        typeof body?.error_description === "string" ? body.error_description : `HTTP ${response.statusCode}`,
        response.statusCode,
        body,
      );
    },
  };
}

/**
 * A short-lived Pulumi Cloud access token for a GitHub Actions job, without a standing secret: the job's GitHub
 * OIDC token (audience `urn:pulumi:org:ORG`) is exchanged at Pulumi Cloud's OAuth token endpoint (RFC 8693 token
 * exchange) for a token of one team, whose stack permissions Pulumi Cloud enforces. Neither token is ever put in
 * an error message.
 */
import { ConfigError, OperationError } from "../core/errors";

/** Pulumi Cloud's API. */
export const PULUMI_CLOUD_API = "https://api.pulumi.com";

/** The audience Pulumi Cloud expects in a GitHub OIDC token for `organization`. */
export function pulumiAudience(organization: string): string {
  return `urn:pulumi:org:${organization}`;
}

/** Asks GitHub for the job's OIDC token with `audience` (what `@actions/core`'s getIDToken does). */
export async function gitHubIdToken(
  request: { url: string; token: string },
  audience: string,
): Promise<string> {
  const url = new URL(request.url);
  url.searchParams.set("audience", audience);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${request.token}`, accept: "application/json" },
  });
  const body = (await response.json().catch(() => undefined)) as { value?: unknown } | undefined;
  if (!response.ok || typeof body?.value !== "string") {
    throw new OperationError(
      `GitHub did not issue an OIDC token (${response.status}): the job needs permissions id-token: write`,
    );
  }
  return body.value;
}

/** What {@link exchangeForPulumiToken} asks for. */
export interface PulumiTokenRequest {
  api: string;
  organization: string;
  team: string;
  idToken: string;
  expirationSeconds: number;
}

/** Exchanges the GitHub OIDC token for a Pulumi Cloud token of `team`, valid `expirationSeconds` at most. */
export async function exchangeForPulumiToken(request: PulumiTokenRequest): Promise<string> {
  let response: Response;
  try {
    response = await fetch(new URL("/api/oauth/token", request.api), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        audience: pulumiAudience(request.organization),
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
        requested_token_type: "urn:pulumi:token-type:access_token:team",
        scope: `team:${request.team}`,
        expiration: request.expirationSeconds,
        subject_token: request.idToken,
      }),
    });
  } catch (error) {
    throw new OperationError(
      `Pulumi Cloud (${request.api}) could not be reached: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    { access_token?: unknown; error?: unknown; error_description?: unknown } | undefined;
  if (!response.ok || typeof body?.access_token !== "string") {
    const reason =
      typeof body?.error === "string" ? `${body.error}: ${String(body.error_description ?? "")}` : "";
    throw new ConfigError(
      `Pulumi Cloud refused a token for team ${request.team} of ${request.organization} (${response.status}` +
        `${reason === "" ? "" : `, ${reason}`}): register GitHub as an OIDC issuer of the organization with a policy ` +
        `that lets this repository's workflow have that team's token (docs/adopting.md)`,
    );
  }
  if (/\s/.test(body.access_token)) {
    throw new OperationError("Pulumi Cloud answered a token with white space in it; it was not used");
  }
  return body.access_token;
}

/**
 * How the Skill Management API is signed in to: the `ASK_*` variables (CI, and anyone who sets them), or,
 * locally when they are absent, a profile of the ASK CLI's own configuration (`~/.ask/cli_config`, written by
 * `ask configure`), so a developer who configured the ASK CLI needs nothing else.
 *
 * A token of `ask configure` belongs to the Login with Amazon client it was minted for: the ASK CLI's own client
 * unless `ASK_LWA_CLIENT_ID` was set while configuring. Amazon allows the ASK CLI's client only inside the ASK
 * CLI, so Skillship never refreshes its tokens: it uses the profile's access token while it is valid, and refreshes
 * the profile's refresh token only with the team's own security profile (`ASK_LWA_CLIENT_ID` and
 * `ASK_LWA_CLIENT_SECRET`), for tokens minted for it.
 */
import { readFileSync } from "node:fs";
import {
  missingVariablesError,
  requireAskCredentials,
  type AskCredentials,
  type CliEnvironment,
} from "./env";
import { ConfigError } from "./errors";

/** The credentials a Skill Management API client signs in with, and where they come from (for messages). */
export type SmapiAuth =
  | ({ kind: "refresh-token"; source: string } & AskCredentials)
  | { kind: "access-token"; accessToken: string; source: string };

/** The profile the ASK CLI uses when none is named. */
const DEFAULT_PROFILE = "default";

/** An access token this close to its expiry is treated as expired: a command may run for minutes. */
const EXPIRY_MARGIN_MS = 5 * 60_000;

interface ProfileToken {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_at?: unknown;
}

/** Reads one profile's token from the ASK CLI configuration; undefined when the file or the profile is absent. */
function readProfileToken(file: string, profile: string): ProfileToken | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
  let config: { profiles?: Record<string, { token?: ProfileToken }> };
  try {
    config = JSON.parse(text) as typeof config;
  } catch (error) {
    throw new ConfigError(
      `${file} (the ASK CLI's configuration) is not valid JSON: run \`ask configure\` again, or set the ASK_* variables`,
      { cause: error },
    );
  }
  return config.profiles?.[profile]?.token;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;

/**
 * The credentials of a run: the variables when `ASK_REFRESH_TOKEN` is set (all three then required), else, off
 * CI, the ASK CLI profile (`profile`, default `ASK_DEFAULT_PROFILE`, else "default"). Throws one
 * {@link ConfigError} saying what is missing and how to provide it, before anything is called.
 */
export function resolveSmapiAuth(
  env: CliEnvironment,
  options: { profile?: string; now?: () => number } = {},
): SmapiAuth {
  if (env.ask.refreshToken !== undefined || env.ci || env.askCliConfigFile === undefined) {
    return { kind: "refresh-token", source: "the ASK_* variables", ...requireAskCredentials(env) };
  }
  const profile = options.profile ?? env.askProfile ?? DEFAULT_PROFILE;
  const file = env.askCliConfigFile;
  const token = readProfileToken(file, profile);
  if (token === undefined) {
    const missing = [
      ...(env.ask.clientId === undefined ? ["ASK_LWA_CLIENT_ID"] : []),
      ...(env.ask.clientSecret === undefined ? ["ASK_LWA_CLIENT_SECRET"] : []),
      "ASK_REFRESH_TOKEN",
    ];
    throw missingVariablesError(
      missing,
      " to call the Skill Management API (the refresh token minted with `skillship lwa login`); or, on your " +
        `own machine, an ASK CLI profile, but there is no profile "${profile}" in ${file} (run \`ask configure\`, ` +
        "or pass --profile NAME)",
    );
  }
  const source = `ASK CLI profile "${profile}" (${file})`;
  const refreshToken = text(token.refresh_token);
  const { clientId, clientSecret } = env.ask;
  if (refreshToken !== undefined && clientId !== undefined && clientSecret !== undefined) {
    return {
      kind: "refresh-token",
      source: `${source} with the security profile of ASK_LWA_CLIENT_ID`,
      clientId,
      clientSecret,
      refreshToken,
    };
  }
  const accessToken = text(token.access_token);
  const expiresAt = Date.parse(text(token.expires_at) ?? "");
  const now = (options.now ?? Date.now)();
  if (accessToken !== undefined && Number.isFinite(expiresAt) && expiresAt - EXPIRY_MARGIN_MS > now) {
    return { kind: "access-token", accessToken, source };
  }
  throw new ConfigError(
    `The access token of ${source} ${Number.isFinite(expiresAt) ? `expired at ${new Date(expiresAt).toISOString()}` : "is missing"}, ` +
      "and Skillship does not refresh tokens of the ASK CLI's own Login with Amazon client: run an `ask smapi` " +
      "command to refresh it (e.g. `ask smapi list-skills-for-vendor`); or set ASK_LWA_CLIENT_ID and " +
      "ASK_LWA_CLIENT_SECRET of the security profile the profile's token was minted for; or set ASK_REFRESH_TOKEN " +
      "with them (`skillship lwa login`)",
  );
}

/**
 * The CLI's environment, read in this one module: nothing else in `scripts/` touches `process.env`.
 * Errors name the variable and what to do, never a value.
 */
import { ConfigError } from "./errors";

type Env = Record<string, string | undefined>;

/** Returns the variable's value, or undefined when it is unset or empty. */
export function optionalEnv(name: string, env: Env = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * Returns the variable's value or throws a {@link ConfigError} that says "Environment variable X is required"
 * followed by the hint (what the variable is for and where to get it).
 */
export function requireEnv(name: string, hint: string, env: Env = process.env): string {
  const value = optionalEnv(name, env);
  if (value === undefined) {
    throw new ConfigError(`Environment variable ${name} is required: ${hint}`);
  }
  return value;
}

/** True on GitHub Actions. */
export function onGitHubActions(env: Env = process.env): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/** The file GitHub Actions renders as the job summary, when running there. */
export function stepSummaryFile(env: Env = process.env): string | undefined {
  return optionalEnv("GITHUB_STEP_SUMMARY", env);
}

/** True when colour and progress animation should be off (CI, NO_COLOR). */
export function plainOutputRequested(env: Env = process.env): boolean {
  return optionalEnv("NO_COLOR", env) !== undefined || optionalEnv("CI", env) !== undefined;
}

/** Variables whose values are secrets: the reporter masks their values in everything it prints. */
export const secretEnvNames = [
  "ASK_LWA_CLIENT_SECRET",
  "ASK_REFRESH_TOKEN",
  "ASK_ACCOUNT_LINKING_CLIENT_SECRET",
  "NGROK_AUTHTOKEN",
] as const;

/** The values of the set secret variables (never printed; used only to mask them). */
export function secretEnvValues(env: Env = process.env): string[] {
  return secretEnvNames.map((name) => optionalEnv(name, env)).filter((v): v is string => v !== undefined);
}

/**
 * The account linking client secret: from the variable `accountLinking.json` names, else from
 * `ASK_ACCOUNT_LINKING_CLIENT_SECRET`. Undefined when neither is set.
 */
export function accountLinkingClientSecret(variable?: string, env: Env = process.env): string | undefined {
  return optionalEnv(variable ?? "ASK_ACCOUNT_LINKING_CLIENT_SECRET", env);
}

/** The Login with Amazon security profile and refresh token the Skill Management API client signs in with. */
export interface AskCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

const askCredentialHints: Record<string, string> = {
  ASK_LWA_CLIENT_ID: "the client id of the team's Login with Amazon security profile",
  ASK_LWA_CLIENT_SECRET: "the client secret of that security profile",
  ASK_REFRESH_TOKEN: "a refresh token minted with `skillship lwa login`",
};

/**
 * The credentials of `ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET` and `ASK_REFRESH_TOKEN`. Throws one
 * {@link ConfigError} naming every missing variable (never a value), before anything is called.
 */
export function askCredentials(env: Env = process.env): AskCredentials {
  const missing = Object.keys(askCredentialHints).filter((name) => optionalEnv(name, env) === undefined);
  if (missing.length > 0) {
    throw new ConfigError(
      `Environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} ` +
        `required to call the Skill Management API: ${missing.map((name) => `${name} is ${askCredentialHints[name]}`).join("; ")}`,
    );
  }
  return {
    clientId: optionalEnv("ASK_LWA_CLIENT_ID", env) as string,
    clientSecret: optionalEnv("ASK_LWA_CLIENT_SECRET", env) as string,
    refreshToken: optionalEnv("ASK_REFRESH_TOKEN", env) as string,
  };
}

/** The security profile `skillship lwa login` uses (`ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`), both required. */
export function lwaSecurityProfile(env: Env = process.env): { clientId: string; clientSecret: string } {
  const missing = ["ASK_LWA_CLIENT_ID", "ASK_LWA_CLIENT_SECRET"].filter(
    (name) => optionalEnv(name, env) === undefined,
  );
  if (missing.length > 0) {
    throw new ConfigError(
      `Environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} ` +
        `required: the client id and secret of the team's Login with Amazon security profile ` +
        `(developer.amazon.com → Login with Amazon → the profile's Web Settings)`,
    );
  }
  return {
    clientId: optionalEnv("ASK_LWA_CLIENT_ID", env) as string,
    clientSecret: optionalEnv("ASK_LWA_CLIENT_SECRET", env) as string,
  };
}

/** The Skill Management API base URL: `ASK_SMAPI_SERVER_BASE_URL`, default `https://api.amazonalexa.com`. */
export function smapiBaseUrl(env: Env = process.env): string {
  return optionalEnv("ASK_SMAPI_SERVER_BASE_URL", env) ?? "https://api.amazonalexa.com";
}

/** The Login with Amazon token host: `ASK_LWA_TOKEN_HOST`, default `https://api.amazon.com`. */
export function lwaTokenHost(env: Env = process.env): string {
  return optionalEnv("ASK_LWA_TOKEN_HOST", env) ?? "https://api.amazon.com";
}

/** The ngrok settings of `skillship dev --tunnel`: `NGROK_AUTHTOKEN` (a secret) and `NGROK_DOMAIN` (optional). */
export function ngrokSettings(env: Env = process.env): { authtoken?: string; domain?: string } {
  return { authtoken: optionalEnv("NGROK_AUTHTOKEN", env), domain: optionalEnv("NGROK_DOMAIN", env) };
}

/**
 * What GitHub Actions says about the commit being released: the tag (`GITHUB_REF_NAME` when `GITHUB_REF_TYPE`
 * is `tag`) and the commit (`GITHUB_SHA`). Either is undefined outside a tag build.
 */
export function releaseRefFromEnv(env: Env = process.env): { tag?: string; commit?: string } {
  const tag = optionalEnv("GITHUB_REF_TYPE", env) === "tag" ? optionalEnv("GITHUB_REF_NAME", env) : undefined;
  return { tag, commit: optionalEnv("GITHUB_SHA", env) };
}

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

/**
 * The CLI's environment, read in this one module into a typed object: nothing else in `scripts/` touches
 * `process.env`. `run()` in `scripts/cli.ts` reads it once per command and hands it down; tests build their own
 * with {@link readEnvironment}. Errors name the variable and what to do, never a value.
 */
import * as path from "node:path";
import { ConfigError } from "./errors";

/** Variables as the process (or a test) holds them. */
export type EnvVars = Readonly<Record<string, string | undefined>>;

/** The Login with Amazon security profile and refresh token the Skill Management API client signs in with. */
export interface AskCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/** What GitHub Actions says about the run, when it is one. */
export interface GitHubRun {
  /** True on GitHub Actions (`GITHUB_ACTIONS=true`). */
  actions: boolean;
  /** The file rendered as the job summary (`GITHUB_STEP_SUMMARY`). */
  stepSummaryFile?: string;
  /** The tag being built (`GITHUB_REF_NAME` when `GITHUB_REF_TYPE` is `tag`). */
  tag?: string;
  /** The commit being built (`GITHUB_SHA`). */
  commit?: string;
  /** The file a step appends `NAME=value` lines to, for the job's later steps (`GITHUB_ENV`). */
  envFile?: string;
  /**
   * Where the job asks GitHub for an OIDC token (`ACTIONS_ID_TOKEN_REQUEST_URL`, `ACTIONS_ID_TOKEN_REQUEST_TOKEN`):
   * set only in a job with `permissions: id-token: write`.
   */
  idTokenRequest?: { url: string; token: string };
}

/**
 * What the environment says of AWS access, for the messages when there is none: names and presence only, never a
 * secret. The AWS SDK reads the variables itself, with the rest of its chain (profiles, SSO, web identity).
 */
export interface AwsEnvironment {
  /** `AWS_REGION`, else `AWS_DEFAULT_REGION`. */
  region?: string;
  /** `AWS_PROFILE`. */
  profile?: string;
  /** True when `AWS_ACCESS_KEY_ID` is set; `secretAccessKey` likewise for `AWS_SECRET_ACCESS_KEY`. */
  accessKeyId: boolean;
  secretAccessKey: boolean;
  /** `AWS_ROLE_ARN` and `AWS_WEB_IDENTITY_TOKEN_FILE`: a web identity (GitHub OIDC) role. */
  roleArn?: string;
  webIdentityTokenFile?: string;
}

/** Every variable the CLI reads, read once. */
export interface CliEnvironment {
  /** `ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`, `ASK_REFRESH_TOKEN`, each as set. */
  readonly ask: Partial<AskCredentials>;
  /** `ASK_SMAPI_SERVER_BASE_URL`, default `https://api.amazonalexa.com`. */
  readonly smapiBaseUrl: string;
  /** `ASK_LWA_TOKEN_HOST`, default `https://api.amazon.com`. */
  readonly lwaTokenHost: string;
  /** `NGROK_AUTHTOKEN` (a secret) and `NGROK_DOMAIN`, for `skillship dev --tunnel`. */
  readonly ngrok: { authtoken?: string; domain?: string };
  /** `SKILL_ID`: the skill a local run answers to. */
  readonly skillId?: string;
  /**
   * `ALEXA_SMART_HOME_SCHEMA`: Amazon's Smart Home message schema (`alexa_smart_home_message_schema.json`), that
   * `skillship directive` checks answers against.
   */
  readonly smartHomeSchema?: string;
  /** What the environment says of AWS access (see {@link AwsEnvironment}). */
  readonly aws: AwsEnvironment;
  /** `ASK_DEFAULT_PROFILE`: the ASK CLI profile used when `--profile` is not given. */
  readonly askProfile?: string;
  /**
   * The ASK CLI's own configuration, `~/.ask/cli_config` (home from `HOME`, or `USERPROFILE` on Windows): its
   * profiles' tokens serve locally when the `ASK_*` variables are absent. Undefined when no home is known.
   */
  readonly askCliConfigFile?: string;
  /** True on a CI machine (`CI` set): credentials then come from the variables only, never from a file. */
  readonly ci: boolean;
  readonly github: GitHubRun;
  /** True when colour and progress animation should be off (`CI` or `NO_COLOR` set). */
  readonly plainOutput: boolean;
  /** The values of the secret variables that are set: masked in everything the CLI prints, never printed. */
  readonly secretValues: readonly string[];
  /**
   * A variable whose name a file chooses (`clientSecretEnv` of `accountLinking.json`); undefined when unset or
   * empty.
   */
  variable(name: string): string | undefined;
  /** The variables as read, for the skill's own configuration reader in local runs (`skill/config.ts`). */
  readonly vars: EnvVars;
}

/** Variables whose values are secrets: the reporter masks their values in everything it prints. */
export const secretEnvNames = [
  "ASK_LWA_CLIENT_SECRET",
  "ASK_REFRESH_TOKEN",
  "ASK_ACCOUNT_LINKING_CLIENT_SECRET",
  "NGROK_AUTHTOKEN",
  "ACTIONS_ID_TOKEN_REQUEST_TOKEN",
  "PULUMI_ACCESS_TOKEN",
] as const;

/** The default variable holding the account linking client secret (`accountLinking.json` may name another). */
export const ACCOUNT_LINKING_SECRET_ENV = "ASK_ACCOUNT_LINKING_CLIENT_SECRET";

function valueOf(vars: EnvVars, name: string): string | undefined {
  const value = vars[name];
  return value === undefined || value.trim() === "" ? undefined : value;
}

function idTokenRequest(url: string | undefined, token: string | undefined): GitHubRun["idTokenRequest"] {
  return url === undefined || token === undefined ? undefined : { url, token };
}

/** Reads every variable the CLI uses from `vars` (default: the process's) into a {@link CliEnvironment}. */
export function readEnvironment(vars: EnvVars = process.env): CliEnvironment {
  const snapshot: EnvVars = Object.freeze({ ...vars });
  const get = (name: string): string | undefined => valueOf(snapshot, name);
  return {
    ask: {
      clientId: get("ASK_LWA_CLIENT_ID"),
      clientSecret: get("ASK_LWA_CLIENT_SECRET"),
      refreshToken: get("ASK_REFRESH_TOKEN"),
    },
    smapiBaseUrl: get("ASK_SMAPI_SERVER_BASE_URL") ?? "https://api.amazonalexa.com",
    lwaTokenHost: get("ASK_LWA_TOKEN_HOST") ?? "https://api.amazon.com",
    ngrok: { authtoken: get("NGROK_AUTHTOKEN"), domain: get("NGROK_DOMAIN") },
    skillId: get("SKILL_ID"),
    smartHomeSchema: get("ALEXA_SMART_HOME_SCHEMA"),
    aws: {
      region: get("AWS_REGION") ?? get("AWS_DEFAULT_REGION"),
      profile: get("AWS_PROFILE"),
      accessKeyId: get("AWS_ACCESS_KEY_ID") !== undefined,
      secretAccessKey: get("AWS_SECRET_ACCESS_KEY") !== undefined,
      roleArn: get("AWS_ROLE_ARN"),
      webIdentityTokenFile: get("AWS_WEB_IDENTITY_TOKEN_FILE"),
    },
    askProfile: get("ASK_DEFAULT_PROFILE"),
    askCliConfigFile: askCliConfigFile(get("HOME") ?? get("USERPROFILE")),
    ci: get("CI") !== undefined,
    github: {
      actions: snapshot.GITHUB_ACTIONS === "true",
      stepSummaryFile: get("GITHUB_STEP_SUMMARY"),
      tag: get("GITHUB_REF_TYPE") === "tag" ? get("GITHUB_REF_NAME") : undefined,
      commit: get("GITHUB_SHA"),
      envFile: get("GITHUB_ENV"),
      idTokenRequest: idTokenRequest(
        get("ACTIONS_ID_TOKEN_REQUEST_URL"),
        get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"),
      ),
    },
    plainOutput: get("NO_COLOR") !== undefined || get("CI") !== undefined,
    secretValues: secretEnvNames.map(get).filter((value): value is string => value !== undefined),
    variable: get,
    vars: snapshot,
  };
}

function askCliConfigFile(home: string | undefined): string | undefined {
  return home === undefined ? undefined : path.join(home, ".ask", "cli_config");
}

/**
 * The error for variables that must be set: "Environment variable X is required: …" or, for several,
 * "Environment variables X, Y are required: …", followed by what each is for. Never a value.
 */
export function missingVariablesError(missing: readonly string[], purpose: string): ConfigError {
  const several = missing.length > 1;
  return new ConfigError(
    `Environment variable${several ? "s" : ""} ${missing.join(", ")} ${several ? "are" : "is"} required${purpose}`,
    { resource: missing.join(", ") },
  );
}

const askCredentialHints: Record<keyof AskCredentials, [variable: string, hint: string]> = {
  clientId: ["ASK_LWA_CLIENT_ID", "the client id of the team's Login with Amazon security profile"],
  clientSecret: ["ASK_LWA_CLIENT_SECRET", "the client secret of that security profile"],
  refreshToken: ["ASK_REFRESH_TOKEN", "a refresh token minted with `skillship lwa login`"],
};

/**
 * The credentials of `ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET` and `ASK_REFRESH_TOKEN`. Throws one
 * {@link ConfigError} naming every missing variable and what it is, before anything is called.
 */
export function requireAskCredentials(env: CliEnvironment): AskCredentials {
  const missing = (Object.keys(askCredentialHints) as (keyof AskCredentials)[]).filter(
    (key) => env.ask[key] === undefined,
  );
  if (missing.length > 0) {
    throw missingVariablesError(
      missing.map((key) => askCredentialHints[key][0]),
      ` to call the Skill Management API: ${missing.map((key) => askCredentialHints[key].join(" is ")).join("; ")}`,
    );
  }
  return env.ask as AskCredentials;
}

/** The security profile `skillship lwa login` uses (`ASK_LWA_CLIENT_ID`, `ASK_LWA_CLIENT_SECRET`), both required. */
export function requireLwaSecurityProfile(env: CliEnvironment): { clientId: string; clientSecret: string } {
  const { clientId, clientSecret } = env.ask;
  if (clientId === undefined || clientSecret === undefined) {
    throw missingVariablesError(
      [
        clientId === undefined ? "ASK_LWA_CLIENT_ID" : [],
        clientSecret === undefined ? "ASK_LWA_CLIENT_SECRET" : [],
      ].flat(),
      ": the client id and secret of the team's Login with Amazon security profile " +
        "(developer.amazon.com → Login with Amazon → the profile's Web Settings)",
    );
  }
  return { clientId, clientSecret };
}

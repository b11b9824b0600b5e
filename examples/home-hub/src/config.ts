/**
 * The bridge's settings, read once from the environment and checked together: every missing or invalid
 * variable is named in one {@link HomeHubConfigError}. Secrets (the skill's LWA client secret) are never part
 * of a message.
 */
import { HomeHubConfigError } from "./errors";
import { alexaRegionOf, AWS_REGION_OF, EVENT_GATEWAYS, type AlexaRegion } from "./gateway";
import { LWA_TOKEN_URL } from "./lwa";

/** The environment as Lambda (or a test) gives it. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Everything the Lambda entry needs. */
export interface HomeHubConfig {
  /** `HOME_HUB_URL`: the hub's base URL. */
  hubUrl: string;
  /** `HOME_HUB_TIMEOUT_MS`: deadline of one hub call, default 4000. */
  hubTimeoutMs: number;
  /** `TOKEN_TABLE`: the DynamoDB table of users' Alexa tokens. */
  tokenTable: string;
  /** `AWS_REGION`: where the function (and its table) runs. */
  awsRegion: string;
  /** `ALEXA_REGION`, or derived from `AWS_REGION`. */
  alexaRegion: AlexaRegion;
  /** `ALEXA_EVENT_GATEWAY_URL`, or the gateway of {@link alexaRegion}. */
  eventGatewayUrl: string;
  /** `LWA_TOKEN_URL`, default Login with Amazon's. */
  lwaTokenUrl: string;
  /** `AWS_ENDPOINT_URL_DYNAMODB`: a local DynamoDB, when set. */
  dynamoDbEndpoint?: string;
  /** `ALEXA_SKILL_CLIENT_ID` and `ALEXA_SKILL_CLIENT_SECRET`: the skill's own LWA credentials. */
  skillClient: { clientId: string; clientSecret: string };
}

/**
 * The variables the bridge reads: what a stack must set for its function (`required`, besides `AWS_REGION`
 * which Lambda sets), and what a deployment or a test may set.
 */
export const HOME_HUB_VARIABLES = {
  required: ["HOME_HUB_URL", "TOKEN_TABLE", "ALEXA_SKILL_CLIENT_ID", "ALEXA_SKILL_CLIENT_SECRET"],
  secret: ["ALEXA_SKILL_CLIENT_SECRET"],
  optional: [
    "HOME_HUB_TIMEOUT_MS",
    "ALEXA_REGION",
    "ALEXA_EVENT_GATEWAY_URL",
    "LWA_TOKEN_URL",
    "AWS_ENDPOINT_URL_DYNAMODB",
  ],
} as const;

/** Alexa waits 8 s for a directive's answer; a hub call must leave room for the rest. */
const HUB_TIMEOUT = { default: 4000, min: 100, max: 7000 };

/** Reads and checks the environment; throws one {@link HomeHubConfigError} naming every variable at fault. */
export function readHomeHubConfig(env: Env): HomeHubConfig {
  const problems: string[] = [];
  const variables: string[] = [];
  const fail = (variable: string, problem: string) => {
    variables.push(variable);
    problems.push(problem);
  };
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const required = (name: string, purpose: string): string => {
    const value = get(name);
    if (value === undefined) fail(name, `${name} is required: ${purpose}`);
    return value ?? "";
  };
  const url = (name: string, fallback?: string): string => {
    const value = get(name);
    if (value === undefined) return fallback ?? "";
    let parsed: URL | undefined;
    try {
      parsed = new URL(value);
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
      fail(name, `${name} must be an http(s) URL, got "${value}"`);
    }
    return value;
  };

  const hubUrl = url("HOME_HUB_URL") || required("HOME_HUB_URL", "the base URL of the home hub's API");
  let hubTimeoutMs = HUB_TIMEOUT.default;
  const rawTimeout = get("HOME_HUB_TIMEOUT_MS");
  if (rawTimeout !== undefined) {
    hubTimeoutMs = Number(rawTimeout);
    if (!/^\d+$/.test(rawTimeout) || hubTimeoutMs < HUB_TIMEOUT.min || hubTimeoutMs > HUB_TIMEOUT.max) {
      fail(
        "HOME_HUB_TIMEOUT_MS",
        `HOME_HUB_TIMEOUT_MS must be a whole number of milliseconds from ${HUB_TIMEOUT.min} to ${HUB_TIMEOUT.max} ` +
          `(Alexa gives up after 8 s), got "${rawTimeout}"`,
      );
    }
  }
  const tokenTable = required("TOKEN_TABLE", "the DynamoDB table that keeps users' Alexa tokens");
  const clientId = required(
    "ALEXA_SKILL_CLIENT_ID",
    "the skill's Alexa Skill Messaging client id (developer console, Permissions)",
  );
  const clientSecret = required(
    "ALEXA_SKILL_CLIENT_SECRET",
    "the skill's Alexa Skill Messaging client secret (developer console, Permissions)",
  );
  const awsRegion = required("AWS_REGION", "the function's AWS region (Lambda sets it)");

  let alexaRegion: AlexaRegion = "NA";
  const declared = get("ALEXA_REGION");
  const regions = Object.keys(EVENT_GATEWAYS) as AlexaRegion[];
  if (declared !== undefined) {
    if (regions.includes(declared as AlexaRegion)) alexaRegion = declared as AlexaRegion;
    else fail("ALEXA_REGION", `ALEXA_REGION must be one of ${regions.join(", ")}, got "${declared}"`);
  } else if (awsRegion !== "") {
    const derived = alexaRegionOf(awsRegion);
    if (derived !== undefined) alexaRegion = derived;
    else {
      const where = regions.map((region) => `${AWS_REGION_OF[region]} (${region})`).join(", ");
      fail(
        "ALEXA_REGION",
        `AWS_REGION ${awsRegion} serves no Alexa region: smart-home functions run in ${where}. ` +
          "Deploy there, or set ALEXA_REGION to the region whose users this function serves",
      );
    }
  }
  const eventGatewayUrl = url("ALEXA_EVENT_GATEWAY_URL", EVENT_GATEWAYS[alexaRegion]);
  const lwaTokenUrl = url("LWA_TOKEN_URL", LWA_TOKEN_URL);
  const dynamoDbEndpoint = url("AWS_ENDPOINT_URL_DYNAMODB") || undefined;

  if (problems.length > 0) {
    throw new HomeHubConfigError(
      [...new Set(variables)],
      `The home-hub skill's environment is not usable:\n  - ${problems.join("\n  - ")}`,
    );
  }
  return {
    hubUrl,
    hubTimeoutMs,
    tokenTable,
    awsRegion,
    alexaRegion,
    eventGatewayUrl,
    lwaTokenUrl,
    ...(dynamoDbEndpoint === undefined ? {} : { dynamoDbEndpoint }),
    skillClient: { clientId, clientSecret },
  };
}

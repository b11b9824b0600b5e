/**
 * The Lambda entry of the home-hub bridge: `index.handler`. The bridge is built from the environment on the
 * first invocation and kept for the container's life; a missing or invalid variable fails that invocation with
 * an error naming every variable to fix. The DynamoDB client is loaded only when tokens are first needed.
 *
 * Environment: `HOME_HUB_URL`, `HOME_HUB_TIMEOUT_MS`, `TOKEN_TABLE`, `ALEXA_SKILL_CLIENT_ID`,
 * `ALEXA_SKILL_CLIENT_SECRET` (from Parameter Store when the stack names it in `SKILLSHIP_SECRETS`), `AWS_REGION`
 * (set by Lambda), and the overrides `ALEXA_REGION`, `ALEXA_EVENT_GATEWAY_URL`, `LWA_TOKEN_URL`,
 * `AWS_ENDPOINT_URL_DYNAMODB`.
 */
import { withFunctionSecrets } from "../../../runtime/secrets";
import { readHomeHubConfig, type Env } from "./config";
import { createEventGatewayClient } from "./gateway";
import { createLwaClient } from "./lwa";
import { createHomeHubSkill, type HomeHubSkill } from "./skill";
import { dynamoDbTokenStore } from "./tokens";

/** The bridge as configured by `env`. */
export function homeHubSkillFromEnvironment(env: Env): HomeHubSkill {
  const config = readHomeHubConfig(env);
  return createHomeHubSkill({
    hubUrl: config.hubUrl,
    hubTimeoutMs: config.hubTimeoutMs,
    tokenStore: dynamoDbTokenStore({
      tableName: config.tokenTable,
      region: config.awsRegion,
      ...(config.dynamoDbEndpoint === undefined ? {} : { endpoint: config.dynamoDbEndpoint }),
    }),
    lwa: createLwaClient({ ...config.skillClient, tokenUrl: config.lwaTokenUrl }),
    eventGateway: createEventGatewayClient({ url: config.eventGatewayUrl }),
  });
}

let skill: Promise<HomeHubSkill> | undefined;

/**
 * Lambda handler `index.handler`: Alexa directives and the hub's change notices. The secrets the stack names
 * (`ALEXA_SKILL_CLIENT_SECRET`) are read from Parameter Store first; a start that fails is tried again on the next
 * invocation.
 */
export const handler = async (event: unknown, context?: unknown): ReturnType<HomeHubSkill> => {
  skill ??= withFunctionSecrets(process.env).then(homeHubSkillFromEnvironment);
  const ready = await skill.catch((error: unknown) => {
    skill = undefined;
    throw error;
  });
  return ready(event, context);
};

export { HOME_HUB_VARIABLES, readHomeHubConfig, type HomeHubConfig } from "./config";
export { createHomeHubSkill, type HomeHubSkill, type HomeHubSkillOptions } from "./skill";
export { createHubClient, type HubClient, type HubDevice, type HubDeviceState } from "./hub";
export { createLwaClient, LWA_TOKEN_URL, type LwaClient } from "./lwa";
export {
  alexaRegionOf,
  AWS_REGION_OF,
  createEventGatewayClient,
  EVENT_GATEWAYS,
  type AlexaRegion,
  type EventGatewayClient,
} from "./gateway";
export {
  dynamoDbTokenStore,
  memoryTokenStore,
  TOKEN_TABLE_KEY,
  type AlexaTokens,
  type TokenStore,
} from "./tokens";
export { SHUTTER_INSTANCE } from "./devices";
export type { AlexaMessage, DirectiveEvent } from "./messages";
export type { HubEvent, HubNotice, ReportResult } from "./reporter";

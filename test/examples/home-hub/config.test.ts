/** The bridge's environment: what it needs, the region rules, and errors that name every variable at fault. */
import { HOME_HUB_VARIABLES, readHomeHubConfig } from "../../../examples/home-hub/src/config";
import { HomeHubConfigError } from "../../../examples/home-hub/src/errors";
import { alexaRegionOf, EVENT_GATEWAYS } from "../../../examples/home-hub/src/gateway";

const complete = {
  HOME_HUB_URL: "https://hub.example.com",
  TOKEN_TABLE: "home-hub-tokens",
  ALEXA_SKILL_CLIENT_ID: "amzn1.application-oa2-client.abc",
  ALEXA_SKILL_CLIENT_SECRET: "s3cr3t-value-never-printed",
  AWS_REGION: "eu-west-1",
};

function configError(env: Record<string, string | undefined>): HomeHubConfigError {
  try {
    readHomeHubConfig(env);
  } catch (error) {
    if (error instanceof HomeHubConfigError) return error;
    throw error;
  }
  throw new Error("expected a HomeHubConfigError");
}

describe("readHomeHubConfig", () => {
  it("reads a complete environment, with the defaults", () => {
    expect(readHomeHubConfig(complete)).toEqual({
      hubUrl: "https://hub.example.com",
      hubTimeoutMs: 4000,
      tokenTable: "home-hub-tokens",
      awsRegion: "eu-west-1",
      alexaRegion: "EU",
      eventGatewayUrl: "https://api.eu.amazonalexa.com/v3/events",
      lwaTokenUrl: "https://api.amazon.com/auth/o2/token",
      skillClient: {
        clientId: complete.ALEXA_SKILL_CLIENT_ID,
        clientSecret: complete.ALEXA_SKILL_CLIENT_SECRET,
      },
    });
  });

  it.each([
    ["us-east-1", "NA", "https://api.amazonalexa.com/v3/events"],
    ["eu-west-1", "EU", "https://api.eu.amazonalexa.com/v3/events"],
    ["us-west-2", "FE", "https://api.fe.amazonalexa.com/v3/events"],
  ])("sends the events of a function in %s to the %s gateway", (awsRegion, alexaRegion, gateway) => {
    const config = readHomeHubConfig({ ...complete, AWS_REGION: awsRegion });

    expect([config.alexaRegion, config.eventGatewayUrl]).toEqual([alexaRegion, gateway]);
    expect(EVENT_GATEWAYS[config.alexaRegion]).toBe(gateway);
    expect(alexaRegionOf(awsRegion)).toBe(alexaRegion);
  });

  it("refuses an AWS region that serves no Alexa region, saying where to deploy", () => {
    const error = configError({ ...complete, AWS_REGION: "eu-central-1" });

    expect(error.variables).toEqual(["ALEXA_REGION"]);
    expect(error.message).toContain(
      "AWS_REGION eu-central-1 serves no Alexa region: smart-home functions run in us-east-1 (NA), eu-west-1 (EU), us-west-2 (FE)",
    );
  });

  it("takes ALEXA_REGION and the endpoint overrides (loopback in tests)", () => {
    const config = readHomeHubConfig({
      ...complete,
      AWS_REGION: "eu-central-1",
      ALEXA_REGION: "FE",
      ALEXA_EVENT_GATEWAY_URL: "http://127.0.0.1:9/v3/events",
      LWA_TOKEN_URL: "http://127.0.0.1:9/auth/o2/token",
      AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
      HOME_HUB_TIMEOUT_MS: "2500",
    });

    expect(config).toMatchObject({
      alexaRegion: "FE",
      eventGatewayUrl: "http://127.0.0.1:9/v3/events",
      lwaTokenUrl: "http://127.0.0.1:9/auth/o2/token",
      dynamoDbEndpoint: "http://127.0.0.1:9",
      hubTimeoutMs: 2500,
    });
  });

  it("names every missing variable at once, and what each is", () => {
    const error = configError({});

    expect(error.variables).toEqual([
      "HOME_HUB_URL",
      "TOKEN_TABLE",
      "ALEXA_SKILL_CLIENT_ID",
      "ALEXA_SKILL_CLIENT_SECRET",
      "AWS_REGION",
    ]);
    // The list a stack reads to give the function its environment says the same.
    expect([...HOME_HUB_VARIABLES.required, "AWS_REGION"]).toEqual(error.variables);
    expect(error.message).toContain("HOME_HUB_URL is required: the base URL of the home hub's API");
    expect(error.message).toContain(
      "ALEXA_SKILL_CLIENT_SECRET is required: the skill's Alexa Skill Messaging client secret",
    );
  });

  it("names invalid values, and never prints the client secret", () => {
    const error = configError({
      ...complete,
      HOME_HUB_URL: "hub.local",
      HOME_HUB_TIMEOUT_MS: "9000",
      ALEXA_REGION: "APAC",
      LWA_TOKEN_URL: "ftp://lwa",
    });

    expect(error.variables).toEqual(["HOME_HUB_URL", "HOME_HUB_TIMEOUT_MS", "ALEXA_REGION", "LWA_TOKEN_URL"]);
    expect(error.message).toContain('HOME_HUB_URL must be an http(s) URL, got "hub.local"');
    expect(error.message).toContain(
      "HOME_HUB_TIMEOUT_MS must be a whole number of milliseconds from 100 to 7000",
    );
    expect(error.message).toContain('ALEXA_REGION must be one of NA, EU, FE, got "APAC"');
    expect(error.message).not.toContain(complete.ALEXA_SKILL_CLIENT_SECRET);
  });
});

/**
 * The Lambda entry (`examples/home-hub/src/index.ts`): built from the process's environment on the first
 * invocation, it answers a directive without loading the AWS SDK, and a broken environment fails the
 * invocation naming the variables.
 */
import { EXPIRED_HUB_TOKEN, HUB_ALICE, SAMPLE_DEVICE } from "../../../testkit/fakes/home-hub";
import { FAKE_SKILL_CREDENTIALS } from "../../../testkit/fakes/lwa";
import { directive } from "../../../scripts/lib/local/smart-home/directives";
import { smartHomeValidator } from "../../../testkit/smart-home/message-schema";
import { freshHomeHubEntry, startHomeHubWorld, type HomeHubWorld } from "./world";

// Loading the DynamoDB client would slow every cold start: the test fails as soon as it is loaded. So would the
// Parameter Store client, which a function without SKILLSHIP_SECRETS never needs (lambda-secrets.test.ts has one).
jest.mock("@aws-sdk/client-dynamodb", () => {
  throw new Error("@aws-sdk/client-dynamodb was loaded");
});
jest.mock("@aws-sdk/client-ssm", () => {
  throw new Error("@aws-sdk/client-ssm was loaded");
});

let world: HomeHubWorld;
const saved = { ...process.env };

beforeAll(async () => {
  world = await startHomeHubWorld();
});
afterAll(async () => {
  await world.close();
});
afterEach(() => {
  process.env = { ...saved };
  jest.restoreAllMocks();
});

function setEnvironment(): void {
  Object.assign(process.env, {
    HOME_HUB_URL: world.hub.url,
    TOKEN_TABLE: "home-hub-tokens",
    AWS_REGION: "us-east-1",
    ALEXA_SKILL_CLIENT_ID: FAKE_SKILL_CREDENTIALS.clientId,
    ALEXA_SKILL_CLIENT_SECRET: FAKE_SKILL_CREDENTIALS.clientSecret,
    LWA_TOKEN_URL: world.lwa.tokenUrl,
    ALEXA_EVENT_GATEWAY_URL: world.gateway.url,
  });
}

describe("the Lambda handler", () => {
  it("answers a directive from its environment, logging one JSON line, without loading the DynamoDB client", async () => {
    setEnvironment();
    const lines: string[] = [];
    jest.spyOn(console, "log").mockImplementation((line: string) => lines.push(line));
    const { handler } = freshHomeHubEntry();

    const answer = await handler(
      directive("Alexa.PowerController.TurnOn", { token: HUB_ALICE.token, endpointId: SAMPLE_DEVICE.switch }),
    );

    expect(smartHomeValidator().problems(answer)).toEqual([]);
    expect(answer).toMatchObject({ event: { header: { name: "Response" } } });
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        directive: "Alexa.PowerController.TurnOn",
        endpointId: SAMPLE_DEVICE.switch,
        answer: "Alexa.Response",
      }),
    ]);
    expect(lines.join("\n")).not.toContain(HUB_ALICE.token);
  });

  it("logs an error response with its type and message", async () => {
    setEnvironment();
    const lines: string[] = [];
    jest.spyOn(console, "log").mockImplementation((line: string) => lines.push(line));
    const { handler } = freshHomeHubEntry();

    await handler(
      directive("Alexa.ReportState", { token: EXPIRED_HUB_TOKEN, endpointId: SAMPLE_DEVICE.switch }),
    );

    expect(JSON.parse(lines[0])).toMatchObject({
      level: "warn",
      errorType: "EXPIRED_AUTHORIZATION_CREDENTIAL",
    });
  });

  it("loads the DynamoDB client when tokens are needed (AcceptGrant)", async () => {
    setEnvironment();
    jest.spyOn(console, "log").mockImplementation(() => undefined);
    const { handler } = freshHomeHubEntry();

    const answer = await handler(
      directive("Alexa.Authorization.AcceptGrant", {
        token: HUB_ALICE.token,
        payload: { grant: { type: "OAuth2.AuthorizationCode", code: world.lwa.issueGrantCode() } },
      }),
    );

    expect(answer).toMatchObject({
      event: {
        payload: {
          type: "ACCEPT_GRANT_FAILED",
          message: expect.stringContaining("@aws-sdk/client-dynamodb was loaded"),
        },
      },
    });
  });

  it("fails the invocation with every missing variable named, and keeps failing until fixed", async () => {
    for (const name of [
      "HOME_HUB_URL",
      "TOKEN_TABLE",
      "ALEXA_SKILL_CLIENT_ID",
      "ALEXA_SKILL_CLIENT_SECRET",
    ]) {
      delete process.env[name];
    }
    process.env.AWS_REGION = "us-east-1";
    const { handler } = freshHomeHubEntry();
    const event = directive("Alexa.Discovery.Discover", { token: HUB_ALICE.token });

    await expect(handler(event)).rejects.toThrow(/HOME_HUB_URL is required[\s\S]*TOKEN_TABLE is required/);
    await expect(handler(event)).rejects.toThrow(/ALEXA_SKILL_CLIENT_SECRET is required/);
  });
});

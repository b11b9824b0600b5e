/**
 * AcceptGrant: the grant code exchanged with Login with Amazon (a local fake that accepts the skill's own
 * client credentials only) and the user's Alexa tokens kept under their hub user id; every failure answers
 * ACCEPT_GRANT_FAILED, and neither the client secret nor a token ever reaches the log.
 */
import { createLwaClient } from "../../../examples/home-hub/src/lwa";
import { createHomeHubSkill } from "../../../examples/home-hub/src/skill";
import { memoryTokenStore } from "../../../examples/home-hub/src/tokens";
import { createEventGatewayClient } from "../../../examples/home-hub/src/gateway";
import { EXPIRED_HUB_TOKEN, HUB_ALICE } from "../../../testkit/fakes/home-hub";
import { FAKE_SKILL_CREDENTIALS } from "../../../testkit/fakes/lwa";
import { directive } from "../../../scripts/lib/local/smart-home/directives";
import { smartHomeValidator } from "../../../testkit/smart-home/message-schema";
import { startHomeHubWorld, type HomeHubWorld } from "./world";

let world: HomeHubWorld;

beforeAll(async () => {
  world = await startHomeHubWorld();
});
afterAll(async () => {
  await world.close();
});
beforeEach(() => {
  world.hub.reset();
  world.tokens.records.clear();
  world.lwa.requests.length = 0;
  world.logs.length = 0;
});
afterEach(() => {
  expect(world.schemaProblems()).toEqual([]);
  const logged = JSON.stringify(world.logs);
  expect(logged).not.toContain(FAKE_SKILL_CREDENTIALS.clientSecret);
  for (const record of world.tokens.records.values()) {
    expect(logged).not.toContain(record.accessToken);
    expect(logged).not.toContain(record.refreshToken);
  }
});

const acceptGrant = (code: string, granteeToken: string = HUB_ALICE.token) =>
  world.send("Alexa.Authorization.AcceptGrant", {
    token: granteeToken,
    payload: { grant: { type: "OAuth2.AuthorizationCode", code } },
  });

describe("Alexa.Authorization AcceptGrant", () => {
  it("exchanges the code with Login with Amazon and keeps the tokens under the hub's user id", async () => {
    const code = world.lwa.issueGrantCode();

    const answer = await acceptGrant(code);

    expect(answer.event.header).toMatchObject({
      namespace: "Alexa.Authorization",
      name: "AcceptGrant.Response",
    });
    expect(answer.event.payload).toEqual({});
    expect(world.lwa.requests).toEqual([{ grantType: "authorization_code", status: 200 }]);
    const stored = world.tokens.records.get(HUB_ALICE.userId);
    expect(stored).toBeDefined();
    expect(world.lwa.tokenValid(stored!.accessToken)).toBe(true);
    expect(world.lwa.state.refreshTokens.has(stored!.refreshToken)).toBe(true);
    // Expiry on the skill's clock: an hour after "now".
    expect(stored!.expiresAt).toBe(world.clock.now.getTime() + 3600 * 1000);
  });

  it("answers ACCEPT_GRANT_FAILED to a code Login with Amazon does not know, and stores nothing", async () => {
    const answer = await acceptGrant("ANnot-a-real-code");

    expect(answer.event.header).toMatchObject({ namespace: "Alexa.Authorization", name: "ErrorResponse" });
    expect(answer.event.payload).toEqual({
      type: "ACCEPT_GRANT_FAILED",
      message: expect.stringContaining(
        "Login with Amazon refused the authorization code exchange (400 invalid_grant",
      ),
    });
    expect(world.tokens.records.size).toBe(0);
  });

  it("answers ACCEPT_GRANT_FAILED when the grantee token is not one the hub accepts, before spending the code", async () => {
    const code = world.lwa.issueGrantCode();

    const answer = await acceptGrant(code, EXPIRED_HUB_TOKEN);

    expect(answer.event.payload).toMatchObject({
      type: "ACCEPT_GRANT_FAILED",
      message: expect.stringContaining("Could not identify the user at the home hub"),
    });
    expect(world.lwa.requests).toEqual([]);
  });

  it("answers ACCEPT_GRANT_FAILED to a malformed grant without calling anyone", async () => {
    const answer = await world.send("Alexa.Authorization.AcceptGrant", {
      token: HUB_ALICE.token,
      payload: { grant: { type: "OAuth2.Implicit", code: "x" } },
    });

    expect(answer.event.payload).toMatchObject({ type: "ACCEPT_GRANT_FAILED" });
    expect(world.hub.calls).toEqual([]);
    expect(world.lwa.requests).toEqual([]);
  });

  it("answers ACCEPT_GRANT_FAILED when the token store fails", async () => {
    const failing = createHomeHubSkill({
      hubUrl: world.hub.url,
      tokenStore: {
        ...memoryTokenStore(),
        put: () => Promise.reject(new Error("Could not write tokens to DynamoDB table tokens: throttled")),
      },
      lwa: createLwaClient({ ...FAKE_SKILL_CREDENTIALS, tokenUrl: world.lwa.tokenUrl }),
      eventGateway: createEventGatewayClient({ url: world.gateway.url }),
      log: () => undefined,
    });
    const sent = directive("Alexa.Authorization.AcceptGrant", {
      token: HUB_ALICE.token,
      payload: { grant: { type: "OAuth2.AuthorizationCode", code: world.lwa.issueGrantCode() } },
    });

    const answer = await failing.directive(sent);

    expect(smartHomeValidator().problems(answer)).toEqual([]);
    expect(answer.event.payload).toMatchObject({
      type: "ACCEPT_GRANT_FAILED",
      message:
        "Could not keep the user's Alexa tokens: Could not write tokens to DynamoDB table tokens: throttled",
    });
  });

  it("is refused by Login with Amazon with the wrong client secret, and says so without the secret", async () => {
    const wrong = createHomeHubSkill({
      hubUrl: world.hub.url,
      tokenStore: memoryTokenStore(),
      lwa: createLwaClient({
        clientId: FAKE_SKILL_CREDENTIALS.clientId,
        clientSecret: "not-the-secret",
        tokenUrl: world.lwa.tokenUrl,
      }),
      eventGateway: createEventGatewayClient({ url: world.gateway.url }),
      log: () => undefined,
    });

    const answer = await wrong.directive(
      directive("Alexa.Authorization.AcceptGrant", {
        token: HUB_ALICE.token,
        payload: { grant: { type: "OAuth2.AuthorizationCode", code: world.lwa.issueGrantCode() } },
      }),
    );

    expect(answer.event.payload).toMatchObject({
      type: "ACCEPT_GRANT_FAILED",
      message: expect.stringContaining("401 invalid_client"),
    });
    expect(JSON.stringify(answer)).not.toContain("not-the-secret");
  });
});

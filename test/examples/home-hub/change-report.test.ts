/**
 * Asynchronous reporting: a device changed by hand at home becomes an Alexa.ChangeReport at the event gateway
 * (a local fake that accepts only tokens Login with Amazon issued), with the user's token from AcceptGrant,
 * refreshed when it has expired or when the gateway refuses it. Every event is checked against Amazon's schema.
 */
import { SAMPLE_DEVICE, HUB_ALICE } from "../../../testkit/fakes/home-hub";
import { startHomeHubWorld, type HomeHubWorld } from "./world";

let world: HomeHubWorld;

beforeAll(async () => {
  world = await startHomeHubWorld();
});
afterAll(async () => {
  await world.close();
});
beforeEach(async () => {
  world.hub.reset();
  world.tokens.records.clear();
  world.gateway.events.length = 0;
  world.lwa.requests.length = 0;
  world.logs.length = 0;
  world.clock.now = new Date("2026-05-04T09:30:00.000Z");
});
afterEach(() => {
  expect(world.schemaProblems()).toEqual([]);
});

/** Alice links her account: AcceptGrant with a fresh grant code. */
async function link(): Promise<void> {
  const answer = await world.send("Alexa.Authorization.AcceptGrant", {
    token: HUB_ALICE.token,
    payload: { grant: { type: "OAuth2.AuthorizationCode", code: world.lwa.issueGrantCode() } },
  });
  expect(answer.event.header.name).toBe("AcceptGrant.Response");
  world.lwa.requests.length = 0;
}

type Report = {
  event: {
    header: { namespace: string; name: string };
    endpoint: { endpointId: string; scope: { type: string; token: string } };
    payload: { change: { cause: { type: string }; properties: Array<{ name: string; value: unknown }> } };
  };
  context?: { properties: Array<{ name: string; value: unknown }> };
};
const accepted = () =>
  world.gateway.events.filter((event) => event.status === 202).map((event) => event.body as Report);

describe("ChangeReport", () => {
  it("reports a switch turned on by hand to the gateway, with the user's Alexa token as bearer and scope", async () => {
    await link();
    const notice = world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true });

    const result = await world.notify(notice);

    expect(result).toEqual({ outcome: "sent", endpointId: SAMPLE_DEVICE.switch });
    const [report] = accepted();
    const token = world.tokens.records.get(HUB_ALICE.userId)!.accessToken;
    expect(world.gateway.events[0].token).toBe(token);
    expect(report.event.header).toMatchObject({ namespace: "Alexa", name: "ChangeReport" });
    expect(report.event.endpoint).toEqual({
      endpointId: SAMPLE_DEVICE.switch,
      scope: { type: "BearerToken", token },
    });
    expect(report.event.payload.change.cause).toEqual({ type: "PHYSICAL_INTERACTION" });
    expect(report.event.payload.change.properties.map((property) => [property.name, property.value])).toEqual(
      [["powerState", "ON"]],
    );
    expect(report.context?.properties.map((property) => [property.name, property.value])).toEqual([
      ["connectivity", { value: "OK" }],
    ]);
  });

  it("reports a shutter moved by its remote, with the changed position and the rest as context", async () => {
    await link();

    await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.shutter, { position: 30 }));

    expect(accepted()[0].event.payload.change.properties).toMatchObject([
      { namespace: "Alexa.RangeController", name: "rangeValue", instance: "Shutter.Position", value: 30 },
    ]);
  });

  it("refreshes an expired access token with Login with Amazon before sending, and keeps the new one", async () => {
    await link();
    const before = world.tokens.records.get(HUB_ALICE.userId)!;
    world.clock.now = new Date(before.expiresAt + 1000);

    const result = await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.dimmer, { level: 60 }));

    expect(result.outcome).toBe("sent");
    expect(world.lwa.requests).toEqual([{ grantType: "refresh_token", status: 200 }]);
    const after = world.tokens.records.get(HUB_ALICE.userId)!;
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(after.expiresAt).toBe(world.clock.now.getTime() + 3600 * 1000);
    expect(world.gateway.events.map((event) => [event.status, event.token])).toEqual([
      [202, after.accessToken],
    ]);
  });

  it("refreshes once and sends again when the gateway refuses a token that looked valid", async () => {
    await link();
    world.lwa.expireAccessTokens();

    const result = await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true }));

    expect(result.outcome).toBe("sent");
    expect(world.gateway.events.map((event) => event.status)).toEqual([401, 202]);
    expect(world.lwa.requests.map((request) => request.grantType)).toEqual(["refresh_token"]);
  });

  it("does nothing for a user who never granted asynchronous reporting", async () => {
    const result = await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true }));

    expect(result.outcome).toBe("not-linked");
    expect(world.gateway.events).toEqual([]);
  });

  it("forgets a user who disabled the skill (403 SKILL_DISABLED_EXCEPTION)", async () => {
    await link();
    world.gateway.failNext(403, "SKILL_DISABLED_EXCEPTION");

    const result = await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true }));

    expect(result.outcome).toBe("skill-disabled");
    expect(world.tokens.records.has(HUB_ALICE.userId)).toBe(false);
  });

  it("forgets a user whose grant Login with Amazon no longer honours", async () => {
    await link();
    world.lwa.revokeRefreshTokens();
    world.clock.now = new Date(world.tokens.records.get(HUB_ALICE.userId)!.expiresAt);

    const result = await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true }));

    expect(result.outcome).toBe("authorization-revoked");
    expect(world.tokens.records.has(HUB_ALICE.userId)).toBe(false);
    expect(world.gateway.events).toEqual([]);
  });

  it("fails the invocation on a throttled or failing gateway so that the hub retries, keeping the tokens", async () => {
    await link();
    world.gateway.failNext(429, "THROTTLING_EXCEPTION");

    await expect(
      world.notify(world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true })),
    ).rejects.toMatchObject({
      name: "ChangeReportError",
      transient: true,
      message: expect.stringContaining("429 THROTTLING_EXCEPTION"),
    });
    expect(world.tokens.records.has(HUB_ALICE.userId)).toBe(true);
  });

  it("names the missing permission when the gateway says INSUFFICIENT_PERMISSION_EXCEPTION", async () => {
    await link();
    world.gateway.failNext(403, "INSUFFICIENT_PERMISSION_EXCEPTION");

    await expect(world.notify(world.hub.physicalChange(SAMPLE_DEVICE.switch, { on: true }))).rejects.toThrow(
      /needs the permission alexa::async_event:write/,
    );
  });

  it("reports a device dropping off the radio network as UNREACHABLE", async () => {
    await link();
    world.hub.setOnline(SAMPLE_DEVICE.dimmer, false);
    const notice = world.hub.physicalChange(SAMPLE_DEVICE.dimmer, {});
    notice.hubEvent.changed = ["online"];

    await world.notify(notice);

    expect(accepted()[0].event.payload.change.properties).toMatchObject([
      { namespace: "Alexa.EndpointHealth", name: "connectivity", value: { value: "UNREACHABLE" } },
    ]);
  });

  it("sends nothing for a device the bridge does not expose", async () => {
    await link();

    const result = await world.notify(world.hub.physicalChange(SAMPLE_DEVICE.sensor, {}));

    expect(result.outcome).toBe("nothing-to-report");
    expect(world.gateway.events).toEqual([]);
  });

  it("refuses a malformed hub event", async () => {
    await expect(world.skill({ hubEvent: { type: "Something" } })).rejects.toThrow(/DeviceStateChanged/);
  });
});

// Over 350 lines on purpose: every directive and every error type of the bridge, one test each, in one place.
/**
 * Every directive of the home-hub bridge and every error path, against the fake hub on loopback. Every answer
 * is checked against Amazon's smart-home message schema as well.
 */
import { SHUTTER_INSTANCE } from "../../../examples/home-hub/src/devices";
import { EXPIRED_HUB_TOKEN, HUB_ALICE, HUB_BOB, SAMPLE_DEVICE } from "../../../testkit/fakes/home-hub";
import { directive } from "../../../scripts/lib/local/smart-home/directives";
import { propertyOf, startHomeHubWorld, type HomeHubWorld } from "./world";

let world: HomeHubWorld;

beforeAll(async () => {
  world = await startHomeHubWorld();
});
afterAll(async () => {
  await world.close();
});
beforeEach(() => {
  world.hub.reset();
  world.logs.length = 0;
});
afterEach(() => {
  expect(world.schemaProblems()).toEqual([]);
  expect(world.hub.violations).toEqual([]);
  // No log entry ever holds the user's token.
  expect(JSON.stringify(world.logs)).not.toContain(HUB_ALICE.token);
});

const errorOf = (answer: { event: { header: { name: string }; payload: Record<string, unknown> } }) => ({
  name: answer.event.header.name,
  type: answer.event.payload.type,
});
const patches = () => world.hub.calls.filter((call) => call.method === "PATCH");

describe("Alexa.Discovery Discover", () => {
  it("lists the switch, the shutter and the dimmer with their capabilities, and leaves the sensor out", async () => {
    const answer = await world.send("Alexa.Discovery.Discover");

    expect(answer.event.header).toMatchObject({ namespace: "Alexa.Discovery", name: "Discover.Response" });
    const endpoints = answer.event.payload.endpoints as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const byId = Object.fromEntries(endpoints.map((endpoint) => [endpoint.endpointId, endpoint]));
    expect(Object.keys(byId).sort()).toEqual(
      [SAMPLE_DEVICE.dimmer, SAMPLE_DEVICE.switch, SAMPLE_DEVICE.shutter].sort(),
    );
    const interfaces = (id: string) =>
      byId[id].capabilities.map((capability: { interface: string }) => capability.interface);
    expect(interfaces(SAMPLE_DEVICE.switch)).toEqual([
      "Alexa",
      "Alexa.EndpointHealth",
      "Alexa.PowerController",
    ]);
    expect(interfaces(SAMPLE_DEVICE.dimmer)).toEqual([
      "Alexa",
      "Alexa.EndpointHealth",
      "Alexa.PowerController",
      "Alexa.BrightnessController",
    ]);
    expect(interfaces(SAMPLE_DEVICE.shutter)).toEqual([
      "Alexa",
      "Alexa.EndpointHealth",
      "Alexa.RangeController",
    ]);
    expect(byId[SAMPLE_DEVICE.switch]).toMatchObject({
      friendlyName: "Hall light",
      manufacturerName: "Fibaro",
      displayCategories: ["SWITCH"],
      additionalAttributes: { manufacturer: "Fibaro", model: "FGS-213" },
      connections: [{ type: "ZWAVE", homeId: "0xc7e4a1f2", nodeId: "5" }],
    });
    expect(byId[SAMPLE_DEVICE.dimmer].displayCategories).toEqual(["LIGHT"]);
    expect(byId[SAMPLE_DEVICE.shutter].displayCategories).toEqual(["EXTERIOR_BLIND"]);
    const range = byId[SAMPLE_DEVICE.shutter].capabilities[2];
    expect(range).toMatchObject({
      instance: SHUTTER_INSTANCE,
      configuration: {
        supportedRange: { minimumValue: 0, maximumValue: 100, precision: 1 },
        unitOfMeasure: "Alexa.Unit.Percent",
      },
      properties: { proactivelyReported: true, retrievable: true },
    });
    const actions = range.semantics.actionMappings.map(
      (mapping: { actions: string[]; directive: unknown }) => [mapping.actions[0], mapping.directive],
    );
    expect(actions).toEqual([
      ["Alexa.Actions.Close", { name: "SetRangeValue", payload: { rangeValue: 0 } }],
      ["Alexa.Actions.Open", { name: "SetRangeValue", payload: { rangeValue: 100 } }],
      [
        "Alexa.Actions.Lower",
        { name: "AdjustRangeValue", payload: { rangeValueDelta: -25, rangeValueDeltaDefault: false } },
      ],
      [
        "Alexa.Actions.Raise",
        { name: "AdjustRangeValue", payload: { rangeValueDelta: 25, rangeValueDeltaDefault: false } },
      ],
    ]);
    expect(
      world.logs.some((entry) => String(entry.message).includes(`"${SAMPLE_DEVICE.sensor}" left out`)),
    ).toBe(true);
  });

  it("answers an empty list for a user with no devices", async () => {
    const answer = await world.send("Alexa.Discovery.Discover", { token: HUB_BOB.token });

    expect(answer.event.payload).toEqual({ endpoints: [] });
  });

  it.each([
    [EXPIRED_HUB_TOKEN, "EXPIRED_AUTHORIZATION_CREDENTIAL"],
    ["a-token-the-hub-never-issued", "INVALID_AUTHORIZATION_CREDENTIAL"],
  ])("answers token %s with %s", async (token, type) => {
    const answer = await world.send("Alexa.Discovery.Discover", { token });

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type });
    expect(answer.event.endpoint).toBeUndefined();
  });

  it("answers BRIDGE_UNREACHABLE when the hub is down", async () => {
    world.hub.setMode("down");

    const answer = await world.send("Alexa.Discovery.Discover");

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type: "BRIDGE_UNREACHABLE" });
  });

  it("answers INVALID_AUTHORIZATION_CREDENTIAL to a Discover without a scope", async () => {
    const answer = await world.skill.directive(directive("Alexa.Discovery.Discover"));

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type: "INVALID_AUTHORIZATION_CREDENTIAL" });
    expect(world.hub.calls).toEqual([]);
  });
});

describe("Alexa.PowerController", () => {
  it("turns the switch on: the hub changes it and the answer reports its state with the correlation token", async () => {
    const sent = directive("Alexa.PowerController.TurnOn", {
      token: HUB_ALICE.token,
      endpointId: SAMPLE_DEVICE.switch,
    });

    const answer = await world.skill.directive(sent);

    expect(world.hub.device(SAMPLE_DEVICE.switch)?.state.on).toBe(true);
    expect(answer.event.header).toMatchObject({
      namespace: "Alexa",
      name: "Response",
      payloadVersion: "3",
      correlationToken: sent.directive.header.correlationToken,
    });
    expect(answer.event.endpoint).toEqual({ endpointId: SAMPLE_DEVICE.switch });
    expect(answer.context?.properties).toEqual([
      {
        namespace: "Alexa.EndpointHealth",
        name: "connectivity",
        value: { value: "OK" },
        timeOfSample: "2026-05-04T09:30:00.000Z",
        uncertaintyInMilliseconds: 0,
      },
      {
        namespace: "Alexa.PowerController",
        name: "powerState",
        value: "ON",
        timeOfSample: "2026-05-04T09:30:00.000Z",
        uncertaintyInMilliseconds: 0,
      },
    ]);
  });

  it("turns the dimmer off and reports its brightness too", async () => {
    const answer = await world.send("Alexa.PowerController.TurnOff", { endpointId: SAMPLE_DEVICE.dimmer });

    expect(world.hub.device(SAMPLE_DEVICE.dimmer)?.state.on).toBe(false);
    expect(propertyOf(answer, "Alexa.PowerController", "powerState")).toBe("OFF");
    expect(propertyOf(answer, "Alexa.BrightnessController", "brightness")).toBe(40);
  });

  it("answers INVALID_DIRECTIVE to TurnOn on the shutter and leaves it alone", async () => {
    const answer = await world.send("Alexa.PowerController.TurnOn", { endpointId: SAMPLE_DEVICE.shutter });

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type: "INVALID_DIRECTIVE" });
    expect(patches()).toEqual([]);
  });
});

describe("Alexa.BrightnessController", () => {
  it("sets the dimmer's brightness, which switches it on", async () => {
    await world.send("Alexa.PowerController.TurnOff", { endpointId: SAMPLE_DEVICE.dimmer });

    const answer = await world.send("Alexa.BrightnessController.SetBrightness", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { brightness: 75 },
    });

    expect(world.hub.device(SAMPLE_DEVICE.dimmer)?.state).toEqual({ on: true, level: 75 });
    expect(propertyOf(answer, "Alexa.BrightnessController", "brightness")).toBe(75);
    expect(propertyOf(answer, "Alexa.PowerController", "powerState")).toBe("ON");
  });

  it("switches the dimmer off at brightness 0", async () => {
    const answer = await world.send("Alexa.BrightnessController.SetBrightness", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { brightness: 0 },
    });

    expect(propertyOf(answer, "Alexa.PowerController", "powerState")).toBe("OFF");
    expect(propertyOf(answer, "Alexa.BrightnessController", "brightness")).toBe(0);
  });

  it.each([
    [30, 70],
    [80, 100],
    [-100, 0],
  ])("adjusts the brightness from 40 by %i to %i, saturating at the ends", async (brightnessDelta, level) => {
    const answer = await world.send("Alexa.BrightnessController.AdjustBrightness", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { brightnessDelta },
    });

    expect(world.hub.device(SAMPLE_DEVICE.dimmer)?.state.level).toBe(level);
    expect(propertyOf(answer, "Alexa.BrightnessController", "brightness")).toBe(level);
    expect(propertyOf(answer, "Alexa.PowerController", "powerState")).toBe(level > 0 ? "ON" : "OFF");
  });

  it("answers VALUE_OUT_OF_RANGE with the valid range to a brightness of 150, without calling the hub", async () => {
    const answer = await world.send("Alexa.BrightnessController.SetBrightness", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { brightness: 150 },
    });

    expect(answer.event.payload).toMatchObject({
      type: "VALUE_OUT_OF_RANGE",
      validRange: { minimumValue: 0, maximumValue: 100 },
    });
    expect(world.hub.calls).toEqual([]);
  });

  it("answers INVALID_DIRECTIVE to a SetBrightness without a number", async () => {
    const answer = await world.send("Alexa.BrightnessController.SetBrightness", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { brightness: "bright" },
    });

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type: "INVALID_DIRECTIVE" });
  });
});

describe("Alexa.RangeController on the RFY shutter", () => {
  const shutter = { endpointId: SAMPLE_DEVICE.shutter, instance: SHUTTER_INSTANCE };
  const position = (answer: Awaited<ReturnType<HomeHubWorld["send"]>>) =>
    answer.context?.properties.find((property) => property.namespace === "Alexa.RangeController");

  it("closes the shutter (SetRangeValue 0) and reports its position with the instance", async () => {
    const answer = await world.send("Alexa.RangeController.SetRangeValue", {
      ...shutter,
      payload: { rangeValue: 0 },
    });

    expect(world.hub.device(SAMPLE_DEVICE.shutter)?.state.position).toBe(0);
    expect(position(answer)).toMatchObject({ name: "rangeValue", instance: SHUTTER_INSTANCE, value: 0 });
  });

  it.each([
    [{ rangeValueDelta: -30, rangeValueDeltaDefault: false }, 70],
    [{ rangeValueDelta: -10, rangeValueDeltaDefault: true }, 75],
    [{ rangeValueDelta: 40, rangeValueDeltaDefault: false }, 100],
  ])("adjusts the open shutter by %j to %i", async (payload, expected) => {
    const answer = await world.send("Alexa.RangeController.AdjustRangeValue", { ...shutter, payload });

    expect(world.hub.device(SAMPLE_DEVICE.shutter)?.state.position).toBe(expected);
    expect(position(answer)?.value).toBe(expected);
  });

  it("answers VALUE_OUT_OF_RANGE to a position of 120", async () => {
    const answer = await world.send("Alexa.RangeController.SetRangeValue", {
      ...shutter,
      payload: { rangeValue: 120 },
    });

    expect(answer.event.payload).toMatchObject({
      type: "VALUE_OUT_OF_RANGE",
      validRange: { minimumValue: 0, maximumValue: 100 },
    });
    expect(patches()).toEqual([]);
  });

  it("answers INVALID_DIRECTIVE to an instance it never declared", async () => {
    const answer = await world.send("Alexa.RangeController.SetRangeValue", {
      endpointId: SAMPLE_DEVICE.shutter,
      instance: "Fan.Speed",
      payload: { rangeValue: 10 },
    });

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type: "INVALID_DIRECTIVE" });
  });
});

describe("Alexa.ReportState", () => {
  it("reports the shutter's position in a StateReport", async () => {
    const answer = await world.send("Alexa.ReportState", { endpointId: SAMPLE_DEVICE.shutter });

    expect(answer.event.header).toMatchObject({ namespace: "Alexa", name: "StateReport" });
    expect(answer.context?.properties.map((property) => [property.name, property.value])).toEqual([
      ["connectivity", { value: "OK" }],
      ["rangeValue", 100],
    ]);
  });

  it("reports a device the hub cannot reach as UNREACHABLE rather than failing", async () => {
    world.hub.setOnline(SAMPLE_DEVICE.switch, false);

    const answer = await world.send("Alexa.ReportState", { endpointId: SAMPLE_DEVICE.switch });

    expect(answer.event.header.name).toBe("StateReport");
    expect(answer.context?.properties.map((property) => [property.name, property.value])).toEqual([
      ["connectivity", { value: "UNREACHABLE" }],
    ]);
  });
});

describe("errors", () => {
  it("answers NO_SUCH_ENDPOINT for a device the hub does not have", async () => {
    const answer = await world.send("Alexa.PowerController.TurnOn", { endpointId: "garage-porte" });

    expect(errorOf(answer)).toEqual({ name: "ErrorResponse", type: "NO_SUCH_ENDPOINT" });
    expect(answer.event.endpoint).toEqual({ endpointId: "garage-porte" });
  });

  it("answers NO_SUCH_ENDPOINT when another user addresses Alice's device", async () => {
    const answer = await world.send("Alexa.PowerController.TurnOn", {
      token: HUB_BOB.token,
      endpointId: SAMPLE_DEVICE.switch,
    });

    expect(errorOf(answer).type).toBe("NO_SUCH_ENDPOINT");
    expect(world.hub.device(SAMPLE_DEVICE.switch)?.state.on).toBe(false);
  });

  it("answers ENDPOINT_UNREACHABLE when the hub cannot reach the device, without sending it a command", async () => {
    world.hub.setOnline(SAMPLE_DEVICE.dimmer, false);

    const answer = await world.send("Alexa.BrightnessController.SetBrightness", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { brightness: 20 },
    });

    expect(errorOf(answer).type).toBe("ENDPOINT_UNREACHABLE");
    expect(patches()).toEqual([]);
  });

  it("answers BRIDGE_UNREACHABLE when the hub resets the connection", async () => {
    world.hub.setMode("down");

    const answer = await world.send("Alexa.PowerController.TurnOff", { endpointId: SAMPLE_DEVICE.switch });

    expect(errorOf(answer).type).toBe("BRIDGE_UNREACHABLE");
    expect(answer.event.payload.message).toContain(world.hub.url);
  });

  it.each([
    [EXPIRED_HUB_TOKEN, "EXPIRED_AUTHORIZATION_CREDENTIAL"],
    ["a-token-the-hub-never-issued", "INVALID_AUTHORIZATION_CREDENTIAL"],
  ])("answers a control directive with token %s with %s", async (token, type) => {
    const answer = await world.send("Alexa.PowerController.TurnOn", {
      token,
      endpointId: SAMPLE_DEVICE.switch,
    });

    expect(errorOf(answer).type).toBe(type);
  });

  it("answers INVALID_AUTHORIZATION_CREDENTIAL to a directive without a bearer token, without calling the hub", async () => {
    const answer = await world.skill.directive(
      directive("Alexa.PowerController.TurnOn", { endpointId: SAMPLE_DEVICE.switch }),
    );

    expect(errorOf(answer).type).toBe("INVALID_AUTHORIZATION_CREDENTIAL");
    expect(world.hub.calls).toEqual([]);
  });

  it("answers INVALID_DIRECTIVE to a directive it does not support", async () => {
    const answer = await world.send("Alexa.ColorController.SetColor", {
      endpointId: SAMPLE_DEVICE.dimmer,
      payload: { color: { hue: 350, saturation: 0.71, brightness: 0.65 } },
    });

    expect(errorOf(answer).type).toBe("INVALID_DIRECTIVE");
    expect(answer.event.payload.message).toBe("Alexa.ColorController.SetColor is not supported");
  });

  it("answers INVALID_DIRECTIVE to payload version 2", async () => {
    const event = directive("Alexa.PowerController.TurnOn", {
      token: HUB_ALICE.token,
      endpointId: SAMPLE_DEVICE.switch,
    });
    event.directive.header.payloadVersion = "2";

    const answer = await world.skill.directive(event);

    expect(errorOf(answer).type).toBe("INVALID_DIRECTIVE");
    expect(world.hub.calls).toEqual([]);
  });

  it("answers INVALID_DIRECTIVE (a schema-valid message) to an event that is no directive", async () => {
    const answer = await world.skill({ hello: "world" });

    expect(answer).toMatchObject({
      event: { header: { name: "ErrorResponse" }, payload: { type: "INVALID_DIRECTIVE" } },
    });
  });
});

describe("a hub that never answers", () => {
  let slow: HomeHubWorld;
  beforeAll(async () => {
    slow = await startHomeHubWorld({ hubTimeoutMs: 300 });
  });
  afterAll(async () => {
    await slow.close();
  });

  it("answers BRIDGE_UNREACHABLE once the hub deadline passes", async () => {
    slow.hub.setMode("hanging");

    const answer = await slow.send("Alexa.PowerController.TurnOn", { endpointId: SAMPLE_DEVICE.switch });

    expect(errorOf(answer).type).toBe("BRIDGE_UNREACHABLE");
    expect(answer.event.payload.message).toMatch(/did not answer within 300 ms/);
    expect(slow.schemaProblems()).toEqual([]);
  });
});

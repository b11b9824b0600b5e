/**
 * How hub devices look to Alexa: the endpoint each becomes in discovery (display category, capabilities) and
 * the properties its state reports. A switch is `Alexa.PowerController`; a dimmer adds
 * `Alexa.BrightnessController`; a shutter is one `Alexa.RangeController` instance, its position in percent open,
 * with the semantics that make "open", "close", "raise" and "lower" work. Every endpoint also has
 * `Alexa.EndpointHealth`, so Alexa can say a device is not responding.
 */
import type { HubDevice, HubDeviceState } from "./hub";
import type { StateProperty } from "./messages";

/** The RangeController instance of a shutter's position. */
export const SHUTTER_INSTANCE = "Shutter.Position";
/** How far "raise"/"lower" (and an adjustment without a number) moves a shutter, in percent. */
export const SHUTTER_DEFAULT_STEP = 25;

/** Alexa's rule for endpoint ids (Discover.Response schema). */
const ENDPOINT_ID = /^[a-zA-Z0-9_\-=#;:?@&]{1,256}$/;

/** The capability interfaces an endpoint of this device answers, besides `Alexa` and `Alexa.EndpointHealth`. */
export function controllersOf(device: HubDevice): string[] {
  switch (device.type) {
    case "switch":
      return ["Alexa.PowerController"];
    case "dimmer":
      return ["Alexa.PowerController", "Alexa.BrightnessController"];
    case "shutter":
      return ["Alexa.RangeController"];
    default:
      return [];
  }
}

/** Why a hub device is left out of discovery, or undefined when it is exposed. */
export function notExposedBecause(device: HubDevice): string | undefined {
  if (controllersOf(device).length === 0) return `its type "${device.type}" is not one the bridge exposes`;
  if (!ENDPOINT_ID.test(device.id)) return "its id is not a valid Alexa endpoint id";
  return undefined;
}

const truncate = (text: string, max: number) => (text.length <= max ? text : text.slice(0, max));

const reported = (names: string[]) => ({
  supported: names.map((name) => ({ name })),
  proactivelyReported: true,
  retrievable: true,
});

function capabilitiesOf(device: HubDevice): Record<string, unknown>[] {
  const capabilities: Record<string, unknown>[] = [
    { type: "AlexaInterface", interface: "Alexa", version: "3" },
    {
      type: "AlexaInterface",
      interface: "Alexa.EndpointHealth",
      version: "3",
      properties: reported(["connectivity"]),
    },
  ];
  for (const controller of controllersOf(device)) {
    if (controller === "Alexa.PowerController") {
      capabilities.push({
        type: "AlexaInterface",
        interface: controller,
        version: "3",
        properties: reported(["powerState"]),
      });
    } else if (controller === "Alexa.BrightnessController") {
      capabilities.push({
        type: "AlexaInterface",
        interface: controller,
        version: "3",
        properties: reported(["brightness"]),
      });
    } else if (controller === "Alexa.RangeController") {
      capabilities.push(shutterCapability());
    }
  }
  return capabilities;
}

function shutterCapability(): Record<string, unknown> {
  const setTo = (rangeValue: number) => ({ name: "SetRangeValue", payload: { rangeValue } });
  const moveBy = (rangeValueDelta: number) => ({
    name: "AdjustRangeValue",
    payload: { rangeValueDelta, rangeValueDeltaDefault: false },
  });
  return {
    type: "AlexaInterface",
    interface: "Alexa.RangeController",
    version: "3",
    instance: SHUTTER_INSTANCE,
    capabilityResources: {
      friendlyNames: [{ "@type": "asset", value: { assetId: "Alexa.Setting.Opening" } }],
    },
    properties: reported(["rangeValue"]),
    configuration: {
      supportedRange: { minimumValue: 0, maximumValue: 100, precision: 1 },
      unitOfMeasure: "Alexa.Unit.Percent",
    },
    semantics: {
      actionMappings: [
        { "@type": "ActionsToDirective", actions: ["Alexa.Actions.Close"], directive: setTo(0) },
        { "@type": "ActionsToDirective", actions: ["Alexa.Actions.Open"], directive: setTo(100) },
        {
          "@type": "ActionsToDirective",
          actions: ["Alexa.Actions.Lower"],
          directive: moveBy(-SHUTTER_DEFAULT_STEP),
        },
        {
          "@type": "ActionsToDirective",
          actions: ["Alexa.Actions.Raise"],
          directive: moveBy(SHUTTER_DEFAULT_STEP),
        },
      ],
      stateMappings: [
        { "@type": "StatesToValue", states: ["Alexa.States.Closed"], value: 0 },
        {
          "@type": "StatesToRange",
          states: ["Alexa.States.Open"],
          range: { minimumValue: 1, maximumValue: 100 },
        },
      ],
    },
  };
}

const CATEGORY: Record<string, string> = { switch: "SWITCH", dimmer: "LIGHT", shutter: "EXTERIOR_BLIND" };
const KIND: Record<string, string> = { switch: "Switch", dimmer: "Dimmer", shutter: "Shutter" };

/** The Discover.Response endpoint of an exposed device. */
export function endpointOf(device: HubDevice): Record<string, unknown> {
  const radio = device.protocol === undefined ? "" : ` (${device.protocol.toUpperCase()})`;
  const where = device.room === undefined ? "" : ` in ${device.room}`;
  const attributes = {
    ...(device.manufacturer === undefined ? {} : { manufacturer: truncate(device.manufacturer, 256) }),
    ...(device.model === undefined ? {} : { model: truncate(device.model, 256) }),
  };
  return {
    endpointId: device.id,
    manufacturerName: truncate(device.manufacturer ?? "Home Hub", 128),
    friendlyName: truncate(device.name, 128),
    description: truncate(`${KIND[device.type]}${radio}${where}, via Home Hub`, 128),
    displayCategories: [CATEGORY[device.type]],
    ...(Object.keys(attributes).length > 0 ? { additionalAttributes: attributes } : {}),
    ...(device.zwave === undefined
      ? {}
      : { connections: [{ type: "ZWAVE", homeId: device.zwave.homeId, nodeId: device.zwave.nodeId }] }),
    capabilities: capabilitiesOf(device),
  };
}

/** A property of the device's state, sampled at `time`. */
function property(
  namespace: string,
  name: string,
  value: unknown,
  time: Date,
  instance?: string,
): StateProperty {
  return {
    namespace,
    name,
    ...(instance === undefined ? {} : { instance }),
    value,
    timeOfSample: time.toISOString(),
    uncertaintyInMilliseconds: 0,
  };
}

/** Which state field feeds which Alexa property. */
export type StateField = keyof HubDeviceState | "online";

/** The connectivity property alone. */
export function connectivityOf(device: HubDevice, time: Date): StateProperty {
  return property(
    "Alexa.EndpointHealth",
    "connectivity",
    { value: device.online ? "OK" : "UNREACHABLE" },
    time,
  );
}

/**
 * Every property of the device, each tagged with the hub state field it comes from; a device the hub cannot
 * reach reports its connectivity only (its last known values may be stale).
 */
export function propertiesOf(
  device: HubDevice,
  time: Date,
): Array<{ field: StateField; property: StateProperty }> {
  const all: Array<{ field: StateField; property: StateProperty }> = [
    { field: "online", property: connectivityOf(device, time) },
  ];
  if (!device.online) return all;
  const { on, level, position } = device.state;
  if (controllersOf(device).includes("Alexa.PowerController") && typeof on === "boolean") {
    all.push({
      field: "on",
      property: property("Alexa.PowerController", "powerState", on ? "ON" : "OFF", time),
    });
  }
  if (device.type === "dimmer" && typeof level === "number") {
    all.push({ field: "level", property: property("Alexa.BrightnessController", "brightness", level, time) });
  }
  if (device.type === "shutter" && typeof position === "number") {
    all.push({
      field: "position",
      property: property("Alexa.RangeController", "rangeValue", position, time, SHUTTER_INSTANCE),
    });
  }
  return all;
}

/** The properties of the device, for a response's context or a state report. */
export function statePropertiesOf(device: HubDevice, time: Date): StateProperty[] {
  return propertiesOf(device, time).map((entry) => entry.property);
}

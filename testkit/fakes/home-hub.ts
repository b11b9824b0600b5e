/**
 * A home hub on 127.0.0.1 speaking the API the home-hub sample uses (`examples/home-hub/src/hub.ts`): each
 * user's devices behind their bearer token, state changes with the hub's own rules, and knobs for what goes
 * wrong at home — the hub down or hanging, a device out of radio range, an expired token. `physicalChange`
 * plays someone pressing a wall switch and returns the notice the hub sends the bridge.
 */
import type { HubDevice, HubDeviceState } from "../../examples/home-hub/src/hub";
import type { HubEvent } from "../../examples/home-hub/src/reporter";
import { bearerOf, startLoopbackServer, type LoopbackReply, type LoopbackRequest } from "./loopback";

/** A user of the hub and their access token (what account linking gives Alexa). */
export interface FakeHubUser {
  userId: string;
  token: string;
}

/** The user who owns the sample devices. */
export const HUB_ALICE: FakeHubUser = { userId: "hub-user-alice", token: "hub-token-alice" };
/** A user with no devices. */
export const HUB_BOB: FakeHubUser = { userId: "hub-user-bob", token: "hub-token-bob" };
/** A token the hub knows but that has expired. */
export const EXPIRED_HUB_TOKEN = "hub-token-expired";

/** Ids of the sample devices. */
export const SAMPLE_DEVICE = {
  switch: "entree-lumiere",
  shutter: "salon-volet",
  dimmer: "chambre-variateur",
  sensor: "cave-capteur",
} as const;

/** Alice's home: a Z-Wave switch, an RFY shutter, a Z-Wave dimmer and a sensor the bridge does not expose. */
export function sampleDevices(): HubDevice[] {
  const homeId = "0xc7e4a1f2";
  return [
    {
      id: SAMPLE_DEVICE.switch,
      type: "switch",
      name: "Hall light",
      room: "Hall",
      manufacturer: "Fibaro",
      model: "FGS-213",
      protocol: "zwave",
      zwave: { homeId, nodeId: "5" },
      online: true,
      state: { on: false },
    },
    {
      id: SAMPLE_DEVICE.shutter,
      type: "shutter",
      name: "Living room shutter",
      room: "Living room",
      manufacturer: "Somfy",
      model: "Oximo RTS",
      protocol: "rfy",
      online: true,
      state: { position: 100 },
    },
    {
      id: SAMPLE_DEVICE.dimmer,
      type: "dimmer",
      name: "Bedroom lamp",
      room: "Bedroom",
      manufacturer: "Aeotec",
      model: "ZW111",
      protocol: "zwave",
      zwave: { homeId, nodeId: "7" },
      online: true,
      state: { on: true, level: 40 },
    },
    {
      id: SAMPLE_DEVICE.sensor,
      type: "sensor",
      name: "Cellar humidity",
      protocol: "zwave",
      online: true,
      state: {},
    },
  ];
}

/** How the hub answers: normally, not at all (connection reset), or never (a hung request). */
export type HubMode = "up" | "down" | "hanging";

/** One request the hub received. */
export interface HubCall {
  method: string;
  path: string;
  /** The user the bearer token belongs to, when valid. */
  userId?: string;
  body?: unknown;
}

/** A running fake hub. */
export interface FakeHomeHub {
  /** The hub's base URL (`HOME_HUB_URL`). */
  url: string;
  calls: HubCall[];
  /** Requests the API does not have: a client bug, reported instead of answered plausibly. */
  violations: string[];
  /** A device of the hub (the live record), or undefined. */
  device(id: string): HubDevice | undefined;
  setMode(mode: HubMode): void;
  /** The device drops off (or comes back on) the hub's radio network. */
  setOnline(id: string, online: boolean): void;
  /** Someone changes the device by hand; returns the notice the hub sends the bridge. */
  physicalChange(id: string, change: HubDeviceState): HubEvent;
  /** Back to the sample devices, every device online, mode up, no calls recorded. */
  reset(): void;
  close(): Promise<void>;
}

/** Options of {@link startFakeHomeHub}. */
export interface FakeHomeHubOptions {
  /** Devices per user id; default Alice's sample devices and Bob with none. */
  devices?: () => Record<string, HubDevice[]>;
  users?: FakeHubUser[];
}

const clone = <T>(value: T): T => structuredClone(value);

/** Applies a state change as the hub would; returns the error reply when it refuses. */
function applyChange(device: HubDevice, change: unknown): LoopbackReply | undefined {
  const allowed: Record<string, string[]> = {
    switch: ["on"],
    dimmer: ["on", "level"],
    shutter: ["position"],
  };
  const fields = allowed[device.type] ?? [];
  if (change === null || typeof change !== "object" || Array.isArray(change)) {
    return { status: 400, body: { error: "invalid_state", message: "the body must be a JSON object" } };
  }
  const entries = Object.entries(change as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (!fields.includes(key)) {
      return {
        status: 400,
        body: { error: "invalid_state", message: `a ${device.type} has no state "${key}"` },
      };
    }
    if (key === "on" ? typeof value !== "boolean" : !Number.isInteger(value)) {
      return { status: 400, body: { error: "invalid_state", message: `"${key}" has the wrong type` } };
    }
    if (key !== "on" && ((value as number) < 0 || (value as number) > 100)) {
      return { status: 422, body: { error: "out_of_range", min: 0, max: 100 } };
    }
  }
  if (!device.online) return { status: 503, body: { error: "device_offline" } };
  Object.assign(device.state, change);
  if (device.type === "dimmer" && device.state.on === true && device.state.level === 0)
    device.state.level = 100;
  return undefined;
}

/** Starts a fake hub on a free loopback port. */
export async function startFakeHomeHub(options: FakeHomeHubOptions = {}): Promise<FakeHomeHub> {
  const users = options.users ?? [HUB_ALICE, HUB_BOB];
  const initial = options.devices ?? (() => ({ [HUB_ALICE.userId]: sampleDevices(), [HUB_BOB.userId]: [] }));
  let homes = new Map<string, HubDevice[]>();
  let mode: HubMode = "up";
  const calls: HubCall[] = [];
  const violations: string[] = [];
  const reset = () => {
    homes = new Map(Object.entries(clone(initial())));
    mode = "up";
    calls.length = 0;
  };
  reset();
  const find = (id: string) => {
    for (const [userId, devices] of homes) {
      const device = devices.find((candidate) => candidate.id === id);
      if (device !== undefined) return { userId, device };
    }
    return undefined;
  };

  const handle = (request: LoopbackRequest): LoopbackReply | "drop" | "hang" => {
    if (mode === "down") return "drop";
    if (mode === "hanging") return "hang";
    const token = bearerOf(request.headers);
    const user = users.find((candidate) => candidate.token === token);
    let body: unknown;
    try {
      body = request.body === "" ? undefined : JSON.parse(request.body);
    } catch {
      return { status: 400, body: { error: "invalid_json" } };
    }
    calls.push({ method: request.method, path: request.url.pathname, userId: user?.userId, body });
    if (user === undefined) {
      const expired = token === EXPIRED_HUB_TOKEN;
      return {
        status: 401,
        body: { error: expired ? "token_expired" : "invalid_token" },
        headers: {
          "www-authenticate": `Bearer error="invalid_token", error_description="${expired ? "The access token expired" : "Unknown access token"}"`,
        },
      };
    }
    const devices = homes.get(user.userId) ?? [];
    const path = request.url.pathname;
    if (request.method === "GET" && path === "/api/v1/me")
      return { status: 200, body: { userId: user.userId } };
    if (request.method === "GET" && path === "/api/v1/devices") return { status: 200, body: { devices } };
    const match = /^\/api\/v1\/devices\/([^/]+)(\/state)?$/.exec(path);
    if (match !== null && request.method === (match[2] === undefined ? "GET" : "PATCH")) {
      const device = devices.find((candidate) => candidate.id === decodeURIComponent(match[1]));
      if (device === undefined) return { status: 404, body: { error: "device_not_found" } };
      if (match[2] === undefined) return { status: 200, body: device };
      return applyChange(device, body) ?? { status: 200, body: device };
    }
    violations.push(`${request.method} ${path} is not part of the hub's API`);
    return { status: 404, body: { error: "no_such_route" } };
  };

  const server = await startLoopbackServer(handle);
  return {
    url: server.url,
    calls,
    violations,
    device: (id) => find(id)?.device,
    setMode(next) {
      mode = next;
    },
    setOnline(id, online) {
      const found = find(id);
      if (found === undefined) throw new Error(`the fake hub has no device ${id}`);
      found.device.online = online;
    },
    physicalChange(id, change) {
      const found = find(id);
      if (found === undefined) throw new Error(`the fake hub has no device ${id}`);
      Object.assign(found.device.state, change);
      return {
        hubEvent: {
          type: "DeviceStateChanged",
          userId: found.userId,
          device: clone(found.device),
          changed: Object.keys(change) as Array<keyof HubDeviceState>,
          cause: "PHYSICAL_INTERACTION",
          at: new Date().toISOString(),
        },
      };
    },
    reset,
    close: () => server.close(),
  };
}

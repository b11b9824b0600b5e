/**
 * The home hub's HTTP API, as the bridge uses it. The hub (a Jeedom- or Domoticz-like box that drives Z-Wave
 * and RFY radios) serves each user's devices under `/api/v1`, authorised by the user's access token — the token
 * Alexa got through account linking and passes in every directive:
 *
 * - `GET /api/v1/me` → `{ "userId": "…" }`: who the token belongs to;
 * - `GET /api/v1/devices` → `{ "devices": [HubDevice, …] }`;
 * - `GET /api/v1/devices/{id}` → `HubDevice`;
 * - `PATCH /api/v1/devices/{id}/state` with part of a {@link HubDeviceState} → the device after the change.
 *
 * Errors: 401 `{ "error": "invalid_token" | "token_expired" }`, 404 `{ "error": "device_not_found" }`, 422
 * `{ "error": "out_of_range", "min", "max" }`, 503 `{ "error": "device_offline" }`.
 */
import { HubError } from "./errors";
import { callJson, NoAnswerError, stringField, type Fetch, type HttpReply } from "./http";

/** The kinds of device the bridge exposes to Alexa. */
export type HubDeviceType = "switch" | "dimmer" | "shutter";

/** A device's state as the hub reports it. */
export interface HubDeviceState {
  /** Switch and dimmer: powered. */
  on?: boolean;
  /** Dimmer: brightness in percent, 0–100; kept while the dimmer is off. */
  level?: number;
  /**
   * Shutter: percent open, 0 (closed) – 100 (open). RFY is a one-way radio: the hub cannot ask the motor, it
   * tracks the position from the commands it sent and their travel time.
   */
  position?: number;
}

/** A device as the hub lists it. */
export interface HubDevice {
  id: string;
  type: HubDeviceType | string;
  name: string;
  room?: string;
  manufacturer?: string;
  model?: string;
  /** The radio the hub drives it with: "zwave", "rfy", … */
  protocol?: string;
  /** Z-Wave network and node ids, for devices on the hub's Z-Wave network. */
  zwave?: { homeId: string; nodeId: string };
  /** False when the hub cannot reach the device (unplugged, out of radio range). */
  online: boolean;
  state: HubDeviceState;
}

/** The calls the bridge makes to the hub, each with the user's access token. */
export interface HubClient {
  /** The hub's id of the user the token belongs to. */
  whoIs(token: string): Promise<string>;
  devices(token: string): Promise<HubDevice[]>;
  device(token: string, id: string): Promise<HubDevice>;
  /** Changes part of a device's state; resolves to the device after the change. */
  update(token: string, id: string, change: HubDeviceState): Promise<HubDevice>;
}

/** Options of {@link createHubClient}. */
export interface HubClientOptions {
  /** The hub's base URL; the API lives under `<baseUrl>/api/v1`. */
  baseUrl: string;
  /** Deadline of one call. Alexa waits 8 s for the whole directive; keep this well under it. */
  timeoutMs: number;
  fetch?: Fetch;
}

const SERVICE = "the home hub";

/** A {@link HubClient} over HTTP. */
export function createHubClient(options: HubClientOptions): HubClient {
  const base = new URL(options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`);
  const call = async (
    token: string,
    method: string,
    path: string,
    what: string,
    body?: unknown,
  ): Promise<unknown> => {
    let reply: HttpReply;
    try {
      reply = await callJson(
        SERVICE,
        new URL(`api/v1/${path}`, base),
        {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(body === undefined ? {} : { "content-type": "application/json" }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        },
        options.timeoutMs,
        options.fetch,
      );
    } catch (error) {
      if (error instanceof NoAnswerError)
        throw new HubError("unreachable", error.message, undefined, { cause: error });
      throw error;
    }
    if (reply.status >= 200 && reply.status < 300) return reply.json;
    throw hubError(reply, what);
  };
  const asDevice = (json: unknown, what: string): HubDevice => {
    if (!isDevice(json))
      throw new HubError("failed", `${SERVICE} answered ${what} with something that is not a device`);
    return json;
  };
  const devicePath = (id: string) => `devices/${encodeURIComponent(id)}`;
  return {
    async whoIs(token) {
      const json = await call(token, "GET", "me", "the user");
      const userId = stringField(json, "userId");
      if (userId === undefined || userId === "") {
        throw new HubError("failed", `${SERVICE} answered GET /api/v1/me without a userId`);
      }
      return userId;
    },
    async devices(token) {
      const json = await call(token, "GET", "devices", "the device list");
      const devices = (json as { devices?: unknown } | undefined)?.devices;
      if (!Array.isArray(devices)) {
        throw new HubError("failed", `${SERVICE} answered GET /api/v1/devices without a devices array`);
      }
      return devices.filter(isDevice);
    },
    async device(token, id) {
      return asDevice(await call(token, "GET", devicePath(id), `device ${id}`), `device ${id}`);
    },
    async update(token, id, change) {
      return asDevice(
        await call(token, "PATCH", `${devicePath(id)}/state`, `device ${id}`, change),
        `device ${id}`,
      );
    },
  };
}

function hubError(reply: HttpReply, what: string): HubError {
  const code = stringField(reply.json, "error");
  const said = `${SERVICE} answered ${reply.status}${code === undefined ? "" : ` ${code}`} for ${what}`;
  switch (reply.status) {
    case 401:
      return new HubError(code === "token_expired" ? "token-expired" : "unauthorized", said);
    case 404:
      return new HubError("not-found", said);
    case 422: {
      const min = (reply.json as { min?: unknown }).min;
      const max = (reply.json as { max?: unknown }).max;
      const range =
        typeof min === "number" && typeof max === "number"
          ? { minimumValue: min, maximumValue: max }
          : undefined;
      return new HubError(code === "out_of_range" ? "out-of-range" : "failed", said, range);
    }
    case 429:
      return new HubError("throttled", said);
    case 503:
      return new HubError(code === "device_offline" ? "offline" : "unreachable", said);
    case 502:
    case 504:
      // A reverse proxy in front of the hub answering for it: the hub itself is down.
      return new HubError("unreachable", said);
    default:
      return new HubError("failed", said);
  }
}

function isDevice(value: unknown): value is HubDevice {
  if (value === null || typeof value !== "object") return false;
  const device = value as Record<string, unknown>;
  return (
    typeof device.id === "string" &&
    typeof device.type === "string" &&
    typeof device.name === "string" &&
    typeof device.online === "boolean" &&
    device.state !== null &&
    typeof device.state === "object"
  );
}

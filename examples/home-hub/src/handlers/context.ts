/**
 * What every directive handler gets, and the steps control directives share: the user's bearer token, the
 * target device (which must exist, be reachable and have the directive's capability), the change sent to the
 * hub, and the `Alexa.Response` carrying the device's state after it.
 */
import { controllersOf, statePropertiesOf } from "../devices";
import { SmartHomeError } from "../errors";
import type { HubClient, HubDevice, HubDeviceState } from "../hub";
import type { LwaClient } from "../lwa";
import { controlResponse, type AlexaMessage, type Directive } from "../messages";
import type { TokenStore } from "../tokens";

/** One structured log entry per call; never a token or a secret. */
export type Logger = (entry: Record<string, unknown>) => void;

/** What a directive handler works with. */
export interface DirectiveContext {
  directive: Directive;
  hub: HubClient;
  tokens: TokenStore;
  lwa: LwaClient;
  now: () => Date;
  log: Logger;
}

/** Answers one directive. */
export type DirectiveHandler = (context: DirectiveContext) => Promise<AlexaMessage>;

/** The user's access token from the directive's endpoint scope. */
export function bearerToken(directive: Directive): string {
  const scope = directive.endpoint?.scope;
  if (scope?.type !== "BearerToken" || typeof scope.token !== "string" || scope.token === "") {
    throw new SmartHomeError(
      "INVALID_AUTHORIZATION_CREDENTIAL",
      "The directive carries no bearer token in endpoint.scope",
    );
  }
  return scope.token;
}

/** The directive's endpoint id. */
export function endpointIdOf(directive: Directive): string {
  const id = directive.endpoint?.endpointId;
  if (typeof id !== "string" || id === "") {
    throw new SmartHomeError(
      "INVALID_DIRECTIVE",
      `${directive.header.namespace}.${directive.header.name} names no endpoint`,
    );
  }
  return id;
}

/**
 * The device the directive targets, checked: it exists (else NO_SUCH_ENDPOINT), the hub reaches it (else
 * ENDPOINT_UNREACHABLE) and it has the directive's capability (else INVALID_DIRECTIVE).
 */
export async function targetDevice(context: DirectiveContext): Promise<HubDevice> {
  const { directive } = context;
  const id = endpointIdOf(directive);
  const device = await context.hub.device(bearerToken(directive), id);
  if (!controllersOf(device).includes(directive.header.namespace)) {
    throw new SmartHomeError(
      "INVALID_DIRECTIVE",
      `Endpoint ${id} (a ${device.type}) does not support ${directive.header.namespace}`,
    );
  }
  if (!device.online) {
    throw new SmartHomeError("ENDPOINT_UNREACHABLE", `The home hub cannot reach ${id}`);
  }
  return device;
}

/** Sends `change` to the hub and answers with the device's state after it. */
export async function applyAndRespond(
  context: DirectiveContext,
  device: HubDevice,
  change: HubDeviceState,
): Promise<AlexaMessage> {
  const after = await context.hub.update(bearerToken(context.directive), device.id, change);
  return controlResponse(context.directive, statePropertiesOf(after, context.now()));
}

/** A number field of the directive's payload (else INVALID_DIRECTIVE). */
export function numberField(directive: Directive, field: string): number {
  const value = directive.payload[field];
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new SmartHomeError(
      "INVALID_DIRECTIVE",
      `${directive.header.namespace}.${directive.header.name} needs a number in payload.${field}`,
    );
  }
  return value;
}

/** VALUE_OUT_OF_RANGE unless `min <= value <= max`. */
export function checkRange(value: number, min: number, max: number, what: string): void {
  if (value < min || value > max) {
    throw new SmartHomeError("VALUE_OUT_OF_RANGE", `${what} must be from ${min} to ${max}, got ${value}`, {
      validRange: { minimumValue: min, maximumValue: max },
    });
  }
}

/** `value` kept within `min`–`max` (adjustments saturate, as Alexa expects). */
export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

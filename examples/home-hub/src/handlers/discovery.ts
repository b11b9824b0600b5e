/**
 * `Alexa.Discovery` Discover → `Discover.Response`: every device of the user's hub that the bridge can expose
 * (at most 300, Alexa's limit). Devices left out are logged with the reason.
 */
import { endpointOf, notExposedBecause } from "../devices";
import { SmartHomeError } from "../errors";
import { discoverResponse } from "../messages";
import type { DirectiveHandler } from "./context";

const MAX_ENDPOINTS = 300;

export const discover: DirectiveHandler = async (context) => {
  const { directive } = context;
  const scope = directive.payload.scope as { type?: unknown; token?: unknown } | undefined;
  if (scope?.type !== "BearerToken" || typeof scope.token !== "string" || scope.token === "") {
    throw new SmartHomeError(
      "INVALID_AUTHORIZATION_CREDENTIAL",
      "Discover carries no bearer token in payload.scope",
    );
  }
  const devices = await context.hub.devices(scope.token);
  const endpoints: unknown[] = [];
  for (const device of devices) {
    const reason = notExposedBecause(device);
    if (reason !== undefined) {
      context.log({
        level: "warn",
        message: `device ${JSON.stringify(device.id)} left out of discovery: ${reason}`,
      });
    } else if (endpoints.length >= MAX_ENDPOINTS) {
      context.log({
        level: "warn",
        message: `device ${device.id} left out of discovery: Alexa takes ${MAX_ENDPOINTS} endpoints at most`,
      });
    } else {
      endpoints.push(endpointOf(device));
    }
  }
  return discoverResponse(directive, endpoints);
};

/**
 * The bridge's errors. A {@link SmartHomeError} is answered as an `Alexa.ErrorResponse` of its type; a
 * {@link HubError} says what went wrong with the home hub and maps onto one such type; a
 * {@link HomeHubConfigError} is a deployment mistake that names the variables to fix.
 */
import type { ErrorType } from "./messages";

/** A directive the bridge cannot carry out: answered as `Alexa.ErrorResponse` of `type`. */
export class SmartHomeError extends Error {
  override readonly name = "SmartHomeError";
  constructor(
    readonly type: ErrorType,
    message: string,
    /** Fields the error type adds to the payload, e.g. `validRange` for VALUE_OUT_OF_RANGE. */
    readonly extra: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a call to the home hub ran into. */
export type HubFailure =
  /** No answer: refused, reset, timed out, or a gateway error in front of the hub. */
  | "unreachable"
  /** 401: the linked access token is not one the hub knows. */
  | "unauthorized"
  /** 401 `token_expired`: the linked access token has expired (Alexa refreshes it and retries). */
  | "token-expired"
  /** 404: no such device for this user. */
  | "not-found"
  /** 503 `device_offline`: the hub is up but the device does not answer it. */
  | "offline"
  /** 422 `out_of_range`: the hub refused the value. */
  | "out-of-range"
  /** 429: the hub asks to slow down. */
  | "throttled"
  /** Anything else: an answer the bridge does not understand. */
  | "failed";

/** A call to the home hub failed; `failure` says how. Messages never hold a token. */
export class HubError extends Error {
  override readonly name = "HubError";
  constructor(
    readonly failure: HubFailure,
    message: string,
    /** For `out-of-range`: the range the hub accepts, when it says. */
    readonly validRange?: { minimumValue: number; maximumValue: number },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const ALEXA_ERROR_OF: Record<HubFailure, ErrorType> = {
  // The hub is the bridge of Alexa's vocabulary: a hub that does not answer is BRIDGE_UNREACHABLE, a device the
  // hub cannot reach is ENDPOINT_UNREACHABLE (Alexa then says the device is not responding).
  unreachable: "BRIDGE_UNREACHABLE",
  offline: "ENDPOINT_UNREACHABLE",
  unauthorized: "INVALID_AUTHORIZATION_CREDENTIAL",
  "token-expired": "EXPIRED_AUTHORIZATION_CREDENTIAL",
  "not-found": "NO_SUCH_ENDPOINT",
  "out-of-range": "VALUE_OUT_OF_RANGE",
  throttled: "RATE_LIMIT_EXCEEDED",
  failed: "INTERNAL_ERROR",
};

/** The `Alexa.ErrorResponse` a hub failure is answered with. */
export function smartHomeErrorOf(error: HubError): SmartHomeError {
  const extra = error.validRange === undefined ? {} : { validRange: error.validRange };
  return new SmartHomeError(ALEXA_ERROR_OF[error.failure], error.message, extra, { cause: error });
}

/** The bridge's environment is missing settings or holds invalid ones; names every variable at fault. */
export class HomeHubConfigError extends Error {
  override readonly name = "HomeHubConfigError";
  constructor(
    /** The environment variables at fault. */
    readonly variables: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

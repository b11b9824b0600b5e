/**
 * The Smart Home Skill API v3 messages the bridge reads and writes: directives in, responses and events out,
 * shaped as Amazon's message schema (`alexa_smart_home_message_schema.json`) requires. Builders only; no I/O.
 */
import { randomUUID } from "node:crypto";

/** An OAuth 2 bearer token as Alexa passes it. */
export interface BearerScope {
  type: "BearerToken";
  token: string;
}

/** The header of a directive Alexa sends. */
export interface DirectiveHeader {
  namespace: string;
  name: string;
  payloadVersion: string;
  messageId: string;
  correlationToken?: string;
  /** The capability instance of a generic controller (`Alexa.RangeController`, …). */
  instance?: string;
}

/** A directive, as the Lambda event `{ directive }` carries it. */
export interface Directive {
  header: DirectiveHeader;
  endpoint?: { endpointId: string; scope?: BearerScope; cookie?: Record<string, string> };
  payload: Record<string, unknown>;
}

/** The Lambda event of a directive. */
export interface DirectiveEvent {
  directive: Directive;
}

/** One reportable property, in a response's context or a change report. */
export interface StateProperty {
  namespace: string;
  name: string;
  instance?: string;
  value: unknown;
  timeOfSample: string;
  uncertaintyInMilliseconds: number;
}

/** The header of a message the skill sends. */
export interface EventHeader {
  namespace: string;
  name: string;
  payloadVersion: "3";
  messageId: string;
  correlationToken?: string;
}

/** A message the skill sends: a synchronous response or an event for the event gateway. */
export interface AlexaMessage {
  event: {
    header: EventHeader;
    endpoint?: { endpointId: string; scope?: BearerScope };
    payload: Record<string, unknown>;
  };
  context?: { properties: StateProperty[] };
}

/** The error types the bridge answers with (a subset of Alexa.ErrorResponse's). */
export type ErrorType =
  | "BRIDGE_UNREACHABLE"
  | "ENDPOINT_UNREACHABLE"
  | "EXPIRED_AUTHORIZATION_CREDENTIAL"
  | "INVALID_AUTHORIZATION_CREDENTIAL"
  | "INTERNAL_ERROR"
  | "INVALID_DIRECTIVE"
  | "INVALID_VALUE"
  | "NO_SUCH_ENDPOINT"
  | "RATE_LIMIT_EXCEEDED"
  | "VALUE_OUT_OF_RANGE";

/** The header of a reply to `directive`: a fresh message id, the directive's correlation token. */
function replyHeader(directive: Directive | undefined, namespace: string, name: string): EventHeader {
  const correlationToken = directive?.header.correlationToken;
  return {
    namespace,
    name,
    payloadVersion: "3",
    messageId: randomUUID(),
    ...(correlationToken === undefined ? {} : { correlationToken }),
  };
}

function endpointOf(directive: Directive): { endpointId: string } | undefined {
  const endpointId = directive.endpoint?.endpointId;
  return endpointId === undefined ? undefined : { endpointId };
}

/** `Alexa.Response` to a control directive, with the endpoint's state after the change. */
export function controlResponse(directive: Directive, properties: StateProperty[]): AlexaMessage {
  return {
    event: {
      header: replyHeader(directive, "Alexa", "Response"),
      endpoint: endpointOf(directive),
      payload: {},
    },
    context: { properties },
  };
}

/** `Alexa.StateReport`, the answer to `Alexa.ReportState`. */
export function stateReport(directive: Directive, properties: StateProperty[]): AlexaMessage {
  return {
    event: {
      header: replyHeader(directive, "Alexa", "StateReport"),
      endpoint: endpointOf(directive),
      payload: {},
    },
    context: { properties },
  };
}

/** `Alexa.Discovery.Discover.Response` listing `endpoints`. */
export function discoverResponse(directive: Directive, endpoints: unknown[]): AlexaMessage {
  return {
    event: {
      header: replyHeader(directive, "Alexa.Discovery", "Discover.Response"),
      payload: { endpoints },
    },
  };
}

/** `Alexa.Authorization.AcceptGrant.Response`: the grant was exchanged and the tokens stored. */
export function acceptGrantResponse(directive: Directive): AlexaMessage {
  return {
    event: { header: replyHeader(directive, "Alexa.Authorization", "AcceptGrant.Response"), payload: {} },
  };
}

/** `Alexa.Authorization.ErrorResponse`: the only error type AcceptGrant may answer is ACCEPT_GRANT_FAILED. */
export function acceptGrantFailed(directive: Directive, message: string): AlexaMessage {
  return {
    event: {
      header: replyHeader(directive, "Alexa.Authorization", "ErrorResponse"),
      payload: { type: "ACCEPT_GRANT_FAILED", message },
    },
  };
}

/** `Alexa.ErrorResponse` of `type`; `extra` holds the type's own fields (`validRange`). */
export function errorResponse(
  directive: Directive | undefined,
  type: ErrorType,
  message: string,
  extra: Record<string, unknown> = {},
): AlexaMessage {
  const endpoint = directive === undefined ? undefined : endpointOf(directive);
  return {
    event: {
      header: replyHeader(directive, "Alexa", "ErrorResponse"),
      ...(endpoint === undefined ? {} : { endpoint }),
      payload: { type, message, ...extra },
    },
  };
}

/** What made a property change, as `Alexa.ChangeReport` names it. */
export type ChangeCause =
  "APP_INTERACTION" | "PHYSICAL_INTERACTION" | "PERIODIC_POLL" | "RULE_TRIGGER" | "VOICE_INTERACTION";

/**
 * `Alexa.ChangeReport` for the event gateway: `changed` in the payload, the unchanged properties in the
 * context, and the user's Alexa access token as the endpoint's scope (the gateway checks it).
 */
export function changeReport(
  endpointId: string,
  alexaAccessToken: string,
  cause: ChangeCause,
  changed: StateProperty[],
  unchanged: StateProperty[],
): AlexaMessage {
  return {
    event: {
      header: replyHeader(undefined, "Alexa", "ChangeReport"),
      endpoint: { scope: { type: "BearerToken", token: alexaAccessToken }, endpointId },
      payload: { change: { cause: { type: cause }, properties: changed } },
    },
    ...(unchanged.length > 0 ? { context: { properties: unchanged } } : {}),
  };
}

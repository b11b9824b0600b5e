/**
 * The bridge assembled from its dependencies: {@link createHomeHubSkill} builds the handler the Lambda entry
 * exports (`index.ts` builds it from the environment), and local runs and tests build it from their own
 * (a local hub, an in-memory token store, fakes of Login with Amazon and of the event gateway).
 *
 * The handler takes two kinds of event: a directive from Alexa (`{ directive }`), answered with a response or
 * an error response; and a notice from the hub (`{ hubEvent }`) that a device changed, turned into a
 * ChangeReport to the event gateway.
 */
import { HubError, smartHomeErrorOf, SmartHomeError } from "./errors";
import type { EventGatewayClient } from "./gateway";
import { DIRECTIVE_HANDLERS, type Logger } from "./handlers";
import { createHubClient, type HubClient } from "./hub";
import type { Fetch } from "./http";
import type { LwaClient } from "./lwa";
import {
  acceptGrantFailed,
  errorResponse,
  type AlexaMessage,
  type Directive,
  type DirectiveEvent,
} from "./messages";
import { reportChange, type HubEvent, type ReportResult } from "./reporter";
import type { TokenStore } from "./tokens";

/** What the bridge is built from. */
export interface HomeHubSkillOptions {
  /** The home hub's base URL (its API under `/api/v1`). */
  hubUrl: string;
  /** Deadline of one hub call; default 4000 ms. */
  hubTimeoutMs?: number;
  /** Where users' Alexa tokens are kept. */
  tokenStore: TokenStore;
  /** Login with Amazon, with the skill's client credentials. */
  lwa: LwaClient;
  /** The event gateway of the function's region. */
  eventGateway: EventGatewayClient;
  /** The clock (timeOfSample, token expiry); default the system's. */
  now?: () => Date;
  /** Receives one structured entry per directive or notice; default one JSON line on stdout. */
  log?: Logger;
  /** The `fetch` used toward the hub; default the global one. */
  fetch?: Fetch;
}

/** The bridge: the Lambda handler, plus its two halves typed. */
export interface HomeHubSkill {
  /** The Lambda handler: a directive or a hub notice. */
  (event: unknown, context?: unknown): Promise<AlexaMessage | ReportResult>;
  /** Answers one directive; never rejects (every failure is an error response). */
  directive(event: DirectiveEvent): Promise<AlexaMessage>;
  /** Sends the ChangeReport of one hub notice; rejects when the gateway could not take it (to be retried). */
  hubEvent(event: HubEvent): Promise<ReportResult>;
}

const consoleLog: Logger = (entry) => console.log(JSON.stringify(entry));

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function isDirective(value: unknown): value is Directive {
  if (!isObject(value) || !isObject(value.header) || !isObject(value.payload)) return false;
  const { namespace, name, payloadVersion, messageId } = value.header;
  return [namespace, name, payloadVersion, messageId].every((field) => typeof field === "string");
}

/** Builds the bridge's handler from its dependencies. */
export function createHomeHubSkill(options: HomeHubSkillOptions): HomeHubSkill {
  const hub: HubClient = createHubClient({
    baseUrl: options.hubUrl,
    timeoutMs: options.hubTimeoutMs ?? 4000,
    fetch: options.fetch,
  });
  const now = options.now ?? (() => new Date());
  const log = options.log ?? consoleLog;

  const directive = async (event: DirectiveEvent): Promise<AlexaMessage> => {
    const started = Date.now();
    const candidate = isObject(event) ? event.directive : undefined;
    if (!isDirective(candidate)) {
      log({ level: "warn", message: "not a smart-home directive" });
      return errorResponse(
        undefined,
        "INVALID_DIRECTIVE",
        "The event is not a directive with a header and a payload",
      );
    }
    const { namespace, name, payloadVersion } = candidate.header;
    const qualified = `${namespace}.${name}`;
    let response: AlexaMessage;
    try {
      const handler = DIRECTIVE_HANDLERS[qualified];
      if (payloadVersion !== "3") {
        throw new SmartHomeError(
          "INVALID_DIRECTIVE",
          `payloadVersion ${payloadVersion} is not supported; the bridge speaks version 3`,
        );
      }
      if (handler === undefined)
        throw new SmartHomeError("INVALID_DIRECTIVE", `${qualified} is not supported`);
      response = await handler({
        directive: candidate,
        hub,
        tokens: options.tokenStore,
        lwa: options.lwa,
        now,
        log,
      });
    } catch (error) {
      response = answerFailure(candidate, error, log);
    }
    const payload = response.event.payload as { type?: unknown; message?: unknown };
    log({
      level: typeof payload.type === "string" ? "warn" : "info",
      directive: qualified,
      endpointId: candidate.endpoint?.endpointId,
      answer: `${response.event.header.namespace}.${response.event.header.name}`,
      ...(typeof payload.type === "string" ? { errorType: payload.type, error: payload.message } : {}),
      durationMs: Date.now() - started,
    });
    return response;
  };

  const hubEvent = (event: HubEvent): Promise<ReportResult> => {
    const notice = isObject(event) ? event.hubEvent : undefined;
    if (
      !isObject(notice) ||
      notice.type !== "DeviceStateChanged" ||
      typeof notice.userId !== "string" ||
      !isObject(notice.device) ||
      typeof notice.device.id !== "string"
    ) {
      return Promise.reject(
        new Error('A hub event must be { "hubEvent": { "type": "DeviceStateChanged", "userId", "device" } }'),
      );
    }
    return reportChange(event.hubEvent, {
      tokens: options.tokenStore,
      lwa: options.lwa,
      gateway: options.eventGateway,
      now,
      log,
    });
  };

  const handler = (async (event: unknown) =>
    isObject(event) && "hubEvent" in event
      ? hubEvent(event as unknown as HubEvent)
      : directive(event as DirectiveEvent)) as HomeHubSkill;
  handler.directive = directive;
  handler.hubEvent = hubEvent;
  return handler;
}

/** The error response a failed directive gets. */
function answerFailure(directive: Directive, error: unknown, log: Logger): AlexaMessage {
  const message = error instanceof Error ? error.message : String(error);
  if (directive.header.namespace === "Alexa.Authorization") return acceptGrantFailed(directive, message);
  const known = error instanceof HubError ? smartHomeErrorOf(error) : error;
  if (known instanceof SmartHomeError)
    return errorResponse(directive, known.type, known.message, known.extra);
  log({
    level: "error",
    message: "unexpected failure",
    stack: error instanceof Error ? error.stack : message,
  });
  return errorResponse(directive, "INTERNAL_ERROR", "The bridge failed unexpectedly; see its logs");
}

import type { RequestEnvelope } from "ask-sdk-model";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A light shape check of an Alexa request envelope, run before any handler: returns what is wrong (naming the
 * JSON path), or undefined when the envelope has what the skill relies on. Not a full schema: cold start matters.
 */
export function envelopeProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "the request body is not a JSON object";
  if (typeof value.version !== "string") return "version is missing (not an Alexa request envelope)";
  const request = value.request;
  if (!isObject(request)) return "request is missing or not an object";
  for (const field of ["type", "requestId", "timestamp"] as const) {
    if (typeof request[field] !== "string" || request[field] === "") return `request.${field} is missing`;
  }
  if (request.locale !== undefined && typeof request.locale !== "string")
    return "request.locale is not a string";
  const context = value.context;
  if (!isObject(context) || !isObject(context.System)) return "context.System is missing";
  const application = context.System.application;
  if (!isObject(application) || typeof application.applicationId !== "string") {
    return "context.System.application.applicationId is missing";
  }
  if (value.session !== undefined && !isObject(value.session)) return "session is not an object";
  return undefined;
}

/** Narrows a parsed body to a request envelope, or throws a TypeError naming the problem. */
export function assertEnvelope(value: unknown): asserts value is RequestEnvelope {
  const problem = envelopeProblem(value);
  if (problem !== undefined) throw new TypeError(`Not an Alexa request: ${problem}`);
}

/** The skill id the request is addressed to. */
export function applicationIdOf(envelope: RequestEnvelope): string {
  return envelope.context.System.application.applicationId;
}

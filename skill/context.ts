import type { HandlerInput } from "ask-sdk-core";
import type { RequestEnvelope } from "ask-sdk-model";
import type { SupportedLocale, Translate } from "./i18n";
import type { MediaLibrary } from "./media/types";

/** What every Jokebox handler needs besides the request: set by a request interceptor of {@link createSkill}. */
export interface RequestContext {
  readonly media: MediaLibrary;
  /** Translator in the user's language. */
  readonly t: Translate;
  readonly locale: SupportedLocale;
  /** Source of randomness in [0, 1), injectable for tests. */
  readonly random: () => number;
}

const ATTRIBUTE = "jokebox";

/** Attaches the context to a request (done once, by the skill's request interceptor). */
export function attachRequestContext(input: HandlerInput, context: RequestContext): void {
  input.attributesManager.setRequestAttributes({
    ...input.attributesManager.getRequestAttributes(),
    [ATTRIBUTE]: context,
  });
}

/** The context of the request being handled; throws when the handler runs outside the Jokebox skill. */
export function requestContext(input: HandlerInput): RequestContext {
  const context = input.attributesManager.getRequestAttributes()[ATTRIBUTE] as RequestContext | undefined;
  if (context === undefined) {
    throw new Error(
      "Jokebox handler invoked without its request context: build the skill with createSkill()",
    );
  }
  return context;
}

// Keyed by envelope so that the skill's invoke wrapper, which never sees the HandlerInput, can read them back.
const logFields = new WeakMap<RequestEnvelope, Record<string, unknown>>();

/** Adds fields to the request's single log line (an event's error, a rule violation, …). */
export function addLogFields(envelope: RequestEnvelope, fields: Record<string, unknown>): void {
  logFields.set(envelope, { ...logFields.get(envelope), ...fields });
}

/** The fields added to the request's log line so far. */
export function logFieldsOf(envelope: RequestEnvelope): Record<string, unknown> {
  return logFields.get(envelope) ?? {};
}

/** Milliseconds since `started` (from `process.hrtime.bigint()`), to a tenth. */
export function elapsedMs(started: bigint): number {
  // hrtime rather than the global `performance`, which loads node:perf_hooks on first use (cold start).
  return Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
}

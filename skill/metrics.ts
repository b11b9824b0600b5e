import type { RequestEnvelope } from "ask-sdk-model";
import {
  emfMembers,
  type AlexaErrorMetricKey,
  type MetricSource,
  type RequestOutcome,
} from "../contracts/skill-metrics";

export type { MetricSource, RequestOutcome } from "../contracts/skill-metrics";

// The requests in which Alexa reports an error, and the metric each one counts in.
const ALEXA_ERRORS: Readonly<Record<string, AlexaErrorMetricKey>> = {
  SessionEndedRequest: "sessionEndedErrors",
  "System.ExceptionEncountered": "exceptionsEncountered",
  "AudioPlayer.PlaybackFailed": "playbackFailures",
};

/**
 * What a request that reached the skill did: whether a handler failed, and the error Alexa reports in it, read from
 * the request itself (so it is counted even when the handler for it failed). A session that ended for any reason but
 * `ERROR` reports no error.
 */
export function outcomeOf(
  envelope: RequestEnvelope,
  handlerError: boolean,
  latencyMs: number,
): RequestOutcome {
  const request = envelope.request as { type: string; reason?: string; error?: { type?: unknown } };
  let metric: AlexaErrorMetricKey | undefined = ALEXA_ERRORS[request.type];
  if (metric === "sessionEndedErrors" && request.reason !== "ERROR") metric = undefined;
  const type = typeof request.error?.type === "string" ? request.error.type : undefined;
  return { handlerError, latencyMs, ...(metric === undefined ? {} : { alexaError: { metric, type } }) };
}

/**
 * The log entry with the request's health signals as embedded-metric-format members, when the skill runs on
 * Lambda (`source` known); unchanged elsewhere, so a local run's log stays readable.
 */
export function withSignals(
  entry: Record<string, unknown>,
  source: MetricSource | undefined,
  outcome: RequestOutcome,
): Record<string, unknown> {
  return source === undefined ? entry : { ...entry, ...emfMembers(source, outcome, Date.now()) };
}

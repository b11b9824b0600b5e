/**
 * The health signals a skill reports per Lambda version: the contract between the skill, which writes them as
 * CloudWatch embedded metric format (EMF) members of its one log line per request, and the CLI, which reads them
 * back with GetMetricData to compare two versions of a function (a canary). Defined once, here, outside `skill/`
 * and `scripts/`: the skill's bundle includes it, the CLI imports it, and neither reaches into the other. It
 * imports nothing, so it costs a cold start next to nothing.
 *
 * Every line of a function on Lambda carries every counter (0 or 1), so for each version the `Sum` of a counter
 * is how many requests had it, `SampleCount` of `Requests` is how many requests there were, and the `Average` of
 * a counter is its rate. Alexa's own error reports are also counted per `ErrorType`.
 */

/** The CloudWatch namespace of the skill's metrics. */
export const SKILL_METRICS_NAMESPACE = "Skillship/Skill";

/** Dimension names. Values: the function's name and version as Lambda gives them, Alexa's error type. */
export const SKILL_METRIC_DIMENSIONS = {
  /** `AWS_LAMBDA_FUNCTION_NAME`. */
  functionName: "FunctionName",
  /** `AWS_LAMBDA_FUNCTION_VERSION`: the published version (`7`) or `$LATEST`, never an alias. */
  functionVersion: "FunctionVersion",
  /** `request.error.type` of the error Alexa reported, e.g. `INVALID_RESPONSE`, `MEDIA_ERROR_UNKNOWN`. */
  errorType: "ErrorType",
} as const;

/** A metric of the contract: its CloudWatch name and unit, and what one data point means. */
export interface SkillMetric {
  readonly name: string;
  readonly unit: "Count" | "Milliseconds";
  readonly description: string;
}

/** Every metric the skill reports, by key. */
export const SKILL_METRICS = {
  requests: {
    name: "Requests",
    unit: "Count",
    description: "1 per request the function received (refused ones included)",
  },
  refusedRequests: {
    name: "RefusedRequests",
    unit: "Count",
    description:
      "1 when the request was refused before any handler ran (not an Alexa request, bad signature)",
  },
  handlerErrors: {
    name: "HandlerErrors",
    unit: "Count",
    description: "1 when a handler failed: the error handler answered, or the request failed outright",
  },
  sessionEndedErrors: {
    name: "SessionEndedErrors",
    unit: "Count",
    description: "1 for a SessionEndedRequest with reason ERROR: Alexa could not use an earlier response",
  },
  exceptionsEncountered: {
    name: "ExceptionsEncountered",
    unit: "Count",
    description: "1 for a System.ExceptionEncountered request: Alexa refused a directive the skill sent",
  },
  playbackFailures: {
    name: "PlaybackFailures",
    unit: "Count",
    description: "1 for an AudioPlayer.PlaybackFailed request: a device could not play a stream",
  },
  handlerLatency: {
    name: "HandlerLatency",
    unit: "Milliseconds",
    description: "time from the request entering the skill to its answer (not on refused requests)",
  },
} as const satisfies Record<string, SkillMetric>;

/** A key of {@link SKILL_METRICS}. */
export type SkillMetricKey = keyof typeof SKILL_METRICS;

/** The metrics counting errors Alexa reports, each also reported per {@link SKILL_METRIC_DIMENSIONS.errorType}. */
export const ALEXA_ERROR_METRICS = [
  "sessionEndedErrors",
  "exceptionsEncountered",
  "playbackFailures",
] as const;

/** A key of {@link ALEXA_ERROR_METRICS}. */
export type AlexaErrorMetricKey = (typeof ALEXA_ERROR_METRICS)[number];

/** Which function version wrote the line. */
export interface MetricSource {
  readonly functionName: string;
  readonly functionVersion: string;
}

/** What one request did, as the metrics see it. */
export interface RequestOutcome {
  /** Refused before any handler ran. */
  readonly refused?: boolean;
  /** A handler failed (the error handler answered, or the request failed outright). */
  readonly handlerError?: boolean;
  /** An error Alexa reported in this request, and its type as Alexa wrote it. */
  readonly alexaError?: { readonly metric: AlexaErrorMetricKey; readonly type?: string };
  /** Handler latency in ms; left out for refused requests. */
  readonly latencyMs?: number;
}

/** The `ErrorType` recorded when Alexa sent none, or one that is not an error type's shape. */
export const UNKNOWN_ERROR_TYPE = "UNKNOWN";

/**
 * Alexa's error types are upper-case words joined by `_`. Anything else becomes {@link UNKNOWN_ERROR_TYPE}: a
 * dimension value is a metric of its own, so free text must never become one.
 */
export function errorTypeDimension(type: string | undefined): string {
  return type !== undefined && /^[A-Z][A-Z0-9_]{0,63}$/.test(type) ? type : UNKNOWN_ERROR_TYPE;
}

type Directive = { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] };

const { functionName: FN, functionVersion: FV, errorType: ET } = SKILL_METRIC_DIMENSIONS;

function definitions(keys: readonly SkillMetricKey[]): { Name: string; Unit: string }[] {
  return keys.map((key) => ({ Name: SKILL_METRICS[key].name, Unit: SKILL_METRICS[key].unit }));
}

/**
 * The EMF members of one request's log line: `_aws` (timestamp and metric directives) and the dimension and
 * metric values at the root, as the EMF specification wants them. The line's other fields stay as they are.
 * An Alexa error's metric goes in a directive of its own with two dimension sets (per version, and per version and
 * error type), so that no metric is listed by two directives.
 */
export function emfMembers(
  source: MetricSource,
  outcome: RequestOutcome,
  timestamp: number,
): Record<string, unknown> {
  const typed = outcome.alexaError?.metric;
  const counters = (["requests", "refusedRequests", "handlerErrors", ...ALEXA_ERROR_METRICS] as const).filter(
    (key) => key !== typed,
  );
  const measured: SkillMetricKey[] =
    outcome.latencyMs === undefined ? counters : [...counters, "handlerLatency"];
  const directives: Directive[] = [
    { Namespace: SKILL_METRICS_NAMESPACE, Dimensions: [[FN, FV]], Metrics: definitions(measured) },
  ];
  const members: Record<string, unknown> = {
    [FN]: source.functionName,
    [FV]: source.functionVersion,
    [SKILL_METRICS.requests.name]: 1,
    [SKILL_METRICS.refusedRequests.name]: outcome.refused === true ? 1 : 0,
    [SKILL_METRICS.handlerErrors.name]: outcome.handlerError === true ? 1 : 0,
  };
  for (const key of ALEXA_ERROR_METRICS) members[SKILL_METRICS[key].name] = key === typed ? 1 : 0;
  if (outcome.latencyMs !== undefined) members[SKILL_METRICS.handlerLatency.name] = outcome.latencyMs;
  if (typed !== undefined) {
    members[ET] = errorTypeDimension(outcome.alexaError?.type);
    directives.push({
      Namespace: SKILL_METRICS_NAMESPACE,
      Dimensions: [
        [FN, FV],
        [FN, FV, ET],
      ],
      Metrics: definitions([typed]),
    });
  }
  return { _aws: { Timestamp: timestamp, CloudWatchMetrics: directives }, ...members };
}

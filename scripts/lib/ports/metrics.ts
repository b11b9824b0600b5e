/**
 * The health signals of a function's versions over a time window, as a canary compares them: what the skill
 * reports per version (`contracts/skill-metrics.ts`) and what Lambda reports of each version behind an alias.
 * `adapters/cloudwatch.ts` implements it over CloudWatch's GetMetricData; `testkit/fakes/metrics.ts` is a
 * scriptable stand-in for tests.
 */
import type { AlexaErrorMetricKey } from "../../../contracts/skill-metrics";

/** "These signals for these versions of function F behind alias A, between T1 and T2". */
export interface VersionSignalsQuery {
  functionName: string;
  /**
   * The alias the traffic goes through (the live one). Lambda reports its own metrics of a version invoked
   * through an alias under the alias, per executed version; the skill's own are per version whatever the alias.
   */
  alias: string;
  /** The versions to read, e.g. the old and the new one. Each gets its own {@link VersionSignals}. */
  versions: readonly string[];
  /** Start of the window (inclusive); CloudWatch works in whole minutes, so it is rounded down to one. */
  start: Date;
  /** End of the window (exclusive); rounded up to a whole minute. */
  end: Date;
  /**
   * The statistic latencies are read with: a percentile such as `p99` (the default), `p95` or `p99.9`, or
   * `Maximum` / `Average`.
   */
  latencyStatistic?: string;
}

/** Sums of what one version reported in the window; latencies at the query's statistic. */
export interface VersionSignals {
  version: string;
  /** Requests the skill received (its `Requests`), refused ones included. */
  requests: number;
  /** Requests refused before any handler ran. */
  refusedRequests: number;
  /** Requests a handler failed (answered by the error handler, or failed outright). */
  handlerErrors: number;
  /** `SessionEndedRequest`s with reason `ERROR`. */
  sessionEndedErrors: number;
  /** `System.ExceptionEncountered` requests. */
  exceptionsEncountered: number;
  /** `AudioPlayer.PlaybackFailed` requests. */
  playbackFailures: number;
  /** The Alexa-reported errors by `error.type`, for a report: e.g. `{ sessionEndedErrors: { INVALID_RESPONSE: 3 } }`. */
  alexaErrorsByType: Partial<Record<AlexaErrorMetricKey, Record<string, number>>>;
  /** The skill's handler latency in ms, at the statistic; undefined when the version reported none. */
  handlerLatencyMs?: number;
  /** Lambda's own: invocations of this version through the alias. */
  invocations: number;
  /** Lambda's own: invocations that failed (an error out of the handler, a timeout, a crash). */
  errors: number;
  /** Lambda's own: invocations refused for lack of concurrency. */
  throttles: number;
  /** Lambda's own duration in ms, at the statistic; undefined when Lambda reported none. */
  durationMs?: number;
}

/** The signals of a version that reported nothing: every count 0, no latency. */
export function noSignals(version: string): VersionSignals {
  return {
    version,
    requests: 0,
    refusedRequests: 0,
    handlerErrors: 0,
    sessionEndedErrors: 0,
    exceptionsEncountered: 0,
    playbackFailures: 0,
    alexaErrorsByType: {},
    invocations: 0,
    errors: 0,
    throttles: 0,
  };
}

/** The metric reads a canary makes. */
export interface MetricsPort {
  /** The signals of each queried version, in the order of `query.versions`. */
  versionSignals(query: VersionSignalsQuery): Promise<VersionSignals[]>;
}

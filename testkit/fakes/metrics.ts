/**
 * An in-process {@link MetricsPort} for the canary's tests: each version's traffic is scripted minute by minute
 * (healthy, or breaching from a given time), and a query sums the minutes of its window the way CloudWatch does,
 * in whole minutes. A delay models CloudWatch's: a minute is visible only once `delayMs` have passed since it
 * began. Failures can be injected. The real adapter is tested against moto; this fake stands in for it where the
 * canary's logic is under test.
 */
import type { AlexaErrorMetricKey } from "../../contracts/skill-metrics";
import { OperationError } from "../../scripts/lib/core/errors";
import {
  noSignals,
  type MetricsPort,
  type VersionSignals,
  type VersionSignalsQuery,
} from "../../scripts/lib/ports";

/** What a version reports in one minute. Counts per minute; latencies in ms at the queried statistic. */
export interface MinuteSignals {
  requests: number;
  refusedRequests: number;
  handlerErrors: number;
  sessionEndedErrors: number;
  exceptionsEncountered: number;
  playbackFailures: number;
  /** The Alexa-reported errors by type; counts per minute. */
  alexaErrorsByType: Partial<Record<AlexaErrorMetricKey, Record<string, number>>>;
  handlerLatencyMs: number;
  /** Lambda's invocations of the version; by default as many as `requests`. */
  invocations?: number;
  errors: number;
  throttles: number;
  durationMs: number;
}

/** A healthy minute: steady traffic, no error, quick answers. */
export const HEALTHY_MINUTE: Readonly<MinuteSignals> = {
  requests: 30,
  refusedRequests: 0,
  handlerErrors: 0,
  sessionEndedErrors: 0,
  exceptionsEncountered: 0,
  playbackFailures: 0,
  alexaErrorsByType: {},
  handlerLatencyMs: 40,
  errors: 0,
  throttles: 0,
  durationMs: 60,
};

/** When a script applies: from `from` (inclusive, default always) until `until` (exclusive, default forever). */
export interface ScriptWindow {
  from?: Date | number;
  until?: Date | number;
}

/** The fake and its scripting. */
export interface FakeMetrics extends MetricsPort {
  /** Every query received, in order. */
  readonly queries: VersionSignalsQuery[];
  /** Each minute of the window, `version` reports `signals` (a later script wins where windows overlap). */
  report(version: string, signals: MinuteSignals, window?: ScriptWindow): FakeMetrics;
  /** `version` serves healthy traffic: {@link HEALTHY_MINUTE} with `overrides`. */
  healthy(version: string, overrides?: Partial<MinuteSignals>, window?: ScriptWindow): FakeMetrics;
  /**
   * `version` breaches: healthy traffic plus `signals` (e.g. `{ handlerErrors: 6 }` of 30 requests a minute, or
   * `{ handlerLatencyMs: 2500 }`), typically `{ from }` a time in the bake.
   */
  breach(version: string, signals: Partial<MinuteSignals>, window?: ScriptWindow): FakeMetrics;
  /** The next `times` reads (default 1) fail as CloudWatch's would after the retries: throttled, or denied. */
  fail(options?: { times?: number; error?: "throttle" | "denied" }): FakeMetrics;
  /** Resolves once `count` queries have been received in all. */
  received(count: number): Promise<void>;
}

const MINUTE_MS = 60_000;

interface Script {
  version: string;
  signals: MinuteSignals;
  from: number;
  until: number;
}

const time = (value: Date | number | undefined, fallback: number): number =>
  value === undefined ? fallback : typeof value === "number" ? value : value.getTime();

/** Creates the fake. `now` is the clock of visibility (default Date.now); `delayMs` CloudWatch's delay (default 0). */
export function createFakeMetrics(options: { now?: () => number; delayMs?: number } = {}): FakeMetrics {
  const now = options.now ?? Date.now;
  const delayMs = options.delayMs ?? 0;
  const scripts: Script[] = [];
  const queries: VersionSignalsQuery[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  let failures: { times: number; error: "throttle" | "denied" } = { times: 0, error: "throttle" };

  const minuteOf = (version: string, minute: number): MinuteSignals | undefined =>
    scripts.findLast((script) => script.version === version && minute >= script.from && minute < script.until)
      ?.signals;

  function read(query: VersionSignalsQuery, version: string): VersionSignals {
    const first = Math.floor(query.start.getTime() / MINUTE_MS) * MINUTE_MS;
    const signals = noSignals(version);
    for (let minute = first; minute < query.end.getTime() && minute + delayMs <= now(); minute += MINUTE_MS) {
      const reported = minuteOf(version, minute);
      // A skill that reports no metric of its own (a smart-home skill, say) still has Lambda's.
      const invocations = reported === undefined ? 0 : (reported.invocations ?? reported.requests);
      if (reported === undefined || (reported.requests === 0 && invocations === 0)) continue;
      for (const key of [
        "requests",
        "refusedRequests",
        "handlerErrors",
        "sessionEndedErrors",
        "exceptionsEncountered",
        "playbackFailures",
        "errors",
        "throttles",
      ] as const) {
        signals[key] += reported[key];
      }
      signals.invocations += invocations;
      // Per-minute statistics cannot be added up; the worst minute stands for the window.
      if (reported.requests > 0) {
        signals.handlerLatencyMs = Math.max(signals.handlerLatencyMs ?? 0, reported.handlerLatencyMs);
      }
      if (invocations > 0) signals.durationMs = Math.max(signals.durationMs ?? 0, reported.durationMs);
      for (const [metric, byType] of Object.entries(reported.alexaErrorsByType) as [
        AlexaErrorMetricKey,
        Record<string, number>,
      ][]) {
        const sums = { ...signals.alexaErrorsByType[metric] };
        for (const [type, count] of Object.entries(byType)) sums[type] = (sums[type] ?? 0) + count;
        signals.alexaErrorsByType[metric] = sums;
      }
    }
    return signals;
  }

  const fake: FakeMetrics = {
    queries,
    report(version, signals, window = {}) {
      scripts.push({
        version,
        signals,
        from: time(window.from, Number.NEGATIVE_INFINITY),
        until: time(window.until, Number.POSITIVE_INFINITY),
      });
      return fake;
    },
    healthy(version, overrides = {}, window = {}) {
      return fake.report(version, { ...HEALTHY_MINUTE, ...overrides }, window);
    },
    breach(version, signals, window = {}) {
      return fake.healthy(version, signals, window);
    },
    fail(options = {}) {
      failures = { times: options.times ?? 1, error: options.error ?? "throttle" };
      return fake;
    },
    received(count) {
      return count <= queries.length
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ count, resolve }));
    },
    async versionSignals(query) {
      queries.push(query);
      for (const waiter of waiting.filter((candidate) => candidate.count <= queries.length)) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (failures.times > 0) {
        failures.times -= 1;
        throw new OperationError(
          failures.error === "throttle"
            ? `CloudWatch refused reading the metrics of ${query.functionName}: Throttling: Rate exceeded`
            : `CloudWatch refused reading the metrics of ${query.functionName}: AccessDenied: not authorized ` +
                "(check the AWS credentials and that the role may call cloudwatch:GetMetricData and cloudwatch:ListMetrics)",
        );
      }
      return query.versions.map((version) => read(query, version));
    },
  };
  return fake;
}

/**
 * The canary's judgement (pure): the new version's signals against the old version's over the same window and the
 * stack's thresholds. Three error rates (the skill's handler errors and Alexa's reported errors per request,
 * Lambda's errors per invocation), each held to a ceiling and to the old version's rate plus a margin; two p99
 * latencies (the skill's handler latency, Lambda's duration) held to a ceiling.
 *
 * Too little traffic: a rate is judged as if the version had served at least `minRequests`, so errors that would
 * breach even then breach at once (a broken version is stopped whatever the traffic), while health, and any
 * latency, is concluded only once the version has served `minRequests`.
 */
import type { VersionSignals } from "../../ports";
import type { CanaryJudgement } from "./steps";

/** The signals judged. */
export type SignalName =
  "handlerErrors" | "alexaErrors" | "lambdaErrors" | "handlerLatency" | "lambdaDuration";

/** A count out of a total (errors of requests), and the rate it makes, in percent. */
export interface RateValue {
  count: number;
  of: number;
  percent: number;
}

/** One signal of both versions, and whether the new one breached. */
export interface SignalReading {
  signal: SignalName;
  /** For people: "handler error rate", "p99 Lambda duration". */
  label: string;
  unit: "%" | "ms";
  /** The new version's value: a rate, or a latency (undefined when it reported none). */
  candidate: RateValue | number | undefined;
  previous: RateValue | number | undefined;
  /** The highest value the new version could have had without breaching; undefined when not judged yet. */
  limit?: number;
  breached: boolean;
  /** Why it breached, for people: "over the 5% ceiling". */
  reason?: string;
}

/** What one read of the signals concludes. */
export interface CanaryVerdict {
  /** `breach`: stop now; `healthy`: nothing breached with enough traffic; else not enough traffic yet. */
  outcome: "breach" | "healthy" | "too-little-traffic";
  /** What the new version served (its requests, or Lambda's invocations when more) and what health needs. */
  traffic: { served: number; needed: number };
  readings: SignalReading[];
}

// Rates compare counts, so a float's last digit never decides a breach.
const EPSILON = 1e-9;

const alexaErrors = (s: VersionSignals): number =>
  s.sessionEndedErrors + s.exceptionsEncountered + s.playbackFailures;

/** Judges the new version (`candidate`) against the old one (`previous`) over the same window. */
export function judgeCanary(
  previous: VersionSignals,
  candidate: VersionSignals,
  judgement: CanaryJudgement,
): CanaryVerdict {
  const served = Math.max(candidate.requests, candidate.invocations);
  const enough = served >= judgement.minRequests;
  const readings: SignalReading[] = [
    rate("handlerErrors", "handler error rate", "requests", judgement, previous.version, {
      candidate: [candidate.handlerErrors, candidate.requests],
      previous: [previous.handlerErrors, previous.requests],
    }),
    rate("alexaErrors", "Alexa-reported error rate", "requests", judgement, previous.version, {
      candidate: [alexaErrors(candidate), candidate.requests],
      previous: [alexaErrors(previous), previous.requests],
    }),
    rate("lambdaErrors", "Lambda error rate", "invocations", judgement, previous.version, {
      candidate: [candidate.errors, candidate.invocations],
      previous: [previous.errors, previous.invocations],
    }),
    latency("handlerLatency", "p99 handler latency", judgement, enough, {
      candidate: candidate.handlerLatencyMs,
      previous: previous.handlerLatencyMs,
    }),
    latency("lambdaDuration", "p99 Lambda duration", judgement, enough, {
      candidate: candidate.durationMs,
      previous: previous.durationMs,
    }),
  ];
  const outcome = readings.some((reading) => reading.breached)
    ? "breach"
    : enough
      ? "healthy"
      : "too-little-traffic";
  return { outcome, traffic: { served, needed: judgement.minRequests }, readings };
}

function rateOf(count: number, of: number): RateValue {
  return { count, of, percent: of > 0 ? (count / of) * 100 : 0 };
}

function rate(
  signal: SignalName,
  label: string,
  unitName: string,
  judgement: CanaryJudgement,
  previousVersion: string,
  counts: { candidate: [number, number]; previous: [number, number] },
): SignalReading {
  const candidate = rateOf(...counts.candidate);
  const previous = rateOf(...counts.previous);
  const ceiling = judgement.maxErrorRate;
  const relative = previous.percent + judgement.maxErrorRateIncrease;
  const limit = Math.min(ceiling, relative);
  // Below the minimum traffic, as many errors as would breach even at the minimum.
  const judgedOf = Math.max(candidate.of, judgement.minRequests);
  const judged = judgedOf > 0 ? (candidate.count / judgedOf) * 100 : candidate.count > 0 ? 100 : 0;
  const breached = judged > limit + EPSILON;
  let reason: string | undefined;
  if (breached) {
    const early =
      candidate.of < judgement.minRequests
        ? ` (already more than that of ${judgement.minRequests} ${unitName}, the least it is judged on)`
        : "";
    reason =
      judged > ceiling + EPSILON
        ? `over the ${ceiling}% ceiling${early}`
        : `more than ${judgement.maxErrorRateIncrease} points over version ${previousVersion}'s ` +
          `${formatRate(previous.percent)}${early}`;
  }
  return {
    signal,
    label,
    unit: "%",
    candidate,
    previous,
    limit,
    breached,
    ...(reason === undefined ? {} : { reason }),
  };
}

function latency(
  signal: SignalName,
  label: string,
  judgement: CanaryJudgement,
  enough: boolean,
  values: { candidate: number | undefined; previous: number | undefined },
): SignalReading {
  const judged = enough && values.candidate !== undefined;
  const breached = judged && values.candidate! > judgement.maxLatencyMs;
  return {
    signal,
    label,
    unit: "ms",
    candidate: values.candidate,
    previous: values.previous,
    ...(judged ? { limit: judgement.maxLatencyMs } : {}),
    breached,
    ...(breached ? { reason: `over the ${judgement.maxLatencyMs} ms ceiling` } : {}),
  };
}

/** A rate for people: `2.0%`. */
export function formatRate(percent: number): string {
  return `${percent.toFixed(1)}%`;
}

/** One version's side of a reading for people: `20.0% (6 of 30 requests)`, `2500 ms`, `none reported`. */
export function formatValue(reading: SignalReading, side: "candidate" | "previous"): string {
  const value = reading[side];
  if (value === undefined) return "none reported";
  if (typeof value === "number") return `${Math.round(value)} ms`;
  const unit = reading.signal === "lambdaErrors" ? "invocations" : "requests";
  return `${formatRate(value.percent)} (${value.count} of ${value.of} ${unit})`;
}

/** A breached signal for people, with both versions' numbers and the threshold. */
export function describeBreach(reading: SignalReading, versions: { from: string; to: string }): string {
  return (
    `${reading.label} of version ${versions.to}: ${formatValue(reading, "candidate")}, ${reading.reason ?? "breached"}; ` +
    `version ${versions.from}: ${formatValue(reading, "previous")}`
  );
}

/** The verdict in one line, for progress: traffic and each signal of the new version, then the old one's. */
export function describeVerdict(verdict: CanaryVerdict, versions: { from: string; to: string }): string {
  const side = (which: "candidate" | "previous") =>
    verdict.readings
      .map((reading) => {
        const value = reading[which];
        if (value === undefined) return undefined;
        return `${short[reading.signal]} ${typeof value === "number" ? `${Math.round(value)} ms` : formatRate(value.percent)}`;
      })
      .filter((text) => text !== undefined)
      .join(", ");
  const traffic =
    verdict.outcome === "too-little-traffic"
      ? `${verdict.traffic.served} of the ${verdict.traffic.needed} requests needed`
      : `${verdict.traffic.served} requests`;
  const previous = verdict.readings.find((reading) => reading.signal === "handlerErrors")?.previous;
  const previousTraffic = typeof previous === "object" ? `${previous.of} requests; ` : "";
  return (
    `version ${versions.to}: ${traffic}; ${side("candidate")} | ` +
    `version ${versions.from}: ${previousTraffic}${side("previous")}`
  );
}

const short: Record<SignalName, string> = {
  handlerErrors: "errors",
  alexaErrors: "Alexa errors",
  lambdaErrors: "Lambda errors",
  handlerLatency: "p99",
  lambdaDuration: "p99 Lambda",
};

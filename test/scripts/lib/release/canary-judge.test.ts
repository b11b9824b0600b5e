/** The canary's judgement (pure): which signal breaches, when, and when health can be concluded. */
import { DEFAULT_CANARY } from "../../../../contracts/canary";
import { noSignals, type VersionSignals } from "../../../../scripts/lib/ports";
import { describeBreach, describeVerdict, judgeCanary } from "../../../../scripts/lib/release/canary/judge";

const { steps: _steps, ...judgement } = DEFAULT_CANARY;

/** A version's signals: `requests` (and as many invocations) plus `more`. */
function signals(version: string, requests: number, more: Partial<VersionSignals> = {}): VersionSignals {
  return {
    ...noSignals(version),
    requests,
    invocations: requests,
    handlerLatencyMs: 40,
    durationMs: 60,
    ...more,
  };
}

const breached = (verdict: ReturnType<typeof judgeCanary>) =>
  verdict.readings.filter((reading) => reading.breached).map((reading) => reading.signal);

describe("judgeCanary", () => {
  it("is healthy with enough traffic and nothing over its limits", () => {
    const verdict = judgeCanary(
      signals("7", 900, { handlerErrors: 9 }),
      signals("8", 100, { handlerErrors: 2 }),
      judgement,
    );
    expect(verdict).toMatchObject({ outcome: "healthy", traffic: { served: 100, needed: 100 } });
    expect(verdict.readings.find((r) => r.signal === "handlerErrors")).toMatchObject({
      candidate: { count: 2, of: 100, percent: 2 },
      previous: { count: 9, of: 900, percent: 1 },
      limit: 3,
      breached: false,
    });
  });

  it("holds each error rate to the old version's plus the margin, and to the ceiling", () => {
    // 0.5% old: the margin (2.5%) is the limit, under the 5% ceiling.
    const relative = judgeCanary(
      signals("7", 1000, { errors: 5 }),
      signals("8", 100, { errors: 3 }),
      judgement,
    );
    expect(breached(relative)).toEqual(["lambdaErrors"]);
    expect(describeBreach(relative.readings[2], { from: "7", to: "8" })).toBe(
      "Lambda error rate of version 8: 3.0% (3 of 100 invocations), more than 2 points over version 7's 0.5%; " +
        "version 7: 0.5% (5 of 1000 invocations)",
    );
    // 4% old: the ceiling (5%) is the limit, below old + 2.
    const ceiling = judgeCanary(
      signals("7", 1000, { sessionEndedErrors: 40 }),
      signals("8", 100, { sessionEndedErrors: 3, playbackFailures: 2, exceptionsEncountered: 1 }),
      judgement,
    );
    expect(breached(ceiling)).toEqual(["alexaErrors"]);
    expect(ceiling.readings[1].reason).toBe("over the 5% ceiling");
    // Exactly at the limit is not over it.
    expect(
      breached(judgeCanary(signals("7", 1000), signals("8", 100, { handlerErrors: 2 }), judgement)),
    ).toEqual([]);
  });

  it("short of the minimum traffic: breaches only on errors that would breach at the minimum, never concludes health", () => {
    const few = judgeCanary(signals("7", 300), signals("8", 20, { handlerErrors: 2 }), judgement);
    expect(few).toMatchObject({ outcome: "too-little-traffic", traffic: { served: 20, needed: 100 } });
    const many = judgeCanary(signals("7", 300), signals("8", 20, { handlerErrors: 3 }), judgement);
    expect(many.outcome).toBe("breach");
    expect(many.readings[0].reason).toBe(
      "more than 2 points over version 7's 0.0% (already more than that of 100 requests, the least it is judged on)",
    );
    // Latency is not judged on a few requests (a cold start's slow first answers would decide it).
    const slow = judgeCanary(signals("7", 300), signals("8", 20, { handlerLatencyMs: 7000 }), judgement);
    expect(slow.outcome).toBe("too-little-traffic");
    expect(slow.readings[3]).toMatchObject({ candidate: 7000, breached: false });
    expect(slow.readings[3].limit).toBeUndefined();
    expect(describeVerdict(slow, { from: "7", to: "8" })).toMatch(
      /^version 8: 20 of the 100 requests needed; errors 0\.0%, .*p99 7000 ms, p99 Lambda 60 ms \| version 7: 300 requests; /,
    );
  });

  it("holds the p99 latencies to the ceiling once there is enough traffic", () => {
    const verdict = judgeCanary(signals("7", 900), signals("8", 150, { durationMs: 3100 }), judgement);
    expect(breached(verdict)).toEqual(["lambdaDuration"]);
    expect(describeBreach(verdict.readings[4], { from: "7", to: "8" })).toBe(
      "p99 Lambda duration of version 8: 3100 ms, over the 3000 ms ceiling; version 7: 60 ms",
    );
  });

  it("counts Lambda's invocations as the traffic of a skill that reports no metrics of its own", () => {
    const quiet = { ...noSignals("8"), invocations: 120, durationMs: 50 };
    const verdict = judgeCanary({ ...noSignals("7"), invocations: 1000 }, quiet, judgement);
    expect(verdict).toMatchObject({ outcome: "healthy", traffic: { served: 120 } });
  });

  it("with a minimum of 0, judges whatever the traffic", () => {
    const verdict = judgeCanary(signals("7", 10), signals("8", 1), { ...judgement, minRequests: 0 });
    expect(verdict.outcome).toBe("healthy");
    expect(judgeCanary(noSignals("7"), noSignals("8"), { ...judgement, minRequests: 0 }).outcome).toBe(
      "healthy",
    );
  });
});

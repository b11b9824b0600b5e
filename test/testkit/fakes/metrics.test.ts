import { OperationError } from "../../../scripts/lib/core/errors";
import { createFakeMetrics, HEALTHY_MINUTE } from "../../../testkit/fakes/metrics";

const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);
const minutes = (n: number) => n * 60_000;
const query = (start: number, end: number, versions = ["6", "7"]) => ({
  functionName: "jokebox-prod-skill",
  alias: "blue",
  versions,
  start: new Date(start),
  end: new Date(end),
});

describe("the scriptable metrics fake (for the canary's tests)", () => {
  it("sums the whole minutes of the window, per version, as CloudWatch would", async () => {
    const metrics = createFakeMetrics({ now: () => T0 + minutes(10) })
      .healthy("6")
      .healthy("7", { requests: 3 });

    const [six, seven] = await metrics.versionSignals(query(T0 + 20_000, T0 + minutes(5)));

    // 10:00 to 10:05: five minutes, the start rounded down to a minute.
    expect(six).toMatchObject({ version: "6", requests: 150, handlerErrors: 0, invocations: 150 });
    expect(six.handlerLatencyMs).toBe(HEALTHY_MINUTE.handlerLatencyMs);
    expect(seven).toMatchObject({ version: "7", requests: 15, invocations: 15 });
  });

  it("breaches from a given time: the minutes before it stay healthy", async () => {
    const metrics = createFakeMetrics({ now: () => T0 + minutes(10) })
      .healthy("7")
      .breach(
        "7",
        {
          handlerErrors: 6,
          handlerLatencyMs: 2500,
          alexaErrorsByType: { sessionEndedErrors: { INVALID_RESPONSE: 2 } },
        },
        { from: T0 + minutes(3) },
      );

    const [early] = await metrics.versionSignals(query(T0, T0 + minutes(3), ["7"]));
    const [late] = await metrics.versionSignals(query(T0, T0 + minutes(5), ["7"]));

    expect(early).toMatchObject({
      requests: 90,
      handlerErrors: 0,
      handlerLatencyMs: 40,
      alexaErrorsByType: {},
    });
    expect(late).toMatchObject({
      requests: 150,
      handlerErrors: 12,
      handlerLatencyMs: 2500,
      alexaErrorsByType: { sessionEndedErrors: { INVALID_RESPONSE: 4 } },
    });
  });

  it("shows a minute only once CloudWatch's delay has passed", async () => {
    let clock = T0 + minutes(2);
    const metrics = createFakeMetrics({ now: () => clock, delayMs: minutes(1) }).healthy("6");

    const [soon] = await metrics.versionSignals(query(T0, T0 + minutes(5), ["6"]));
    clock = T0 + minutes(6);
    const [later] = await metrics.versionSignals(query(T0, T0 + minutes(5), ["6"]));

    // At 10:02 with a minute of delay: 10:00 and 10:01 only.
    expect(soon.requests).toBe(60);
    expect(later.requests).toBe(150);
  });

  it("reports a version without traffic as zeros without latencies", async () => {
    const [idle] = await createFakeMetrics().versionSignals(query(T0, T0 + minutes(5), ["9"]));

    expect(idle).toMatchObject({ requests: 0, invocations: 0 });
    expect(idle.handlerLatencyMs).toBeUndefined();
    expect(idle.durationMs).toBeUndefined();
  });

  it("fails the next reads as CloudWatch would, records every query and lets a test wait for one", async () => {
    const metrics = createFakeMetrics({ now: () => T0 + minutes(5) })
      .healthy("6")
      .fail({ times: 2, error: "denied" });
    const second = metrics.received(2);

    await expect(metrics.versionSignals(query(T0, T0 + minutes(1)))).rejects.toBeInstanceOf(OperationError);
    await expect(metrics.versionSignals(query(T0, T0 + minutes(1)))).rejects.toThrow(
      /cloudwatch:GetMetricData/,
    );
    await second;
    const [six] = await metrics.versionSignals(query(T0, T0 + minutes(1)));

    expect(six.requests).toBe(30);
    expect(metrics.queries).toHaveLength(3);
  });
});

// Over 350 lines on purpose: every canary scenario of the issue, end to end against the fakes, in one place.
/**
 * Canary scenarios against the fake Skill Management API, the in-memory Lambda (weights, RevisionId) and the
 * scriptable metrics fake, on a virtual clock: a ten-minute bake takes no real time, and every time asserted is
 * the clock's. A "kill" is a pause that never returns, as a runner killed mid-bake: nothing of it runs again.
 */
import { OperationError, StillWaitingError } from "../../../../scripts/lib/core/errors";
import { ConcurrentChangeError } from "../../../../scripts/lib/ports";
import {
  CanaryBreachError,
  METRICS_DELAY_MS,
  type CanaryRun,
} from "../../../../scripts/lib/release/canary/run";
import type { StepEvent } from "../../../../scripts/lib/release/apply";
import {
  publish,
  release,
  rollback,
  watch,
  type EngineDeps,
} from "../../../../scripts/lib/release/operations";
import { readStatus } from "../../../../scripts/lib/release/status";
import { describeStep } from "../../../../scripts/lib/release/steps";
import { createFakeMetrics } from "../../../../testkit/fakes/metrics";
import { startReleaseWorld, type ReleaseWorld } from "../../../../testkit/release-world";

const MINUTE = 60_000;
const POLL = 30_000;
const BAKE = 10 * MINUTE;

/** Blue live with version 2 (released, certified, published); new code deployed, released as version 3. */
async function liveWithNewCode(): Promise<ReleaseWorld> {
  const w = await startReleaseWorld();
  await release(w.deps(), w.releaseInput());
  await watch(w.deps());
  await publish(w.deps(), { dryRun: false });
  w.newCode();
  return w;
}

/** 10% of 120 requests a minute on the new version, the rest on the old one. */
function steadyTraffic(w: ReleaseWorld): void {
  w.metrics.healthy("2", { requests: 108 }).healthy("3", { requests: 12 });
}

/**
 * Dependencies whose pauses stop before going past `at` (virtual time): `stopped` resolves then; `resume()` lets the run go on,
 * and a run never resumed is a killed one.
 */
function stoppingAt(w: ReleaseWorld, at: number, overrides: Partial<EngineDeps> = {}) {
  const deps = w.canaryDeps(overrides);
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  let go: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (go = resolve));
  const sleep = async (ms: number): Promise<void> => {
    if (w.clock.now() + ms > at) {
      stop();
      await gate;
    }
    await w.clock.sleep(ms);
  };
  return { deps: { ...deps, wait: { ...deps.wait, sleep } }, stopped, resume: () => go() };
}

describe("canary releases", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("a healthy canary shifts 10%, bakes 10 minutes (and CloudWatch's delay), then moves all traffic", async () => {
    // prepare
    w = await liveWithNewCode();
    steadyTraffic(w);
    const t0 = w.clock.now();
    const seen: CanaryRun[] = [];
    // act
    const result = await release(
      w.canaryDeps({ onCanary: (run) => seen.push(structuredClone(run)) }),
      w.releaseInput(),
    );
    // assert
    expect(result.plan.path).toBe("canary");
    expect(result.plan.steps.map((step) => step.kind)).toEqual([
      "publish-version",
      "canary-shift",
      "canary-bake",
      "canary-promote",
    ]);
    expect(w.aliasMoves.map(({ version, weights }) => ({ version, weights }))).toEqual([
      { version: "2", weights: { "3": 0.1 } },
      { version: "3", weights: {} },
    ]);
    const [shifted, promoted] = w.aliasMoves;
    expect(shifted.at).toBe(t0);
    expect(shifted.description).toMatch(/^change=canary; replaced=2; model=\w+; at=\S+; started=\S+; since=/);
    // Judged once the bake and CloudWatch's delay have passed, at the first poll after.
    expect(promoted.at).toBeGreaterThanOrEqual(t0 + BAKE + METRICS_DELAY_MS);
    expect(promoted.at).toBeLessThanOrEqual(t0 + BAKE + METRICS_DELAY_MS + POLL);
    expect(w.world().aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
    expect(w.world().submissions).toBe(1);
    // Both versions read every poll, behind the live alias, from the canary's start.
    expect(w.metrics.queries[0]).toMatchObject({
      functionName: "jokebox-prod",
      alias: "blue",
      versions: ["2", "3"],
    });
    expect(new Set(w.metrics.queries.map((q) => q.start.getTime()))).toEqual(new Set([t0]));
    expect(Math.max(...w.clock.pauses)).toBe(POLL);
    expect(result.result?.canary).toMatchObject({ outcome: "promoted", from: "2", to: "3", percent: 10 });
    expect(seen.at(-1)?.last?.verdict.outcome).toBe("healthy");
    expect(seen.at(-1)?.last?.signals.to.requests).toBeGreaterThanOrEqual(100);
  });

  it("several steps: each shifted under the revision the step before left, each baked", async () => {
    w = await liveWithNewCode();
    steadyTraffic(w);
    const t0 = w.clock.now();
    const callsBefore = w.lambda.calls.length;
    await release(
      w.canaryDeps(),
      w.releaseInput({
        canarySteps: [
          { percent: 10, bakeMinutes: 5 },
          { percent: 50, bakeMinutes: 5 },
        ],
      }),
    );
    expect(w.aliasMoves.map(({ weights, version }) => ({ version, weights }))).toEqual([
      { version: "2", weights: { "3": 0.1 } },
      { version: "2", weights: { "3": 0.5 } },
      { version: "3", weights: {} },
    ]);
    expect(w.aliasMoves[1].at).toBeGreaterThanOrEqual(t0 + 5 * MINUTE + METRICS_DELAY_MS);
    // The canary's start stays that of its first step.
    expect(w.aliasMoves[1].description).toContain(`started=${new Date(t0).toISOString()}`);
    const guards = w.lambda.calls
      .slice(callsBefore)
      .filter((c) => c.command === "UpdateAlias")
      .map((c) => c.input.RevisionId);
    expect(guards).toHaveLength(3);
    expect(new Set(guards).size).toBe(3);
  });

  it("a breach at step 1 sends all traffic back within one poll interval, exits 1 and says which signal and its numbers", async () => {
    // prepare: CloudWatch shows a minute 2m 10s after it began, so a breach shows between two polls.
    w = await liveWithNewCode();
    const delay = METRICS_DELAY_MS + 10_000;
    const metrics = createFakeMetrics({ now: w.clock.now, delayMs: delay });
    metrics.healthy("2", { requests: 108 }).healthy("3", { requests: 12 });
    const t0 = w.clock.now();
    // From the fourth minute, 6 of the new version's 12 requests a minute fail.
    metrics.breach("3", { requests: 12, handlerErrors: 6 }, { from: t0 + 3 * MINUTE });
    const events: StepEvent[] = [];
    // act
    const failure = await release(
      w.canaryDeps({ metrics, onStep: (event) => events.push(event) }),
      w.releaseInput(),
    ).catch((error: unknown) => error);
    // assert
    expect(failure).toBeInstanceOf(CanaryBreachError);
    expect((failure as OperationError).exitCode).toBe(1);
    expect((failure as Error).message).toMatch(
      /^Canary breach: handler error rate of version 3: \d+\.\d% \(\d+ of \d+ requests\), over the 5% ceiling[^;]*; version 2: 0\.0% \(0 of \d+ requests\)\. Version 3 had 10% of the blue alias's traffic \(step 1 of 1, .* into the canary\); all of it goes back to version 2\./,
    );
    const back = w.aliasMoves.at(-1)!;
    expect(back).toMatchObject({ version: "2", weights: {} });
    expect(back.description).toMatch(/^change=rollback; replaced=3; /);
    // The breach shows once its first minute is visible (CloudWatch's delay); it is acted on within one poll.
    const visible = t0 + 3 * MINUTE + delay;
    expect(back.at).toBeGreaterThanOrEqual(visible);
    expect(back.at).toBeLessThanOrEqual(visible + POLL);
    expect(w.world().aliases.blue).toMatchObject({ version: "2", change: "rollback", replaced: "3" });
    expect(events.filter((e) => e.restoring === true && e.phase === "done").map((e) => e.detail)).toEqual([
      "version 2 serves all traffic of the blue alias again",
    ]);
    expect(events.find((e) => e.phase === "failed" && e.restoring !== true)?.step.kind).toBe("canary-bake");
  });

  it.each([
    ["Alexa's reported errors", { sessionEndedErrors: 3 }, /Alexa-reported error rate of version 3/],
    ["Lambda's errors", { errors: 4 }, /Lambda error rate of version 3: .* invocations\)/],
    [
      "p99 latency",
      { handlerLatencyMs: 4500 },
      /p99 handler latency of version 3: 4500 ms, over the 3000 ms ceiling; version 2: 40 ms/,
    ],
  ])("a breach of %s stops the canary too", async (_name, signals, message) => {
    w = await liveWithNewCode();
    steadyTraffic(w);
    w.metrics.breach("3", { requests: 12, ...signals }, { from: w.clock.now() });
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toThrow(message);
    expect(w.world().aliases.blue).toMatchObject({ version: "2", change: "rollback" });
  });

  it("an error rate within 2 points of the old version's passes", async () => {
    // The old version fails 3% of its requests, the new one 4%: under the 5% ceiling and within the margin.
    w = await liveWithNewCode();
    w.metrics
      .healthy("2", { requests: 100, handlerErrors: 3 })
      .healthy("3", { requests: 25, handlerErrors: 1 });
    await release(w.canaryDeps(), w.releaseInput());
    expect(w.world().aliases.blue).toMatchObject({ version: "3", change: "code" });
  });

  it("an error rate more than 2 points over the old version's breaches, under the ceiling", async () => {
    // The old version fails 0.5%, the new one 3%.
    w = await liveWithNewCode();
    w.metrics
      .healthy("2", { requests: 200, handlerErrors: 1 })
      .healthy("3", { requests: 100, handlerErrors: 3 });
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toThrow(
      /handler error rate of version 3: 3\.0% \(3 of 100 requests\), more than 2 points over version 2's 0\.5%; version 2: 0\.5% \(1 of 200 requests\)/,
    );
    expect(w.world().aliases.blue).toMatchObject({ version: "2", change: "rollback" });
  });

  it("too little traffic: gross errors still breach at once, while health waits for the minimum until --timeout", async () => {
    // A quiet skill: 2 requests a minute reach the new version, all fine.
    w = await liveWithNewCode();
    w.metrics.healthy("2", { requests: 18 }).healthy("3", { requests: 2 });
    const t0 = w.clock.now();
    const waiting = release(
      w.canaryDeps({ wait: { ...w.canaryDeps().wait, timeoutMs: 30 * MINUTE } }),
      w.releaseInput(),
    );
    await expect(waiting).rejects.toBeInstanceOf(StillWaitingError);
    await expect(waiting).rejects.toThrow(
      /still baking after 30m 00s: too little traffic to judge \(version 3 served \d+ of the 100 requests needed\)\. It stays as it is: run `skillship release` again/,
    );
    // Left as it is: the next run resumes it.
    expect(w.aliasMoves).toHaveLength(1);
    expect(w.lambda.aliases.blue.weights).toEqual({ "3": 0.1 });
    expect(w.clock.now() - t0).toBeLessThanOrEqual(30 * MINUTE);

    // With the same little traffic, a few errors are more than the old version's rate plus 2 points of even
    // 100 requests: a breach at once, short of the minimum.
    w.metrics.breach("3", { requests: 2, handlerErrors: 2 }, { from: w.clock.now() });
    const breach = release(w.canaryDeps(), w.releaseInput());
    await expect(breach).rejects.toThrow(
      /more than 2 points over version 2's 0\.0% \(already more than that of 100 requests, the least it is judged on\)/,
    );
    expect(w.world().aliases.blue).toMatchObject({ version: "2", change: "rollback", replaced: "3" });
  });

  it("a concurrent alias change mid-bake is refused and reported, and not overwritten", async () => {
    // prepare
    w = await liveWithNewCode();
    steadyTraffic(w);
    const { deps, stopped, resume } = stoppingAt(w, w.clock.now() + 4 * MINUTE);
    const running = release(deps, w.releaseInput()).catch((error: unknown) => error);
    await stopped;
    // act: someone sends half the traffic to version 3 by hand.
    w.lambda.touchAlias("blue", "2", "changed by hand", { "3": 0.5 });
    resume();
    const failure = await running;
    // assert
    expect(failure).toBeInstanceOf(ConcurrentChangeError);
    expect((failure as Error).message).toMatch(
      /^Alias jokebox-prod:blue changed during the canary of version 3 \(revision \S+ expected\): it now points at version 2, 50% to version 3 \(revision \S+, "changed by hand"\)\. The canary stopped and changed nothing back/,
    );
    expect(w.lambda.aliases.blue).toMatchObject({
      functionVersion: "2",
      description: "changed by hand",
      weights: { "3": 0.5 },
    });
    expect(w.aliasMoves).toHaveLength(1);
  });

  it("killed mid-bake, a re-run resumes from the alias's weight and the step's start, without a second version", async () => {
    // prepare: the first run is killed four minutes into its bake.
    w = await liveWithNewCode();
    steadyTraffic(w);
    const t0 = w.clock.now();
    const first = stoppingAt(w, t0 + 4 * MINUTE);
    void release(first.deps, w.releaseInput());
    await first.stopped;
    expect(w.lambda.aliases.blue.weights).toEqual({ "3": 0.1 });
    // act
    const again = await release(w.canaryDeps(), w.releaseInput());
    // assert
    expect(again.plan.path).toBe("canary-resume");
    expect(again.plan.summary).toMatch(/keep baking \(6m 00s left\)/);
    expect(again.plan.steps.map((step) => step.kind)).toEqual(["canary-bake", "canary-promote"]);
    expect(w.world().versions.map((v) => v.version)).toEqual(["1", "2", "3"]);
    const promoted = w.aliasMoves.at(-1)!;
    // The bake ends ten minutes after the step began, not ten minutes after the re-run.
    expect(promoted.at).toBeGreaterThanOrEqual(t0 + BAKE + METRICS_DELAY_MS);
    expect(promoted.at).toBeLessThanOrEqual(t0 + BAKE + METRICS_DELAY_MS + POLL);
    expect(w.world().aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
  });

  it("a re-run of other code during a canary is refused, changing nothing", async () => {
    w = await liveWithNewCode();
    steadyTraffic(w);
    const first = stoppingAt(w, w.clock.now() + MINUTE);
    void release(first.deps, w.releaseInput());
    await first.stopped;
    w.newCode();
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toThrow(
      /A canary of version 3 \(v1\.1\.0\) is in progress on the live blue alias \(10% of its traffic since .*\), and this release's code is not version 3's/,
    );
    expect(w.world().versions).toHaveLength(3);
    expect(w.lambda.aliases.blue.weights).toEqual({ "3": 0.1 });
  });

  it("rollback during a canary ends it in one call; the run still baking reports it was rolled back", async () => {
    // prepare
    w = await liveWithNewCode();
    steadyTraffic(w);
    const { deps, stopped, resume } = stoppingAt(w, w.clock.now() + 3 * MINUTE);
    const running = release(deps, w.releaseInput()).catch((error: unknown) => error);
    await stopped;
    // act
    const lambdaBefore = w.lambda.count("UpdateAlias");
    const back = await rollback(w.deps(), { force: false, dryRun: false });
    resume();
    // assert
    expect(back.plan).toMatchObject({ path: "canary", steps: [{ kind: "canary-end", from: "2" }] });
    expect(back.plan.summary).toMatch(
      /A canary of version 3 is in progress .* end it, all traffic back on version 2/,
    );
    expect(w.lambda.count("UpdateAlias") - lambdaBefore).toBe(1);
    expect(w.world().aliases.blue).toMatchObject({ version: "2", change: "rollback", replaced: "3" });
    expect(w.lambda.aliases.blue.weights).toEqual({});
    const failure = await running;
    expect(failure).toBeInstanceOf(ConcurrentChangeError);
    expect((failure as Error).message).toMatch(
      /it was rolled back at \S+ and sends all traffic to version 2/,
    );
    // Nothing further: the baking run did not touch the alias again.
    expect(w.lambda.aliases.blue.weights).toEqual({});
    expect((await rollback(w.deps(), { force: false, dryRun: false })).plan.path).toBe("noop");
  });

  it("--all-at-once skips the canary, and finishes one in progress at once", async () => {
    w = await liveWithNewCode();
    steadyTraffic(w);
    const first = stoppingAt(w, w.clock.now() + 2 * MINUTE);
    void release(first.deps, w.releaseInput());
    await first.stopped;
    const finished = await release(w.canaryDeps(), w.releaseInput({ allAtOnce: true }));
    expect(finished.plan).toMatchObject({ path: "canary-finish", steps: [{ kind: "canary-promote" }] });
    expect(w.world().aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
    expect(w.lambda.aliases.blue.weights).toEqual({});

    w.newCode();
    const atOnce = await release(w.canaryDeps(), w.releaseInput({ allAtOnce: true }));
    expect(atOnce.plan).toMatchObject({ path: "code-only" });
    expect(atOnce.plan.steps.map((step) => step.kind)).toEqual(["publish-version", "move-alias"]);
    expect(w.world().aliases.blue).toMatchObject({ version: "4", change: "code", replaced: "3" });
  });

  it("--dry-run lists the canary's steps and what puts traffic back, and changes nothing", async () => {
    w = await liveWithNewCode();
    const result = await release(w.canaryDeps(), w.releaseInput({ dryRun: true }));
    expect(result.applied).toBe(false);
    const lines = result.plan.steps.map((step) => describeStep(step, "jokebox-prod"));
    expect(lines).toEqual([
      expect.stringMatching(/^Publish jokebox-prod:\$LATEST as a new version/),
      expect.stringMatching(
        /^Canary step 1 of 1: send 10% of the live alias jokebox-prod:blue's traffic to the version published above, version 2 keeping 90% \(guarded by revision \S+\)$/,
      ),
      expect.stringMatching(
        /^Bake 10m at 10%: every 30s compare the version published above with version 2 \(each error rate at most 5% and at most 2 points over version 2's; p99 latency at most 3000 ms; healthy from 100 requests\); on a breach all traffic goes back to version 2 at once$/,
      ),
      expect.stringMatching(
        /^Move all traffic of the live alias jokebox-prod:blue to the version published above, recording version 2 for rollback \(guarded by the revision the step before left\)$/,
      ),
    ]);
    expect(result.plan.restore).toMatchObject({ fromStep: 1, steps: [{ kind: "canary-end" }] });
    expect(w.aliasMoves).toEqual([]);
    expect(w.world().versions).toHaveLength(2);
  });

  it("a release whose canary could not be watched (no metrics port) changes nothing", async () => {
    w = await liveWithNewCode();
    await expect(release(w.canaryDeps({ metrics: undefined }), w.releaseInput())).rejects.toThrow(
      /Internal error: a canary needs the metrics port to watch its bake; nothing was changed/,
    );
    expect(w.world().versions).toHaveLength(2);
    expect(w.aliasMoves).toEqual([]);
  });

  it("a canary that cannot read its signals ends, naming the permissions it needs", async () => {
    w = await liveWithNewCode();
    steadyTraffic(w);
    w.metrics.fail({ error: "denied" });
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toThrow(
      /AccessDenied.*cloudwatch:GetMetricData and cloudwatch:ListMetrics/,
    );
    expect(w.world().aliases.blue).toMatchObject({ version: "2", change: "rollback", replaced: "3" });
  });

  it("status shows a canary in progress: the weights, the time left and the signals so far", async () => {
    // prepare
    w = await liveWithNewCode();
    steadyTraffic(w);
    const t0 = w.clock.now();
    const first = stoppingAt(w, t0 + 4 * MINUTE);
    void release(first.deps, w.releaseInput());
    await first.stopped;
    // act
    const report = await readStatus(
      { skills: w.commandPorts().skills, functions: w.deps().functions, metrics: w.metrics },
      { skillId: w.outputs.skillId, outputs: w.outputs },
      { now: () => new Date(w.clock.now()) },
    );
    // assert
    expect(report.canary).toMatchObject({
      colour: "blue",
      from: "2",
      to: "3",
      percent: 10,
      step: 1,
      of: 1,
      startedAt: new Date(t0).toISOString(),
      bakeEndsAt: new Date(t0 + BAKE).toISOString(),
      timeLeftMs: BAKE - 4 * MINUTE + METRICS_DELAY_MS,
      verdict: { outcome: "too-little-traffic", traffic: { served: 36, needed: 100 } },
    });
    // What CloudWatch shows four minutes in: the first three minutes, 12 requests each.
    expect(report.canary?.signals?.to.requests).toBe(36);
    expect(report.unavailable).toEqual([]);
  });

  it("weights on the live alias that no canary set are refused, naming both ways out", async () => {
    w = await liveWithNewCode();
    await release(w.deps(), w.releaseInput({ allAtOnce: true }));
    w.lambda.touchAlias("blue", "2", "split by hand", { "3": 0.2 });
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toThrow(
      /sends 20% of its traffic to version 3, but its description records no canary .*`skillship rollback --to 2 --force`.*`skillship rollback --to 3 --force`/,
    );
    // rollback --to the primary clears the split (forced: the description no longer says which model it serves).
    await rollback(w.deps(), { to: "2", force: true, dryRun: false });
    expect(w.lambda.aliases.blue.weights).toEqual({});
  });

  it("a skill package change during a canary is refused until the canary ends", async () => {
    w = await liveWithNewCode();
    w.metrics.healthy("2").healthy("3");
    const first = stoppingAt(w, w.clock.now() + MINUTE);
    void release(first.deps, w.releaseInput());
    await first.stopped;
    w.changeModel();
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toThrow(
      /A canary is in progress on the live blue alias .* this release changes the skill package/,
    );
    expect(w.world().submissions).toBe(1);
  });
});

// Over 350 lines on purpose: each release scenario of the design, end to end against both fakes.
/**
 * Release scenarios against the fake Skill Management API (real adapter) and the Lambda model (real adapter
 * through aws-sdk-client-mock). Each asserts the end state of both services.
 */
import { ConcurrentChangeError } from "../../../../scripts/lib/ports";
import { OperationError } from "../../../../scripts/lib/core/errors";
import type { SkillsPort } from "../../../../scripts/lib/ports";
import { ModelBuildError } from "../../../../scripts/lib/package/deploy";
import { publish, release, rollback, watch, withdraw } from "../../../../scripts/lib/release/operations";
import {
  modelHashOf,
  releaseAndPublish,
  prodOutputs,
  startReleaseWorld,
  type ReleaseWorld,
} from "../../../../testkit/release-world";

const { blue, green } = prodOutputs.aliasEndpoints!;
const dev = prodOutputs.developmentEndpoint;

describe("release scenarios (fake Skill Management API + Lambda model)", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("first release: idle blue gets a new version, the development stage points at it, built, submitted", async () => {
    w = await startReleaseWorld();
    const message = "Jokebox 1.0: clips in five languages";
    const result = await release(w.deps(), w.releaseInput({ message }));
    expect(result.plan.path).toBe("candidate");
    const state = w.world();
    expect(state.versions.map((v) => v.version)).toEqual(["1", "2"]);
    expect(state.versions[1]).toMatchObject({
      codeSha256: w.bundle,
      tag: "v1.0.0",
      model: modelHashOf(w.pkg),
    });
    expect(state.aliases.blue).toMatchObject({ version: "2", change: "candidate", replaced: "1" });
    expect(state.aliases.green).toMatchObject({ version: "1" });
    expect(state.developmentEndpoint).toBe(blue);
    expect(state.developmentHasPackage).toBe(true);
    expect(state.certifications).toEqual([
      { status: "IN_PROGRESS", publicationMethod: "MANUAL_PUBLISHING", versionMessage: message },
    ]);
    expect(state.liveEndpoint).toBeUndefined();
    // The message reaches both services: the submission's new skill version and the Lambda version's record.
    expect(w.fake.callsTo("submitForCertification")[0].body).toEqual({
      publicationMethod: "MANUAL_PUBLISHING",
      versionMessage: message,
    });
    expect(state.skillVersions).toEqual([{ version: "1", message, status: "IN_REVIEW" }]);
    expect(await w.deps().skills.listSkillVersions(w.outputs.skillId)).toEqual([
      expect.objectContaining({ version: "1", message, status: "IN_REVIEW" }),
    ]);
    expect(w.lambda.versions[1].description).toContain(`; msg=${message}`);
  });

  it("certification passing, then publish: live on blue, development stage back on dev; re-runs change nothing", async () => {
    w = await startReleaseWorld();
    await release(w.deps(), w.releaseInput());
    const watched = await watch(w.deps());
    expect(watched).toMatchObject({ outcome: "certified", readyToPublish: true, colour: "blue" });
    const published = await publish(w.deps(), { dryRun: false });
    expect(published.plan.path).toBe("publish");
    let state = w.world();
    expect(state.liveEndpoint).toBe(blue);
    expect(state.developmentEndpoint).toBe(dev);
    expect(state.liveVersion).toBe("1");

    const again = await release(w.deps(), w.releaseInput());
    expect(again.plan.path).toBe("noop");
    expect((await publish(w.deps(), { dryRun: false })).plan.path).toBe("noop");
    state = w.world();
    expect(state.versions).toHaveLength(2);
    expect(state.submissions).toBe(1);
  });

  it("auto-publishing: watch sees the skill go live and puts the development stage back", async () => {
    w = await startReleaseWorld();
    await release(w.deps(), w.releaseInput({ publicationMethod: "AUTO_PUBLISHING" }));
    const watched = await watch(w.deps());
    expect(watched).toMatchObject({ outcome: "live", readyToPublish: false, restoredDevelopment: true });
    expect(w.world()).toMatchObject({ liveEndpoint: blue, developmentEndpoint: dev });
  });

  it("code-only release --all-at-once moves the live alias at once (no certification); rollback moves it back in one call", async () => {
    w = await startReleaseWorld();
    await releaseAndPublish(w);
    w.newCode();
    const result = await release(w.deps(), w.releaseInput({ allAtOnce: true }));
    expect(result.plan.path).toBe("code-only");
    let state = w.world();
    expect(state.aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
    expect(state.aliases.green.version).toBe("1");
    expect(state.submissions).toBe(1);
    expect(state.liveEndpoint).toBe(blue);

    const lambdaBefore = w.lambda.calls.length;
    const smapiBefore = w.fake.calls.length;
    const back = await rollback(w.deps(), { force: false, dryRun: false });
    expect(back.plan.path).toBe("code");
    // One round of reads in parallel, then one alias move.
    expect(w.lambda.calls.slice(lambdaBefore).map((c) => c.command)).toEqual(
      expect.arrayContaining(["GetAlias", "GetAlias", "UpdateAlias"]),
    );
    expect(w.lambda.calls.slice(lambdaBefore).filter((c) => c.command === "UpdateAlias")).toHaveLength(1);
    expect(
      w.fake.calls
        .slice(smapiBefore)
        .filter((c) => c.service === "smapi")
        .map((c) => c.route)
        .sort(),
    ).toEqual([
      "GET /v1/skills/{skillId}/stages/{stageV2}/manifest",
      "GET /v1/skills/{skillId}/stages/{stageV2}/manifest",
      "GET /v1/skills/{skillId}/versions",
    ]);
    state = w.world();
    expect(state.aliases.blue).toMatchObject({ version: "2", change: "rollback", replaced: "3" });
    expect((await rollback(w.deps(), { force: false, dryRun: false })).plan.path).toBe("noop");
    expect(w.world().aliases.blue.version).toBe("2");
  });

  it("model change: the same code goes to the idle green colour and to certification; rollback returns the skill to blue", async () => {
    w = await startReleaseWorld();
    await releaseAndPublish(w);
    w.changeModel();
    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.path).toBe("candidate");
    let state = w.world();
    // Lambda publishes nothing new for unchanged code: green serves version 2 for the new model.
    expect(state.versions).toHaveLength(2);
    expect(state.aliases.green).toMatchObject({
      version: "2",
      change: "candidate",
      model: modelHashOf(w.pkg),
    });
    expect(state.developmentEndpoint).toBe(green);
    expect(state.submissions).toBe(2);
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    expect(w.world()).toMatchObject({ liveEndpoint: green, developmentEndpoint: dev, liveVersion: "2" });

    const back = await rollback(w.deps(), { force: false, dryRun: false });
    expect(back.plan.path).toBe("skill");
    state = w.world();
    expect(state.liveVersion).toBe("1");
    expect(state.liveEndpoint).toBe(blue);
    expect(state.aliases.blue).toMatchObject({ version: "2", change: "restore" });
    expect((await rollback(w.deps(), { force: false, dryRun: false })).plan.path).toBe("noop");

    // Releasing the rolled-back package again goes through certification again, on the same green colour.
    const again = await release(w.deps(), w.releaseInput());
    expect(again.plan.path).toBe("candidate");
    state = w.world();
    expect(state.developmentEndpoint).toBe(green);
    expect(state.certifications.map((c) => c.status)).toEqual(["SUCCEEDED", "SUCCEEDED", "IN_PROGRESS"]);
    expect(state.versions).toHaveLength(2);
  });

  it("a locale's build failing stops before submission with its errors; the re-run after the fix submits once", async () => {
    w = await startReleaseWorld({
      failingLocales: { "en-US": [{ message: "Sample utterance is invalid" }] },
    });
    w.changeModel();
    const failed = release(w.deps(), w.releaseInput());
    await expect(failed).rejects.toBeInstanceOf(ModelBuildError);
    await expect(failed).rejects.toThrow(
      /en-US \(interactionModels\/custom\/en-US\.json\):\n\s+- Sample utterance is invalid/,
    );
    expect(w.world().submissions).toBe(0);
    w.fake.knobs.failingLocales = {};
    await release(w.deps(), w.releaseInput());
    const state = w.world();
    expect(state.submissions).toBe(1);
    expect(state.versions).toHaveLength(2);
    expect(state.aliases.blue.version).toBe("2");
  });

  it("certification failing: the review, the development stage back; the next attempt reuses the idle colour", async () => {
    w = await startReleaseWorld({ certificationOutcomes: ["FAILED"] });
    await release(w.deps(), w.releaseInput());
    const watched = await watch(w.deps());
    expect(watched).toMatchObject({ outcome: "failed", readyToPublish: false, restoredDevelopment: true });
    expect(watched.certification?.review?.findings[0]?.title).toMatch(/launch request/);
    let state = w.world();
    expect(state.certifications[0].status).toBe("FAILED");
    expect(state.developmentEndpoint).toBe(dev);
    expect(state.liveEndpoint).toBeUndefined();

    w.newCode();
    w.changeModel();
    await release(w.deps(), w.releaseInput());
    state = w.world();
    expect(state.aliases.blue).toMatchObject({ version: "3", change: "candidate", replaced: "1" });
    expect(state.aliases.green.version).toBe("1");
    expect(state.developmentEndpoint).toBe(blue);
    expect(state.submissions).toBe(2);
  });

  it("refuses to roll back to code built for another interaction model unless forced", async () => {
    w = await startReleaseWorld();
    await releaseAndPublish(w);
    w.newCode();
    w.changeModel();
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    expect(w.world().liveEndpoint).toBe(green);

    const refused = rollback(w.deps(), { to: "2", force: false, dryRun: false });
    await expect(refused).rejects.toBeInstanceOf(OperationError);
    await expect(refused).rejects.toThrow(/built for interaction model .* but the live stage has model/);
    expect(w.world().aliases.green.version).toBe("3");
    await rollback(w.deps(), { to: "2", force: true, dryRun: false });
    expect(w.world().aliases.green).toMatchObject({ version: "2", change: "rollback" });
  });

  it.each(["withdrawn", "failed"] as const)(
    "skill rollback skips a skill version that never went live (%s), even inside the previous colour's window",
    async (ending) => {
      w = await startReleaseWorld();
      await releaseAndPublish(w);
      // While blue is live, someone submits the development stage by hand (console or ASK CLI), and it never
      // goes live: its skill version falls in blue's window, newer than blue's live version 1.
      const skills = w.deps().skills;
      if (ending === "failed") w.fake.knobs.certificationOutcomes = ["FAILED"];
      await skills.submitForCertification(w.outputs.skillId, "MANUAL_PUBLISHING", "tried by hand");
      if (ending === "withdrawn") {
        await skills.withdrawFromCertification(w.outputs.skillId, "DISCOVERED_ISSUE");
      } else {
        // The fake decides a certification after a few polls of the list.
        for (let polls = 0; polls < 5; polls++) {
          if ((await skills.listCertifications(w.outputs.skillId))[0].status !== "IN_PROGRESS") break;
        }
      }
      w.changeModel();
      await release(w.deps(), w.releaseInput({ message: "new samples" }));
      await watch(w.deps());
      await publish(w.deps(), { dryRun: false });
      expect(w.world()).toMatchObject({ liveEndpoint: green, liveVersion: "3" });
      expect(w.world().skillVersions).toEqual([
        { version: "1", message: "a release", status: "CERTIFIED" },
        {
          version: "2",
          message: "tried by hand",
          status: ending === "failed" ? "FAILED_CERTIFICATION" : "WITHDRAWN_FROM_CERTIFICATION",
        },
        { version: "3", message: "new samples", status: "LIVE" },
      ]);

      const back = await rollback(w.deps(), { force: false, dryRun: false });
      expect(back.plan.steps.at(-1)).toMatchObject({ kind: "rollback-skill", targetVersion: "1" });
      const state = w.world();
      expect(state.liveVersion).toBe("1");
      expect(state.liveEndpoint).toBe(blue);
      expect(state.skillVersions.map((v) => v.status)).toEqual([
        "LIVE",
        ending === "failed" ? "FAILED_CERTIFICATION" : "WITHDRAWN_FROM_CERTIFICATION",
        "CERTIFIED",
      ]);
    },
  );

  it("refuses a skill rollback when the previous colour now holds an unreleased candidate", async () => {
    w = await startReleaseWorld();
    await releaseAndPublish(w);
    w.changeModel();
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    w.newCode();
    w.changeModel();
    await release(w.deps(), w.releaseInput()); // blue becomes the next candidate
    await expect(rollback(w.deps(), { force: false, dryRun: false })).rejects.toThrow(
      /blue alias, which served the previous live version, now serves version 3/,
    );
    expect(w.world().liveVersion).toBe("2");
  });

  it("publish --at a date: scheduled, then live once the date has passed, then the development stage back", async () => {
    // One clock for the fake and the wait, moved on only by the pauses between reads: the publication is
    // scheduled when asked and goes live after a known number of reads, however long each read takes.
    let clock = Date.parse("2030-05-01T08:00:00.000Z");
    w = await startReleaseWorld({ now: () => clock });
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    const at = new Date(clock + 60 * 60_000).toISOString();
    const shown: string[] = [];
    const wait = {
      pollIntervalMs: 5 * 60_000,
      timeoutMs: 2 * 60 * 60_000,
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
      progress: () => ({ update: (text: string) => shown.push(text), succeed() {}, fail() {} }),
    };
    const result = await publish(w.deps({ wait }), { publishesAt: at, dryRun: false });
    expect(result.plan.steps[0]).toMatchObject({ kind: "publish-skill", publishesAt: at });
    expect(shown).toContain(`scheduled for ${at}`);
    expect(w.world()).toMatchObject({ liveEndpoint: blue, developmentEndpoint: dev, liveVersion: "1" });
  });

  it("withdraw during a pending certification, then the development stage back; a re-run does nothing", async () => {
    w = await startReleaseWorld({ certificationPolls: 50 });
    await release(w.deps(), w.releaseInput());
    const result = await withdraw(w.deps(), { reason: "DISCOVERED_ISSUE", dryRun: false });
    expect(result.plan.path).toBe("withdraw");
    const state = w.world();
    expect(state.certifications[0].status).toBe("CANCELLED");
    expect(state.developmentEndpoint).toBe(dev);
    expect((await withdraw(w.deps(), { reason: "DISCOVERED_ISSUE", dryRun: false })).plan.path).toBe("noop");
  });

  it("a concurrent alias change is refused with what changed, and nothing further is done", async () => {
    w = await startReleaseWorld();
    const deps = w.deps({
      onPlan: () => {
        w.lambda.touchAlias("blue", "1", "moved by a colleague");
      },
    });
    const attempt = release(deps, w.releaseInput());
    await expect(attempt).rejects.toBeInstanceOf(ConcurrentChangeError);
    await expect(attempt).rejects.toThrow(/blue changed since it was read .*"moved by a colleague"/);
    const state = w.world();
    expect(state.aliases.blue.version).toBe("1");
    expect(state.developmentEndpoint).toBe(dev);
    expect(state.submissions).toBe(0);
  });

  it("a concurrent manifest change is refused by its ETag, never overwritten", async () => {
    w = await startReleaseWorld({ certificationPolls: 50 });
    await release(w.deps(), w.releaseInput());
    const base = w.deps();
    const skills: SkillsPort = Object.assign(Object.create(base.skills) as SkillsPort, {
      updateManifest(...args: Parameters<SkillsPort["updateManifest"]>) {
        // Someone edits the development manifest between our read and our write.
        const manifest = w.fake.skill().stages.development.manifest!;
        manifest.value = { ...manifest.value, edited: "by hand" };
        manifest.etag = "someone-elses-etag";
        return base.skills.updateManifest(...args);
      },
    });
    const attempt = withdraw({ ...base, skills }, { reason: "DISCOVERED_ISSUE", dryRun: false });
    await expect(attempt).rejects.toThrow(/manifest.*(changed|ETag)/i);
    const manifest = w.fake.skill().stages.development.manifest!;
    expect(manifest.etag).toBe("someone-elses-etag");
    expect(manifest.value).toMatchObject({ edited: "by hand" });
    expect(w.world().developmentEndpoint).toBe(blue);
  });

  it("a storm of 429s on both services: the release completes with the same end state", async () => {
    w = await startReleaseWorld();
    w.fake.throttle(6);
    w.lambda.fail({ command: "ListVersionsByFunction", times: 3 });
    w.lambda.fail({ command: "UpdateAlias", times: 2 });
    w.lambda.fail({ command: "PublishVersion", times: 2 });
    await release(w.deps(), w.releaseInput());
    const state = w.world();
    expect(state.versions).toHaveLength(2);
    expect(state.aliases.blue.version).toBe("2");
    expect(state.developmentEndpoint).toBe(blue);
    expect(state.submissions).toBe(1);
    expect(w.fake.calls.filter((c) => c.status === 429)).toHaveLength(6);
    expect(w.lambda.count("UpdateAlias")).toBe(3);
  });

  it.each(["before", "after"] as const)(
    "a 503 on submission (%s it took effect) is followed by a read, then at most one more submission",
    async (when) => {
      w = await startReleaseWorld({ certificationPolls: 50 });
      w.fake.failAt({ call: "submitForCertification", status: 503, when });
      await release(w.deps(), w.releaseInput());
      const state = w.world();
      expect(state.submissions).toBe(1);
      expect(w.fake.callsTo("submitForCertification")).toHaveLength(when === "before" ? 2 : 1);
      expect(state.certifications).toEqual([
        { status: "IN_PROGRESS", publicationMethod: "MANUAL_PUBLISHING", versionMessage: "a release" },
      ]);
    },
  );

  it("--dry-run plans and changes nothing", async () => {
    w = await startReleaseWorld();
    const result = await release(w.deps(), w.releaseInput({ dryRun: true }));
    expect(result.applied).toBe(false);
    expect(result.plan.steps.map((s) => s.kind)).toEqual([
      "publish-version",
      "move-alias",
      "set-development-endpoint",
      "validate",
      "submit",
    ]);
    const state = w.world();
    expect(state.versions).toHaveLength(1);
    expect(state.aliases.blue.version).toBe("1");
    expect(state.developmentEndpoint).toBe(dev);
    expect(state.submissions).toBe(0);
  });

  it("refuses to publish a version when $LATEST does not hold the local bundle", async () => {
    w = await startReleaseWorld();
    const attempt = release(w.deps(), w.releaseInput({ bundleSha256: "some-other-build=" }));
    await expect(attempt).rejects.toThrow(/deploy the stack first/);
    expect(w.world().versions).toHaveLength(1);
  });
});

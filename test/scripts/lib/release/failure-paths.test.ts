/**
 * The release engine's contract on its failure paths, against the fake Skill Management API and Login with
 * Amazon and the Lambda model: beta testers are never left on release code by a failure, retries wait as long
 * as the services ask, and a command signs in once.
 */
import type { StepEvent } from "../../../../scripts/lib/release/apply";
import { StillWaitingError } from "../../../../scripts/lib/core/errors";
import { ModelBuildError } from "../../../../scripts/lib/package/deploy";
import { publish, release, rollback, watch } from "../../../../scripts/lib/release/operations";
import { SmapiError } from "../../../../scripts/lib/adapters/smapi";
import {
  prodOutputs,
  retryWaits,
  startReleaseWorld,
  type ReleaseWorld,
} from "../../../../testkit/release-world";

const { blue, green } = prodOutputs.aliasEndpoints!;
const dev = prodOutputs.developmentEndpoint;

/** The endpoints the development stage was given, in order, as the fake received them. */
function developmentEndpointsWritten(w: ReleaseWorld): string[] {
  return w.fake
    .callsTo("updateManifest")
    .map(
      (call) =>
        (call.body as { manifest: { apis: { custom: { endpoint: { uri: string } } } } }).manifest.apis.custom
          .endpoint.uri,
    );
}

/** What the steps reported, one line each: `phase kind` (with `restore` before a restore step's). */
function lines(events: StepEvent[]): string[] {
  return events.map((e) => `${e.restoring === true ? "restore " : ""}${e.phase} ${e.step.kind}`);
}

let w: ReleaseWorld;
afterEach(async () => {
  await w?.close();
});

describe("a failure never leaves beta testers on release code", () => {
  let w: ReleaseWorld;
  let events: StepEvent[];
  afterEach(async () => {
    await w?.close();
  });
  const deps = () => w.deps({ onStep: (event) => events.push(event) });
  beforeEach(() => {
    events = [];
  });

  it("a locale's build failing: the stage never named the candidate, and the re-run after the fix submits", async () => {
    w = await startReleaseWorld({
      failingLocales: { "en-US": [{ message: "Sample utterance is invalid" }] },
    });
    w.changeModel();

    await expect(release(deps(), w.releaseInput())).rejects.toBeInstanceOf(ModelBuildError);

    expect(w.world().developmentEndpoint).toBe(dev);
    expect(developmentEndpointsWritten(w)).not.toContain(blue);
    expect(lines(events)).toEqual([
      "start publish-version",
      "done publish-version",
      "start move-alias",
      "done move-alias",
      "start deploy-model",
      "failed deploy-model",
    ]);
    expect(w.world().submissions).toBe(0);

    w.fake.knobs.failingLocales = {};
    await release(deps(), w.releaseInput());
    expect(w.world()).toMatchObject({ developmentEndpoint: blue, submissions: 1 });
  });

  it("a refused submission: the development stage goes back on the dev stack, and the output says so", async () => {
    w = await startReleaseWorld();
    w.changeModel();
    w.fake.failAt({ call: "submitForCertification", status: 400 });

    await expect(release(deps(), w.releaseInput())).rejects.toBeInstanceOf(SmapiError);

    expect(w.world()).toMatchObject({ developmentEndpoint: dev, submissions: 0 });
    expect(developmentEndpointsWritten(w)).toEqual([blue, dev]);
    expect(lines(events).slice(-4)).toEqual([
      "start submit",
      "failed submit",
      "restore start set-development-endpoint",
      "restore done set-development-endpoint",
    ]);
    const restored = events.find((e) => e.restoring === true && e.phase === "done");
    expect(restored?.text).toMatch(/^Put the development stage back on the dev stack's endpoint/);
    expect(restored?.detail).toBe("back on the dev stack's endpoint");

    // The re-run points the stage at the candidate again and submits once.
    await release(deps(), w.releaseInput());
    expect(w.world()).toMatchObject({ developmentEndpoint: blue, submissions: 1 });
  });

  it("the candidate's endpoint refused by the manifest update: put back, the first error reported", async () => {
    w = await startReleaseWorld();
    const refused = [{ message: "The endpoint's Lambda function has no Alexa trigger" }];
    w.fake.knobs.failingManifest = refused;
    const recovering = w.deps({
      onStep: (event) => {
        events.push(event);
        // The service takes the next update again (the endpoint going back).
        if (event.phase === "failed") w.fake.knobs.failingManifest = undefined;
      },
    });

    const attempt = release(recovering, w.releaseInput());
    await expect(attempt).rejects.toThrow(/refused the endpoint .*:blue:\n\s+manifest:\n\s+- The endpoint's/);

    expect(w.world()).toMatchObject({ developmentEndpoint: dev, submissions: 0 });
    expect(lines(events).slice(-3)).toEqual([
      "failed set-development-endpoint",
      "restore start set-development-endpoint",
      "restore done set-development-endpoint",
    ]);
  });

  it("a restore that fails too is reported, and never hides the failure that called for it", async () => {
    w = await startReleaseWorld();
    w.fake.failAt({ call: "submitForCertification", status: 400 });
    w.fake.failAt({ call: "updateManifest", nth: 2, status: 400 });

    await expect(release(deps(), w.releaseInput())).rejects.toThrow(/refused submitting skill/);

    const failedRestore = events.find((e) => e.restoring === true && e.phase === "failed");
    expect(failedRestore?.detail).toMatch(/^could not put it back \(.*\); run `skillship status`/);
    expect(w.world().developmentEndpoint).toBe(blue);
  });

  it("a timeout while the endpoint moves (exit 3) keeps it for the re-run, which resumes and submits", async () => {
    w = await startReleaseWorld({ buildPolls: 50 });

    const attempt = release(
      w.deps({ onStep: (e) => events.push(e), wait: { pollIntervalMs: 1, timeoutMs: 20 } }),
      w.releaseInput(),
    );
    await expect(attempt).rejects.toBeInstanceOf(StillWaitingError);

    expect(events.some((e) => e.restoring === true)).toBe(false);
    expect(w.world().developmentEndpoint).toBe(blue);
    w.fake.knobs.buildPolls = 1;
    await release(deps(), w.releaseInput());
    expect(w.world()).toMatchObject({ developmentEndpoint: blue, submissions: 1 });
  });
});

describe("retries wait as long as the services ask (Retry-After)", () => {
  it("a throttling storm on all three services: the release completes, no retry sooner than asked", async () => {
    w = await startReleaseWorld();
    retryWaits.length = 0;
    w.fake.throttle(3, { retryAfter: "1" });
    w.fake.throttle(1, { service: "lwa", retryAfter: (now) => new Date(now + 3000).toUTCString() });
    w.lambda.fail({ command: "GetAlias", times: 2, retryAfterSeconds: "2" });

    await release(w.deps(w.commandPorts()), w.releaseInput());

    expect(w.world()).toMatchObject({ developmentEndpoint: blue, submissions: 1 });
    const asked = retryWaits.filter((ms) => ms >= 1000).sort((a, b) => a - b);
    // Three 1 s waits for the Skill Management API, two of 2 s for Lambda, one of about 3 s for the token.
    expect(asked).toHaveLength(6);
    expect(asked.slice(0, 3).every((ms) => ms >= 1000)).toBe(true);
    expect(asked.slice(3, 5).every((ms) => ms >= 2000)).toBe(true);
    expect(asked[5]).toBeGreaterThanOrEqual(2000);
  });
});

describe("one Login with Amazon token per command", () => {
  it("a whole release asks for one token, however many calls start at once; a refused token is renewed once", async () => {
    w = await startReleaseWorld();
    const tokenRequests = () => w.fake.calls.filter((call) => call.service === "lwa").length;

    await release(w.deps(w.commandPorts()), w.releaseInput());
    expect(tokenRequests()).toBe(1);
    expect(w.fake.calls.filter((call) => call.service === "smapi").length).toBeGreaterThan(10);

    // The next command's token expires while it runs: every call refused with it waits for one new token.
    const ports = w.commandPorts();
    await ports.skills.getSkillStatus(w.outputs.skillId);
    w.fake.expireAccessTokens();
    await release(w.deps(ports), w.releaseInput());
    expect(tokenRequests()).toBe(3);
  });
});

describe("the service's clock decides whose submission is whose, not the runner's", () => {
  it.each([
    ["60 s behind", -60_000],
    ["60 s ahead", 60_000],
  ])(
    "with the service %s: a re-run after certification passed submits nothing, and publish goes live",
    async (_name, skew) => {
      w = await startReleaseWorld({ clockSkewMs: skew });
      await release(w.deps(), w.releaseInput());
      expect(await watch(w.deps())).toMatchObject({ outcome: "certified", readyToPublish: true });

      const again = await release(w.deps(), w.releaseInput());

      expect(again.plan.path).toBe("certified");
      expect(w.world().submissions).toBe(1);
      await publish(w.deps(), { dryRun: false });
      expect(w.world()).toMatchObject({ liveEndpoint: blue, developmentEndpoint: dev, liveVersion: "1" });
    },
  );

  it("with the service's clock off, a skill rollback goes back to the version that was live before", async () => {
    // The service's clock starts a minute behind the runner's and gains ten minutes between two commands (the
    // runner's clock is as far off as that from the service's time); each command measures it afresh.
    let gained = 0;
    w = await startReleaseWorld({ now: () => Date.now() - 60_000 + gained });
    const deps = () => {
      gained += 600_000;
      return w.deps(w.commandPorts());
    };
    for (const change of [false, true]) {
      if (change) w.changeModel();
      await release(deps(), w.releaseInput());
      await watch(deps());
      await publish(deps(), { dryRun: false });
    }
    expect(w.world()).toMatchObject({ liveEndpoint: green, liveVersion: "2" });

    const back = await rollback(deps(), { force: false, dryRun: false });

    expect(back.plan.steps.at(-1)).toMatchObject({ kind: "rollback-skill", targetVersion: "1" });
    expect(w.world()).toMatchObject({ liveEndpoint: blue, liveVersion: "1" });
  });
});

describe("a skill rollback whose record another writer erased", () => {
  it("says the alias description was the only record and how to roll back with --to, changing nothing", async () => {
    w = await startReleaseWorld();
    for (const change of [false, true]) {
      if (change) w.changeModel();
      await release(w.deps(), w.releaseInput());
      await watch(w.deps());
      await publish(w.deps(), { dryRun: false });
    }
    expect(w.world()).toMatchObject({ liveEndpoint: green, liveVersion: "2" });
    w.lambda.touchAlias("blue", "2", "edited in the console");

    const attempt = rollback(w.deps(), { force: false, dryRun: false });

    await expect(attempt).rejects.toThrow(
      /blue alias's description holds no release record, and it is the only record .*`skillship rollback --to VERSION` \(published versions: 1, 2\)/,
    );
    expect(w.fake.callsTo("rollbackSkill")).toHaveLength(0);
    expect(w.world()).toMatchObject({ liveEndpoint: green, liveVersion: "2" });
    expect(w.world().aliases.blue).toEqual({ version: "2" });
  });
});

describe("release watch's own plans", () => {
  it("the development stage going back after a failed certification is headed skillship release watch", async () => {
    w = await startReleaseWorld({ certificationOutcomes: ["FAILED"] });
    await release(w.deps(), w.releaseInput());
    const plans: { operation: string; summary: string }[] = [];

    await watch(w.deps({ onPlan: (plan) => plans.push(plan) }));

    expect(plans).toEqual([
      expect.objectContaining({
        operation: "release watch",
        summary: expect.stringMatching(/^Certification .* ended FAILED: the development stage goes back/),
      }),
    ]);
  });
});

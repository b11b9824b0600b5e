/**
 * Interruption at every step of release, publish and rollback, followed by a re-run: the re-run converges to the
 * end state of an uninterrupted run, without a second version, a second submission or publication, or a lost
 * alias. Lambda calls are interrupted with a non-retryable error, Skill Management API calls with a 400, each
 * either before the call takes effect or after (the change is made, the answer lost).
 */
import { publish, release, rollback, watch } from "../../../../scripts/lib/release/operations";
import type { LambdaFailure } from "../../../../testkit/fakes/lambda";
import { prodOutputs, startReleaseWorld, type ReleaseWorld } from "../../../../testkit/release-world";
import type { FailureInjection } from "../../../../testkit/fakes/smapi";

const { blue, green } = prodOutputs.aliasEndpoints!;
const dev = prodOutputs.developmentEndpoint;

type Injection = { lambda: LambdaFailure } | { smapi: FailureInjection };

const lambdaAt = (command: LambdaFailure["command"], when: "before" | "after", nth = 1): Injection => ({
  lambda: { command, when, nth, error: "interrupt" },
});
const smapiAt = (call: string, when: "before" | "after", nth = 1): Injection => ({
  smapi: { call, when, nth, status: 400 },
});

function name(injection: Injection): string {
  return "lambda" in injection
    ? `Lambda ${injection.lambda.command} (${injection.lambda.when}, call ${injection.lambda.nth})`
    : `SMAPI ${injection.smapi.call} (${injection.smapi.when}, call ${injection.smapi.nth})`;
}

/** Arms the injection; returns how often a Skill Management API one fired (undefined for Lambda's). */
function inject(w: ReleaseWorld, injection: Injection): { fired: number } | undefined {
  if ("lambda" in injection) {
    w.lambda.fail(injection.lambda);
    return undefined;
  }
  return w.fake.failAt(injection.smapi);
}

/** Runs `operation` once with the injection (it may fail or recover by itself), then again cleanly. */
async function interruptedThenRerun(
  w: ReleaseWorld,
  injection: Injection,
  operation: () => Promise<unknown>,
): Promise<void> {
  const armed = inject(w, injection);
  await operation().catch(() => undefined);
  // The interruption happened: a call the operation no longer makes would prove nothing.
  if (armed !== undefined) expect(armed.fired).toBe(1);
  w.fake.clearFailures();
  await operation();
}

const releaseSteps: Injection[] = [
  lambdaAt("GetFunctionConfiguration", "before"),
  lambdaAt("PublishVersion", "before"),
  lambdaAt("PublishVersion", "after"),
  lambdaAt("UpdateAlias", "before"),
  lambdaAt("UpdateAlias", "after"),
  smapiAt("createUploadUrl", "before"),
  smapiAt("importPackage", "before"),
  smapiAt("importPackage", "after"),
  smapiAt("getImportStatus", "before"),
  smapiAt("updateManifest", "before"),
  smapiAt("updateManifest", "after"),
  smapiAt("getSkillStatus", "before", 2),
  smapiAt("submitValidation", "before"),
  smapiAt("submitValidation", "after"),
  smapiAt("getValidation", "before"),
  smapiAt("submitForCertification", "before"),
  smapiAt("submitForCertification", "after"),
];

describe("interrupted release, then a re-run", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it.each(releaseSteps.map((i) => [name(i), i] as const))("converges after %s", async (_name, injection) => {
    w = await startReleaseWorld({ certificationPolls: 50 });
    w.changeModel();
    await interruptedThenRerun(w, injection, () => release(w.deps(), w.releaseInput()));
    const state = w.world();
    expect(state.versions.map((v) => v.version)).toEqual(["1", "2"]);
    expect(state.aliases.blue).toMatchObject({ version: "2", change: "candidate", replaced: "1" });
    expect(state.aliases.green.version).toBe("1");
    expect(state.developmentEndpoint).toBe(blue);
    expect(state.developmentHasPackage).toBe(true);
    expect(state.submissions).toBe(1);
    expect(state.certifications).toEqual([
      { status: "IN_PROGRESS", publicationMethod: "MANUAL_PUBLISHING", versionMessage: "a release" },
    ]);
  });
});

const codeOnlySteps: Injection[] = [
  lambdaAt("ListVersionsByFunction", "before"),
  lambdaAt("PublishVersion", "after"),
  lambdaAt("UpdateAlias", "before"),
  lambdaAt("UpdateAlias", "after"),
];

describe("interrupted code-only release and its rollback, then a re-run", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it.each(codeOnlySteps.map((i) => [name(i), i] as const))("converges after %s", async (_name, injection) => {
    w = await startReleaseWorld();
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    w.newCode();
    await interruptedThenRerun(w, injection, () => release(w.deps(), w.releaseInput({ allAtOnce: true })));
    let state = w.world();
    expect(state.versions.map((v) => v.version)).toEqual(["1", "2", "3"]);
    expect(state.aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
    expect(state.submissions).toBe(1);

    await interruptedThenRerun(w, injection, () => rollback(w.deps(), { force: false, dryRun: false }));
    state = w.world();
    expect(state.aliases.blue).toMatchObject({ version: "2", change: "rollback", replaced: "3" });
    expect(state.liveEndpoint).toBe(blue);
  });
});

const publishSteps: Injection[] = [
  smapiAt("listCertifications", "before"),
  smapiAt("publish", "before"),
  smapiAt("publish", "after"),
  smapiAt("getPublication", "before", 2),
  smapiAt("updateManifest", "before"),
  smapiAt("updateManifest", "after"),
];

describe("interrupted publish, then a re-run", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it.each(publishSteps.map((i) => [name(i), i] as const))("converges after %s", async (_name, injection) => {
    w = await startReleaseWorld();
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    await interruptedThenRerun(w, injection, () => publish(w.deps(), { dryRun: false }));
    const state = w.world();
    expect(state.liveEndpoint).toBe(blue);
    expect(state.liveVersion).toBe("1");
    expect(state.developmentEndpoint).toBe(dev);
    // One publish call took effect: a second one would have been refused or seen by the fake.
    const failedBefore =
      "smapi" in injection && injection.smapi.call === "publish" && injection.smapi.when === "before";
    expect(w.fake.callsTo("publish")).toHaveLength(failedBefore ? 2 : 1);
  });
});

const skillRollbackSteps: Injection[] = [
  smapiAt("listSkillVersions", "before"),
  lambdaAt("UpdateAlias", "before"),
  lambdaAt("UpdateAlias", "after"),
  smapiAt("rollbackSkill", "before"),
  lambdaAt("UpdateAlias", "before", 2),
  smapiAt("getRollback", "before"),
];

describe("interrupted skill rollback, then a re-run", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it.each(skillRollbackSteps.map((i) => [name(i), i] as const))(
    "converges after %s",
    async (_name, injection) => {
      w = await startReleaseWorld();
      await release(w.deps(), w.releaseInput());
      await watch(w.deps());
      await publish(w.deps(), { dryRun: false });
      w.changeModel();
      await release(w.deps(), w.releaseInput());
      await watch(w.deps());
      await publish(w.deps(), { dryRun: false });
      expect(w.world().liveEndpoint).toBe(green);

      await interruptedThenRerun(w, injection, () => rollback(w.deps(), { force: false, dryRun: false }));
      const state = w.world();
      expect(state.liveEndpoint).toBe(blue);
      expect(state.liveVersion).toBe("1");
      expect(state.aliases.blue).toMatchObject({ version: "2", change: "restore" });
      expect(state.aliases.green).toMatchObject({ version: "2", change: "candidate" });
      const failedBefore =
        "smapi" in injection && injection.smapi.call === "rollbackSkill" && injection.smapi.when === "before";
      expect(w.fake.callsTo("rollbackSkill")).toHaveLength(failedBefore ? 2 : 1);
    },
  );
});

/**
 * The release with the package going up whole and Alexa's validations before the submission, against the fake
 * Skill Management API and the Lambda model: a REQUIRED failure blocks the submission with its message and puts
 * the development stage back; RECOMMENDED failures are shown and do not block; a validation that never ends is
 * exit 3 and the re-run resumes; an icon-only change is a package change (certification), and the icon arrives.
 */
import type { StepEvent } from "../../../../scripts/lib/release/apply";
import { StillWaitingError } from "../../../../scripts/lib/core/errors";
import { ValidationFailedError } from "../../../../scripts/lib/package/validate";
import { publish, release, watch } from "../../../../scripts/lib/release/operations";
import {
  prodOutputs,
  SMALL_ICON,
  startReleaseWorld,
  type ReleaseWorld,
} from "../../../../testkit/release-world";

const { blue, green } = prodOutputs.aliasEndpoints!;
const dev = prodOutputs.developmentEndpoint;

const missingPrivacy = {
  title: "Privacy policy URL",
  description: "The skill collects personal information but has no privacy policy URL.",
  importance: "REQUIRED" as const,
  locale: "de-DE",
};
const shortDescription = {
  title: "Skill description",
  description: "The description is shorter than recommended.",
  importance: "RECOMMENDED" as const,
};

/** What the steps reported, one line each: `phase kind` (with `restore` before a restore step's). */
function lines(events: StepEvent[]): string[] {
  return events.map((e) => `${e.restoring === true ? "restore " : ""}${e.phase} ${e.step.kind}`);
}

describe("the certification pre-flight in a release", () => {
  let w: ReleaseWorld;
  let events: StepEvent[];
  const deps = () => w.deps({ onStep: (event) => events.push(event) });
  beforeEach(() => {
    events = [];
  });
  afterEach(async () => {
    await w?.close();
  });

  it("a REQUIRED validation failure blocks the submission with its message, and the stage goes back", async () => {
    w = await startReleaseWorld({ validationFailures: [missingPrivacy] });
    w.changeModel();

    const attempt = release(deps(), w.releaseInput());

    const error = (await attempt.catch((e: unknown) => e)) as ValidationFailedError;
    expect(error).toBeInstanceOf(ValidationFailedError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toContain("found 1 REQUIRED problem that would fail certification");
    expect(error.message).toContain(
      "  - [de-DE] Privacy policy URL: The skill collects personal information but has no privacy policy URL.",
    );
    expect(w.world()).toMatchObject({ submissions: 0, developmentEndpoint: dev });
    expect(lines(events).slice(-5)).toEqual([
      "done set-development-endpoint",
      "start validate",
      "failed validate",
      "restore start set-development-endpoint",
      "restore done set-development-endpoint",
    ]);
    // Alexa validated the stage as it would have been submitted: on the candidate, in every locale.
    const validated = w.fake.callsTo("submitValidation")[0];
    expect(validated.path).toContain("/stages/development/validations");
    expect(validated.body).toEqual({ locales: ["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"] });

    // Fixed: the re-run validates again and submits once.
    w.fake.knobs.validationFailures = [];
    await release(deps(), w.releaseInput());
    expect(w.world()).toMatchObject({ submissions: 1, developmentEndpoint: blue });
  });

  it("RECOMMENDED failures are shown with the step and do not block the submission", async () => {
    w = await startReleaseWorld({ validationFailures: [shortDescription] });
    w.changeModel();
    await release(deps(), w.releaseInput());
    expect(w.world().submissions).toBe(1);
    const validated = events.find((e) => e.step.kind === "validate" && e.phase === "done");
    expect(validated?.detail).toMatch(/^15 passed; 5 RECOMMENDED failed \(not blocking\):\n/);
    expect(validated?.detail).toContain(
      "  - [fr-FR] Skill description: The description is shorter than recommended.",
    );
  });

  it("a validation that never ends: exit 3, the stage kept on the candidate; the re-run resumes and submits", async () => {
    w = await startReleaseWorld({ validationPolls: 10_000 });
    w.changeModel();
    const stuck = release(w.deps({ wait: { pollIntervalMs: 1, timeoutMs: 50 } }), w.releaseInput());
    await expect(stuck).rejects.toBeInstanceOf(StillWaitingError);
    await expect(stuck).rejects.toThrow(/run the release again: it resumes/);
    expect(w.world()).toMatchObject({ submissions: 0, developmentEndpoint: blue });

    // The earlier run ends meanwhile; the re-run waits for it, then validates and submits.
    w.fake.knobs.validationPolls = 1;
    for (const run of Object.values(w.fake.skill().validationRuns ?? {})) run.pollsLeft = 2;
    await release(deps(), w.releaseInput());
    expect(w.world()).toMatchObject({ submissions: 1, developmentEndpoint: blue });
    expect(lines(events)).not.toContain("start deploy-model");
  });

  it("--dry-run lists the validation step between the endpoint move and the submission", async () => {
    w = await startReleaseWorld();
    const result = await release(w.deps(), w.releaseInput({ dryRun: true }));
    const kinds = result.plan.steps.map((s) => s.kind);
    expect(kinds.slice(-3)).toEqual(["set-development-endpoint", "validate", "submit"]);
    expect(w.fake.callsTo("submitValidation")).toHaveLength(0);
  });
});

describe("the package goes up whole in a release", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("an icon-only change is a package change: imported (the icon arrives), validated, submitted for certification", async () => {
    w = await startReleaseWorld();
    await release(w.deps(), w.releaseInput());
    expect((await watch(w.deps())).readyToPublish).toBe(true);
    await publish(w.deps(), { dryRun: false });
    expect(w.world().liveEndpoint).toBe(blue);

    // New code alone would be a code-only release; with a new icon it goes to the idle colour and certification.
    w.newCode();
    w.changeIcon();
    const result = await release(w.deps(), w.releaseInput());

    expect(result.plan.path).toBe("candidate");
    expect(result.plan.steps.map((s) => s.kind)).toEqual([
      "publish-version",
      "move-alias",
      "deploy-model",
      "set-development-endpoint",
      "validate",
      "submit",
    ]);
    const hosted = (
      w.fake.skill().stages.development.manifest?.value as {
        manifest: { publishingInformation: { locales: Record<string, { smallIconUri: string }> } };
      }
    ).manifest.publishingInformation.locales["en-US"].smallIconUri;
    const bytes = new Uint8Array(await (await fetch(hosted)).arrayBuffer());
    expect(bytes).toEqual(w.pkg.files?.[SMALL_ICON]);
    expect(w.world()).toMatchObject({ developmentEndpoint: green, submissions: 2 });
  });

  it("the same package and icons: the release recognises the stage's package and does not import it again", async () => {
    w = await startReleaseWorld();
    w.newCode();
    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.steps.map((s) => s.kind)).not.toContain("deploy-model");
    expect(w.fake.callsTo("importPackage")).toHaveLength(0);
    // The proof was the hosted icons' bytes.
    expect(w.fake.uploads.hostedReads.length).toBeGreaterThan(0);
  });
});

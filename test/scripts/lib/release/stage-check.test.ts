/**
 * Issue 12, part 4: a beta deployment writes the development stage while a release is about to submit. The
 * release looks at the stage right before it submits and stops (exit 1) saying what changed, so the beta's
 * endpoint and models never reach certification; run again, it uploads its candidate again and submits.
 */
import { ExitCode, OperationError } from "../../../../scripts/lib/core/errors";
import { deployModel } from "../../../../scripts/lib/package/deploy";
import { withEndpoint } from "../../../../scripts/lib/package/endpoint";
import { release } from "../../../../scripts/lib/release/operations";
import { developmentStageChanges } from "../../../../scripts/lib/release/stage-check";
import { prodOutputs, startReleaseWorld, type ReleaseWorld } from "../../../../testkit/release-world";

const { blue } = prodOutputs.aliasEndpoints!;
const dev = prodOutputs.developmentEndpoint;

describe("the release's look at the development stage before submitting", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("stops without submitting when a beta deployment wrote the stage just before the submission", async () => {
    w = await startReleaseWorld();
    const skill = w.fake.skill(w.outputs.skillId);
    // What beta.yml's deploy-model does to the stage: the dev endpoint and develop's models.
    const beta = structuredClone(w.pkg.models["de-DE"]) as {
      interactionModel: { languageModel: { invocationName: string } };
    };
    beta.interactionModel.languageModel.invocationName = "witze kiste beta";
    const betaDeploys = () => {
      const development = skill.stages.development;
      development.manifest = { value: withEndpoint(w.pkg.manifest, { uri: dev }), etag: "beta-manifest" };
      development.models["de-DE"] = { value: beta, etag: "beta-de" };
    };

    const attempt = release(
      w.deps({
        onStep: (event) => {
          // Between the stage pointing at the candidate and the submission: the window the check closes.
          if (event.step.kind === "set-development-endpoint" && !event.step.back && event.phase === "done") {
            betaDeploys();
          }
        },
      }),
      w.releaseInput(),
    );

    await expect(attempt).rejects.toThrow(OperationError);
    const error = (await attempt.catch((e: unknown) => e)) as OperationError;
    expect(error.exitCode).toBe(ExitCode.failed);
    expect(error.message).toContain(`its endpoint is ${dev} instead of ${blue}`);
    expect(error.message).toContain("its model for de-DE differs from interactionModels/custom/de-DE.json");
    expect(error.message).toContain("it was not submitted");
    expect(w.fake.callsTo("submitForCertification")).toHaveLength(0);
    expect(w.world().submissions).toBe(0);

    // Once the beta is done, the release runs again: the candidate goes back up, is built and submitted.
    const again = await release(w.deps(), w.releaseInput());
    expect(again.result?.certificationId).toBeDefined();
    const state = w.world();
    expect(state.developmentEndpoint).toBe(blue);
    expect(state.developmentHasPackage).toBe(true);
    expect(state.submissions).toBe(1);
  });

  it("lets an unchanged stage through (the check reads, and finds nothing)", async () => {
    w = await startReleaseWorld();
    const result = await release(w.deps(), w.releaseInput());
    expect(result.result?.certificationId).toBeDefined();
    expect(await developmentStageChanges(w.deps().skills, w.outputs.skillId, w.pkg, blue)).toEqual([]);
  });

  it("names a missing locale, an extra one and a changed manifest", async () => {
    w = await startReleaseWorld();
    const { skills, packages } = w.deps();
    await deployModel(
      { skills, packages: packages! },
      {
        skillId: w.outputs.skillId,
        pkg: w.pkg,
        endpoint: { uri: blue },
        readSecret: () => undefined,
        pollIntervalMs: 1,
        timeoutMs: 5000,
      },
    );
    const development = w.fake.skill(w.outputs.skillId).stages.development;
    delete development.models["fr-FR"];
    const manifest = structuredClone(development.manifest!.value) as {
      manifest: { publishingInformation: { category?: string } };
    };
    manifest.manifest.publishingInformation.category = "GAMES";
    development.manifest = { value: manifest, etag: "console-edit" };
    const repo = { ...w.pkg, models: { ...w.pkg.models } };
    delete repo.models["es-ES"];

    const changes = await developmentStageChanges(skills, w.outputs.skillId, repo, blue);

    expect(changes).toEqual([
      "its manifest differs from skill-package/skill.json",
      "it has a model for es-ES that the repository does not have",
      "it has no model for fr-FR any more",
    ]);
  });
});

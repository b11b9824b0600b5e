/**
 * Drift against the fake Skill Management API: a stage exported and compared with the repository's package, a
 * console edit (the fake's stage changed directly) reported, an unchanged stage not, endpoints and hosted icons
 * aside; a live stage that does not exist and a development stage locked by certification compare nothing.
 */
import { strToU8, zipSync } from "fflate";
import { createSkillsPort } from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { OperationError, StillWaitingError } from "../../../../scripts/lib/core/errors";
import { checkDrift, packageOfExport, withIconsAside } from "../../../../scripts/lib/package/drift";
import { readSkillPackage, type SkillPackage } from "../../../../scripts/lib/package/skill-package";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../../testkit/fakes/smapi";

const fast = { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 };
const wait = { pollIntervalMs: 1, timeoutMs: 10_000 };

type Json = Record<string, unknown>;

/** The repository's package as a stage holds it: its own endpoint, and icons hosted at the service's URLs. */
function asDeployed(repo: SkillPackage): { manifest: Json; models: Record<string, Json> } {
  const manifest = structuredClone(repo.manifest) as {
    manifest: {
      apis: { custom: { endpoint?: object } };
      publishingInformation: { locales: Record<string, Json> };
    };
  };
  manifest.manifest.apis.custom.endpoint = {
    uri: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox:blue",
  };
  for (const [locale, info] of Object.entries(manifest.manifest.publishingInformation.locales)) {
    info.smallIconUri = `https://images.example.com/${locale}/small.png`;
    info.largeIconUri = `https://images.example.com/${locale}/large.png`;
  }
  return { manifest, models: repo.models };
}

describe("checkDrift against the fake Skill Management API", () => {
  let fake: FakeSmapi;
  let repo: SkillPackage;

  beforeEach(async () => {
    repo = await readSkillPackage("skill-package");
    fake = await startFakeSmapi({
      exportPolls: 2,
      certificationPolls: 1000,
      skills: [{ skillId: FAKE_SKILL_ID, development: asDeployed(repo), live: asDeployed(repo) }],
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  const skills = () => createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
  const check = (stage: "development" | "live", exportId?: string) =>
    checkDrift(skills(), repo, { skillId: FAKE_SKILL_ID, stage, wait, ...(exportId ? { exportId } : {}) });

  it("finds no drift in a stage that holds the repository's package, its endpoint and hosted icons aside", async () => {
    const result = await check("development");
    expect(result).toMatchObject({ kind: "compared", stage: "development", diff: { identical: true } });
    // It read the stage through the export: requested, waited for, downloaded once.
    expect(fake.callsTo("createExport")).toHaveLength(1);
    expect(fake.callsTo("getExport")).toHaveLength(2);
    expect(fake.storage.requests).toHaveLength(1);
    expect(await check("live")).toMatchObject({ kind: "compared", diff: { identical: true } });
  });

  it("reports a console edit of a model and of the manifest, in the stage it was made in", async () => {
    const development = fake.skill().stages.development;
    const model = development.models["de-DE"]!.value as {
      interactionModel: { languageModel: { intents: { samples?: string[] }[] } };
    };
    model.interactionModel.languageModel.intents[0]!.samples!.push("erzähl mir was aus der konsole");
    const manifest = development.manifest!.value as {
      manifest: { publishingInformation: { locales: Record<string, Json> } };
    };
    manifest.manifest.publishingInformation.locales["en-US"]!.summary = "Edited in the console";

    const result = await check("development");
    expect(result.kind).toBe("compared");
    if (result.kind !== "compared") return;
    expect(result.diff.identical).toBe(false);
    expect(result.diff.manifest.kind).toBe("changed");
    expect(result.diff.manifest.patch).toContain('-          "summary": "Edited in the console"');
    expect(result.diff.locales["de-DE"]).toMatchObject({ kind: "changed", additions: 1, deletions: 2 });
    expect(result.diff.locales["en-US"]!.kind).toBe("unchanged");
    // The live stage was not touched.
    expect(await check("live")).toMatchObject({ diff: { identical: true } });
  });

  it("reports a locale the console added and one it removed", async () => {
    const development = fake.skill().stages.development;
    development.models["it-IT"] = structuredClone(development.models["en-US"]!);
    delete development.models["es-ES"];
    const result = await check("development");
    if (result.kind !== "compared") throw new Error(`expected a comparison, got ${result.kind}`);
    expect(result.diff.locales["it-IT"]!.kind).toBe("removed");
    expect(result.diff.locales["es-ES"]!.kind).toBe("added");
  });

  it("says a live stage that does not exist has nothing to compare, without exporting", async () => {
    delete fake.skill().stages.live;
    expect(await check("live")).toEqual({ kind: "absent", skillId: FAKE_SKILL_ID, stage: "live" });
    expect(fake.callsTo("createExport")).toHaveLength(0);
  });

  it("says a development stage locked by a certification in progress holds the candidate", async () => {
    const certificationId = await skills().submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING");
    expect(await check("development")).toEqual({
      kind: "locked",
      skillId: FAKE_SKILL_ID,
      stage: "development",
      certificationId,
    });
    expect(fake.callsTo("createExport")).toHaveLength(0);
  });

  it("refuses an export that fails, one with a path out of the folder, and a wait that runs out (resumable)", async () => {
    fake.knobs.exportOutcome = "FAILED";
    await expect(check("development")).rejects.toThrow(
      /could not export the skill package of .* \(development stage, export .*\): check that the stage exists, then run skillship drift again/,
    );

    fake.knobs.exportOutcome = "SUCCEEDED";
    fake.knobs.exportZip = () =>
      zipSync({ "skill.json": strToU8("{}"), "../../escaped.json": strToU8("{}") });
    await expect(check("development")).rejects.toThrow(/has an entry outside the skill package folder/);

    fake.knobs.exportZip = () => zipSync({ "skill.json": strToU8("{ not json") });
    await expect(check("development")).rejects.toThrow(/skill\.json of export .* is not valid JSON/);
    fake.knobs.exportZip = undefined;

    // The export takes three status reads; a timeout of zero gives up after the first.
    fake.knobs.exportPolls = 3;
    const error = await checkDrift(skills(), repo, {
      skillId: FAKE_SKILL_ID,
      stage: "development",
      wait: { pollIntervalMs: 1, timeoutMs: 0 },
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StillWaitingError);
    const exportId = /--export-id (\S+)/.exec((error as Error).message)?.[1];
    expect(exportId).toBeDefined();
    // Resuming follows the same export: no new one is requested.
    const before = fake.callsTo("createExport").length;
    const resumed = await check("development", exportId);
    expect(resumed).toMatchObject({ kind: "compared", exportId, diff: { identical: true } });
    expect(fake.callsTo("createExport")).toHaveLength(before);
  });

  it("names a development stage the credentials cannot see", async () => {
    const result = checkDrift(skills(), repo, {
      skillId: "amzn1.ask.skill.00000000-0000-4000-8000-0000000000ff",
      stage: "development",
      wait,
    });
    await expect(result).rejects.toThrow(OperationError);
    await expect(result).rejects.toThrow(
      /has no development stage for amzn1\.ask\.skill\.0+-0000-4000-8000-0+ff/,
    );
  });
});

describe("packageOfExport and withIconsAside", () => {
  const bytes = (value: unknown) => strToU8(JSON.stringify(value));

  it("reads skill.json and the custom models of an export, nothing else", () => {
    const files = new Map([
      ["skill.json", bytes({ manifest: {} })],
      ["interactionModels/custom/en-US.json", bytes({ interactionModel: { a: 1 } })],
      ["interactionModels/custom/nested/x.json", bytes({})],
      ["assets/images/en-US_smallIconUri.png", strToU8("png")],
    ]);
    expect(packageOfExport(files, "export 7")).toEqual({
      manifest: { manifest: {} },
      models: { "en-US": { interactionModel: { a: 1 } } },
    });
    files.set("skill.json", bytes([1, 2]));
    expect(() => packageOfExport(files, "export 7")).toThrow("skill.json of export 7 is not a JSON object");
  });

  it("sets aside where an icon is hosted, never an icon only one side has", () => {
    const manifest = (icons: Json) => ({
      manifest: { publishingInformation: { locales: { "en-US": icons } } },
    });
    const repo = manifest({ smallIconUri: "file://assets/a.png", largeIconUri: "file://assets/b.png" });
    const stage = manifest({ smallIconUri: "https://cdn.example.com/a.png" });
    expect(withIconsAside(repo, stage)).toEqual(
      manifest({ smallIconUri: "https://cdn.example.com/a.png", largeIconUri: "file://assets/b.png" }),
    );
    // The repository's own manifest is left as it was.
    expect(repo).toEqual(
      manifest({ smallIconUri: "file://assets/a.png", largeIconUri: "file://assets/b.png" }),
    );
  });
});

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readSkillPackage } from "../../../scripts/lib/package/skill-package";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { copySkillPackage, plainEnv, runCli, tempDir } from "./cli-harness";

/** Seeds the fake's development (and optionally live) stage with the repository's package, endpoint changed. */
async function startWithPackage(live: boolean): Promise<FakeSmapi> {
  const pkg = await readSkillPackage(join(__dirname, "..", "..", "..", "skill-package"));
  const manifest = structuredClone(pkg.manifest) as { manifest: { apis: { custom: { endpoint?: object } } } };
  manifest.manifest.apis.custom.endpoint = {
    uri: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox:blue",
  };
  const stage = { manifest, models: pkg.models };
  return startFakeSmapi({
    skills: [{ skillId: FAKE_SKILL_ID, development: stage, ...(live ? { live: stage } : {}) }],
  });
}

function changeSample(pkgDir: string, locale: string): void {
  const file = join(pkgDir, "interactionModels", "custom", `${locale}.json`);
  const model = JSON.parse(readFileSync(file, "utf8"));
  model.interactionModel.languageModel.intents[0].samples.push("spiel mir einen neuen witz vor");
  writeFileSync(file, JSON.stringify(model, null, 2));
}

describe("skillship diff", () => {
  let fake: FakeSmapi;

  afterEach(async () => {
    await fake.close();
  });

  it("says the package is identical when only the endpoint differs", async () => {
    fake = await startWithPackage(false);
    const result = await runCli(["diff", "--skill-id", FAKE_SKILL_ID, "--package", copySkillPackage()], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      "The skill package is identical to the development stage (endpoints excluded).\n",
    );
  });

  it("prints the markdown a pull request shows and writes it to the job summary", async () => {
    fake = await startWithPackage(false);
    const pkg = copySkillPackage();
    changeSample(pkg, "de-DE");
    const summary = join(tempDir(), "summary.md");
    const result = await runCli(
      ["diff", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--format", "markdown"],
      { ...fake.env, ...plainEnv, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("### Skill package against the development stage");
    expect(result.stdout).toContain("| de-DE | changed | +2 −1 |");
    expect(result.stdout).toContain("| en-US | unchanged |  |");
    expect(result.stdout).toContain('+            "spiel mir einen neuen witz vor"');
    expect(readFileSync(summary, "utf8")).toContain("| de-DE | changed | +2 −1 |");
  });

  it("compares against the live stage, which a never-published skill does not have", async () => {
    fake = await startWithPackage(false);
    const result = await runCli(
      [
        "diff",
        "--skill-id",
        FAKE_SKILL_ID,
        "--package",
        copySkillPackage(),
        "--stage",
        "live",
        "--format",
        "json",
      ],
      { ...fake.env, ...plainEnv },
    );
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout);
    expect(diff).toMatchObject({ stage: "live", identical: false, manifest: { kind: "added" } });
    expect(Object.values(diff.locales).map((change) => (change as { kind: string }).kind)).toEqual(
      Array(5).fill("added"),
    );
  });

  it("takes --json as --format json", async () => {
    fake = await startWithPackage(false);
    const result = await runCli(
      ["diff", "--skill-id", FAKE_SKILL_ID, "--package", copySkillPackage(), "--json"],
      {
        ...fake.env,
        ...plainEnv,
      },
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ stage: "development", identical: true });
  });

  it("reads the live stage when there is one", async () => {
    fake = await startWithPackage(true);
    const pkg = copySkillPackage();
    changeSample(pkg, "de-DE");
    const result = await runCli(["diff", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--stage", "live"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.stdout).toMatch(/de-DE\s+changed \+2 −1/);
    expect(fake.callsTo("getManifest").map((call) => call.path)).toEqual([
      `/v1/skills/${FAKE_SKILL_ID}/stages/live/manifest`,
    ]);
  });

  it("refuses an unknown stage or format (exit 2)", async () => {
    fake = await startWithPackage(false);
    const stage = await runCli(["diff", "--skill-id", FAKE_SKILL_ID, "--stage", "prod"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain("Allowed choices are development, live");
    const format = await runCli(["diff", "--skill-id", FAKE_SKILL_ID, "--format", "html"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(format.code).toBe(2);
    expect(fake.calls).toHaveLength(0);
  });
});

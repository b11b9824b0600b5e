import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { readSkillPackage } from "../../../scripts/lib/package/skill-package";
import { withEndpoint } from "../../../scripts/lib/package/endpoint";
import { plainEnv, runCli, tempDir } from "./cli-harness";

const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev";
const fast = ["--poll-interval", "1ms"];

describe("skillship validate", () => {
  let fake: FakeSmapi;

  beforeEach(async () => {
    const pkg = await readSkillPackage("skill-package");
    fake = await startFakeSmapi({
      validationPolls: 2,
      skills: [
        {
          skillId: FAKE_SKILL_ID,
          development: {
            manifest: withEndpoint(pkg.manifest, { uri: ARN }),
            models: pkg.models,
            files: pkg.files,
          },
        },
      ],
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("runs Alexa's validations for the package's locales; nothing REQUIRED failing is exit 0", async () => {
    const summary = join(tempDir(), "summary.md");
    const result = await runCli(["validate", "--skill-id", FAKE_SKILL_ID, ...fast], {
      ...fake.env,
      ...plainEnv,
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/15 validation\(s\) passed, 0 REQUIRED and 0 RECOMMENDED failed/);
    expect(fake.callsTo("submitValidation")[0].body).toEqual({
      locales: ["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"],
    });
    expect(readFileSync(summary, "utf8")).toContain("nothing here would stop certification");
  });

  it("a REQUIRED failure is exit 1 with each failed validation (locale, title, description); RECOMMENDED ones warn", async () => {
    fake.knobs.validationFailures = [
      {
        title: "Privacy policy URL",
        description: "Add a privacy policy URL: the skill collects personal information.",
        importance: "REQUIRED",
        locale: "en-GB",
      },
      {
        title: "Example phrases",
        description: "Add a third example phrase.",
        importance: "RECOMMENDED",
        locale: "es-ES",
      },
    ];
    const result = await runCli(["validate", "--skill-id", FAKE_SKILL_ID, ...fast], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("found 1 REQUIRED problem that would fail certification");
    expect(result.stderr).toContain(
      "- [en-GB] Privacy policy URL: Add a privacy policy URL: the skill collects personal information.",
    );
    expect(result.stderr).toContain(
      "warning: RECOMMENDED: [es-ES] Example phrases: Add a third example phrase.",
    );

    const json = await runCli(["validate", "--skill-id", FAKE_SKILL_ID, "--json", ...fast], {
      ...fake.env,
      ...plainEnv,
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      exitCode: 1,
      validation: { failures: [{ locale: "en-GB", title: "Privacy policy URL", importance: "REQUIRED" }] },
    });
  });

  it("a run that never finishes: exit 3 naming how to resume, and --validation-id resumes it", async () => {
    fake.knobs.validationPolls = 10_000;
    const stuck = await runCli(["validate", "--skill-id", FAKE_SKILL_ID, "--timeout", "50ms", ...fast], {
      ...fake.env,
      ...plainEnv,
    });
    expect(stuck.code).toBe(3);
    const id = /--validation-id (\S+)` to keep waiting/.exec(stuck.stderr)?.[1];
    expect(id).toBeDefined();

    const run = fake.skill().validationRuns?.[id ?? ""];
    if (run !== undefined) run.pollsLeft = 1;
    const resumed = await runCli(
      ["validate", "--skill-id", FAKE_SKILL_ID, "--validation-id", id ?? "", ...fast],
      { ...fake.env, ...plainEnv },
    );
    expect(resumed.code).toBe(0);
    expect(fake.callsTo("submitValidation")).toHaveLength(1);
  });

  it("refuses --locales that are no locales, before any call", async () => {
    const result = await runCli(["validate", "--skill-id", FAKE_SKILL_ID, "--locales", "en-US,english"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--locales: english is not a locale like en-US");
    expect(fake.calls).toHaveLength(0);
  });
});

/**
 * `skillship drift` through the CLI, against the fake Skill Management API: a stage edited in the console (the
 * fake's stage changed directly) is reported in each format with exit 1, an unchanged one exits 0, a wait that
 * runs out exits 3 and names the export to resume, bad input exits 2.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readSkillPackage } from "../../../scripts/lib/package/skill-package";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { copySkillPackage, plainEnv, runCli, tempDir } from "./cli-harness";

type Json = Record<string, unknown>;

async function startWithPackage(): Promise<FakeSmapi> {
  const pkg = await readSkillPackage(join(__dirname, "..", "..", "..", "skill-package"));
  const manifest = structuredClone(pkg.manifest) as { manifest: { apis: { custom: { endpoint?: object } } } };
  manifest.manifest.apis.custom.endpoint = {
    uri: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox:blue",
  };
  const stage = { manifest, models: pkg.models };
  return startFakeSmapi({
    exportPolls: 1,
    skills: [{ skillId: FAKE_SKILL_ID, development: stage, live: stage }],
  });
}

/** What someone does in the developer console: a new sample in the development stage's de-DE model. */
function editInConsole(fake: FakeSmapi): void {
  const model = fake.skill().stages.development.models["de-DE"]!.value as {
    interactionModel: { languageModel: { intents: { samples?: string[] }[] } };
  };
  model.interactionModel.languageModel.intents[0]!.samples!.push("erzähl mir was aus der konsole");
}

describe("skillship drift", () => {
  let fake: FakeSmapi;
  let pkg: string;
  beforeEach(async () => {
    fake = await startWithPackage();
    pkg = copySkillPackage();
  });
  afterEach(async () => {
    await fake.close();
  });

  const drift = (args: string[], env: Record<string, string | undefined> = {}) =>
    runCli(["drift", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--poll-interval", "1ms", ...args], {
      ...fake.env,
      ...plainEnv,
      ...env,
    });

  it("exits 0 and says so when the stage holds the repository's package", async () => {
    const result = await drift([]);
    expect(result.code).toBe(0);
    // The export's progress, then the answer.
    expect(result.stdout).toMatch(/^Exporting the skill package of .* \(development stage\)…\n/);
    expect(result.stdout).toMatch(
      /\nThe skill package is identical to the development stage \(endpoints excluded\)\.\n$/,
    );
    expect(fake.callsTo("createExport")).toHaveLength(1);
  });

  it("reports a console edit as text, with exit 1 and what to do", async () => {
    editInConsole(fake);
    const result = await drift([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/The skill package differs from the development stage/);
    expect(result.stdout).toMatch(/de-DE\s+changed \+1 −2/);
    expect(result.stdout).toContain('-            "erzähl mir was aus der konsole"');
    expect(result.stderr).toContain(
      `skillship: The development stage of ${FAKE_SKILL_ID} differs from the repository's skill package`,
    );
    expect(result.stderr).toContain("skillship import --stage development --force");
    // The live stage was not edited.
    expect((await drift(["--stage", "live"])).code).toBe(0);
  });

  it("writes the markdown to stdout and to the job summary", async () => {
    editInConsole(fake);
    const summary = join(tempDir(), "summary.md");
    const result = await drift(["--format", "markdown"], {
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^### Skill package against the development stage\n/);
    expect(result.stdout).toContain("| de-DE | changed | +1 −2 |");
    const written = readFileSync(summary, "utf8");
    expect(written).toContain(`### Drift of the development stage of ${FAKE_SKILL_ID}`);
    expect(written).toContain("| de-DE | changed | +1 −2 |");
  });

  it("prints one JSON document, drift or not", async () => {
    const clean = await drift(["--json"]);
    expect(clean.code).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({
      skillId: FAKE_SKILL_ID,
      stage: "development",
      drifted: false,
      identical: true,
      exitCode: 0,
    });
    editInConsole(fake);
    const drifted = await drift(["--format", "json"]);
    expect(drifted.code).toBe(1);
    const document = JSON.parse(drifted.stdout) as Json;
    expect(document).toMatchObject({
      drifted: true,
      identical: false,
      exportId: expect.stringMatching(/^amzn1\.ask-package\.export/),
      locales: { "de-DE": { kind: "changed" } },
      exitCode: 1,
      error: { message: expect.stringContaining("differs from the repository's skill package") },
    });
  });

  it("says a never-published skill has no live stage to compare (exit 0)", async () => {
    delete fake.skill().stages.live;
    const result = await drift(["--stage", "live"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "does not exist yet (the skill was never published): nothing to compare.",
    );
  });

  it("exits 3 when the export takes longer than --timeout, and --export-id resumes it", async () => {
    // Three status reads to finish; 50 ms between reads is past a 1 ms timeout after the first.
    fake.knobs.exportPolls = 3;
    const slow = await drift(["--timeout", "1ms", "--poll-interval", "50ms"]);
    expect(slow.code).toBe(3);
    const exportId = /--export-id (\S+)/.exec(slow.stderr)?.[1];
    expect(exportId).toMatch(/^amzn1\.ask-package\.export/);
    const resumed = await drift(["--export-id", exportId!]);
    expect(resumed.code).toBe(0);
    expect(fake.callsTo("createExport")).toHaveLength(1);
  });

  it("refuses an unknown stage and a failed export with clear messages", async () => {
    const stage = await drift(["--stage", "certified"]);
    expect(stage.code).toBe(2);
    expect(stage.stderr).toContain("Allowed choices are development, live");
    expect(fake.calls).toHaveLength(0);

    fake.knobs.exportOutcome = "FAILED";
    const failed = await drift([]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("could not export the skill package");
  });
});

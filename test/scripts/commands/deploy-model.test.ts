import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  FAKE_SKILL_ID,
  pendingCertification,
  startFakeSmapi,
  type FakeSmapi,
} from "../../../testkit/fakes/smapi";
import { solidPng } from "../../../testkit/png";
import { copySkillPackage, plainEnv, runCli, tempDir, writeOutputs } from "./cli-harness";

const DEV_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev";

const devOutputs = {
  skillId: FAKE_SKILL_ID,
  stack: "dev",
  endpointKind: "lambda",
  functionName: "jokebox-dev",
  functionArn: DEV_ARN,
  developmentEndpoint: DEV_ARN,
};

describe("skillship deploy-model", () => {
  let fake: FakeSmapi;

  beforeEach(async () => {
    fake = await startFakeSmapi({ buildPolls: 1, certificationPolls: 1000 });
  });

  afterEach(async () => {
    await fake.close();
  });

  it("deploys the package with the development endpoint of the outputs and prints what changed", async () => {
    const pkg = copySkillPackage();
    const summary = join(tempDir(), "summary.md");
    const result = await runCli(["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", pkg], {
      ...fake.env,
      ...plainEnv,
      GITHUB_ACTIONS: "true",
      GITHUB_STEP_SUMMARY: summary,
    });

    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Endpoint: ${DEV_ARN}`);
    expect(result.stdout).toMatch(/│ de-DE\s+│ updated and built\s+│/);
    const development = fake.skill().stages.development;
    expect(Object.keys(development.models).sort()).toEqual(["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"]);
    expect(development.manifest?.value).toMatchObject({
      manifest: { apis: { custom: { endpoint: { uri: DEV_ARN } } } },
    });
    expect(result.stdout).toMatch(/│ icons\s+│ updated\s+│/);
    expect(result.stdout).toMatch(
      /Package: 8 files, [\d.]+ KB zipped, sha256 [0-9a-f]{12}: imported \(import import-[^)]+\)/,
    );
    expect(readFileSync(summary, "utf8")).toContain("### Skill package deployed to the development stage");
    // Credentials never appear in anything printed.
    expect(result.stdout).not.toContain(fake.credentials.refreshToken);
  });

  it("does not import a package the stage already holds; --force imports it anyway", async () => {
    const args = ["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", copySkillPackage()];
    expect((await runCli(args, { ...fake.env, ...plainEnv })).code).toBe(0);

    const again = await runCli(args, { ...fake.env, ...plainEnv });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("the development stage already holds it, not imported again");
    expect(fake.callsTo("importPackage")).toHaveLength(1);

    const forced = await runCli([...args, "--force"], { ...fake.env, ...plainEnv });
    expect(forced.code).toBe(0);
    expect(fake.callsTo("importPackage")).toHaveLength(2);
  });

  it("stops an icon of the wrong size or type before any remote call, naming the file and the JSON path", async () => {
    const pkg = copySkillPackage();
    writeFileSync(join(pkg, "assets", "images", "icon-108.png"), solidPng(100, 100, [9, 9, 9]));
    writeFileSync(join(pkg, "assets", "images", "icon-512.png"), "GIF89a: not a PNG");
    const result = await runCli(["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", pkg], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing was deployed");
    expect(result.stderr).toContain(join(pkg, "skill.json"));
    expect(result.stderr).toContain('$.manifest.publishingInformation.locales["en-US"].smallIconUri');
    expect(result.stderr).toContain(
      "file://assets/images/icon-108.png is 100x100: the smallIconUri must be 108x108 pixels",
    );
    expect(result.stderr).toMatch(/icon-512\.png is not a PNG image/);
    expect(fake.calls).toHaveLength(0);
  });

  it("an upload URL that answers 403: exit 1 saying nothing was imported", async () => {
    fake.uploads.refuseUploads(1);
    const result = await runCli(
      ["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", copySkillPackage()],
      { ...fake.env, ...plainEnv },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/The upload URL at 127\.0\.0\.1:\d+ refused the skill package \(403/);
    expect(result.stderr).toContain("Nothing was imported");
    expect(fake.callsTo("importPackage")).toHaveLength(0);
  });

  it("prints one JSON document with --json", async () => {
    const result = await runCli(
      [
        "deploy-model",
        "--skill-id",
        FAKE_SKILL_ID,
        "--endpoint",
        DEV_ARN,
        "--package",
        copySkillPackage(),
        "--json",
      ],
      { ...fake.env, ...plainEnv },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      outcome: "deployed",
      skillId: FAKE_SKILL_ID,
      locales: { "en-US": "updated" },
      package: { import: "imported", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
  });

  it("says plainly that the stage is locked in certification and exits 0; --strict exits 1", async () => {
    fake.skill().certifications.push(pendingCertification("cert-7"));
    const args = ["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", copySkillPackage()];

    const lenient = await runCli(args, { ...fake.env, ...plainEnv });
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain("The skill is in certification (certification cert-7)");
    expect(lenient.stdout).toContain("its development stage is locked");

    const strict = await runCli([...args, "--strict"], { ...fake.env, ...plainEnv });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain("The skill is in certification");
    expect(fake.callsTo("importPackage")).toHaveLength(0);
  });

  it("exits 1 with each failed build's errors", async () => {
    fake.knobs.failingLocales = {
      "fr-FR": [{ code: "INVALID_UTTERANCE", message: "Sample 'x' is invalid" }],
    };
    const result = await runCli(
      ["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", copySkillPackage()],
      { ...fake.env, ...plainEnv },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("The interaction model build failed for fr-FR");
    expect(result.stderr).toContain("fr-FR (interactionModels/custom/fr-FR.json)");
    expect(result.stderr).toContain("INVALID_UTTERANCE: Sample 'x' is invalid");
  });

  it("exits 3 when --timeout runs out before the builds finish", async () => {
    fake.knobs.buildPolls = 10_000;
    const result = await runCli(
      [
        "deploy-model",
        "--outputs",
        writeOutputs(devOutputs),
        "--package",
        copySkillPackage(),
        "--timeout",
        "1s",
      ],
      { ...fake.env, ...plainEnv },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("run the command again to resume: it recognises the package");
  });

  it("stops a package that fails lint before any remote call", async () => {
    const pkg = copySkillPackage();
    const file = join(pkg, "interactionModels", "custom", "de-DE.json");
    const model = JSON.parse(readFileSync(file, "utf8"));
    model.interactionModel.languageModel.invocationName = "";
    writeFileSync(file, JSON.stringify(model));
    const result = await runCli(["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", pkg], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/does not pass skillship lint \(\d+ lint errors?\); nothing was deployed/);
    expect(result.stderr).toContain("de-DE.json");
    expect(fake.calls).toHaveLength(0);
  });

  it("exits 2 naming what is missing: the skill, the endpoint, a credential", async () => {
    const pkg = copySkillPackage();
    const noSkill = await runCli(["deploy-model", "--package", pkg], { ...fake.env, ...plainEnv });
    expect(noSkill.code).toBe(2);
    expect(noSkill.stderr).toContain("Pass --outputs FILE");

    const noEndpoint = await runCli(["deploy-model", "--skill-id", FAKE_SKILL_ID, "--package", pkg], {
      ...fake.env,
      ...plainEnv,
    });
    expect(noEndpoint.code).toBe(2);
    expect(noEndpoint.stderr).toContain("Which endpoint?");

    const badEndpoint = await runCli(
      ["deploy-model", "--skill-id", FAKE_SKILL_ID, "--endpoint", "http://example.com", "--package", pkg],
      { ...fake.env, ...plainEnv },
    );
    expect(badEndpoint.code).toBe(2);
    expect(badEndpoint.stderr).toContain("--endpoint must be a Lambda function ARN");

    const noToken = await runCli(["deploy-model", "--outputs", writeOutputs(devOutputs), "--package", pkg], {
      ...fake.env,
      ...plainEnv,
      ASK_REFRESH_TOKEN: undefined,
    });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain("ASK_REFRESH_TOKEN");
    expect(fake.calls).toHaveLength(0);
  });
});

/**
 * The commands that read or write a skill stage, through the CLI, on a skill package without interaction models
 * (the smart-home sample's): `deploy-model` imports it with nothing to build, `diff` and `drift` compare its
 * manifest and files, `validate` runs for the locales its manifest publishes, `status` says what kind of skill
 * it is and what its releases recorded.
 */
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { endpointOf, withEndpoint } from "../../../scripts/lib/package/endpoint";
import { readSkillPackage } from "../../../scripts/lib/package/skill-package";
import { publish, release, watch } from "../../../scripts/lib/release/operations";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import {
  HOME_HUB_PACKAGE,
  HOME_HUB_SECRET,
  HOME_HUB_SECRET_ENV,
  modelHashOf,
  prodOutputs,
  startReleaseWorld,
  type ReleaseWorld,
} from "../../../testkit/release-world";
import type { LambdaModel } from "../../../testkit/fakes/lambda";
import { plainEnv, releaseCommand, runCli, startReleaseCli, tempDir, writeOutputs } from "./cli-harness";

const DEV = prodOutputs.developmentEndpoint;
const LOCALES = ["de-DE", "en-AU", "en-GB", "en-US", "fr-CA", "fr-FR", "ja-JP"];

/** A project folder holding a copy of the smart-home package (tests change it freely); returns both paths. */
function projectWithPackage(): { dir: string; pkg: string } {
  const dir = tempDir("skillship-home-hub-");
  const pkg = join(dir, "skill-package");
  cpSync(HOME_HUB_PACKAGE, pkg, { recursive: true });
  return { dir, pkg };
}

/** Writes a project file of kind smartHome beside the package: the lint gate runs the smart-home rules. */
function writeProject(dir: string): void {
  writeFileSync(join(dir, "skillship.json"), JSON.stringify({ kind: "smartHome" }));
}

/** Removes the async-event permission from the package's manifest: a manifest-only change. */
function dropPermission(pkg: string): void {
  const file = join(pkg, "skill.json");
  const document = JSON.parse(readFileSync(file, "utf8"));
  document.manifest.permissions = [];
  writeFileSync(file, JSON.stringify(document, null, 2));
}

describe("stage commands on a smart-home package (no interaction models)", () => {
  let fake: FakeSmapi;
  let dir: string;
  let pkg: string;
  let env: Record<string, string | undefined>;

  beforeEach(async () => {
    const repo = await readSkillPackage(HOME_HUB_PACKAGE);
    // The stage holds the sample's account linking as an earlier upload left it, its secret included.
    const accountLinking = { ...repo.accountLinking!.accountLinkingRequest!, clientSecret: HOME_HUB_SECRET };
    const stage = { manifest: withEndpoint(repo.manifest, { uri: DEV }), files: repo.files, accountLinking };
    fake = await startFakeSmapi({
      buildPolls: 1,
      exportPolls: 1,
      skills: [{ skillId: FAKE_SKILL_ID, development: stage }],
    });
    ({ dir, pkg } = projectWithPackage());
    env = { ...fake.env, ...plainEnv, [HOME_HUB_SECRET_ENV]: HOME_HUB_SECRET };
  });

  afterEach(async () => {
    await fake.close();
  });

  it("diff: identical with endpoints excluded, then the manifest's change, never reading a model", async () => {
    const same = await runCli(["diff", "--skill-id", FAKE_SKILL_ID, "--package", pkg], env, { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toBe(
      "The skill package is identical to the development stage (endpoints excluded).\n",
    );

    dropPermission(pkg);
    const changed = await runCli(["diff", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--json"], env, {
      cwd: dir,
    });
    expect(changed.code).toBe(0);
    const report = JSON.parse(changed.stdout);
    expect(report).toMatchObject({ identical: false, manifest: { kind: "changed" }, locales: {} });
    expect(report.accountLinking).toMatchObject({ kind: "unchanged" });
    expect(fake.callsTo("getInteractionModel")).toEqual([]);
  });

  it("diff: a change to accountLinking.json is shown, its secret never", async () => {
    const file = join(pkg, "accountLinking.json");
    const document = JSON.parse(readFileSync(file, "utf8"));
    document.accountLinkingRequest.scopes = ["devices:read"];
    writeFileSync(file, JSON.stringify(document, null, 2));
    const result = await runCli(
      ["diff", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--format", "markdown"],
      env,
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("| account linking | changed | +1 −2 |");
    expect(result.stdout).toContain(`-      "devices:control"\n+      "devices:read"`);
    expect(result.stdout).toContain("--- development/accountLinking.json");
    expect(result.stdout + result.stderr).not.toContain(HOME_HUB_SECRET);
    expect(result.stdout).not.toContain("clientSecret");
  });

  it("drift: the exported stage compared with the package; a manifest change is drift (exit 1)", async () => {
    const drift = () =>
      runCli(["drift", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--poll-interval", "1ms"], env, {
        cwd: dir,
      });
    const same = await drift();
    expect(same.code).toBe(0);
    expect(same.stdout).toContain("The skill package is identical to the development stage");
    dropPermission(pkg);
    const drifted = await drift();
    expect(drifted.code).toBe(1);
    expect(drifted.stdout).toMatch(/manifest\s+changed/);
  });

  it("validate: Alexa's validations for every locale the manifest publishes", async () => {
    const result = await runCli(
      ["validate", "--skill-id", FAKE_SKILL_ID, "--package", pkg, "--poll-interval", "1ms", "--json"],
      env,
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(fake.callsTo("submitValidation")[0].body).toEqual({ locales: LOCALES });
  });

  it("import: the stage's package written into the project, its manifest and no interaction model", async () => {
    const target = join(dir, "imported");
    const result = await runCli(
      ["import", "--skill-id", FAKE_SKILL_ID, "--package", target, "--poll-interval", "1ms", "--json"],
      env,
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).files).toEqual(["skill.json"]);
    const imported = await readSkillPackage(target);
    expect(imported.models).toEqual({});
    expect(imported.manifest).toMatchObject({ manifest: { apis: { smartHome: { protocolVersion: "3" } } } });
  });

  it("deploy-model: imported with nothing to build, account linking with its secret; again: not imported", async () => {
    writeProject(dir);
    dropPermission(pkg);
    const args = ["deploy-model", "--endpoint", DEV, "--skill-id", FAKE_SKILL_ID, "--package", pkg];
    const result = await runCli(args, env, { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ manifest\s+│ updated\s+│/);
    expect(result.stdout).toMatch(/│ account linking\s+│ updated\s+│/);
    expect(result.stdout).toMatch(/│ interaction models\s+│ none \(nothing to build\)\s+│/);
    expect(result.stdout).toContain("no interaction model to build");
    expect(result.stdout).not.toContain(HOME_HUB_SECRET);
    const development = fake.skill().stages.development;
    expect(development.manifest?.value).toMatchObject({
      manifest: { permissions: [], apis: { smartHome: { endpoint: { uri: DEV } } } },
    });
    expect(development.models).toEqual({});
    expect(development.accountLinking?.value).toMatchObject({ clientSecret: HOME_HUB_SECRET });

    const again = await runCli([...args, "--json"], env, { cwd: dir });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      outcome: "deployed",
      locales: {},
      package: { import: "skipped" },
    });
    expect(fake.callsTo("importPackage")).toHaveLength(1);
  });

  it("deploy-model: an HTTPS endpoint is refused before any call (Alexa calls smart-home skills through Lambda)", async () => {
    writeProject(dir);
    const result = await runCli(
      [
        "deploy-model",
        "--endpoint",
        "https://hub.example.com/alexa",
        "--skill-id",
        FAKE_SKILL_ID,
        "--package",
        pkg,
      ],
      env,
      { cwd: dir },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/apis\.smartHome needs a Lambda function ARN/);
    expect(fake.calls.filter((call) => call.service === "smapi")).toEqual([]);
  });
});

describe("skillship status on a released smart-home skill", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("names the kind, and heads the recorded hash as the package's", async () => {
    w = await startReleaseWorld({ packageRoot: HOME_HUB_PACKAGE, allLambdaClients: true });
    w.changeManifest();
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });

    const env = {
      ...w.fake.env,
      ...plainEnv,
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "y",
    };
    const outputs = writeOutputs(prodOutputs as unknown as Record<string, unknown>);
    const result = await runCli(["status", "--outputs", outputs], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `Skill ${FAKE_SKILL_ID} (smart home, no interaction model; prod stack, lambda endpoint)`,
    );
    expect(result.stdout).toMatch(/│ alias\s+│ version\s+│ release\s+│ commit\s+│ package\s+│ live\s+│/);
    expect(result.stdout).toMatch(
      new RegExp(`│ blue\\s+│ 2\\s+│ v1\\.0\\.0\\s+│ 0123456789ab\\s+│ ${modelHashOf(w.pkg)}\\s+│ live`),
    );
    const json = JSON.parse((await runCli(["status", "--outputs", outputs, "--json"], env)).stdout);
    expect(json).toMatchObject({ api: "smartHome", liveColour: "blue", readyToPublish: false });
  });
});

describe("skillship release, release watch, publish, rollback, withdraw on a smart-home package (CLI)", () => {
  const BUNDLE = "aG9tZS1odWItYnVuZGxlLTE=";
  const fastWait = ["--poll-interval", "1ms", "--timeout", "20s"];
  let fake: FakeSmapi;
  let lambda: LambdaModel;
  let env: Record<string, string | undefined>;
  let outputs: string;
  let build: string;
  let pkg: string;
  let cwd: string;

  beforeEach(async () => {
    ({ fake, lambda, env, outputs, build, pkg } = await startReleaseCli(
      BUNDLE,
      { buildPolls: 1, certificationPolls: 2, publicationPolls: 1 },
      HOME_HUB_PACKAGE,
    ));
    env = { ...env, [HOME_HUB_SECRET_ENV]: HOME_HUB_SECRET };
    cwd = join(pkg, "..");
    writeProject(cwd);
    dropPermission(pkg);
  });

  afterEach(async () => {
    lambda.restore();
    await fake.close();
  });

  const cli = (args: string[], more: Record<string, string | undefined> = {}) =>
    runCli(args, { ...env, ...more }, { cwd });

  it("--dry-run: the plan imports the package with no model to build, and changes nothing", async () => {
    const result = await cli(releaseCommand({ outputs, build, pkg }, "v1.0.0", ...fastWait, "--dry-run"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("imported, with no interaction model to build,");
    expect(result.stdout).toMatch(
      /3\. Upload the skill package .* wait for the import \(no interaction model to build\)/,
    );
    expect(result.stdout).toMatch(
      /5\. Run Alexa's certification validations on the development stage \(de-DE, en-AU, en-GB, en-US, fr-CA, fr-FR, ja-JP\)/,
    );
    expect(lambda.versions).toHaveLength(1);
    expect(fake.calls.filter((call) => call.service === "smapi" && call.method !== "GET")).toEqual([]);
  });

  it("releases, watches, publishes, ships code only, rolls back; withdraws a pending one", async () => {
    const released = await cli(releaseCommand({ outputs, build, pkg }, "v1.0.0", ...fastWait, "--json"));
    expect(released.code).toBe(0);
    expect(JSON.parse(released.stdout)).toMatchObject({ path: "candidate", version: "2", applied: true });
    expect(released.stdout).not.toContain(HOME_HUB_SECRET);
    expect(fake.callsTo("getInteractionModel")).toEqual([]);

    const watched = await cli(["release", "watch", "--outputs", outputs, "--json", ...fastWait]);
    expect(JSON.parse(watched.stdout)).toMatchObject({ outcome: "certified", readyToPublish: true });
    expect((await cli(["publish", "--outputs", outputs, ...fastWait])).code).toBe(0);
    expect(fake.skill().liveVersion).toBe("1");

    // New code, same package: no certification, the live alias moves (all at once here; a canary by default).
    lambda.deploy("aG9tZS1odWItYnVuZGxlLTI=");
    writeFileSync(
      build,
      JSON.stringify({ codeSha256: "aG9tZS1odWItYnVuZGxlLTI=", rawBytes: 1, gzipBytes: 1 }),
    );
    const codeOnly = await cli(
      releaseCommand({ outputs, build, pkg }, "v1.0.1", ...fastWait, "--all-at-once", "--json"),
    );
    expect(JSON.parse(codeOnly.stdout)).toMatchObject({ path: "code-only", version: "3" });
    expect(fake.skill().certifications).toHaveLength(1);

    const back = await cli(["rollback", "--outputs", outputs, "--json", ...fastWait]);
    expect(back.code).toBe(0);
    expect(JSON.parse(back.stdout)).toMatchObject({ path: "code" });
    expect(lambda.aliases.blue.functionVersion).toBe("2");

    // A package change goes to certification again; withdrawn, the development stage goes back.
    const file = join(pkg, "skill.json");
    const document = JSON.parse(readFileSync(file, "utf8"));
    document.manifest.publishingInformation.locales["en-US"].updatesDescription = "Shutters stop halfway.";
    writeFileSync(file, JSON.stringify(document, null, 2));
    fake.knobs.certificationPolls = 50;
    const second = await cli(releaseCommand({ outputs, build, pkg }, "v1.1.0", ...fastWait, "--json"));
    expect(JSON.parse(second.stdout)).toMatchObject({ path: "candidate" });
    const withdrawn = await cli([
      "withdraw",
      "--outputs",
      outputs,
      "--reason",
      "DISCOVERED_ISSUE",
      ...fastWait,
    ]);
    expect(withdrawn.code).toBe(0);
    expect(fake.skill().certifications.map((c) => c.status)).toEqual(["SUCCEEDED", "CANCELLED"]);
    expect(endpointOf(fake.skill().stages.development.manifest?.value)).toBe(DEV);
  });

  it("a missing account linking secret: exit 2 naming the variable, nothing changed", async () => {
    const result = await cli(releaseCommand({ outputs, build, pkg }, "v1.0.0", ...fastWait), {
      [HOME_HUB_SECRET_ENV]: undefined,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `Environment variable ${HOME_HUB_SECRET_ENV} (or ASK_ACCOUNT_LINKING_CLIENT_SECRET) is required`,
    );
    expect(lambda.versions).toHaveLength(1);
    expect(fake.calls.filter((call) => call.service === "smapi" && call.method !== "GET")).toEqual([]);
  });
});

/**
 * `skillship import`'s domain: the export waited for and downloaded from the fake Skill Management API, unpacked
 * only inside the folder, and put in place whole or not at all.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { strToU8, zipSync } from "fflate";
import { createSkillsPort } from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { ConfigError, OperationError, StillWaitingError } from "../../../../scripts/lib/core/errors";
import { importSkillPackage, unpackSkillPackage } from "../../../../scripts/lib/package/export";
import { readSkillPackage } from "../../../../scripts/lib/package/skill-package";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../../testkit/fakes/smapi";

const fast = { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 };
const wait = { pollIntervalMs: 1, timeoutMs: 10_000 };

function zip(files: Record<string, string>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)])));
}

describe("unpackSkillPackage", () => {
  it("reads the files by their path in the package", () => {
    const files = unpackSkillPackage(
      zip({ "skill.json": "{}", "interactionModels/custom/en-US.json": "{}", "assets/icon.png": "png" }),
      "the export",
    );
    expect([...files.keys()].sort()).toEqual([
      "assets/icon.png",
      "interactionModels/custom/en-US.json",
      "skill.json",
    ]);
  });

  it("reads a package whose files sit in one top folder from that folder", () => {
    const files = unpackSkillPackage(
      zip({ "skill-package/skill.json": "{}", "skill-package/interactionModels/custom/de-DE.json": "{}" }),
      "the export",
    );
    expect([...files.keys()].sort()).toEqual(["interactionModels/custom/de-DE.json", "skill.json"]);
  });

  it.each([
    ["../outside.json"],
    ["interactionModels/../../outside.json"],
    ["/etc/passwd"],
    ["C:/Windows/win.ini"],
    ["..\\outside.json"],
    ["a//b.json"],
  ])("refuses the whole package when an entry is %j", (name) => {
    const unpack = () => unpackSkillPackage(zip({ "skill.json": "{}", [name]: "x" }), "export 7");
    expect(unpack).toThrow(OperationError);
    expect(unpack).toThrow(/export 7 has an entry outside the skill package folder/);
  });

  it("refuses what is not a zip, and a zip without skill.json", () => {
    expect(() => unpackSkillPackage(strToU8("<Error/>"), "export 7")).toThrow(/export 7 is not a zip file/);
    expect(() => unpackSkillPackage(zip({ "README.md": "x" }), "export 7")).toThrow(/holds no skill\.json/);
  });
});

describe("importSkillPackage against the fake Skill Management API", () => {
  let fake: FakeSmapi;
  let dir: string;

  beforeEach(async () => {
    const repo = await readSkillPackage("skill-package");
    fake = await startFakeSmapi({
      exportPolls: 2,
      skills: [{ skillId: FAKE_SKILL_ID, development: { manifest: repo.manifest, models: repo.models } }],
    });
    dir = await mkdtemp(path.join(tmpdir(), "skillship-import-"));
  });

  afterEach(async () => {
    await fake.close();
  });

  const skills = () => createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

  it("writes the stage's package into the folder, readable as the repository's", async () => {
    const target = path.join(dir, "skill-package");
    const result = await importSkillPackage(skills(), {
      skillId: FAKE_SKILL_ID,
      stage: "development",
      target,
      force: false,
      wait,
    });
    expect(result.replaced).toBe(false);
    expect(result.files).toContain("skill.json");
    const imported = await readSkillPackage(target);
    const repo = await readSkillPackage("skill-package");
    expect(imported.manifest).toEqual(repo.manifest);
    expect(imported.models).toEqual(repo.models);
    expect(fake.callsTo("getExport")).toHaveLength(2);
    // Nothing is left beside it.
    expect(await readdir(dir)).toEqual(["skill-package"]);
  });

  it("refuses a folder that holds files before any call, and replaces it with --force", async () => {
    const target = path.join(dir, "skill-package");
    await mkdir(target);
    await writeFile(path.join(target, "notes.txt"), "mine");
    const options = { skillId: FAKE_SKILL_ID, stage: "development" as const, target, force: false, wait };
    await expect(importSkillPackage(skills(), options)).rejects.toThrow(ConfigError);
    await expect(importSkillPackage(skills(), options)).rejects.toThrow(/already holds files: .*--force/);
    expect(fake.callsTo("createExport")).toHaveLength(0);

    const result = await importSkillPackage(skills(), { ...options, force: true });
    expect(result.replaced).toBe(true);
    expect(existsSync(path.join(target, "notes.txt"))).toBe(false);
    expect(existsSync(path.join(target, "skill.json"))).toBe(true);
    expect(await readdir(dir)).toEqual(["skill-package"]);
  });

  it("leaves the folder as it was when the export fails, the archive is hostile or the wait runs out", async () => {
    const target = path.join(dir, "skill-package");
    await mkdir(target);
    await writeFile(path.join(target, "skill.json"), "mine");
    const options = { skillId: FAKE_SKILL_ID, stage: "development" as const, target, force: true, wait };

    fake.knobs.exportOutcome = "FAILED";
    await expect(importSkillPackage(skills(), options)).rejects.toThrow(/could not export the skill package/);

    fake.knobs.exportOutcome = "SUCCEEDED";
    fake.knobs.exportZip = () => zip({ "skill.json": "{}", "../../escaped.json": "{}" });
    await expect(importSkillPackage(skills(), options)).rejects.toThrow(
      /entry outside the skill package folder/,
    );
    expect(existsSync(path.join(dir, "..", "escaped.json"))).toBe(false);

    fake.knobs.exportPolls = 1000;
    await expect(
      importSkillPackage(skills(), { ...options, wait: { pollIntervalMs: 1, timeoutMs: 20 } }),
    ).rejects.toThrow(StillWaitingError);

    expect(await readFile(path.join(target, "skill.json"), "utf8")).toBe("mine");
    expect(await readdir(dir)).toEqual(["skill-package"]);
  });
});

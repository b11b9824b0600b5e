/**
 * The Pulumi program finds a project's skill package on its own (`infra/` imports nothing from `scripts/`): these
 * tests join it to the CLI's project reader, so that the stack and the CLI always read the same `skill.json`.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readPackageLocales, skillPackageFolder, SkillLocalesError } from "../../infra/skill-locales";
import { readProject } from "../../scripts/lib/project/read";

const repoRoot = path.resolve(__dirname, "..", "..");

function project(files: Record<string, unknown>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "skillship-project-"));
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    const text = typeof content === "string" ? content : JSON.stringify(content);
    fs.writeFileSync(path.join(root, name), text);
  }
  return root;
}

const manifest = (locales: string[]) => ({
  manifest: { publishingInformation: { locales: Object.fromEntries(locales.map((l) => [l, {}])) } },
});

describe("the skill package the stack reads is the CLI's", () => {
  it.each([
    ["Jokebox (skillship.json with the default package)", () => repoRoot],
    ["the home-hub sample", () => path.join(repoRoot, "examples", "home-hub")],
    [
      "a project file naming another folder, read from a subfolder",
      () => {
        const root = project({ "skillship.json": { skillPackage: "alexa/pkg" }, "infra/.keep": "" });
        return path.join(root, "infra");
      },
    ],
    [
      "an ASK CLI project",
      () => project({ "ask-resources.json": { profiles: { default: { skillMetadata: { src: "./sp" } } } } }),
    ],
    [
      "an ASK CLI project without skillMetadata",
      () => project({ "ask-resources.json": { profiles: { default: {} } } }),
    ],
    [
      "skillship.json beside ask-resources.json",
      () =>
        project({
          "skillship.json": { skillPackage: "mine" },
          "ask-resources.json": { profiles: { default: { skillMetadata: { src: "theirs" } } } },
        }),
    ],
  ])("%s", (_label, folder) => {
    const cwd = folder();
    expect(skillPackageFolder(cwd)).toBe(readProject({ cwd }).paths.skillPackage);
  });

  it("reads the home-hub sample's locales from its package", () => {
    const home = path.join(repoRoot, "examples", "home-hub");
    expect(readPackageLocales(home)).toEqual({
      file: path.join(home, "skill-package", "skill.json"),
      locales: ["en-US", "fr-CA", "en-GB", "fr-FR", "de-DE", "en-AU", "ja-JP"],
    });
  });

  it("falls back to skill-package/ beside the program when there is no project file, as the CLI does", () => {
    const root = project({ "skill-package/skill.json": manifest(["de-DE"]) });
    expect(readPackageLocales(root).locales).toEqual(["de-DE"]);
  });
});

describe("a project the stack cannot read", () => {
  const messageOf = (root: string): string => {
    try {
      readPackageLocales(root);
    } catch (error) {
      expect(error).toBeInstanceOf(SkillLocalesError);
      return (error as Error).message;
    }
    throw new Error("the locales were read");
  };

  it("names an ASK CLI project without a default profile", () => {
    const root = project({ "ask-resources.json": { profiles: { beta: {} } } });
    expect(messageOf(root)).toBe(
      `${path.join(root, "ask-resources.json")} has no profile "default", the one the stack reads the skill package of`,
    );
  });

  it("names a skillPackage that is not a path", () => {
    const root = project({ "skillship.json": { skillPackage: 3 } });
    expect(messageOf(root)).toBe(
      `${path.join(root, "skillship.json")}: "skillPackage" must be a folder path (got 3)`,
    );
  });

  it("names a skill.json without a manifest", () => {
    const root = project({ "skillship.json": {}, "skill-package/skill.json": { publishing: {} } });
    expect(messageOf(root)).toBe(
      `${path.join(root, "skill-package", "skill.json")} publishes no locale ` +
        "(manifest.publishingInformation.locales is empty)",
    );
  });
});

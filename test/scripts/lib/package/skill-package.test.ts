import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  invocationName,
  packageLocales,
  readSkillPackage,
  SkillPackageError,
} from "../../../../scripts/lib/package/skill-package";
import { ConfigError } from "../../../../scripts/lib/core/errors";

const model = (name: string) => ({
  interactionModel: { languageModel: { invocationName: name, intents: [] } },
});

async function writePackage(root: string, files: Record<string, string | object>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, ".."), { recursive: true });
    await writeFile(
      join(root, path),
      typeof content === "string" ? content : JSON.stringify(content, null, 2),
    );
  }
}

describe("readSkillPackage", () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), "skillship-pkg-"));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("reads the real package: manifest, five models, their invocation names", async () => {
    const pkg = await readSkillPackage("skill-package");
    expect(pkg.root).toBe("skill-package");
    expect(pkg.manifest).toHaveProperty("manifest.publishingInformation");
    expect(packageLocales(pkg)).toEqual(["de-DE", "en-GB", "en-US", "es-ES", "fr-FR"]);
    expect(invocationName(pkg, "en-US")).toBe("joke box");
    expect(invocationName(pkg, "en-GB")).toBe("joke box");
    expect(invocationName(pkg, "de-DE")).toBe("witze kiste");
    expect(invocationName(pkg, "fr-FR")).toBe("boîte à blagues");
    expect(invocationName(pkg, "es-ES")).toBe("caja de chistes");
    expect(pkg.accountLinking).toBeUndefined();
  });

  it("keeps every file as written, with the optional account linking file", async () => {
    const manifest = { manifest: { publishingInformation: { locales: {} } } };
    const linking = { accountLinkingRequest: { type: "AUTH_CODE" } };
    await writePackage(root, {
      "skill.json": manifest,
      "accountLinking.json": linking,
      "interactionModels/custom/fr-FR.json": model("boîte à blagues"),
      "interactionModels/custom/en-US.json": model("joke box"),
      "interactionModels/custom/README.md": "not a model",
    });
    const pkg = await readSkillPackage(root);
    expect(pkg).toEqual({
      root,
      manifest,
      accountLinking: linking,
      models: { "en-US": model("joke box"), "fr-FR": model("boîte à blagues") },
      // Every other file is kept as bytes: the package goes up whole.
      files: { "interactionModels/custom/README.md": new TextEncoder().encode("not a model") },
    });
    expect(packageLocales(pkg)).toEqual(["en-US", "fr-FR"]);
  });

  it("keeps the package's other files as bytes (the real icons), leaves dot files out and refuses a link", async () => {
    const real = await readSkillPackage("skill-package");
    expect(Object.keys(real.files ?? {})).toEqual([
      "assets/images/icon-108.png",
      "assets/images/icon-512.png",
    ]);

    await writePackage(root, {
      "skill.json": { manifest: {} },
      "assets/images/icon.png": "png bytes",
      ".DS_Store": "finder",
      "assets/.gitkeep": "",
    });
    expect(Object.keys((await readSkillPackage(root)).files ?? {})).toEqual(["assets/images/icon.png"]);

    await symlink(join(root, "assets", "images", "icon.png"), join(root, "assets", "link.png"));
    const error = await readSkillPackage(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillPackageError);
    expect((error as Error).message).toContain(`${join(root, "assets", "link.png")} is not a regular file`);
  });

  it("names the missing skill.json", async () => {
    await writePackage(root, { "interactionModels/custom/en-US.json": model("joke box") });
    const error = await readSkillPackage(root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SkillPackageError);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(`${join(root, "skill.json")} is missing`);
  });

  it("gives the line and column of invalid JSON", async () => {
    await writePackage(root, {
      "skill.json": { manifest: {} },
      "interactionModels/custom/de-DE.json": '{\n  "interactionModel": {\n    "languageModel": {},\n  }\n}\n',
    });
    const error = (await readSkillPackage(root).catch((e: unknown) => e)) as SkillPackageError;
    expect(error.problems).toHaveLength(1);
    expect(error.message).toMatch(/de-DE\.json is not valid JSON at line 4, column 3/);
  });

  it("lists every broken file at once: not an object, not a locale name, truncated JSON", async () => {
    await writePackage(root, {
      "skill.json": "[1, 2]",
      "interactionModels/custom/english.json": model("joke box"),
      "interactionModels/custom/es-ES.json": '{ "interactionModel": ',
    });
    const error = (await readSkillPackage(root).catch((e: unknown) => e)) as SkillPackageError;
    expect(error.problems).toEqual([
      `${join(root, "skill.json")} must hold a JSON object, found an array`,
      expect.stringContaining("english.json is not named after a locale"),
      expect.stringMatching(/es-ES\.json is not valid JSON at line 1, column \d+/),
    ]);
    expect(error.message).toContain("3 problems");
  });
});

describe("invocationName", () => {
  it("names the file when the locale has no model or the model no invocation name", () => {
    const pkg = {
      root: "pkg",
      manifest: {},
      models: { "en-US": { interactionModel: { languageModel: {} } } },
    };
    expect(() => invocationName(pkg, "de-DE")).toThrow(/de-DE\.json is missing.*it has en-US/);
    expect(() => invocationName(pkg, "en-US")).toThrow(
      /en-US\.json: interactionModel\.languageModel\.invocationName must be a non-empty string/,
    );
  });
});

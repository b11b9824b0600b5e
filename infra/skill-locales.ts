/**
 * The locales a project's skill package publishes, for a smart-home stack that serves the Alexa regions of its
 * locales (`skillship:alexaRegions` unset). The package is found the way the CLI finds it: `skillship.json` (its
 * `skillPackage`, default `skill-package`), else the ASK CLI's `ask-resources.json` (the `default` profile's
 * `skillMetadata.src`), searched from the program's folder up. `infra/` imports nothing from `scripts/`, so this
 * reads only those keys; `test/infra/skill-locales.test.ts` joins it to the CLI's project reader.
 */
import * as fs from "node:fs";
import * as path from "node:path";

/** The locales of `manifest.publishingInformation.locales`, and the `skill.json` they were read from. */
export interface PackageLocales {
  file: string;
  locales: string[];
}

/** What went wrong, said for a person: which file, and what is wrong with it. */
export class SkillLocalesError extends Error {
  override name = "SkillLocalesError";
}

const PROJECT_FILE = "skillship.json";
const ASK_RESOURCES_FILE = "ask-resources.json";
const DEFAULT_PACKAGE = "skill-package";

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SkillLocalesError(
      code === "ENOENT" ? `${file} does not exist` : `${file} cannot be read (${code ?? String(error)})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SkillLocalesError(`${file} is not valid JSON (${(error as Error).message})`);
  }
}

/** A non-empty string at `value[key]`, or undefined when absent; anything else is an error naming the key. */
function optionalString(value: Json, key: string, where: string): string | undefined {
  const found = value[key];
  if (found === undefined) return undefined;
  if (typeof found !== "string" || found.trim() === "") {
    throw new SkillLocalesError(`${where}: "${key}" must be a folder path (got ${JSON.stringify(found)})`);
  }
  return found.trim();
}

/** The skill package folder of the project `root` is in: absolute, or undefined without a project file. */
export function skillPackageFolder(root: string): string | undefined {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    const projectFile = path.join(dir, PROJECT_FILE);
    if (fs.existsSync(projectFile)) {
      const settings = readJson(projectFile);
      if (!isObject(settings)) throw new SkillLocalesError(`${projectFile} must hold a JSON object`);
      return path.resolve(dir, optionalString(settings, "skillPackage", projectFile) ?? DEFAULT_PACKAGE);
    }
    const resourcesFile = path.join(dir, ASK_RESOURCES_FILE);
    if (fs.existsSync(resourcesFile)) {
      const resources = readJson(resourcesFile);
      const profile =
        isObject(resources) && isObject(resources.profiles) ? resources.profiles.default : undefined;
      if (!isObject(profile)) {
        throw new SkillLocalesError(
          `${resourcesFile} has no profile "default", the one the stack reads the skill package of`,
        );
      }
      const metadata = isObject(profile.skillMetadata) ? profile.skillMetadata : {};
      const where = `${resourcesFile} (profiles.default.skillMetadata)`;
      return path.resolve(dir, optionalString(metadata, "src", where) ?? DEFAULT_PACKAGE);
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The locales the package of the project `root` is in publishes (without a project file, the `skill-package`
 * folder of `root`, as the CLI does). Throws a {@link SkillLocalesError} naming the file when it cannot tell.
 */
export function readPackageLocales(root: string): PackageLocales {
  const folder = skillPackageFolder(root) ?? path.resolve(root, DEFAULT_PACKAGE);
  const file = path.join(folder, "skill.json");
  const skill = readJson(file);
  const manifest = isObject(skill) && isObject(skill.manifest) ? skill.manifest : undefined;
  const publishing = manifest !== undefined ? manifest.publishingInformation : undefined;
  const locales = isObject(publishing) ? publishing.locales : undefined;
  if (!isObject(locales) || Object.keys(locales).length === 0) {
    throw new SkillLocalesError(
      `${file} publishes no locale (manifest.publishingInformation.locales is empty)`,
    );
  }
  return { file, locales: Object.keys(locales) };
}

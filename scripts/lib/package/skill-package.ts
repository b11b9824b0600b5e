/**
 * Reads a skill package in the ASK CLI layout: `skill.json`, `interactionModels/custom/<locale>.json` and an
 * optional `accountLinking.json`. Every file is kept exactly as written (the same envelopes the Skill Management
 * API speaks: `{ manifest }`, `{ interactionModel }`), so the release engine can diff and upload them unchanged.
 * Every other file of the folder (icons under `assets/`, in-skill products, …) is kept as bytes: the package
 * goes up whole.
 */
import { readdir, readFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { ConfigError } from "../core/errors";
import { parseJson } from "../core/json";

/** A skill package as read from disk. Paths are relative to the working directory, as given. */
export interface SkillPackage {
  /** The package folder, as passed to {@link readSkillPackage}. */
  root: string;
  /** The content of `skill.json`: `{ manifest: { publishingInformation, apis, privacyAndCompliance, … } }`. */
  manifest: Record<string, unknown>;
  /** Each locale's interaction model file: `{ interactionModel: { languageModel: { invocationName, intents } } }`. */
  models: Record<string, Record<string, unknown>>;
  /** The content of `accountLinking.json`, when the package has one. */
  accountLinking?: Record<string, unknown>;
  /**
   * Every other file of the package (path relative to the package, `/`-separated → bytes), e.g.
   * `assets/images/icon-108.png`; absent when there is none. Dot files are left out, as the ASK CLI does.
   */
  files?: Record<string, Uint8Array>;
}

/** A skill package file that is missing, unreadable or not a JSON object. Exit 2, like any configuration error. */
export class SkillPackageError extends ConfigError {
  /** Every problem found, each naming its file. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(
      problems.length === 1
        ? `Skill package: ${problems[0]}`
        : `Skill package has ${problems.length} problems:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
      options,
    );
    this.problems = problems;
  }
}

/** The folder of the custom interaction models inside a package. */
export const MODELS_DIR: string = join("interactionModels", "custom");

const LOCALE_FILE = /^([a-z]{2})-([A-Z]{2})\.json$/;

/**
 * Reads the package under `root`. Throws a {@link SkillPackageError} listing every file that is missing, is not
 * valid JSON (with line and column) or is not a JSON object; a package without models reads as `models: {}` (the
 * linter says what is missing).
 */
export async function readSkillPackage(root = "skill-package"): Promise<SkillPackage> {
  const problems: string[] = [];
  const causes: unknown[] = [];
  const load = async (file: string, required: boolean): Promise<Record<string, unknown> | undefined> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (isNotFound(error) && !required) return undefined;
      causes.push(error);
      problems.push(
        isNotFound(error)
          ? `${file} is missing: every skill package needs it (see the ASK CLI skill package layout)`
          : `${file} cannot be read: ${(error as Error).message}`,
      );
      return undefined;
    }
    const parsed = parseJson(file, text);
    if (!parsed.ok) {
      causes.push(parsed.error);
      problems.push(parsed.message);
      return undefined;
    }
    if (!isRecord(parsed.value)) {
      problems.push(`${file} must hold a JSON object, found ${describe(parsed.value)}`);
      return undefined;
    }
    return parsed.value;
  };

  const manifest = await load(join(root, "skill.json"), true);
  const accountLinking = await load(join(root, "accountLinking.json"), false);

  const models: Record<string, Record<string, unknown>> = {};
  const modelsDir = join(root, MODELS_DIR);
  let entries: string[] = [];
  try {
    entries = (await readdir(modelsDir)).sort();
  } catch (error) {
    if (!isNotFound(error)) {
      causes.push(error);
      problems.push(`${modelsDir} cannot be read: ${(error as Error).message}`);
    }
  }
  for (const entry of entries.filter((name) => name.endsWith(".json"))) {
    const match = LOCALE_FILE.exec(entry);
    if (!match) {
      problems.push(
        `${join(modelsDir, entry)} is not named after a locale: interaction model files are <locale>.json, e.g. en-US.json`,
      );
      continue;
    }
    const model = await load(join(modelsDir, entry), true);
    if (model) models[entry.slice(0, -".json".length)] = model;
  }

  const files: Record<string, Uint8Array> = {};
  await readOtherFiles(root, "", files, problems, causes);

  if (problems.length > 0 || manifest === undefined) {
    throw new SkillPackageError(problems, { cause: causes.length === 1 ? causes[0] : causes });
  }
  return {
    root,
    manifest,
    models,
    ...(accountLinking === undefined ? {} : { accountLinking }),
    ...(Object.keys(files).length === 0 ? {} : { files }),
  };
}

/** The package's own files, read as JSON by {@link readSkillPackage}: not kept as bytes. */
function isReadAsJson(path: string): boolean {
  return (
    path === "skill.json" ||
    path === "accountLinking.json" ||
    (path.startsWith("interactionModels/custom/") && LOCALE_FILE.test(posix.basename(path)))
  );
}

async function readOtherFiles(
  root: string,
  relative: string,
  files: Record<string, Uint8Array>,
  problems: string[],
  causes: unknown[],
): Promise<void> {
  let entries;
  try {
    entries = await readdir(join(root, relative), { withFileTypes: true });
  } catch (error) {
    // A missing package folder is reported once, as its missing skill.json.
    if (!isNotFound(error)) {
      causes.push(error);
      problems.push(`${join(root, relative)} cannot be read: ${(error as Error).message}`);
    }
    return;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith(".")) continue;
    const path = relative === "" ? entry.name : `${relative}/${entry.name}`;
    if (entry.isDirectory()) {
      await readOtherFiles(root, path, files, problems, causes);
    } else if (entry.isFile()) {
      if (isReadAsJson(path)) continue;
      try {
        files[path] = new Uint8Array(await readFile(join(root, path)));
      } catch (error) {
        causes.push(error);
        problems.push(`${join(root, path)} cannot be read: ${(error as Error).message}`);
      }
    } else {
      problems.push(
        `${join(root, path)} is not a regular file (a link or a device): the skill package goes up as plain ` +
          "files; put the file itself there",
      );
    }
  }
}

/** The locales that have an interaction model, sorted. */
export function packageLocales(pkg: SkillPackage): string[] {
  return Object.keys(pkg.models).sort();
}

/**
 * The invocation name of the locale's interaction model. Throws a {@link ConfigError} naming the file when the
 * locale has no model or the model no invocation name.
 */
export function invocationName(pkg: SkillPackage, locale: string): string {
  const file = join(pkg.root, MODELS_DIR, `${locale}.json`);
  const model = pkg.models[locale];
  if (model === undefined) {
    throw new ConfigError(
      `${file} is missing: the skill package has no interaction model for ${locale} (it has ${packageLocales(pkg).join(", ") || "none"})`,
    );
  }
  const name = getPath(model, ["interactionModel", "languageModel", "invocationName"]);
  if (typeof name !== "string" || name.trim() === "") {
    throw new ConfigError(
      `${file}: interactionModel.languageModel.invocationName must be a non-empty string`,
    );
  }
  return name;
}

/** Reads a nested property, or undefined when any step is not an object. */
export function getPath(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

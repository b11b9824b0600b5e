/**
 * An ASK CLI project read as it is: `ask-resources.json` names, per profile, the skill package folder
 * (`skillMetadata.src`), the code folder (`code.default.src`) and the Lambda handler
 * (`skillInfrastructure.userConfig.handler`, `index.handler` by default); `.ask/ask-states.json` holds the skill id
 * the ASK CLI deployed for that profile. Only these keys are read; the ASK CLI keeps owning the files.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../core/errors";
import { readJsonFile } from "../core/json";

/** The ASK CLI's resources file. */
export const ASK_RESOURCES_FILE: string = "ask-resources.json";
/** The ASK CLI's deploy state, beside the resources file. */
export const ASK_STATES_FILE: string = path.join(".ask", "ask-states.json");

/** What an ASK CLI project tells about one profile. */
export interface AskCliProfile {
  /** The skill package folder, relative to the project root. */
  skillPackage: string;
  /** The code module Lambda runs, relative to the project root (extension resolved when the file exists). */
  entry?: string;
  /** The skill id the ASK CLI deployed for the profile, when it did. */
  skillId?: string;
}

type Json = Record<string, unknown>;

function objectAt(value: unknown, keys: readonly string[]): Json | undefined {
  let current: unknown = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as Json)[key];
  }
  return current !== null && typeof current === "object" && !Array.isArray(current)
    ? (current as Json)
    : undefined;
}

function stringAt(value: unknown, keys: readonly string[]): string | undefined {
  const parent = objectAt(value, keys.slice(0, -1));
  const found = parent?.[keys[keys.length - 1]];
  return typeof found === "string" && found.trim() !== "" ? found.trim() : undefined;
}

/** The module file of a Lambda handler string (`index.handler` → `<codeDir>/index`), with its extension when found. */
function entryOf(root: string, codeDir: string, handler: string): string {
  const file = handler.includes(".") ? handler.slice(0, handler.lastIndexOf(".")) : "index";
  const base = path.join(codeDir, file);
  for (const extension of [".js", ".ts", ".cjs", ".mjs"]) {
    if (existsSync(path.join(root, base + extension))) return base + extension;
  }
  return `${base}.js`;
}

/**
 * Reads `ask-resources.json` under `root` for `profile`, and the skill id of `.ask/ask-states.json` (or, in
 * older projects, of the resources file). A missing profile is a {@link ConfigError} listing those there are.
 */
export function readAskCliProject(root: string, profile: string): AskCliProfile {
  const file = path.join(root, ASK_RESOURCES_FILE);
  const resources = readJsonFile(file);
  const profiles = objectAt(resources, ["profiles"]) ?? {};
  const entry = objectAt(profiles, [profile]);
  if (entry === undefined) {
    const known = Object.keys(profiles);
    throw new ConfigError(
      `${file} has no profile "${profile}" (it has ${known.length === 0 ? "none" : known.join(", ")}): ` +
        "pass --profile NAME or set ASK_DEFAULT_PROFILE, or add skillship.json beside it",
    );
  }
  const skillPackage = stringAt(entry, ["skillMetadata", "src"]) ?? "skill-package";
  const codeDir =
    stringAt(entry, ["code", "default", "src"]) ??
    Object.values(objectAt(entry, ["code"]) ?? {})
      .map((region) => stringAt(region, ["src"]))
      .find((src) => src !== undefined);
  const handler = stringAt(entry, ["skillInfrastructure", "userConfig", "handler"]) ?? "index.handler";
  const statesFile = path.join(root, ASK_STATES_FILE);
  const states = existsSync(statesFile) ? readJsonFile(statesFile) : undefined;
  const skillId =
    stringAt(states, ["profiles", profile, "skillId"]) ?? stringAt(entry, ["skillId"]) ?? undefined;
  return {
    skillPackage: path.normalize(skillPackage),
    ...(codeDir === undefined ? {} : { entry: entryOf(root, path.normalize(codeDir), handler) }),
    ...(skillId === undefined ? {} : { skillId }),
  };
}

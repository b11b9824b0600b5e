/**
 * Finds and reads the project a command works on: `skillship.json`, else the ASK CLI's `ask-resources.json`,
 * searched from the working directory up; without either, this repository's layout (the schema's defaults) in
 * the working directory. A wrong `skillship.json` is one {@link ConfigError} listing every problem with its key
 * and what to do.
 */
import { existsSync } from "node:fs";
import * as path from "node:path";
import type { z } from "zod";
import { ConfigError } from "../core/errors";
import { LINT_RULES } from "../package/lint/rules";
import { getPath } from "../package/skill-package";
import { readJsonFile } from "../core/json";
import { ASK_RESOURCES_FILE, readAskCliProject } from "./ask-cli";
import { skillKind, type SkillKind } from "./kinds";
import { PROJECT_FILE_KEYS, projectFileSchema, type ProjectFile } from "./schema";

/** The project file's name. */
export const PROJECT_FILE = "skillship.json";

/** The ASK CLI profile used when none is named (as the ASK CLI does). */
export const DEFAULT_PROFILE = "default";

/** Where the project's description came from. */
export type ProjectSource = "skillship.json" | "ask-resources.json" | "defaults";

/** A project: its settings with defaults filled in, and its paths made absolute. */
export interface Project {
  /** The folder the project's paths are relative to. */
  readonly root: string;
  readonly source: ProjectSource;
  /** The file read (absolute), unless the defaults were used. */
  readonly file?: string;
  /** The ASK CLI profile: chooses the `ask-resources.json` profile and the ASK CLI credentials. */
  readonly profile: string;
  readonly kind: SkillKind;
  /** The settings, as validated. */
  readonly settings: ProjectFile;
  /** Absolute paths of the settings' files and folders. */
  readonly paths: {
    readonly skillPackage: string;
    readonly entry: string;
    readonly local?: string;
    readonly handlers?: string;
    /** What `skillship dev` watches: the code's folders and the skill package. */
    readonly watch: readonly string[];
  };
  /** The skill id the ASK CLI deployed for the profile (`.ask/ask-states.json`), when known. */
  readonly skillId?: string;
}

/** Options of {@link readProject}. */
export interface ReadProjectOptions {
  /** Where the search starts (the command's working directory). */
  cwd: string;
  /** The profile (`--profile`, else `ASK_DEFAULT_PROFILE`); default {@link DEFAULT_PROFILE}. */
  profile?: string;
}

/** The nearest folder, from `cwd` up, holding `skillship.json` (preferred) or `ask-resources.json`. */
export function findProjectFile(cwd: string): { file: string; source: ProjectSource } | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const [name, source] of [
      [PROJECT_FILE, "skillship.json"],
      [ASK_RESOURCES_FILE, "ask-resources.json"],
    ] as const) {
      const file = path.join(dir, name);
      if (existsSync(file)) return { file, source };
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Reads the project of `options.cwd`. */
export function readProject(options: ReadProjectOptions): Project {
  const profile = options.profile ?? DEFAULT_PROFILE;
  const found = findProjectFile(options.cwd);
  if (found === undefined) {
    return projectOf(path.resolve(options.cwd), "defaults", undefined, profile, projectFileSchema.parse({}));
  }
  const root = path.dirname(found.file);
  if (found.source === "ask-resources.json") {
    const ask = readAskCliProject(root, profile);
    const settings = projectFileSchema.parse({
      skillPackage: ask.skillPackage,
      ...(ask.entry === undefined ? {} : { code: { entry: ask.entry } }),
    });
    return projectOf(root, found.source, found.file, profile, settings, ask.skillId);
  }
  const raw = readJsonFile(found.file);
  const parsed = projectFileSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(issue, raw));
    throw new ConfigError(
      `${found.file} has ${problems.length === 1 ? "a problem" : `${problems.length} problems`}:\n` +
        problems.map((problem) => `  - ${problem}`).join("\n") +
        "\nFix the file (its keys are described in docs/project-file.md) and run the command again.",
      { cause: parsed.error },
    );
  }
  // An ASK CLI project may also have a skillship.json: the skill id the ASK CLI deployed is still its own.
  const ask = existsSync(path.join(root, ASK_RESOURCES_FILE))
    ? readAskCliProject(root, profile).skillId
    : undefined;
  return projectOf(root, found.source, found.file, profile, parsed.data, ask);
}

function projectOf(
  root: string,
  source: ProjectSource,
  file: string | undefined,
  profile: string,
  settings: ProjectFile,
  skillId?: string,
): Project {
  const at = (relative: string) => path.resolve(root, relative);
  const code = settings.code;
  const codeFiles = [code.entry, code.local, code.handlers].filter((f): f is string => f !== undefined);
  const watch = code.watch ?? [...new Set(codeFiles.map((f) => topOf(f)))];
  return {
    root,
    source,
    ...(file === undefined ? {} : { file }),
    profile,
    kind: skillKind(settings.kind),
    settings,
    paths: {
      skillPackage: at(settings.skillPackage),
      entry: at(code.entry),
      ...(code.local === undefined ? {} : { local: at(code.local) }),
      ...(code.handlers === undefined ? {} : { handlers: at(code.handlers) }),
      watch: [...new Set([...watch.map(at), at(settings.skillPackage)])],
    },
    ...(skillId === undefined ? {} : { skillId }),
  };
}

// The folder a path starts in (`skill/handlers/index.ts` → `skill`), or the file itself at the root.
function topOf(relative: string): string {
  const parts = path.normalize(relative).split(path.sep);
  return parts.length > 1 && parts[0] !== ".." ? parts[0] : relative;
}

/** What the project says about a key, for messages: "code.entry (skill/lambda.ts) of skillship.json". */
export function describeSetting(project: Project, key: string, value: string): string {
  const origin =
    project.source === "defaults"
      ? `the default, no ${PROJECT_FILE} found`
      : project.source === "ask-resources.json"
        ? `from ${ASK_RESOURCES_FILE}, profile ${project.profile}`
        : `of ${PROJECT_FILE}`;
  return `${key} (${value}) ${origin}`;
}

/**
 * A path for messages: relative to the process's working directory when it lies under it (as people type
 * paths), absolute otherwise.
 */
export function displayPath(absolute: string): string {
  const relative = path.relative(process.cwd(), absolute);
  return relative === "" ? "." : relative.startsWith("..") || path.isAbsolute(relative) ? absolute : relative;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const key = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    if (key === "lint.rules") {
      return `lint.rules: unknown rule ${issue.keys.map((k) => `"${k}"`).join(", ")}: the rules are ${LINT_RULES.join(", ")}`;
    }
    const keys = PROJECT_FILE_KEYS[key];
    return `${key === "" ? "" : `${key}: `}unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}${
      keys === undefined ? "" : `: the keys here are ${keys.join(", ")}`
    }`;
  }
  if (issue.code === "invalid_type" && getPath(raw, issue.path.map(String)) === undefined) {
    return `${key}: is required (${issue.message})`;
  }
  return `${key || "(the file)"}: ${issue.message}`;
}

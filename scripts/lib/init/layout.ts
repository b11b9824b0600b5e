/**
 * What `skillship init` finds in a folder before it writes anything: how the project is described today
 * (`skillship.json`, an ASK CLI project, or nothing), where the skill package and the code are, the skill id the
 * ASK CLI deployed, the GitHub repository of `origin`, and a name for the Pulumi project.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, realpathSync } from "node:fs";
import * as path from "node:path";
import { findProjectFile, readProject, type ProjectSource } from "../project/read";

/** A folder as `skillship init` finds it. */
export interface Layout {
  /** The folder (absolute). */
  dir: string;
  /** How the folder describes its project today. */
  source: ProjectSource;
  /** The skill package folder, relative to `dir`, and whether it holds a skill.json. */
  skillPackage: { path: string; found: boolean };
  /** The module Lambda runs, relative to `dir`, and whether it exists. */
  entry: { path: string; found: boolean };
  /** The skill id the ASK CLI deployed for the profile, when known. */
  skillId?: string;
  /** `owner/name` of the GitHub repository `origin` points at, when it does. */
  repository?: string;
  /** The root of the git repository the folder is in (absolute), when it is in one. */
  gitRoot?: string;
  /** A Pulumi project name: package.json's name, else the folder's, reduced to what Pulumi accepts. */
  name: string;
  /** The entries of the folder that are not dot-files (an empty folder has none). */
  contents: string[];
}

/** Where skill packages and code entries usually are, in the order they are tried. */
const PACKAGE_CANDIDATES = ["skill-package", "skillPackage", "skill"];
const ENTRY_CANDIDATES = [
  "lambda/index.js",
  "lambda/index.ts",
  "lambda/custom/index.js",
  "src/index.ts",
  "src/index.js",
  "skill/lambda.ts",
  "index.js",
];

/** Reads the folder `dir` as it is, for the ASK CLI profile `profile`. */
export function detectLayout(dir: string, profile?: string): Layout {
  const found = findProjectFile(dir);
  const own = found !== undefined && path.dirname(found.file) === dir ? found : undefined;
  const gitRoot = gitOutput(dir, ["rev-parse", "--show-toplevel"]);
  const base = {
    dir,
    repository: githubRepository(dir),
    ...(gitRoot === undefined ? {} : { gitRoot: realpathSync(gitRoot) }),
    name: projectName(dir),
    contents: readdirSync(dir).filter((entry) => !entry.startsWith(".")),
  };
  if (own !== undefined) {
    const project = readProject({ cwd: dir, profile });
    const relative = (file: string) => path.relative(dir, file).split(path.sep).join("/");
    return {
      ...base,
      source: own.source,
      skillPackage: {
        path: relative(project.paths.skillPackage),
        found: existsSync(path.join(project.paths.skillPackage, "skill.json")),
      },
      entry: { path: relative(project.paths.entry), found: existsSync(project.paths.entry) },
      ...(project.skillId === undefined ? {} : { skillId: project.skillId }),
    };
  }
  const skillPackage = PACKAGE_CANDIDATES.find((candidate) =>
    existsSync(path.join(dir, candidate, "skill.json")),
  );
  const entry = ENTRY_CANDIDATES.find((candidate) => existsSync(path.join(dir, candidate)));
  return {
    ...base,
    source: "defaults",
    skillPackage: { path: skillPackage ?? "skill-package", found: skillPackage !== undefined },
    entry: { path: entry ?? "lambda/index.js", found: entry !== undefined },
  };
}

/** What git prints for `args` in `dir`, trimmed; undefined outside git or when git fails. */
function gitOutput(dir: string, args: string[]): string | undefined {
  try {
    return (
      execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() ||
      undefined
    );
  } catch {
    return undefined;
  }
}

/** `owner/name` of a GitHub `origin` remote (https or ssh form); undefined outside git or for other hosts. */
function githubRepository(dir: string): string | undefined {
  const url = gitOutput(dir, ["remote", "get-url", "origin"]);
  if (url === undefined) return undefined;
  return /github\.com[:/]([A-Za-z0-9-]+\/[A-Za-z0-9._-]+?)(?:\.git)?\/?$/.exec(url)?.[1];
}

/** A Pulumi project name (letters, digits, `-`, `_`, `.`) from package.json's name or the folder's. */
function projectName(dir: string): string {
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  const raw = typeof name === "string" && name !== "" ? name.replace(/^@[^/]+\//, "") : path.basename(dir);
  const cleaned = raw
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "");
  return cleaned === "" ? "skill" : cleaned;
}

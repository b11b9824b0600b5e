/**
 * Loading the skill's own modules, the ones the project file names (`code.local`, `code.handlers`, `code.entry`),
 * into the CLI's process. JavaScript loads as it is. TypeScript loads through tsx's require hook, registered only
 * when a TypeScript module is loaded and taken from the project (`npm install --save-dev tsx`), else from
 * wherever Node finds it beside Skillship: the CLI itself never compiles anything at start.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { ConfigError, OperationError } from "../core/errors";
import { describeSetting, displayPath, type Project } from "./read";

const TYPESCRIPT = /\.[cm]?tsx?$/;

let typeScriptRegistered = false;

/** True once a TypeScript loader is in place: tsx registered by us, or any hook (or Node itself) handling `.ts`. */
function typeScriptLoadable(): boolean {
  const extensions = (createRequire(__filename) as NodeJS.Require & { extensions: Record<string, unknown> })
    .extensions;
  return typeScriptRegistered || extensions[".ts"] !== undefined;
}

/** Registers tsx's require hook, found from the project's root first. False when tsx is not installed. */
function registerTypeScript(root: string): boolean {
  for (const from of [path.join(root, "package.json"), __filename]) {
    let api: { register(): unknown };
    try {
      api = createRequire(from)("tsx/cjs/api") as typeof api;
    } catch {
      continue;
    }
    api.register();
    typeScriptRegistered = true;
    return true;
  }
  return false;
}

/**
 * Requires a module of the skill (`file`, absolute) that the project names under `setting` (e.g. "code.local"),
 * through Node's require cache so `skillship dev` can drop and reload it. A missing file, TypeScript without tsx,
 * or a module that throws while loading is an error naming the setting and the file.
 */
export function requireProjectModule(
  project: Project,
  file: string,
  setting: string,
): Record<string, unknown> {
  const shown = displayPath(file);
  if (!existsSync(file)) {
    throw new ConfigError(
      `${describeSetting(project, setting, shown)} does not exist: fix the path, or create the module`,
    );
  }
  if (TYPESCRIPT.test(file) && !typeScriptLoadable() && !registerTypeScript(project.root)) {
    throw new ConfigError(
      `${describeSetting(project, setting, shown)} is TypeScript, and tsx is not installed to load it: ` +
        "run `npm install --save-dev tsx` in the project, or point the setting at compiled JavaScript",
    );
  }
  try {
    return createRequire(file)(file) as Record<string, unknown>;
  } catch (error) {
    throw new OperationError(
      `${shown} (${setting}) failed to load: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

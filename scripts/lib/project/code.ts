/**
 * Loading the skill's own modules, the ones the project file names (`code.local`, `code.handlers`, `code.entry`),
 * into the CLI's process. JavaScript loads as it is; TypeScript through the hook of typescript.ts, registered
 * when the first TypeScript module is loaded, unless one is in place already (tsx, ts-node, or Node's own).
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { ConfigError, OperationError } from "../core/errors";
import { describeSetting, displayPath, type Project } from "./read";
import { registerTypeScript, typeScriptLoads } from "./typescript";

const TYPESCRIPT = /\.(c?tsx?)$/;

/** Where the transpiled TypeScript of a project is kept between runs. */
export const TYPESCRIPT_CACHE: string = path.join("node_modules", ".cache", "skillship", "ts");

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
  if (file.endsWith(".mts")) {
    throw new ConfigError(
      `${describeSetting(project, setting, shown)} is an ES module in TypeScript (.mts), which the CLI cannot ` +
        "require: use .ts, or point the setting at compiled JavaScript",
    );
  }
  if (TYPESCRIPT.test(file) && !typeScriptLoads()) {
    registerTypeScript(path.join(project.root, TYPESCRIPT_CACHE));
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

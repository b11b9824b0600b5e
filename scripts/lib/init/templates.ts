/**
 * The files `skillship init` lays out, from the package's `templates/` folder: `init/` (the Pulumi project and
 * its stacks, with `{{placeholders}}`) and `sample/` (a minimal custom skill, for `--sample`).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * The package's `templates/` folder, found from this module up: the CLI runs from `dist/cli/` in the package and
 * from `scripts/lib/init/` in a checkout.
 */
export function templatesDir(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const candidate = path.join(dir, "templates");
    if (existsSync(path.join(candidate, "init", "Pulumi.yaml"))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error(`no templates/ folder above ${from}: the skillship package is incomplete`);
    dir = parent;
  }
}

/** Every file under a template folder, by path relative to it (`/` separators), with its text. */
export function templateFiles(folder: string): { path: string; text: string }[] {
  const root = path.join(templatesDir(), folder);
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort()
    .map((file) => ({
      path: path.relative(root, file).split(path.sep).join("/"),
      text: readFileSync(file, "utf8"),
    }));
}

/** Replaces `{{name}}` placeholders; an unknown one is a bug of the template, so it throws. */
export function fill(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`template placeholder {{${name}}} has no value`);
    return value;
  });
}

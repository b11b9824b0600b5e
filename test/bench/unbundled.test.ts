/**
 * The cold-start benchmark compares the bundle with the skill compiled file by file (ask-cli style). That copy must
 * hold everything the skill imports: when the request verifier moved to `runtime/`, the copy lacked it and
 * `npm run bench` stopped at its first figure. Every relative require of the compiled skill resolves to a file of
 * the copy.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { compileUnbundled } from "../../bench/figures/cold-start";

/** Each relative require of the compiled files below `dir` that names no file, as "file → specifier". */
function unresolved(dir: string): string[] {
  const missing: string[] = [];
  for (const file of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!file.endsWith(".js")) continue;
    const path = join(dir, file);
    for (const match of readFileSync(path, "utf8").matchAll(/require\("(\.{1,2}\/[^"]+)"\)/g)) {
      const target = resolve(dirname(path), match[1]!);
      if (![target, `${target}.js`, join(target, "index.js")].some((candidate) => existsSync(candidate))) {
        missing.push(`${file} → ${match[1]}`);
      }
    }
  }
  return missing;
}

describe("the benchmark's unbundled copy of the skill", () => {
  it("holds every module the skill requires", async () => {
    const outdir = mkdtempSync(join(tmpdir(), "skillship-unbundled-"));
    const entry = await compileUnbundled(outdir);
    expect(existsSync(entry)).toBe(true);
    expect(unresolved(outdir)).toEqual([]);
  });
});

/**
 * The direction of dependencies in `scripts/` (docs/contributing.md): commands → domains → ports ← adapters, with
 * core at the bottom. Every relative import and require of `scripts/lib` is resolved to the layer it lands in and
 * checked against what that layer may use; `core/env.ts` is the one module of `scripts/lib` that reads the
 * environment.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");
const lib = path.join(repoRoot, "scripts", "lib");

/** The folders of `scripts/lib` that hold the platform's domains. */
const DOMAINS = ["package", "build", "stack", "release", "local", "project", "beta", "init"];

/**
 * What each layer may import, besides itself and npm packages. `contracts/` (shared with infra) and `runtime/`
 * (the request verifier the package ships) sit beside core: they import nothing of `scripts/`.
 */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  core: [],
  ports: ["core", "contracts"],
  adapters: ["core", "ports", "contracts"],
  ...Object.fromEntries(
    DOMAINS.map((domain) => [domain, ["core", "ports", "contracts", "runtime", ...DOMAINS]]),
  ),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(dir, file));
}

/** The layer a file of the repository belongs to: a folder of scripts/lib, or the top folder otherwise. */
function layerOf(file: string): string {
  const relative = path.relative(repoRoot, file).split(path.sep);
  if (relative[0] === "scripts" && relative[1] === "lib") return relative[2] ?? "lib";
  if (relative[0] === "scripts") return "commands";
  return relative[0]!;
}

/** Every relative specifier a file imports, requires or re-exports (type-only imports included). */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  const pattern = /(?:from\s+|require\(\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g;
  for (const match of text.matchAll(pattern)) found.push(match[1]!);
  return found;
}

/** Each import that leaves the layers' rules, as "file → target (layer)". */
function layerProblems(files: readonly string[], read: (file: string) => string): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = layerOf(file);
    const allowed = ALLOWED[from];
    if (allowed === undefined) {
      problems.push(`${path.relative(repoRoot, file)} is in scripts/lib/${from}, which is no known layer`);
      continue;
    }
    for (const specifier of relativeImports(read(file))) {
      const to = layerOf(path.resolve(path.dirname(file), specifier));
      if (to !== from && !allowed.includes(to)) {
        problems.push(`${path.relative(repoRoot, file)} → ${specifier} (${from} may not use ${to})`);
      }
    }
  }
  return problems;
}

function envReaders(files: readonly string[], read: (file: string) => string): string[] {
  return files
    .filter((file) => path.relative(lib, file) !== path.join("core", "env.ts"))
    .filter((file) => /process\.env\b/.test(read(file)))
    .map((file) => path.relative(repoRoot, file));
}

describe("the layers of scripts/lib", () => {
  const files = sourceFiles(lib);
  const read = (file: string): string => readFileSync(file, "utf8");

  it("depend only downwards: domains on ports and core, adapters on ports and core, core on nothing", () => {
    expect(files.length).toBeGreaterThan(50);
    expect(layerProblems(files, read)).toEqual([]);
  });

  it("report a domain that imports an adapter, core that imports a domain, and lib that imports a command", () => {
    const broken: Record<string, string> = {
      [path.join(lib, "release", "x.ts")]: 'import { createSmapiPorts } from "../adapters/smapi";',
      [path.join(lib, "core", "y.ts")]: 'const p = require("../package/diff");',
      [path.join(lib, "package", "z.ts")]: 'export { register } from "../../commands/lint";',
    };
    expect(layerProblems(Object.keys(broken), (file) => broken[file]!)).toEqual([
      "scripts/lib/release/x.ts → ../adapters/smapi (release may not use adapters)",
      "scripts/lib/core/y.ts → ../package/diff (core may not use package)",
      "scripts/lib/package/z.ts → ../../commands/lint (package may not use commands)",
    ]);
  });

  it("read the environment in core/env.ts only", () => {
    expect(envReaders(files, read)).toEqual([]);
    const leaky = path.join(lib, "release", "leaky.ts");
    expect(envReaders([leaky], () => "const t = process.env.ASK_REFRESH_TOKEN;")).toEqual([
      "scripts/lib/release/leaky.ts",
    ]);
  });
});

/**
 * A project's TypeScript modules loaded into the CLI's process: a require hook for `.ts`, `.tsx` and `.cts`
 * transpiles each file on its own with esbuild (as tsx does, so no type check and no tsconfig `paths`), and keeps
 * the JavaScript in `node_modules/.cache/skillship/ts/` by content, so a file unchanged since the last run costs a
 * hash and a read. Hand-written because tsx's hook alone costs the CLI about 100 ms of CPU at every start,
 * beyond its start budget; esbuild is already what `skillship build` uses.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const EXTENSIONS = [".ts", ".tsx", ".cts"];

interface CompilableModule {
  _compile(code: string, filename: string): unknown;
}

type Extensions = Record<string, (module: CompilableModule, filename: string) => void>;

let registered: string | undefined;

/** True when `.ts` files load already: this hook, or another one (tsx, ts-node), or Node itself. */
export function typeScriptLoads(): boolean {
  return registered !== undefined || extensions()[".ts"] !== undefined;
}

function extensions(): Extensions {
  return (createRequire(__filename) as unknown as { extensions: Extensions }).extensions;
}

/** Registers the hook, caching under `cacheDir`. Once per process; later calls keep the first cache. */
export function registerTypeScript(cacheDir: string): void {
  if (registered !== undefined) return;
  registered = cacheDir;
  const hooks = extensions();
  let esbuild: typeof import("esbuild") | undefined;
  let version: string | undefined;
  const transpile = (source: string, filename: string): string => {
    // The esbuild module (and its service) is loaded on the first file the cache does not hold.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on a cache miss only
    esbuild ??= require("esbuild") as typeof import("esbuild");
    return esbuild.transformSync(source, {
      loader: filename.endsWith(".tsx") ? "tsx" : "ts",
      format: "cjs",
      target: `node${process.versions.node.split(".")[0]}`,
      sourcefile: filename,
      sourcemap: "inline",
    }).code;
  };
  for (const extension of EXTENSIONS) {
    hooks[extension] = (module, filename) => {
      const source = readFileSync(filename, "utf8");
      version ??= esbuildVersion();
      const key = createHash("sha256").update(`${version}\0${filename}\0${source}`).digest("hex");
      const cached = path.join(cacheDir, `${key}.js`);
      let code: string;
      try {
        code = readFileSync(cached, "utf8");
      } catch {
        code = transpile(source, filename);
        store(cached, code);
      }
      module._compile(code, filename);
    };
  }
}

function esbuildVersion(): string {
  const file = createRequire(__filename).resolve("esbuild/package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** Writes a cache entry whole (a temporary file renamed); a cache that cannot be written is only slower. */
function store(file: string, code: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}`;
    writeFileSync(temporary, code);
    renameSync(temporary, file);
  } catch {
    // No cache: the next run transpiles again.
  }
}

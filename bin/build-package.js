#!/usr/bin/env node
/**
 * Builds what the npm package runs; npm runs it as `prepare`, so `npm ci` and `npm pack` both do:
 * - dist/cli/skillship.js: the CLI, bundled by esbuild from scripts/main.ts, its dependencies left to
 *   node_modules but zod, bundled on its own into dist/cli/vendor/zod.js: loading zod's hundred files costs a
 *   command that validates anything more than everything else it loads, and `--version` never loads it.
 *   dist/cli/inputs.json lists the sources the CLI was built from, for bin/skillship.js to tell, in a checkout,
 *   when they changed since.
 * - dist/api/index.js and dist/infra/index.js: what `skillship` and `skillship/infra` export.
 * - dist/runtime/: `skillship/runtime`, the request verifier a skill hosted as a web service runs, file by file
 *   (not bundled), so that a skill's own bundle still finds `./signature` and keeps it in a chunk of its own; and
 *   dist/contracts/, the contracts it imports (which variable holds a function's secrets), file by file too.
 * - dist/types/: their declarations, emitted file by file as --isolatedDeclarations allows, with no type check
 *   (`npm run typecheck` does that).
 * In a checkout of Skillship itself it also links node_modules/.bin/skillship to bin/skillship.js, as npm links the
 * bin of a package a project installs: `skillship` on the PATH a workflow adds (node_modules/.bin) and
 * `npx skillship` then run this checkout's CLI, as they run the installed one in a skill's own repository.
 * `--cli` builds the CLI alone (the benchmark). `--best-effort` (npm's `prepare`, run by `npm ci`) reports a failed
 * build as a warning and exits 0: in a checkout the CLI then runs from its TypeScript sources, so one declaration
 * the emitter cannot handle never stops an install; `prepack` builds strictly, so no broken package is ever packed.
 * Everything is built in a staging folder and then renamed into
 * place file by file, so a CLI started meanwhile (a test, a terminal) never reads a half-written bundle.
 */
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const dist = path.join(root, "dist");
const staging = path.join(dist, `.staging-${process.pid}`);

/** The packages bundled into a file of their own beside the CLI, by import specifier. */
const VENDORED = { zod: "./vendor/zod.js" };

/** Points the CLI's imports of the vendored packages at their files. */
const vendored = {
  name: "skillship-vendored",
  setup(build) {
    for (const [specifier, file] of Object.entries(VENDORED)) {
      build.onResolve({ filter: new RegExp(`^${specifier}$`) }, () => ({ path: file, external: true }));
    }
  },
};

/** One CommonJS bundle of `entry`, npm packages left external. Returns our own source files it holds. */
async function bundle(entry, outfile, plugins = []) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    // The oldest Node the tests run on; the package declares >= 22 for users.
    target: "node20",
    format: "cjs",
    minify: true,
    // Error classes name themselves (`new.target.name`): keep the names the messages show.
    keepNames: true,
    sourcemap: "linked",
    metafile: true,
    logLevel: "warning",
    plugins,
  });
  return Object.keys(result.metafile.inputs).filter((input) => !input.includes("node_modules"));
}

async function buildCli() {
  const inputs = await bundle("scripts/main.ts", path.join(staging, "cli", "skillship.js"), [vendored]);
  fs.writeFileSync(path.join(staging, "cli", "inputs.json"), `${JSON.stringify(inputs.sort(), null, 2)}\n`);
  for (const [specifier, file] of Object.entries(VENDORED)) {
    await esbuild.build({
      stdin: { contents: `module.exports = require(${JSON.stringify(specifier)});`, resolveDir: root },
      outfile: path.join(staging, "cli", file),
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      minify: true,
      logLevel: "warning",
    });
  }
}

/** Every TypeScript file under `folder`, transpiled to CommonJS one by one into `outdir`. */
async function transpile(folder, outdir) {
  const files = fs
    .readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: files,
    outdir,
    outbase: folder,
    bundle: false,
    platform: "node",
    target: "node20",
    format: "cjs",
    keepNames: true,
    sourcemap: "linked",
    logLevel: "warning",
  });
}

/** The relative imports of a TypeScript file, resolved to files (type-only imports included). */
function importsOf(file) {
  const ts = require("typescript");
  const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
  return importedFiles
    .map((imported) => imported.fileName)
    .filter((name) => name.startsWith("."))
    .map((name) => {
      const base = path.resolve(path.dirname(file), name);
      const found = [`${base}.ts`, path.join(base, "index.ts")].find((candidate) => fs.existsSync(candidate));
      if (found === undefined) throw new Error(`${file} imports ${name}, which is no TypeScript file`);
      return found;
    });
}

/** Declarations of the roots and every file they import, each emitted on its own. */
function buildTypes(roots) {
  const ts = require("typescript");
  const compilerOptions = {
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    esModuleInterop: true,
    declaration: true,
    isolatedDeclarations: true,
  };
  const pending = roots.map((file) => path.join(root, file));
  const seen = new Set();
  const problems = [];
  while (pending.length > 0) {
    const file = pending.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const { outputText, diagnostics } = ts.transpileDeclaration(fs.readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions,
      reportDiagnostics: true,
    });
    for (const diagnostic of diagnostics ?? []) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      problems.push(`${path.relative(root, file)}:${line + 1}: ${message}`);
    }
    const target = path.join(staging, "types", path.relative(root, file)).replace(/\.ts$/, ".d.ts");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
    pending.push(...importsOf(file));
  }
  if (problems.length > 0) {
    throw new Error(`declarations cannot be emitted file by file:\n  ${problems.join("\n  ")}`);
  }
}

/** Moves every file of the staging folder's parts into dist/, then removes what an older build left there. */
function publish(parts) {
  for (const part of parts) {
    const from = path.join(staging, part);
    const to = path.join(dist, part);
    const built = fs
      .readdirSync(from, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(from, path.join(entry.parentPath, entry.name)));
    for (const file of built) {
      fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
      fs.renameSync(path.join(from, file), path.join(to, file));
    }
    const kept = new Set(built);
    for (const entry of fs.readdirSync(to, { recursive: true, withFileTypes: true })) {
      const file = path.relative(to, path.join(entry.parentPath, entry.name));
      if (entry.isFile() && !kept.has(file)) fs.rmSync(path.join(to, file));
    }
  }
}

/** node_modules/.bin/skillship → bin/skillship.js, in a checkout that npm installed into (see the top). */
function linkOwnBin() {
  const bin = path.join(root, "node_modules", ".bin");
  if (!fs.existsSync(path.join(root, "scripts", "main.ts")) || !fs.existsSync(bin)) return;
  const link = path.join(bin, "skillship");
  const target = path.relative(bin, path.join(root, "bin", "skillship.js"));
  try {
    if (fs.readlinkSync(link) === target) return;
    fs.rmSync(link);
  } catch (error) {
    if (error.code !== "ENOENT") throw error;
  }
  fs.symlinkSync(target, link);
}

async function main() {
  linkOwnBin();
  await buildCli();
  if (process.argv.includes("--cli")) {
    publish(["cli"]);
    return;
  }
  await bundle("scripts/api.ts", path.join(staging, "api", "index.js"));
  await bundle("infra/exports.ts", path.join(staging, "infra", "index.js"));
  await transpile("runtime", path.join(staging, "runtime"));
  // The runtime's files import contracts/ (the variable the stack sets): shipped beside it, file by file too.
  await transpile("contracts", path.join(staging, "contracts"));
  buildTypes(["scripts/api.ts", "infra/exports.ts", "runtime/index.ts"]);
  publish(["cli", "api", "infra", "runtime", "contracts", "types"]);
}

main()
  .catch((error) => {
    const message = error instanceof Error ? error.message : String(error);
    if (process.argv.includes("--best-effort") && fs.existsSync(path.join(root, "scripts", "main.ts"))) {
      process.stderr.write(
        `build-package: warning: the package was not built (${message}); in this checkout the CLI runs from its ` +
          "TypeScript sources instead, and `npm pack` will refuse until the build succeeds\n",
      );
      return;
    }
    process.stderr.write(`build-package: ${message}\n`);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(staging, { recursive: true, force: true }));

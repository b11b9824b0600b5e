/**
 * `npm run build`: the skill bundled by esbuild for the Lambda runtime (nodejs22.x) into one file and its source
 * map, and a deterministic zip for the infrastructure to deploy: fixed timestamps and permissions, sorted entries,
 * and source maps whose paths do not depend on the output folder, so the same sources give the same bytes and the
 * same CodeSha256 on every machine. Modules the skill loads with `import()` on a rare path go into their own file
 * beside index.js (see {@link LAZY_CHUNKS}), so a cold start neither parses nor loads them.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type BuildFailure, type Message, type Metafile, type Plugin } from "esbuild";
import { OperationError } from "../core/errors";
import { deterministicZip, sha256 } from "../core/zip";
import { checkForbiddenPackages, largestPackages } from "./report";

/** Where `npm run build` writes by default. */
export const DEFAULT_OUTDIR = join("dist", "skill");
/** The skill's entry module: exports `handler` (Lambda) and `httpsHandler` (API Gateway). */
export const DEFAULT_ENTRY = join("skill", "lambda.ts");
/** The Lambda runtime the bundle targets. */
export const NODE_TARGET = "node22";

/**
 * Modules bundled into a file of their own, next to index.js, and required from there on first use.
 * - The HTTPS endpoint's request signature check of Skillship's runtime (`runtime/signature/`, imported by
 *   `runtime/verify.ts`): certificate download, chain validation and the root store it parses on first use; the
 *   Lambda endpoint never verifies, so its cold start never loads it.
 * - ask-sdk-model's runtime code is its service clients (62 KB, a quarter of the bundle). ask-sdk-core requires it
 *   only to read `services.ServiceClientFactory`, which it constructs when a skill configures an API client; the
 *   stand-in `shim` gives it a class that loads the chunk at that moment and returns the real factory.
 */
export const LAZY_CHUNKS: readonly LazyChunk[] = [
  {
    specifier: "./signature",
    module: "runtime/signature",
    file: "verifier.js",
    what: "the HTTPS endpoint's request signature check",
  },
  {
    specifier: "ask-sdk-model",
    file: "ask-sdk-model.js",
    what: "ask-sdk-model's service clients, for a skill that configures an API client",
    shim: (require) =>
      "class ServiceClientFactory {\n" +
      "  constructor(configuration) {\n" +
      `    return new (${require}.services.ServiceClientFactory)(configuration);\n` +
      "  }\n" +
      "}\n" +
      "module.exports = { services: { ServiceClientFactory } };\n",
  },
];

/** A module of {@link LAZY_CHUNKS}. */
export interface LazyChunk {
  /** The import specifier the bundle replaces, exactly as the importing code writes it. */
  readonly specifier: string;
  /**
   * For a module of Skillship's runtime (a relative specifier): its path inside the runtime, without extension,
   * wherever the runtime lives (this checkout, or `node_modules/skillship`). Only imports that resolve to it are
   * replaced, and the chunk is built from the file they resolve to.
   */
  readonly module?: string;
  /** File name of the chunk beside index.js. */
  readonly file: string;
  /** What it holds, for the size report. */
  readonly what: string;
  /**
   * The module that stands in for it in index.js, given the expression that loads the chunk; by default the
   * chunk's exports themselves (`module.exports = require("./file")`), for modules imported with `import()`.
   */
  readonly shim?: (require: string) => string;
}

const LAZY_NAMESPACE = "skillship-lazy-chunk";

/** A file of the build besides index.js: a lazily loaded chunk. */
export interface ChunkReport {
  /** Path under `outdir`'s parent, like the other files, e.g. `dist/skill/verifier.js`. */
  file: string;
  bytes: number;
  /** What it holds. */
  what: string;
}

/** What a build wrote and measured; `dist/skill/build.json` holds the main numbers. */
export interface BuildReport {
  outdir: string;
  /** `index.js`, `index.js.map`, `skill.zip`, `build.json`, under `outdir`. */
  files: { bundle: string; sourceMap: string; zip: string; report: string };
  /** Lazily loaded chunks written beside index.js (each with its `.map`), also in the zip. */
  chunks: ChunkReport[];
  /** Base64 sha256 of skill.zip: what Lambda reports as the function's CodeSha256. */
  codeSha256: string;
  /** Size of index.js: what a cold start loads. */
  rawBytes: number;
  /** Size of index.js gzipped (level 9). */
  gzipBytes: number;
  /** Size of skill.zip. */
  zipBytes: number;
  /** Size of index.js.map. */
  sourceMapBytes: number;
  /** What index.js is made of: the biggest packages (and the skill's own code), by bytes. */
  largest: { name: string; bytes: number }[];
}

/** Options of {@link buildSkill}. */
export interface BuildOptions {
  /** Output folder; default `dist/skill`. */
  outdir?: string;
  /** Entry module; default `skill/lambda.ts`. */
  entry?: string;
  /** Project root that source map paths are relative to; default the working directory. */
  root?: string;
  /**
   * Packages the bundle must not contain (`build.forbiddenPackages` of the project file): the build fails naming
   * the module that imports one. Default none.
   */
  forbiddenPackages?: readonly string[];
}

interface Bundle {
  code: Uint8Array;
  map: Buffer;
  metafile: Metafile;
}

/**
 * Bundles the skill, writes `index.js`, `index.js.map`, the lazy chunks, `skill.zip` and `build.json` into
 * `outdir`, and returns the sizes and the zip's sha256. Throws an {@link OperationError} listing esbuild's errors
 * with file and line, or naming the forbidden package that slipped into the bundle and who imports it.
 */
export async function buildSkill(options: BuildOptions = {}): Promise<BuildReport> {
  const root = resolve(options.root ?? ".");
  const outdir = options.outdir ?? DEFAULT_OUTDIR;
  const entry = options.entry ?? DEFAULT_ENTRY;
  const absoluteOutdir = resolve(root, outdir);

  // The chunks the skill uses: file name → what to build it from (a package name, or the resolved runtime file).
  const used = new Map<string, string>();
  const forbidden = options.forbiddenPackages ?? [];
  const main = await bundle(root, entry, absoluteOutdir, "index.js", [lazyChunks(used)]);
  checkForbiddenPackages(main.metafile, entry, forbidden);
  const outputs: Record<string, Uint8Array> = { "index.js": main.code, "index.js.map": main.map };
  const chunks: ChunkReport[] = [];
  for (const chunk of LAZY_CHUNKS.filter((c) => used.has(c.file))) {
    const from = used.get(chunk.file) as string;
    const built = await bundle(root, from, absoluteOutdir, chunk.file, []);
    checkForbiddenPackages(built.metafile, from, forbidden);
    outputs[chunk.file] = built.code;
    outputs[`${chunk.file}.map`] = built.map;
    chunks.push({ file: join(outdir, chunk.file), bytes: built.code.byteLength, what: chunk.what });
  }

  const zip = deterministicZip(outputs);

  const files = {
    bundle: join(outdir, "index.js"),
    sourceMap: join(outdir, "index.js.map"),
    zip: join(outdir, "skill.zip"),
    report: join(outdir, "build.json"),
  };
  const report: BuildReport = {
    outdir,
    files,
    chunks,
    codeSha256: sha256(zip, "base64"),
    rawBytes: main.code.byteLength,
    gzipBytes: gzipSync(main.code, { level: 9 }).byteLength,
    zipBytes: zip.byteLength,
    sourceMapBytes: main.map.byteLength,
    largest: largestPackages(main.metafile, 5),
  };
  await mkdir(absoluteOutdir, { recursive: true });
  for (const [name, content] of Object.entries(outputs)) await writeFile(join(absoluteOutdir, name), content);
  await writeFile(resolve(root, files.zip), zip);
  const { codeSha256, rawBytes, gzipBytes, zipBytes } = report;
  await writeFile(
    resolve(root, files.report),
    `${JSON.stringify({ codeSha256, rawBytes, gzipBytes, zipBytes }, null, 2)}\n`,
  );
  return report;
}

/** One esbuild run: a minified CommonJS file for node22 and its source map, in memory. */
async function bundle(
  root: string,
  entry: string,
  outdir: string,
  file: string,
  plugins: Plugin[],
): Promise<Bundle> {
  let result;
  try {
    result = await build({
      absWorkingDir: root,
      entryPoints: [entry],
      outfile: join(outdir, file),
      bundle: true,
      platform: "node",
      target: NODE_TARGET,
      format: "cjs",
      minify: true,
      // The map ships beside the bundle, unlinked: a linked map is read and parsed by every cold start under
      // --enable-source-maps; skill/stack.ts maps a stack from it only when an error is reported.
      sourcemap: "external",
      sourcesContent: false,
      legalComments: "none",
      metafile: true,
      write: false,
      logLevel: "silent",
      plugins,
    });
  } catch (error) {
    const failure = error as Partial<BuildFailure>;
    const errors = failure.errors ?? [];
    throw new OperationError(
      errors.length > 0
        ? `esbuild could not bundle ${entry}:\n${errors.map((message) => `  ${formatMessage(message)}`).join("\n")}`
        : `esbuild could not bundle ${entry}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const code = result.outputFiles.find((output) => output.path.endsWith(file));
  const map = result.outputFiles.find((output) => output.path.endsWith(`${file}.map`));
  if (!code || !map) throw new OperationError(`esbuild wrote no ${file} and ${file}.map for ${entry}`);
  return {
    code: code.contents,
    map: Buffer.from(rootRelativeSourceMap(map.text, outdir, root)),
    metafile: result.metafile,
  };
}

/**
 * Replaces each {@link LAZY_CHUNKS} module with `module.exports = require("./<file>")`: esbuild then turns the
 * skill's `import()` into a require of the chunk at the moment it runs, resolved beside index.js.
 */
function lazyChunks(used: Map<string, string>): Plugin {
  return {
    name: "skillship-lazy-chunks",
    setup(build) {
      for (const chunk of LAZY_CHUNKS) {
        build.onResolve({ filter: exactly(chunk.specifier) }, async (args) => {
          if (chunk.module === undefined) {
            used.set(chunk.file, chunk.specifier);
            return { path: chunk.file, namespace: LAZY_NAMESPACE };
          }
          if (args.pluginData === LAZY_NAMESPACE) return undefined;
          const resolved = await build.resolve(args.path, {
            kind: args.kind,
            resolveDir: args.resolveDir,
            importer: args.importer,
            pluginData: LAZY_NAMESPACE,
          });
          const file = resolved.path
            .split(sep)
            .join("/")
            .replace(/(\/index)?\.[cm]?[jt]s$/, "");
          if (resolved.errors.length > 0 || !file.endsWith(`/${chunk.module}`)) return undefined;
          used.set(chunk.file, resolved.path);
          return { path: chunk.file, namespace: LAZY_NAMESPACE };
        });
      }
      build.onLoad({ filter: /.*/, namespace: LAZY_NAMESPACE }, (args) => {
        const chunk = LAZY_CHUNKS.find((candidate) => candidate.file === args.path) as LazyChunk;
        const load = `require(${JSON.stringify(`./${chunk.file}`)})`;
        return { contents: chunk.shim ? chunk.shim(load) : `module.exports = ${load};`, loader: "js" };
      });
      build.onResolve({ filter: /.*/, namespace: LAZY_NAMESPACE }, (args) => ({
        path: args.path,
        external: true,
      }));
    },
  };
}

/** An esbuild filter matching the import specifier exactly. */
function exactly(specifier: string): RegExp {
  return new RegExp(`^${specifier.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`);
}

function formatMessage(message: Message): string {
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
    : "";
  return `${where}${message.text}`;
}

// esbuild writes source paths relative to the output folder; relative to the project root they are the same
// wherever the build goes, which keeps the archive's bytes independent of --outdir. The map carries no sources
// content: stack traces need only the mappings, and the archive stays small.
function rootRelativeSourceMap(text: string, outdir: string, root: string): string {
  const map = JSON.parse(text) as { sources: string[] };
  map.sources = map.sources.map((source) => {
    // A plugin's virtual module ("namespace:path") is no file: keep its name as it is.
    if (/^[\w-]{2,}:/.test(source)) return source;
    const absolute = isAbsolute(source) ? source : resolve(outdir, source);
    return relative(root, absolute).split("\\").join("/");
  });
  return JSON.stringify(map);
}

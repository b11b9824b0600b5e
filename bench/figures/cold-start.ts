/**
 * Figure 1, cold start: a fresh Node process loads the skill and answers a first LaunchRequest with a presigned S3
 * URL (fake credentials; the listing comes from a loopback server), timed against `node -e 0` in the same run, and
 * against the same skill shipped the way ask-cli's Lambda deployer ships code: compiled JavaScript beside its
 * node_modules, unbundled. Runs are interleaved so that machine noise hits all three alike.
 */
import { readdirSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { transform } from "esbuild";
import { launchRequest } from "../../test/skill/envelopes";
import { s3SkillEnv, writeJson, startMediaBucket } from "../lib/fixtures";
import { timeProcess } from "../lib/process";
import type { Figure } from "../lib/report";
import { pairedRatios, summarize } from "../lib/stats";

const root = resolve(__dirname, "..", "..");
const driver = join(root, "bench", "drivers", "cold-start.js");

/** Compiles every TypeScript file of `skill/` to CommonJS, file by file, under `outdir`: no bundling. */
async function compileUnbundled(outdir: string): Promise<string> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) files.push(path);
    }
  };
  walk(join(root, "skill"));
  for (const file of files) {
    const { code } = await transform(await readFile(file, "utf8"), {
      loader: "ts",
      format: "cjs",
      target: "node22",
      sourcefile: file,
    });
    const target = join(outdir, relative(root, file)).replace(/\.ts$/, ".js");
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, code);
  }
  return join(outdir, "skill", "lambda.js");
}

/** Measures the cold start of the bundle at `bundlePath` (and of the unbundled build) over `runs` runs. */
export async function measureColdStart(bundlePath: string, runs: number, workdir: string): Promise<Figure[]> {
  const unbundled = await compileUnbundled(join(root, "dist", "bench", "unbundled"));
  const launch = await writeJson(join(workdir, "launch.json"), launchRequest());
  const listing = await startMediaBucket(["en/one.mp3", "en/two.mp3", "de/eins.mp3", "notes.txt"]);
  try {
    const env = s3SkillEnv(listing.url);
    const node = process.execPath;
    const baseline: number[] = [];
    const ours: number[] = [];
    const theirs: number[] = [];
    // One untimed round first: file system caches warm for all three alike.
    await timeProcess(node, ["-e", "0"], env);
    await timeProcess(node, [driver, bundlePath, launch], env);
    await timeProcess(node, [driver, unbundled, launch], env);
    for (let i = 0; i < runs; i += 1) {
      baseline.push(await timeProcess(node, ["-e", "0"], env));
      ours.push(await timeProcess(node, [driver, bundlePath, launch], env));
      theirs.push(await timeProcess(node, [driver, unbundled, launch], env));
    }
    const base = summarize(baseline);
    const bundled = summarize(ours);
    const plain = summarize(theirs);
    const ratio = summarize(pairedRatios(ours, baseline));
    const speedup = summarize(pairedRatios(theirs, ours));
    const spread = (s: ReturnType<typeof summarize>, unit: string) =>
      `IQR ${s.p25.toFixed(unit === "ms" ? 1 : 2)}–${s.p75.toFixed(unit === "ms" ? 1 : 2)} ${unit} (n=${s.runs})`;
    return [
      {
        group: "cold start",
        name: "node -e 0 (baseline)",
        value: base.median,
        unit: "ms",
        spread: spread(base, "ms"),
      },
      {
        group: "cold start",
        name: "bundle: load + first LaunchRequest",
        value: bundled.median,
        unit: "ms",
        spread: spread(bundled, "ms"),
      },
      {
        group: "cold start",
        name: "bundle ÷ node -e 0",
        value: ratio.median,
        unit: "×",
        spread: spread(ratio, "×"),
        budget: "≤ 1.5×",
        met: ratio.median <= 1.5,
        note: `overhead over the bare process: ${(bundled.median - base.median).toFixed(1)} ms`,
      },
      {
        group: "cold start",
        name: "unbundled (ask-cli style): load + first LaunchRequest",
        value: plain.median,
        unit: "ms",
        spread: spread(plain, "ms"),
      },
      {
        group: "cold start",
        name: "unbundled ÷ bundle",
        value: speedup.median,
        unit: "×",
        spread: spread(speedup, "×"),
        budget: "≥ 2×",
        met: speedup.median >= 2,
        note: `overhead over the bare process: unbundled ${(plain.median - base.median).toFixed(1)} ms, bundle ${(bundled.median - base.median).toFixed(1)} ms`,
      },
    ];
  } finally {
    await listing.close();
  }
}

/**
 * Figure 1, cold start, as deployed: a fresh Node process loads the skill and answers a first LaunchRequest with a
 * presigned S3 URL, timed against `node -e 0` in the same run and the same environment. That environment is the
 * deployed function's (bench/lib/deployed.ts): the variables the stack sets, NODE_OPTIONS as it sets it (none), and Lambda's own,
 * the role's session token among them. With MEDIA_CLIPS, as the stack deploys it, no network at all. Beside it:
 * the same without MEDIA_CLIPS, whose first request lists the bucket over HTTPS (the fake S3 speaks TLS on loopback
 * with a certificate the process trusts through NODE_EXTRA_CA_CERTS, as real S3 does); and the same skill shipped
 * the way ask-cli's Lambda deployer ships code: compiled JavaScript beside its node_modules, unbundled. Runs are
 * interleaved so that machine noise hits all alike.
 */
import { readdirSync, statSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { transform } from "esbuild";
import { launchRequest } from "../../testkit/envelopes";
import { isAudioKey } from "../../skill/media/types";
import { STACK_NODE_OPTIONS } from "../lib/deployed";
import { startDeployedMedia, writeJson } from "../lib/fixtures";
import { timeProcess } from "../lib/process";
import type { Figure } from "../lib/report";
import { pairedRatios, summarize } from "../lib/stats";

const root = resolve(__dirname, "..", "..");
const driver = join(root, "bench", "drivers", "cold-start.js");

/** The budget of a deployed cold start, as a multiple of `node -e 0` in the same run. */
export const DEPLOYED_COLD_START_BUDGET = 1.4;

/**
 * Compiles every TypeScript file of `skill/` and of what it imports (`contracts/`, `runtime/`) to CommonJS, file by
 * file, under `outdir`: no bundling.
 */
export async function compileUnbundled(outdir: string): Promise<string> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) files.push(path);
    }
  };
  // The skill, the contracts it shares with the CLI and Skillship's runtime (the request verifier), which it imports.
  walk(join(root, "skill"));
  walk(join(root, "contracts"));
  walk(join(root, "runtime"));
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
  const keys = ["en/one.mp3", "en/two.mp3", "de/eins.mp3", "notes.txt"];
  const media = await startDeployedMedia(keys, workdir);
  try {
    const deployed = media.env({ knownClips: keys.filter(isAudioKey) });
    const listingEnv = media.env();
    const node = process.execPath;
    const baseline: number[] = [];
    const ours: number[] = [];
    const listed: number[] = [];
    const theirs: number[] = [];
    // One untimed round first: file system caches warm for all alike.
    const round = async (record: boolean) => {
      const times = [
        await timeProcess(node, ["-e", "0"], deployed),
        await timeProcess(node, [driver, bundlePath, launch], deployed),
        await timeProcess(node, [driver, bundlePath, launch], listingEnv),
        await timeProcess(node, [driver, unbundled, launch], deployed),
      ];
      if (!record) return;
      baseline.push(times[0]);
      ours.push(times[1]);
      listed.push(times[2]);
      theirs.push(times[3]);
    };
    await round(false);
    for (let i = 0; i < runs; i += 1) await round(true);
    const base = summarize(baseline);
    const bundled = summarize(ours);
    const plain = summarize(theirs);
    const withListing = summarize(listed);
    const listingRatio = summarize(pairedRatios(listed, baseline));
    const ratio = summarize(pairedRatios(ours, baseline));
    const speedup = summarize(pairedRatios(theirs, ours));
    // Start-up: what the skill adds to the bare process, paired run by run with the baseline beside it.
    const ourStartUp = summarize(ours.map((time, i) => time - baseline[i]));
    const theirStartUp = summarize(theirs.map((time, i) => time - baseline[i]));
    const spread = (s: ReturnType<typeof summarize>, unit: string) =>
      `IQR ${s.p25.toFixed(unit === "ms" ? 1 : 2)}–${s.p75.toFixed(unit === "ms" ? 1 : 2)} ${unit} (n=${s.runs})`;
    const options = STACK_NODE_OPTIONS === "" ? "no NODE_OPTIONS" : `NODE_OPTIONS=${STACK_NODE_OPTIONS}`;
    return [
      {
        group: "cold start",
        name: "node -e 0 (baseline, same environment)",
        value: base.median,
        unit: "ms",
        spread: spread(base, "ms"),
      },
      {
        group: "cold start",
        name: "deployed: load + first LaunchRequest",
        value: bundled.median,
        unit: "ms",
        spread: spread(bundled, "ms"),
        note: `the stack's environment (${options}, MEDIA_CLIPS) and Lambda's (session token, function version)`,
      },
      {
        group: "cold start",
        name: "deployed ÷ node -e 0",
        value: ratio.median,
        unit: "×",
        spread: spread(ratio, "×"),
        budget: `≤ ${DEPLOYED_COLD_START_BUDGET}×`,
        met: ratio.median <= DEPLOYED_COLD_START_BUDGET,
        note: `overhead over the bare process: ${(bundled.median - base.median).toFixed(1)} ms`,
      },
      {
        group: "cold start",
        name: "deployed without MEDIA_CLIPS: lists the bucket over HTTPS (TLS, loopback), answers",
        value: withListing.median,
        unit: "ms",
        spread: spread(withListing, "ms"),
        note:
          `${listingRatio.median.toFixed(2)}× node -e 0 (IQR ${listingRatio.p25.toFixed(2)}–${listingRatio.p75.toFixed(2)}); ` +
          "the stack leaves MEDIA_CLIPS out only when the clips would crowd the function's environment",
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
        name: "unbundled ÷ bundle: start-up, each minus node -e 0",
        value: theirStartUp.median / ourStartUp.median,
        unit: "×",
        spread: `start-up IQR: unbundled ${theirStartUp.p25.toFixed(1)}–${theirStartUp.p75.toFixed(1)} ms, bundle ${ourStartUp.p25.toFixed(1)}–${ourStartUp.p75.toFixed(1)} ms`,
        budget: "≥ 2×",
        met: theirStartUp.median / ourStartUp.median >= 2,
        note:
          `what loading and answering add to a bare Node process: unbundled ${theirStartUp.median.toFixed(1)} ms, ` +
          `bundle ${ourStartUp.median.toFixed(1)} ms (medians of per-run differences)`,
      },
      {
        group: "cold start",
        name: "unbundled ÷ bundle: whole process",
        value: speedup.median,
        unit: "×",
        spread: spread(speedup, "×"),
        note: `both include Node's own boot (node -e 0, ${base.median.toFixed(1)} ms), which the way of shipping cannot change`,
      },
    ];
  } finally {
    await media.close();
  }
}

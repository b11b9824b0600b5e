/**
 * Figure 6, the CLI's start: `skillship --version` and `skillship lint` (this repository's package and handlers,
 * no network) run by the built CLI the package ships, each timed against `node -e 0` in the same run, the runs
 * interleaved so machine noise hits all alike. Beside them, `--version` from the TypeScript sources through tsx,
 * the way the CLI ran before it was built, for comparison.
 */
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { timeProcess } from "../lib/process";
import type { Figure } from "../lib/report";
import { pairedRatios, summarize } from "../lib/stats";

const root = resolve(__dirname, "..", "..");

/** Measures over `runs` interleaved rounds (the source run takes about a second each). */
export async function measureCliStart(runs: number): Promise<Figure[]> {
  execFileSync(process.execPath, [join(root, "bin", "build-package.js"), "--cli"], {
    cwd: root,
    stdio: "inherit",
  });
  const node = process.execPath;
  const cli = join(root, "dist", "cli", "skillship.js");
  // Plain output, as in CI; the working directory is the repository, whose project the lint reads.
  const env = { ...process.env, CI: "true", NO_COLOR: "1" };
  const samples = {
    baseline: [] as number[],
    version: [] as number[],
    lint: [] as number[],
    sources: [] as number[],
  };
  const round = async (record: boolean) => {
    const times = {
      baseline: await timeProcess(node, ["-e", "0"], env),
      version: await timeProcess(node, [cli, "--version"], env),
      lint: await timeProcess(node, [cli, "lint"], env),
      sources: await timeProcess(
        node,
        [join(root, "bin", "run-ts.js"), join(root, "scripts", "main.ts"), "--version"],
        env,
      ),
    };
    if (!record) return;
    for (const key of Object.keys(samples) as (keyof typeof samples)[]) samples[key].push(times[key]);
  };
  // One untimed round first: the file system cache and tsx's transform cache warm for all alike.
  await round(false);
  for (let i = 0; i < runs; i += 1) await round(true);

  const spread = (values: number[], unit: string) => {
    const s = summarize(values);
    return `IQR ${s.p25.toFixed(unit === "ms" ? 1 : 2)}–${s.p75.toFixed(unit === "ms" ? 1 : 2)} ${unit} (n=${s.runs})`;
  };
  const ratio = (values: number[]) => pairedRatios(values, samples.baseline);
  const figures: Figure[] = [
    {
      group: "cli start",
      name: "node -e 0 (baseline)",
      value: summarize(samples.baseline).median,
      unit: "ms",
      spread: spread(samples.baseline, "ms"),
    },
  ];
  for (const [key, name] of [
    ["version", "skillship --version"],
    ["lint", "skillship lint (this repository: TypeScript handlers, their transpilation cached)"],
  ] as const) {
    const ratios = ratio(samples[key]);
    figures.push(
      {
        group: "cli start",
        name,
        value: summarize(samples[key]).median,
        unit: "ms",
        spread: spread(samples[key], "ms"),
      },
      {
        group: "cli start",
        name: `${name.split(" (")[0]} ÷ node -e 0`,
        value: summarize(ratios).median,
        unit: "×",
        spread: spread(ratios, "×"),
        budget: "≤ 4×",
        met: summarize(ratios).median <= 4,
      },
    );
  }
  const sources = ratio(samples.sources);
  figures.push({
    group: "cli start",
    name: "skillship --version from the sources (tsx) ÷ node -e 0",
    value: summarize(sources).median,
    unit: "×",
    spread: spread(sources, "×"),
    note: `how the CLI ran before it was built: ${summarize(samples.sources).median.toFixed(0)} ms`,
  });
  return figures;
}

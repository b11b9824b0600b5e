/**
 * `npm run bench`: the figures that say the platform is fast. Each figure is the median over repeated runs with its
 * spread, beside the budget it is held to; ratios are taken against a baseline measured in the same run. The table
 * goes to stdout and the same figures, as JSON, to bench/results/. Not a test: it reports, it never fails CI.
 *
 * Flags: --quick (fewer runs, for a look), --only NAME[,NAME] (cold-start, bundle, latency, endpoint, release,
 * cli-start).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildSkill } from "../scripts/lib/build/bundle";
import { measureCliStart } from "./figures/cli-start";
import { measureColdStart } from "./figures/cold-start";
import { measureEndpoint } from "./figures/endpoint";
import { measureLatency } from "./figures/latency";
import { measureRelease } from "./figures/release";
import { printTable, writeResults, type Figure } from "./lib/report";

const root = resolve(__dirname, "..");

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes("--quick");
  const onlyIndex = args.indexOf("--only");
  const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? "").split(",")) : undefined;
  const wanted = (name: string) => only === undefined || only.has(name);

  process.stderr.write("building the skill bundle (npm run build)…\n");
  const build = await buildSkill({ root, outdir: join("dist", "skill") });
  const bundle = join(root, build.files.bundle);
  const figures: Figure[] = [];
  const workdir = await mkdtemp(join(tmpdir(), "skillship-bench-"));

  if (wanted("bundle")) {
    figures.push(
      { group: "bundle", name: "raw", value: build.rawBytes / 1024, unit: "KiB", spread: "exact" },
      {
        group: "bundle",
        name: "gzip",
        value: build.gzipBytes / 1024,
        unit: "KiB",
        spread: "exact",
        budget: "≤ 200 KB",
        met: build.gzipBytes <= 200 * 1000,
      },
    );
  }
  if (wanted("cold-start")) {
    process.stderr.write("measuring cold starts…\n");
    figures.push(...(await measureColdStart(bundle, quick ? 5 : 20, workdir)));
  }
  if (wanted("latency")) {
    process.stderr.write("measuring warm handler latency…\n");
    figures.push(...(await measureLatency(bundle, quick ? 300 : 2000, workdir)));
  }
  if (wanted("endpoint")) {
    process.stderr.write("measuring the local endpoint under load…\n");
    figures.push(...(await measureEndpoint(quick ? 2 : 5)));
  }
  if (wanted("cli-start")) {
    process.stderr.write("measuring the CLI's start (built, then from the sources)…\n");
    figures.push(...(await measureCliStart(quick ? 5 : 20)));
  }
  if (wanted("release")) {
    process.stderr.write("measuring release round trips against the local fakes (+50 ms per call)…\n");
    figures.push(...(await measureRelease(quick ? 1 : 3)));
  }

  await rm(workdir, { recursive: true, force: true });
  printTable(figures);
  const file = writeResults(join(root, "bench", "results"), figures, {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    quick,
  });
  process.stdout.write(`figures written to ${file}\n`);
  const missed = figures.filter((f) => f.met === false);
  process.stdout.write(
    missed.length === 0
      ? "every budget met\n"
      : `budgets missed: ${missed.map((f) => `${f.group}: ${f.name}`).join("; ")}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});

/** `skillship build` (`npm run build`): bundles the skill for Lambda and prints the size report. */
import type { Command } from "commander";
import { buildSkill, DEFAULT_OUTDIR, formatBuildReport } from "../lib/build/bundle";

/** Options of {@link buildCommand}. */
export interface BuildCommandOptions {
  outdir: string;
  json?: boolean;
}

/** Registers `skillship build`. */
export function register(program: Command): void {
  program
    .command("build")
    .description("bundle the skill for nodejs22.x: index.js, its source map, skill.zip and build.json")
    .option("--outdir <dir>", "output folder", DEFAULT_OUTDIR)
    .option("--json", "print the build report as JSON")
    .action((options: BuildCommandOptions) => buildCommand(options));
}

/** Builds into `outdir` and prints the size report (or the report as JSON). */
export async function buildCommand(options: BuildCommandOptions): Promise<void> {
  const report = await buildSkill({ outdir: options.outdir });
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatBuildReport(report));
}

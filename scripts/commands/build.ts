/** `skillship build` (`npm run build`): bundles the skill for Lambda and prints the size report. */
import type { Command } from "commander";
import { buildSkill, DEFAULT_OUTDIR, formatBuildReport } from "../lib/build/bundle";
import type { Output } from "../lib/core/output";
import type { CommandContext } from "./context";

/** Options of {@link buildCommand}. */
export interface BuildCommandOptions {
  outdir: string;
  json?: boolean;
}

/** Registers `skillship build`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("build")
    .description("bundle the skill for nodejs22.x: index.js, its source map, skill.zip and build.json")
    .option("--outdir <dir>", "output folder", DEFAULT_OUTDIR)
    .option("--json", "print the build report as JSON")
    .action((options: BuildCommandOptions) =>
      buildCommand(options, context.output({ json: options.json === true })),
    );
}

/** Builds into `outdir` and prints the size report (or the report as JSON). */
export async function buildCommand(options: BuildCommandOptions, output: Output): Promise<void> {
  const report = await buildSkill({ outdir: options.outdir });
  output.result(report);
  if (!output.json) {
    process.stdout.write(formatBuildReport(report));
  }
}

/** `skillship build` (`npm run build`): bundles the skill's code entry for Lambda and prints the size report. */
import * as path from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "./context";
import { loadProject, profileOption, type ProfileFlags } from "./support/project";

/** Options of {@link buildCommand}. */
export interface BuildCommandOptions extends ProfileFlags {
  outdir?: string;
  json?: boolean;
}

/** Registers `skillship build`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("build")
    .description(
      "bundle the skill's code entry for nodejs22.x: index.js, its source map, skill.zip and build.json",
    )
    .option("--outdir <dir>", "output folder (default: dist/skill of the project)")
    .option("--json", "print the build report as JSON");
  profileOption(command).action((options: BuildCommandOptions) => buildCommand(options, context));
}

/** Builds the project's code entry into `outdir` and prints the size report (or the report as JSON). */
export async function buildCommand(options: BuildCommandOptions, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { buildSkill } = require("../lib/build/bundle") as typeof import("../lib/build/bundle");
  const { formatBuildReport } = require("../lib/build/report") as typeof import("../lib/build/report");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const project = loadProject(options, context);
  const outdir =
    options.outdir === undefined
      ? undefined
      : path.relative(project.root, path.resolve(context.cwd, options.outdir));
  const report = await buildSkill({
    root: project.root,
    ...(outdir === undefined ? {} : { outdir }),
    entry: path.relative(project.root, project.paths.entry),
    forbiddenPackages: project.settings.build.forbiddenPackages,
  });
  const output = context.output({ json: options.json === true });
  output.result(report);
  if (!output.json) {
    process.stdout.write(formatBuildReport(report));
  }
}

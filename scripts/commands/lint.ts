/**
 * `skillship lint`: checks the skill package and the skill's handlers together and reports every problem at once,
 * with the rules the project switches off and those it gives nothing to check.
 */
import type { Command } from "commander";
import type { CliEnvironment } from "../lib/core/env";
import { OperationError } from "../lib/core/errors";
import type { CommandContext } from "./context";
import { loadProject, profileOption, type ProfileFlags } from "./support/project";

/** Options of {@link lintCommand}. */
export interface LintCommandOptions extends ProfileFlags {
  package?: string;
  json?: boolean;
}

/** Registers `skillship lint`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("lint")
    .description("check the skill package (manifest, interaction models, icons) against the skill's handlers")
    .option("--package <dir>", "the skill package folder (default: skillPackage of the project)")
    .option("--json", "print the problems as JSON");
  profileOption(command).action((options: LintCommandOptions) => lintCommand(options, context));
}

/**
 * Reads the package and the handlers' declared intents, prints every problem (a table for people, JSON with
 * `--json`) and throws an {@link OperationError} (exit 1) when any is an error; warnings alone exit 0.
 */
export async function lintCommand(options: LintCommandOptions, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { countProblems, formatProblems } =
    require("../lib/package/lint") as typeof import("../lib/package/lint");
  const { formatRuleNotes, lintProject } =
    require("../lib/package/lint/project") as typeof import("../lib/package/lint/project");
  const { readSkillPackage } =
    require("../lib/package/skill-package") as typeof import("../lib/package/skill-package");
  const { displayPath } = require("../lib/project") as typeof import("../lib/project");
  const { createRedactor, maskedWriter } =
    require("../lib/core/redact") as typeof import("../lib/core/redact");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const output = context.output({ json: options.json === true });
  const project = loadProject(options, context);
  const pkg = await readSkillPackage(options.package ?? displayPath(project.paths.skillPackage));
  const report = await lintProject(pkg, project);
  const { errors, warnings } = countProblems(report.problems);
  const { problems, off, skipped } = report;
  output.result({ package: pkg.root, errors, warnings, problems, off, skipped });
  if (!output.json) {
    const stdout = maskedWriter(process.stdout, createRedactor(context.env.secretValues));
    stdout.write(formatRuleNotes(report));
    stdout.write(formatProblems(report.problems, { color: colorful(context.env) }));
  }
  if (errors > 0) {
    throw new OperationError(
      `${pkg.root} has ${errors} error${errors === 1 ? "" : "s"}: fix them and run skillship lint again`,
    );
  }
}

function colorful(env: CliEnvironment): boolean {
  return process.stdout.isTTY === true && !env.plainOutput;
}

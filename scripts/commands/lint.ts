/** `skillship lint`: checks the skill package and the skill's handlers together and reports every problem at once. */
import type { Command } from "commander";
import type { CliEnvironment } from "../lib/core/env";
import { OperationError } from "../lib/core/errors";
import type { Output } from "../lib/core/output";
import { createRedactor, maskedWriter } from "../lib/core/redact";
import { countProblems, formatProblems, lintSkillPackageFiles } from "../lib/package/lint";
import { skillHandlerIntents } from "../lib/package/lint/handlers";
import { readSkillPackage } from "../lib/package/skill-package";
import type { CommandContext } from "./context";

/** Options of {@link lintCommand}. */
export interface LintCommandOptions {
  package: string;
  json?: boolean;
}

/** Registers `skillship lint`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("lint")
    .description("check the skill package (manifest, interaction models, icons) against the skill's handlers")
    .option("--package <dir>", "the skill package folder", "skill-package")
    .option("--json", "print the problems as JSON")
    .action((options: LintCommandOptions) =>
      lintCommand(options, context.env, context.output({ json: options.json === true })),
    );
}

/**
 * Reads the package and the handlers' declared intents, prints every problem (a table for people, JSON with
 * `--json`) and throws an {@link OperationError} (exit 1) when any is an error; warnings alone exit 0.
 */
export async function lintCommand(
  options: LintCommandOptions,
  env: CliEnvironment,
  output: Output,
): Promise<void> {
  const pkg = await readSkillPackage(options.package);
  const problems = await lintSkillPackageFiles(pkg, { handlerIntents: skillHandlerIntents() });
  const { errors, warnings } = countProblems(problems);
  output.result({ package: pkg.root, errors, warnings, problems });
  if (!output.json) {
    const stdout = maskedWriter(process.stdout, createRedactor(env.secretValues));
    stdout.write(formatProblems(problems, { color: process.stdout.isTTY && !env.plainOutput }));
  }
  if (errors > 0) {
    throw new OperationError(
      `${pkg.root} has ${errors} error${errors === 1 ? "" : "s"}: fix them and run skillship lint again`,
    );
  }
}

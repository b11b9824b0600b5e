/**
 * The `skillship` program: the commands of `scripts/commands/` registered on one commander program.
 * `buildProgram()` is pure (no parsing, no exit) so tests can list commands and their flags.
 */
import { Command, CommanderError } from "commander";
import { commandModules } from "./commands";
import type { CommandContext } from "./commands/context";
import { readEnvironment, type EnvVars } from "./lib/core/env";
import { ExitCode, SkillshipError, type ExitCodeValue } from "./lib/core/errors";

// Read at run time rather than imported, so that a compiled CLI finds it beside its own folder too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../package.json") as { version: string };

/** Builds the program with every command registered; the context defaults to the process's environment. */
export function buildProgram(
  context: CommandContext = { env: readEnvironment(), cwd: process.cwd() },
): Command {
  const program = new Command("skillship")
    .description("Infrastructure-as-code CI/CD for Amazon Alexa skills")
    .version(version, "-V, --version", "print the version of skillship")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const module of commandModules) {
    module.register(program, context);
  }
  for (const command of program.commands) {
    command.exitOverride();
  }
  return program;
}

/**
 * Runs the CLI with the given arguments (without `node` and the script) and returns the exit code. The
 * environment is read once, here, and handed to every command with the working directory (`options.cwd`,
 * default the process's) the project is searched from.
 * Errors are printed here, once, as a message: a {@link SkillshipError} with its exit code, anything else as an
 * unexpected failure (exit 1) with its stack, because that is a bug of ours.
 */
export async function run(
  args: string[],
  vars: EnvVars = process.env,
  options: { cwd?: string } = {},
): Promise<ExitCodeValue> {
  const program = buildProgram({ env: readEnvironment(vars), cwd: options.cwd ?? process.cwd() });
  try {
    await program.parseAsync(args, { from: "user" });
    return ExitCode.ok;
  } catch (error) {
    return reportError(error);
  }
}

function reportError(error: unknown): ExitCodeValue {
  if (error instanceof CommanderError) {
    // Commander has already printed its message; help and version are successes.
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.exitCode === 0
    ) {
      return ExitCode.ok;
    }
    return ExitCode.usage;
  }
  if (error instanceof SkillshipError) {
    process.stderr.write(`skillship: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(
    `skillship: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return ExitCode.failed;
}

/**
 * The `skillship` program: the commands of `scripts/commands/` registered on one commander program.
 * `buildProgram()` is pure (no parsing, no exit) so tests can list commands and their flags.
 */
import { Command, CommanderError } from "commander";
import { commandModules } from "./commands";
import type { CommandContext } from "./commands/context";
import { readEnvironment, type EnvVars } from "./lib/core/env";
import { ExitCode, SkillshipError, type ExitCodeValue } from "./lib/core/errors";
import type { Output, OutputOptions } from "./lib/core/output";
import { createRedactor, maskedWriter, type WritableText } from "./lib/core/redact";

/** The reporter, loaded when a command opens one: its terminal libraries are not needed to start (`--version`). */
function createOutput(options: OutputOptions): Output {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use (start budget)
  return (require("./lib/core/output") as typeof import("./lib/core/output")).createOutput(options);
}

// Read at run time rather than imported, so that a compiled CLI finds it beside its own folder too.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("../package.json") as { version: string };

/**
 * The context of a run over `env` in the working directory `cwd` (the project is searched from there up);
 * `opened` is told the reporter the command creates.
 */
export function commandContext(
  env = readEnvironment(),
  cwd = process.cwd(),
  opened: (output: Output) => void = () => undefined,
): CommandContext {
  return {
    env,
    cwd,
    output(options) {
      const output = createOutput({ ...options, env });
      opened(output);
      return output;
    },
  };
}

/**
 * The CLI's own stdout and stderr (commander's messages, the top-level error path): every secret of the
 * environment and every token shape masked, as the reporter masks what commands print.
 */
export function cliStreams(env: CommandContext["env"]): { stdout: WritableText; stderr: WritableText } {
  const redactor = createRedactor(env.secretValues);
  return { stdout: maskedWriter(process.stdout, redactor), stderr: maskedWriter(process.stderr, redactor) };
}

/** Builds the program with every command registered; the context defaults to the process's environment. */
export function buildProgram(context: CommandContext = commandContext()): Command {
  const streams = cliStreams(context.env);
  const program = new Command("skillship")
    .description("Infrastructure-as-code CI/CD for Amazon Alexa skills")
    .version(version, "-V, --version", "print the version of skillship")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => streams.stderr.write(s), writeOut: (s) => streams.stdout.write(s) });
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
 * unexpected failure (exit 1) with its stack, because that is a bug of ours; either way through the masked stderr,
 * since an error may quote a service's answer and a service may echo a token. With `--json`, every exit also
 * prints one document on stdout, through the command's reporter (masked too): its result or how far it got, the
 * exit code and the error.
 */
export async function run(
  args: string[],
  vars: EnvVars = process.env,
  options: { cwd?: string } = {},
): Promise<ExitCodeValue> {
  const env = readEnvironment(vars);
  let output: Output | undefined;
  const program = buildProgram(
    commandContext(env, options.cwd ?? process.cwd(), (opened) => (output = opened)),
  );
  let exitCode: ExitCodeValue = ExitCode.ok;
  let failure: unknown;
  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    exitCode = reportError(error, cliStreams(env).stderr);
    failure = exitCode === ExitCode.ok ? undefined : asReported(error);
  }
  // A command that failed before it opened its reporter (a flag, a missing variable) still answers in JSON.
  if (output === undefined && failure !== undefined && wantsJson(args)) {
    output = createOutput({ json: true, env });
  }
  output?.end({ exitCode, ...(failure === undefined ? {} : { error: failure }) });
  return exitCode;
}

/** True when the arguments ask for JSON (`--json`, or `--format json` as `diff` takes it), before any `--`. */
function wantsJson(args: readonly string[]): boolean {
  const options = args.includes("--") ? args.slice(0, args.indexOf("--")) : args;
  return options.some(
    (arg, i) =>
      arg === "--json" || arg === "--format=json" || (arg === "--format" && options[i + 1] === "json"),
  );
}

// Commander's own errors are usage errors; their message is what commander printed.
function asReported(error: unknown): unknown {
  return error instanceof CommanderError
    ? Object.assign(new Error(error.message.replace(/^error: /, "")), { name: "UsageError" })
    : error;
}

function reportError(error: unknown, stderr: WritableText): ExitCodeValue {
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
    stderr.write(`skillship: ${error.message}\n`);
    return error.exitCode;
  }
  stderr.write(
    `skillship: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return ExitCode.failed;
}

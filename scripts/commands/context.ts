/**
 * What `run()` hands every command: the environment, read once for the whole run, where it runs, and the run's one
 * reporter.
 */
import type { CliEnvironment } from "../lib/core/env";
import type { Output, OutputOptions } from "../lib/core/output";

/** The context of one CLI run. */
export interface CommandContext {
  readonly env: CliEnvironment;
  /** The working directory: the project (skillship.json, ask-resources.json) is searched from here up. */
  readonly cwd: string;
  /**
   * Creates the run's reporter, once the command knows whether `--json` was asked for. The CLI's one exit path
   * ends it, so that with `--json` every exit prints exactly one document, failures included.
   */
  output(options: Omit<OutputOptions, "env">): Output;
}

/** What `run()` hands every command: the environment, read once for the whole run, and where it runs. */
import type { CliEnvironment } from "../lib/core/env";

/** The context of one CLI run. */
export interface CommandContext {
  readonly env: CliEnvironment;
  /** The working directory: the project (skillship.json, ask-resources.json) is searched from here up. */
  readonly cwd: string;
}

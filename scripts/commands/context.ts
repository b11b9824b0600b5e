/** What `run()` hands every command: the environment, read once for the whole run. */
import type { CliEnvironment } from "../lib/core/env";

/** The context of one CLI run. */
export interface CommandContext {
  readonly env: CliEnvironment;
}

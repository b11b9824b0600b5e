/**
 * The flags of the commands that follow a skill package export (`import`, `drift`): how long to wait for it, and
 * `--export-id` to follow the one an earlier run started (its exit 3 names it).
 */
import { Option, type Command } from "commander";
import { parseDuration } from "../../lib/core/duration";
import type { WaitOptions } from "../../lib/core/wait";

/** The export flags, as commander parses them. */
export interface ExportFlags {
  exportId?: string;
  timeout: string;
  pollInterval: string;
}

/** Adds `--export-id`, `--timeout` (default 5m) and the hidden `--poll-interval` to `command`. */
export function exportOptions(command: Command): Command {
  return command
    .option("--export-id <id>", "follow the export an earlier run started (its exit 3 names it)")
    .option("--timeout <duration>", "how long to wait for the export (exit 3 when it runs out)", "5m")
    .addOption(
      new Option("--poll-interval <duration>", "time between two status reads").default("2s").hideHelp(),
    );
}

/** The export to follow and how to wait for it, from the flags; `progress` shows the wait (none: silent). */
export function exportWait(
  flags: ExportFlags,
  progress?: WaitOptions["progress"],
): { wait: WaitOptions; exportId?: string } {
  return {
    wait: {
      timeoutMs: parseDuration(flags.timeout, "--timeout"),
      pollIntervalMs: parseDuration(flags.pollInterval, "--poll-interval"),
      ...(progress === undefined ? {} : { progress }),
    },
    ...(flags.exportId === undefined ? {} : { exportId: flags.exportId }),
  };
}

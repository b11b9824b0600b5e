/**
 * `skillship init`: lays Skillship into a skill repository (an ASK CLI project or not) without overwriting
 * anything unless `--force`: the project file, the Pulumi project and its stacks, the caller workflows of
 * Skillship's reusable ones, and with `--sample`, in an empty folder, a minimal working custom skill. Prints what it wrote and the one-time steps left.
 */
import type { Command } from "commander";
import { UsageError } from "../lib/core/errors";
import type { CommandContext } from "./context";
import { profileOf, profileOption, type ProfileFlags } from "./support/project";

interface InitFlags extends ProfileFlags {
  sample?: boolean;
  force?: boolean;
  skillId?: string;
  workflows?: string;
  json?: boolean;
}

/** Registers `init`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("init")
    .description(
      "Set up Skillship in this folder: skillship.json, Pulumi.yaml, the dev and prod stacks and the caller " +
        "workflows (never overwriting a file without --force); --sample lays out a minimal custom skill in an " +
        "empty folder",
    )
    .option("--sample", "also lay out a minimal working custom skill (the folder must be empty)")
    .option("--force", "replace files that exist")
    .option("--skill-id <id>", "the skill id for the stack files (default: the one the ASK CLI deployed)")
    .option(
      "--workflows <repo@commit>",
      "where Skillship's reusable workflows are, OWNER/NAME@COMMIT, pinned in the caller workflows (default: marked REPLACE)",
    )
    .option("--json", "print what was written as one JSON document");
  profileOption(command).action((flags: InitFlags) => initCommand(flags, context));
}

async function initCommand(flags: InitFlags, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { detectLayout } = require("../lib/init/layout") as typeof import("../lib/init/layout");
  const { planInit } = require("../lib/init/plan") as typeof import("../lib/init/plan");
  const { nextSteps } = require("../lib/init/steps") as typeof import("../lib/init/steps");
  const { writePlannedFiles } = require("../lib/init/write") as typeof import("../lib/init/write");
  const { parseWorkflowsSource } = require("../lib/init/workflows") as typeof import("../lib/init/workflows");
  const { version } = require("../../package.json") as { version: string };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const output = context.output({ json: flags.json === true });
  const workflows = flags.workflows === undefined ? undefined : parseWorkflowsSource(flags.workflows);
  const layout = detectLayout(context.cwd, profileOf(flags, context));
  const sample = flags.sample === true;
  if (sample && layout.contents.length > 0 && flags.force !== true) {
    throw new UsageError(
      `init --sample lays out a skill in an empty folder, and ${context.cwd} has ${layout.contents.join(", ")}: ` +
        "run it in an empty folder (or pass --force to write over these)",
    );
  }
  const options = {
    sample,
    version,
    ...(flags.skillId === undefined ? {} : { skillId: flags.skillId }),
    ...(workflows === undefined ? {} : { workflows }),
  };
  const outcomes = await writePlannedFiles(context.cwd, planInit(layout, options), flags.force === true);
  const steps = nextSteps(layout, outcomes, options);
  output.heading(
    `Skillship in ${context.cwd}${layout.source === "ask-resources.json" ? " (an ASK CLI project, read as it is)" : ""}`,
  );
  output.table(
    outcomes.map((file) => ({ ...file })),
    ["path", "outcome"],
  );
  output.line();
  output.line("Next, once:");
  output.steps(steps);
  output.result({ dir: context.cwd, source: layout.source, files: outcomes, steps });
}

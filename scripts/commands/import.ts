/**
 * `skillship import --skill-id ID`: an existing skill's package, as a stage of the Skill Management API holds it,
 * written into the project's skill package folder through the package export, so a skill built in the developer
 * console gets into git in one command.
 */
import * as path from "node:path";
import { Option, type Command } from "commander";
import { parseDuration } from "../lib/core/duration";
import type { SkillStage } from "../lib/ports";
import type { CommandContext } from "./context";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

interface ImportFlags extends ProfileFlags {
  skillId?: string;
  stage: SkillStage;
  package?: string;
  force?: boolean;
  exportId?: string;
  timeout: string;
  pollInterval: string;
  json?: boolean;
}

/** Registers `import`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("import")
    .description(
      "Write a skill's package from the Skill Management API (its development or live stage) into the skill " +
        "package folder",
    )
    .option("--skill-id <id>", "the skill to import (default: the one the ASK CLI deployed for the profile)")
    .addOption(
      new Option("--stage <stage>", "the stage to import")
        .choices(["development", "live"])
        .default("development"),
    )
    .option("--package <dir>", "the folder to write (default: skillPackage of the project)")
    .option("--force", "replace a folder that already holds files")
    .option("--export-id <id>", "follow the export an earlier run started (its exit 3 names it)")
    .option("--timeout <duration>", "how long to wait for the export (exit 3 when it runs out)", "5m")
    .addOption(
      new Option("--poll-interval <duration>", "time between two status reads").default("2s").hideHelp(),
    )
    .option("--json", "print one JSON document instead of text");
  profileOption(command).action((flags: ImportFlags) => importCommand(flags, context));
}

async function importCommand(flags: ImportFlags, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { createSkillsPort } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
  const { importSkillPackage } = require("../lib/package/export") as typeof import("../lib/package/export");
  const { resolveSkillTarget } = require("../lib/stack/outputs") as typeof import("../lib/stack/outputs");
  const { displayPath } = require("../lib/project") as typeof import("../lib/project");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const output = context.output({ json: flags.json === true });
  const project = loadProject(flags, context);
  const { skillId } = resolveSkillTarget(withProjectSkillId({ skillId: flags.skillId }, project));
  const target =
    flags.package === undefined ? project.paths.skillPackage : path.resolve(context.cwd, flags.package);
  const skills = createSkillsPort({ env: context.env, profile: profileOf(flags, context) });
  const result = await importSkillPackage(skills, {
    skillId,
    stage: flags.stage,
    target,
    force: flags.force === true,
    ...(flags.exportId === undefined ? {} : { exportId: flags.exportId }),
    wait: {
      timeoutMs: parseDuration(flags.timeout, "--timeout"),
      pollIntervalMs: parseDuration(flags.pollInterval, "--poll-interval"),
      progress: (label) => output.progress(label),
    },
  });
  output.line(
    `${result.replaced ? "Replaced" : "Wrote"} ${displayPath(result.target)} with the ${result.stage} stage's ` +
      `package of ${result.skillId}: ${result.files.length} file${result.files.length === 1 ? "" : "s"}.`,
  );
  output.line("Next: skillship lint, then commit the folder.");
  output.result({ ...result, target: displayPath(result.target) });
}

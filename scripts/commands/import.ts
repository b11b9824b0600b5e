/**
 * `skillship import --skill-id ID`: an existing skill's package, as a stage of the Skill Management API holds it,
 * written into the project's skill package folder through the package export, so a skill built in the developer
 * console gets into git in one command.
 */
import * as path from "node:path";
import { Option, type Command } from "commander";
import type { SkillStage } from "../lib/ports";
import type { CommandContext } from "./context";
import { exportOptions, exportWait, type ExportFlags } from "./support/export";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

interface ImportFlags extends ProfileFlags, ExportFlags {
  skillId?: string;
  stage: SkillStage;
  package?: string;
  force?: boolean;
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
    .option("--json", "print one JSON document instead of text");
  profileOption(exportOptions(command)).action((flags: ImportFlags) => importCommand(flags, context));
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
    ...exportWait(flags, (label) => output.progress(label)),
  });
  output.line(
    `${result.replaced ? "Replaced" : "Wrote"} ${displayPath(result.target)} with the ${result.stage} stage's ` +
      `package of ${result.skillId}: ${result.files.length} file${result.files.length === 1 ? "" : "s"}.`,
  );
  output.line("Next: skillship lint, then commit the folder.");
  output.result({ ...result, target: displayPath(result.target) });
}

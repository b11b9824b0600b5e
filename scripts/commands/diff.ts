/**
 * `skillship diff`: the repository's skill package against a stage of the skill (manifest without endpoints,
 * each locale's model, account linking without its secret). The markdown form is what CI posts on a pull request.
 */
import { Command } from "commander";
import type { DiffFormat } from "../lib/package/diff-format";
import type { SkillStage } from "../lib/ports";
import type { CommandContext } from "./context";
import { comparisonOptions } from "./support/compare";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

interface DiffFlags extends ProfileFlags {
  stage: SkillStage;
  format: DiffFormat;
  outputs?: string;
  skillId?: string;
  package?: string;
  json?: boolean;
}

/** Registers `diff`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("diff")
    .description("show how the repository's skill package differs from a stage (endpoints excluded)");
  profileOption(comparisonOptions(command, "the stage to compare against", "a pull request")).action(
    async (flags: DiffFlags) => {
      /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
      const { diffPackages, readStageToCompare } =
        require("../lib/package/diff") as typeof import("../lib/package/diff");
      const { formatDiff } =
        require("../lib/package/diff-format") as typeof import("../lib/package/diff-format");
      const { readSkillPackage } =
        require("../lib/package/skill-package") as typeof import("../lib/package/skill-package");
      const { createSkillsPort } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
      const { resolveSkillTarget } = require("../lib/stack/outputs") as typeof import("../lib/stack/outputs");
      const { displayPath } = require("../lib/project") as typeof import("../lib/project");
      /* eslint-enable @typescript-eslint/no-require-imports */
      const format: DiffFormat = flags.json === true ? "json" : flags.format;
      const project = loadProject(flags, context);
      const target = resolveSkillTarget(withProjectSkillId(flags, project));
      const repo = await readSkillPackage(flags.package ?? displayPath(project.paths.skillPackage));
      const skills = createSkillsPort({ env: context.env, profile: profileOf(flags, context) });
      const stage = await readStageToCompare(skills, target.skillId, flags.stage, repo);
      const diff = diffPackages(repo, stage, flags.stage);
      const output = context.output({ json: format === "json" });
      // The diff itself is the output in every format, with no chatter around it: CI posts it as it is.
      if (format === "json") {
        output.result(diff);
      } else {
        output.line(formatDiff(diff, format).trimEnd());
      }
      output.summary(formatDiff(diff, "markdown"));
    },
  );
}

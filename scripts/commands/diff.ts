/**
 * `skillship diff`: the repository's skill package against a stage of the skill (manifest without endpoints,
 * each locale's model). The markdown form is what CI posts on a pull request.
 */
import { Command, Option } from "commander";
import { diffPackages, formatDiff, readStagePackage, type DiffFormat } from "../lib/package/diff";
import type { SkillStage } from "../lib/ports";
import { readSkillPackage } from "../lib/package/skill-package";
import { createSkillsPort } from "../lib/adapters/smapi";
import { resolveSkillTarget } from "../lib/stack/outputs";
import type { CommandContext } from "./context";

interface DiffFlags {
  stage: SkillStage;
  format: DiffFormat;
  outputs?: string;
  skillId?: string;
  package: string;
  json?: boolean;
}

/** Registers `diff`. */
export function register(program: Command, context: CommandContext): void {
  program
    .command("diff")
    .description("show how the repository's skill package differs from a stage (endpoints excluded)")
    .addOption(
      new Option("--stage <stage>", "the stage to compare against")
        .choices(["development", "live"])
        .default("development"),
    )
    .addOption(
      new Option("--format <format>", "text for people, markdown for a pull request, json for machines")
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--package <dir>", "the skill package folder", "skill-package")
    .option("--json", "the same as --format json")
    .action(async (flags: DiffFlags) => {
      const format: DiffFormat = flags.json === true ? "json" : flags.format;
      const target = resolveSkillTarget(flags);
      const repo = await readSkillPackage(flags.package);
      const stage = await readStagePackage(
        createSkillsPort({ env: context.env }),
        target.skillId,
        flags.stage,
        Object.keys(repo.models),
      );
      const diff = diffPackages(repo, stage, flags.stage);
      const output = context.output({ json: format === "json" });
      // The diff itself is the output in every format, with no chatter around it: CI posts it as it is.
      if (format === "json") {
        output.result(diff);
      } else {
        output.line(formatDiff(diff, format).trimEnd());
      }
      output.summary(formatDiff(diff, "markdown"));
    });
}

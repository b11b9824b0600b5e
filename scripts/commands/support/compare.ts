/**
 * The flags of the commands that compare the repository's skill package with a stage (`diff`, `drift`): which
 * stage, how to print the difference, and which skill and package.
 */
import { Option, type Command } from "commander";

/** Adds `--stage`, `--format` (its markdown meant for `markdownFor`), `--outputs`, `--skill-id`, `--package`, `--json`. */
export function comparisonOptions(command: Command, stageHelp: string, markdownFor: string): Command {
  return command
    .addOption(
      new Option("--stage <stage>", stageHelp).choices(["development", "live"]).default("development"),
    )
    .addOption(
      new Option("--format <format>", `text for people, markdown for ${markdownFor}, json for machines`)
        .choices(["text", "markdown", "json"])
        .default("text"),
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--package <dir>", "the skill package folder (default: skillPackage of the project)")
    .option("--json", "the same as --format json");
}

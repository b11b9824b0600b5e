/**
 * The project of a command: `--profile` (every command that reads the project or calls the Skill Management API
 * takes it) and the project file read for it. The project module is loaded when a command runs, not when the
 * CLI starts.
 */
import type { Command } from "commander";
import type { Project } from "../../lib/project";
import type { CommandContext } from "../context";

/** The flag every project-reading command takes. */
export interface ProfileFlags {
  profile?: string;
}

/** Adds `--profile NAME`. */
export function profileOption(command: Command): Command {
  return command.option(
    "--profile <name>",
    "the ASK CLI profile: of ask-resources.json and ~/.ask/cli_config (default ASK_DEFAULT_PROFILE, else default)",
  );
}

/** The profile of a run: the flag, else `ASK_DEFAULT_PROFILE`, else undefined (the project's default). */
export function profileOf(flags: ProfileFlags, context: CommandContext): string | undefined {
  return flags.profile ?? context.env.askProfile;
}

/** Reads the project the command works on. */
export function loadProject(flags: ProfileFlags, context: CommandContext): Project {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when a command runs (start budget)
  const { readProject } = require("../../lib/project") as typeof import("../../lib/project");
  return readProject({ cwd: context.cwd, profile: profileOf(flags, context) });
}

/**
 * The skill flags of a command, completed by the project: without `--outputs` or `--skill-id`, the skill id the
 * ASK CLI deployed for the profile (`.ask/ask-states.json`), when there is one.
 */
export function withProjectSkillId<T extends { outputs?: string; skillId?: string }>(
  flags: T,
  project: Project,
): T {
  return flags.outputs === undefined && flags.skillId === undefined && project.skillId !== undefined
    ? { ...flags, skillId: project.skillId }
    : flags;
}

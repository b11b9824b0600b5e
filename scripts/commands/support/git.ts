/** What git and GitHub Actions say about the commit being released, for the release record. */
import { execFileSync } from "node:child_process";
import type { CliEnvironment } from "../../lib/core/env";
import { UsageError } from "../../lib/core/errors";

/**
 * The tag and commit recorded in the version: the flags, else GitHub Actions' tag build, else git (the exact
 * tag of HEAD, and HEAD). A release without any tag is recorded as `untagged`.
 */
export function resolveReleaseRef(
  flags: { tag?: string; commit?: string },
  env: CliEnvironment,
): { tag: string; commit: string } {
  const tag =
    flags.tag ?? env.github.tag ?? git(["describe", "--tags", "--exact-match", "HEAD"]) ?? "untagged";
  const commit = flags.commit ?? env.github.commit ?? git(["rev-parse", "HEAD"]);
  if (commit === undefined) {
    throw new UsageError(
      "Which commit is released? Pass --commit SHA (git could not tell: not a repository?)",
    );
  }
  return { tag, commit };
}

function git(args: string[]): string | undefined {
  try {
    return (
      execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim() || undefined
    );
  } catch {
    return undefined;
  }
}

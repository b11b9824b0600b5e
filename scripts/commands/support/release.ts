/**
 * What the release commands share: the flags every one takes, the local checks that run before any remote call
 * (stack outputs, skill package and its lint, the bundle's build record, credentials), the ports, and how a plan
 * and its outcome are shown (step list, `--json` document, GitHub job summary).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { z } from "zod";
import { parseDuration } from "../../lib/core/duration";
import { releaseRefFromEnv } from "../../lib/core/env";
import { ConfigError, OperationError, UsageError } from "../../lib/core/errors";
import { createFunctionsPort } from "../../lib/adapters/lambda";
import { countProblems, formatProblems, lintSkillPackageFiles } from "../../lib/package/lint";
import { skillHandlerIntents } from "../../lib/package/lint/handlers";
import type { Output } from "../../lib/core/output";
import { readSkillPackage, type SkillPackage } from "../../lib/package/skill-package";
import { createSkillsPort } from "../../lib/adapters/smapi";
import { readStackOutputs } from "../../lib/stack/outputs";
import type { EngineDeps, OperationResult } from "../../lib/release/operations";
import { describeStep, type Plan } from "../../lib/release/steps";

/** Flags every release command takes. */
export interface CommonFlags {
  outputs?: string;
  skillId?: string;
  json?: boolean;
  dryRun?: boolean;
  timeout?: string;
  pollInterval?: string;
}

/** Adds the flags every release command takes. */
export function commonOptions(
  command: Command,
  options: { dryRun: boolean; timeoutDefault: string },
): Command {
  command
    .option("--outputs <file>", "the prod stack's outputs, written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option("--json", "print one JSON document instead of the step list")
    .option(
      "--timeout <duration>",
      "give up waiting after this long (exit 3; run again to resume)",
      options.timeoutDefault,
    )
    .addOption(
      new Option("--poll-interval <duration>", "time between two status reads").default("5s").hideHelp(),
    );
  if (options.dryRun) {
    command.option("--dry-run", "print the plan and change nothing");
  }
  return command;
}

/** Reads the stack outputs named by `--outputs` (required: releases need the function and alias endpoints). */
export function outputsOf(flags: CommonFlags): ReturnType<typeof readStackOutputs> {
  if (flags.outputs === undefined) {
    throw new UsageError(
      "--outputs FILE is required: the prod stack's outputs, written by `pulumi stack output --json > FILE`",
    );
  }
  return readStackOutputs(flags.outputs, flags.skillId === undefined ? {} : { skillId: flags.skillId });
}

/**
 * Builds the engine's dependencies. Credentials are read here, by the Skill Management API adapter, so a missing
 * variable stops the command before anything is changed.
 */
export function engineDeps(flags: CommonFlags, output: Output, pkg?: SkillPackage): EngineDeps {
  const outputs = outputsOf(flags);
  const skills = createSkillsPort();
  const functions = createFunctionsPort();
  return {
    skills,
    functions,
    outputs,
    ...(pkg === undefined ? {} : { pkg }),
    wait: {
      timeoutMs: parseDuration(flags.timeout ?? "15m", "--timeout"),
      pollIntervalMs: parseDuration(flags.pollInterval ?? "5s", "--poll-interval"),
      progress: (label) => output.progress(label),
    },
    onPlan: (plan, dryRun) => showPlan(output, plan, outputs.functionName, dryRun),
    onStep: (event) => {
      if (event.phase === "start") {
        output.line(`→ ${event.text}`);
      } else {
        output.line(`  ✔ ${event.detail ?? "done"}`);
      }
    },
  };
}

/**
 * Reads the skill package and lints it with the skill's handlers. Throws an {@link OperationError} listing the
 * problems when any is an error: a broken package stops a release before any remote call.
 */
export async function readLintedPackage(root: string, output: Output): Promise<SkillPackage> {
  const pkg = await readSkillPackage(root);
  const problems = await lintSkillPackageFiles(pkg, { handlerIntents: skillHandlerIntents() });
  const { errors } = countProblems(problems);
  if (errors > 0) {
    const errorsOnly = problems.filter((problem) => problem.severity === "error");
    throw new OperationError(
      `${pkg.root} has ${errors} lint error${errors === 1 ? "" : "s"}; nothing was released:\n` +
        formatProblems(errorsOnly, { color: false }).trimEnd() +
        `\nFix them (skillship lint shows them all), then release again.`,
    );
  }
  if (problems.length > 0) {
    output.warn(`${pkg.root}: ${problems.length} lint warning(s); run skillship lint to see them`);
  }
  return pkg;
}

const buildRecordSchema = z.object({ codeSha256: z.string().min(1) });

/** Reads `codeSha256` from the build record `npm run build` writes. */
export function readBundleSha256(file: string): string {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      `${file} cannot be read: run \`npm run build\` first (the release publishes the bundle it describes)`,
      { cause: error },
    );
  }
  let parsed: z.infer<typeof buildRecordSchema>;
  try {
    parsed = buildRecordSchema.parse(JSON.parse(text));
  } catch (error) {
    throw new ConfigError(`${file} has no codeSha256: run \`npm run build\` again`, { cause: error });
  }
  return parsed.codeSha256;
}

/**
 * The tag and commit recorded in the version: the flags, else GitHub Actions' tag build, else git (the exact
 * tag of HEAD, and HEAD). A release without any tag is recorded as `untagged`.
 */
export function resolveReleaseRef(flags: { tag?: string; commit?: string }): { tag: string; commit: string } {
  const fromEnv = releaseRefFromEnv();
  const tag = flags.tag ?? fromEnv.tag ?? git(["describe", "--tags", "--exact-match", "HEAD"]) ?? "untagged";
  const commit = flags.commit ?? fromEnv.commit ?? git(["rev-parse", "HEAD"]);
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

/** Shows a computed plan (before it is applied, or as the whole output of `--dry-run`). */
export function showPlan(output: Output, plan: Plan, functionName: string, dryRun: boolean): void {
  output.heading(`skillship ${plan.operation}${dryRun ? " (dry run: nothing is changed)" : ""}`);
  output.line(plan.summary);
  if (plan.steps.length > 0 && dryRun) {
    output.steps(plan.steps.map((step) => describeStep(step, functionName)));
  }
}

/** The `--json` document and the job summary of a planned operation. */
export function reportOperation(
  output: Output,
  result: OperationResult,
  functionName: string,
  dryRun: boolean,
): void {
  const steps =
    result.result?.steps ??
    result.plan.steps.map((step) => ({ step, text: describeStep(step, functionName) }));
  output.result({
    operation: result.plan.operation,
    path: result.plan.path,
    summary: result.plan.summary,
    dryRun,
    applied: result.applied,
    ...(result.result?.version === undefined ? {} : { version: result.result.version }),
    ...(result.result?.certificationId === undefined
      ? {}
      : { certificationId: result.result.certificationId }),
    steps: steps.map((entry) => ({
      kind: entry.step.kind,
      text: entry.text,
      ...("detail" in entry && entry.detail !== undefined ? { detail: entry.detail } : {}),
    })),
  });
  output.summary(
    [
      `### skillship ${result.plan.operation}${dryRun ? " (dry run)" : ""}`,
      "",
      result.plan.summary,
      "",
      ...steps.map(
        (entry, i) =>
          `${i + 1}. ${entry.text}${"detail" in entry && entry.detail !== undefined ? ` — ${entry.detail}` : ""}`,
      ),
    ].join("\n"),
  );
  if (!dryRun && result.applied) {
    output.line("Done.");
  }
}

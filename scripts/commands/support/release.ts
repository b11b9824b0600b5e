/**
 * What the release commands share: the flags every one takes, the stack outputs and ports they work from
 * (credentials are read there, before any remote call), and how a plan and its outcome are shown (step list,
 * `--json` document, GitHub job summary).
 */
import { Option, type Command } from "commander";
import { parseDuration } from "../../lib/core/duration";
import type { CliEnvironment } from "../../lib/core/env";
import { UsageError } from "../../lib/core/errors";
import type { Output } from "../../lib/core/output";
import type { SkillPackage } from "../../lib/package/skill-package";
import type { EngineDeps, OperationResult } from "../../lib/release/operations";
import type { Plan } from "../../lib/release/steps";
import { profileOption, type ProfileFlags } from "./project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when a command runs (start budget) */
const lib = {
  lambda: () => require("../../lib/adapters/lambda") as typeof import("../../lib/adapters/lambda"),
  smapi: () => require("../../lib/adapters/smapi") as typeof import("../../lib/adapters/smapi"),
  outputs: () => require("../../lib/stack/outputs") as typeof import("../../lib/stack/outputs"),
  steps: () => require("../../lib/release/steps") as typeof import("../../lib/release/steps"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Flags every release command takes. */
export interface CommonFlags extends ProfileFlags {
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
  return profileOption(command);
}

/** Reads the stack outputs named by `--outputs` (required: releases need the function and alias endpoints). */
export function outputsOf(
  flags: CommonFlags,
): ReturnType<typeof import("../../lib/stack/outputs").readStackOutputs> {
  if (flags.outputs === undefined) {
    throw new UsageError(
      "--outputs FILE is required: the prod stack's outputs, written by `pulumi stack output --json > FILE`",
    );
  }
  return lib
    .outputs()
    .readStackOutputs(flags.outputs, flags.skillId === undefined ? {} : { skillId: flags.skillId });
}

/**
 * Builds the engine's dependencies. Credentials are read here, by the Skill Management API adapter, so a missing
 * variable stops the command before anything is changed.
 */
export function engineDeps(
  flags: CommonFlags,
  output: Output,
  env: CliEnvironment,
  pkg?: SkillPackage,
): EngineDeps {
  const outputs = outputsOf(flags);
  const skills = lib.smapi().createSkillsPort({ env, profile: flags.profile ?? env.askProfile });
  const functions = lib.lambda().createFunctionsPort();
  return {
    skills,
    functions,
    outputs,
    readSecret: env.variable,
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

/** Shows a computed plan (before it is applied, or as the whole output of `--dry-run`). */
export function showPlan(output: Output, plan: Plan, functionName: string, dryRun: boolean): void {
  output.heading(`skillship ${plan.operation}${dryRun ? " (dry run: nothing is changed)" : ""}`);
  output.line(plan.summary);
  if (plan.steps.length > 0 && dryRun) {
    output.steps(plan.steps.map((step) => lib.steps().describeStep(step, functionName)));
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
    result.plan.steps.map((step) => ({ step, text: lib.steps().describeStep(step, functionName) }));
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

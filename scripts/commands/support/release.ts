/**
 * What the release commands share: the flags every one takes, the stack outputs and ports they work from
 * (credentials are read there, before any remote call), and how a plan and its outcome are shown (step list,
 * `--json` document, GitHub job summary), also when it fails part-way: the steps done, the one that failed and
 * what was put back; a canary's state goes into the same document as it goes (`canary.ts`).
 */
import { Option, type Command } from "commander";
import { parseDuration } from "../../lib/core/duration";
import type { CliEnvironment } from "../../lib/core/env";
import { UsageError } from "../../lib/core/errors";
import type { Output } from "../../lib/core/output";
import type { SkillPackage } from "../../lib/package/skill-package";
import type { StepEvent } from "../../lib/release/apply";
import type { EngineDeps, OperationResult } from "../../lib/release/operations";
import type { Plan } from "../../lib/release/steps";
import { profileOption, type ProfileFlags } from "./project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when a command runs (start budget) */
const lib = {
  lambda: () => require("../../lib/adapters/lambda") as typeof import("../../lib/adapters/lambda"),
  smapi: () => require("../../lib/adapters/smapi") as typeof import("../../lib/adapters/smapi"),
  outputs: () => require("../../lib/stack/outputs") as typeof import("../../lib/stack/outputs"),
  steps: () => require("../../lib/release/steps") as typeof import("../../lib/release/steps"),
  regions: () => require("../../lib/release/regions") as typeof import("../../lib/release/regions"),
  metrics: () => require("../../lib/adapters/cloudwatch") as typeof import("../../lib/adapters/cloudwatch"),
  canary: () => require("./canary") as typeof import("./canary"),
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
 * Builds the engine's dependencies. Credentials are read here, the Skill Management API's variables and the AWS
 * SDK's chain, so that missing ones stop the command before any call.
 */
export async function engineDeps(
  flags: CommonFlags,
  output: Output,
  env: CliEnvironment,
  pkg?: SkillPackage,
): Promise<EngineDeps> {
  const outputs = outputsOf(flags);
  const { skills, packages, validations } = lib
    .smapi()
    .createSmapiPorts({ env, profile: flags.profile ?? env.askProfile });
  // A stack with regional endpoints: the same function in each other AWS region, with its own client, and the
  // home function in the region its ARN names rather than wherever AWS_REGION points.
  const targets = lib.regions().replicaTargetsOf(outputs);
  const functions = await lib
    .lambda()
    .createCheckedFunctionsPort(
      env,
      targets.length === 0 ? {} : { region: lib.regions().awsRegionOfArn(outputs.functionArn) },
    );
  const replicas = await Promise.all(
    targets.map(async (target) => ({
      ...target,
      functions: await lib.lambda().createCheckedFunctionsPort(env, { region: target.awsRegion }),
    })),
  );
  return {
    skills,
    packages,
    validations,
    functions,
    ...(replicas.length === 0 ? {} : { replicas }),
    // Region and credentials are the Lambda port's, resolved just above.
    metrics: lib.metrics().createMetricsPort(),
    outputs,
    readSecret: env.variable,
    ...(pkg === undefined ? {} : { pkg }),
    wait: {
      timeoutMs: parseDuration(flags.timeout ?? "15m", "--timeout"),
      pollIntervalMs: parseDuration(flags.pollInterval ?? "5s", "--poll-interval"),
      progress: (label) => output.progress(label),
    },
    onPlan: (plan, dryRun) => {
      showPlan(output, plan, outputs.functionName, dryRun);
      output.record({ operation: plan.operation, path: plan.path, summary: plan.summary, dryRun, steps: [] });
    },
    onStep: stepReporter(output),
    onCanary: lib.canary().canaryReporter(output),
  };
}

/** A step as the `--json` document lists it. */
interface StepEntry {
  kind: string;
  text: string;
  detail?: string;
}

/**
 * Shows each step as it starts and ends, and records in the `--json` document the steps done, the step that
 * failed and the restore steps that followed (with whether each put things back).
 */
function stepReporter(output: Output): (event: StepEvent) => void {
  const done: StepEntry[] = [];
  const restored: (StepEntry & { ok: boolean })[] = [];
  return (event) => {
    const entry: StepEntry = {
      kind: event.step.kind,
      text: event.text,
      ...(event.detail === undefined ? {} : { detail: event.detail }),
    };
    if (event.phase === "start") {
      output.line(`${event.restoring === true ? "↺ Restoring: " : "→ "}${event.text}`);
      return;
    }
    output.line(
      `  ${event.phase === "done" ? "✔" : "✖"} ${event.detail ?? (event.phase === "done" ? "done" : "failed")}`,
    );
    if (event.restoring === true) {
      restored.push({ ...entry, ok: event.phase === "done" });
      output.record({ restored: [...restored] });
    } else if (event.phase === "done") {
      done.push(entry);
      output.record({ steps: [...done] });
    } else {
      output.record({ failedStep: entry });
    }
  };
}

/** Shows a computed plan (before it is applied, or as the whole output of `--dry-run`). */
export function showPlan(output: Output, plan: Plan, functionName: string, dryRun: boolean): void {
  output.heading(`skillship ${plan.operation}${dryRun ? " (dry run: nothing is changed)" : ""}`);
  output.line(plan.summary);
  if (plan.steps.length > 0 && dryRun) {
    const { describeStep } = lib.steps();
    output.steps(plan.steps.map((step) => describeStep(step, functionName)));
    if (plan.restore !== undefined) {
      output.line(
        `Should a step from ${plan.restore.fromStep + 1} on fail (not a timeout): ` +
          plan.restore.steps.map((step) => describeStep(step, functionName)).join("; "),
      );
    }
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
    // Each other region's own version number for the release, by AWS region.
    ...(result.result?.replicaVersions === undefined
      ? {}
      : { replicaVersions: result.result.replicaVersions }),
    ...(result.result?.certificationId === undefined
      ? {}
      : { certificationId: result.result.certificationId }),
    ...(result.result?.canary === undefined
      ? {}
      : { canary: lib.canary().canaryDocument(result.result.canary) }),
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

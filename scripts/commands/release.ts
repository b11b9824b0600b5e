/**
 * `skillship release` and `skillship release watch`: the release of DESIGN.md (publish a version guarded by the
 * bundle's sha256, then a code-only release through a canary on the live alias, or all at once, or a
 * certification candidate), and following the certification.
 */
import type { Command } from "commander";
import { parseCanarySteps, type CanaryStep } from "../../contracts/canary";
import { parseDuration } from "../lib/core/duration";
import { OperationError, UsageError } from "../lib/core/errors";
import type { Plan } from "../lib/release/steps";
import { commonOptions, engineDeps, reportOperation, type CommonFlags } from "./support/release";
import type { CommandContext } from "./context";
import { resolveReleaseRef } from "./support/git";
import { loadProject } from "./support/project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when the command runs (start budget) */
const lib = {
  record: () => require("../lib/build/record") as typeof import("../lib/build/record"),
  gate: () => require("../lib/package/gate") as typeof import("../lib/package/gate"),
  pkg: () => require("../lib/package/skill-package") as typeof import("../lib/package/skill-package"),
  operations: () => require("../lib/release/operations") as typeof import("../lib/release/operations"),
  project: () => require("../lib/project") as typeof import("../lib/project"),
  output: () => require("../lib/core/output") as typeof import("../lib/core/output"),
  canary: () => require("../lib/release/canary/run") as typeof import("../lib/release/canary/run"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface ReleaseFlags extends CommonFlags {
  versionMessage?: string;
  tag?: string;
  commit?: string;
  autoPublish?: boolean;
  package?: string;
  build: string;
  allAtOnce?: boolean;
  canarySteps?: string;
}

/** Registers `release` and its `watch` subcommand. */
export function register(program: Command, context: CommandContext): void {
  // Commander stops parsing a command's options at its subcommand only when every ancestor does the same: so
  // `release watch --outputs …` gives --outputs to watch. The program itself has no options of its own.
  program.enablePositionalOptions();
  const command = program
    .command("release")
    .description(
      "Release the built skill: a canary on the live alias (code-only change) or the idle colour to certification",
    )
    .option(
      "--version-message <text>",
      "what this release is (e.g. the tag): recorded in the Lambda version and as the skill version's message",
    )
    .option(
      "--tag <tag>",
      "the release tag to record (default: the tag GitHub Actions builds, or HEAD's tag)",
    )
    .option("--commit <sha>", "the commit to record (default: GITHUB_SHA, or HEAD)")
    .option(
      "--auto-publish",
      "publish automatically once certified (default: manual, with `skillship publish`)",
    )
    .option(
      "--all-at-once",
      "code-only change: no canary, all traffic to the new version at once (finishes a canary in progress)",
    )
    .option(
      "--canary-steps <steps>",
      "code-only change: this release's canary steps, e.g. 10%:10m,50%:10m (default: the stack's canarySteps)",
    )
    .option("--package <dir>", "the skill package folder (default: skillPackage of the project)")
    .option("--build <file>", "the build record `npm run build` writes", "dist/skill/build.json")
    .enablePositionalOptions();
  commonOptions(command, { dryRun: true, timeoutDefault: "15m" });
  command.action(async (flags: ReleaseFlags) => {
    const output = context.output({ json: flags.json === true });
    if (flags.versionMessage === undefined || flags.versionMessage.trim() === "") {
      throw new UsageError("--version-message TEXT is required: say what this release is (e.g. the tag)");
    }
    const canarySteps = canaryStepsOf(flags);
    // Local checks first: a broken package or a missing build stops the release before any remote call.
    const project = loadProject(flags, context);
    const pkg = await lib
      .pkg()
      .readSkillPackage(flags.package ?? lib.project().displayPath(project.paths.skillPackage));
    await lib.gate().passLintGate(pkg, project, "released", (text) => output.warn(text));
    const bundleSha256 = lib.record().readBundleSha256(flags.build);
    const ref = resolveReleaseRef(flags, context.env);
    const deps = await engineDeps(flags, output, context.env, pkg);
    const dryRun = flags.dryRun === true;
    const result = await lib.operations().release(
      {
        ...deps,
        onPlan: (plan, dry) => {
          deps.onPlan?.(plan, dry);
          warnIfBakeOutlastsTimeout(plan, flags, (text) => output.warn(text));
        },
      },
      {
        bundleSha256,
        tag: ref.tag,
        commit: ref.commit,
        message: flags.versionMessage,
        publicationMethod: flags.autoPublish === true ? "AUTO_PUBLISHING" : "MANUAL_PUBLISHING",
        dryRun,
        ...(flags.allAtOnce === true ? { allAtOnce: true } : {}),
        ...(canarySteps === undefined ? {} : { canarySteps }),
      },
    );
    reportOperation(output, result, deps.outputs.functionName, dryRun);
    if (!dryRun && result.plan.path === "candidate") {
      output.line("Follow the certification with `skillship release watch`.");
    }
  });

  const watchCommand = command
    .command("watch")
    .description(
      "Follow the certification: ready to publish, or on failure the review and the dev endpoint back",
    );
  commonOptions(watchCommand, { dryRun: false, timeoutDefault: "30m" });
  watchCommand.action(async (flags: CommonFlags) => {
    const output = context.output({ json: flags.json === true });
    const deps = await engineDeps(flags, output, context.env);
    const { reviewLines, watch } = lib.operations();
    const result = await watch(deps);
    const review = reviewLines(result.certification);
    output.line(result.message);
    for (const line of review) output.line(`  ${line}`);
    output.result({ ...result, review });
    output.summary([`### skillship release watch`, "", result.message, "", ...review].join("\n"));
    if (result.outcome === "failed") {
      throw new OperationError(
        `Certification ${result.certification?.id ?? ""} failed: see the review above.`,
      );
    }
  });
}

/** `--canary-steps`, parsed (undefined when not given); refused together with `--all-at-once`. */
function canaryStepsOf(flags: ReleaseFlags): CanaryStep[] | undefined {
  if (flags.canarySteps === undefined) return undefined;
  if (flags.allAtOnce === true) {
    throw new UsageError("--all-at-once and --canary-steps contradict each other: give one of them");
  }
  const { steps, problems } = parseCanarySteps(flags.canarySteps);
  if (problems.length > 0) {
    throw new UsageError(`--canary-steps "${flags.canarySteps}": ${problems.join("; ")}`);
  }
  return steps;
}

/** Each bake is one wait: says so when one cannot end within `--timeout` (the command would exit 3, then resume). */
function warnIfBakeOutlastsTimeout(plan: Plan, flags: ReleaseFlags, warn: (text: string) => void): void {
  const timeoutMs = parseDuration(flags.timeout ?? "15m", "--timeout");
  // One reading of the clock: a millisecond between two would show a fresh step's 12 minutes as 11m 59s.
  const now = Date.now();
  for (const step of plan.steps) {
    if (step.kind !== "canary-bake") continue;
    const began = step.asRead?.stepStartedAt === undefined ? now : Date.parse(step.asRead.stepStartedAt);
    const needed = began + step.bakeMinutes * 60_000 + lib.canary().METRICS_DELAY_MS - now;
    if (needed > timeoutMs) {
      warn(
        `the canary's step ${step.step} is judged in about ${lib.output().formatElapsed(needed)} (its bake and CloudWatch's ` +
          `delay), after --timeout ${flags.timeout ?? "15m"}: the command will exit 3 with the canary left as it ` +
          "is, and running it again resumes the bake. Give a longer --timeout to wait it out.",
      );
      return;
    }
  }
}

/**
 * `skillship release` and `skillship release watch`: the release of DESIGN.md (publish a version guarded by the
 * bundle's sha256, then a code-only alias move or a certification candidate), and following the certification.
 */
import type { Command } from "commander";
import { OperationError, UsageError } from "../lib/core/errors";
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
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface ReleaseFlags extends CommonFlags {
  versionMessage?: string;
  tag?: string;
  commit?: string;
  autoPublish?: boolean;
  package?: string;
  build: string;
}

/** Registers `release` and its `watch` subcommand. */
export function register(program: Command, context: CommandContext): void {
  // Commander stops parsing a command's options at its subcommand only when every ancestor does the same: so
  // `release watch --outputs …` gives --outputs to watch. The program itself has no options of its own.
  program.enablePositionalOptions();
  const command = program
    .command("release")
    .description(
      "Release the built skill: move the live alias (code-only change) or submit the idle colour for certification",
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
    .option("--package <dir>", "the skill package folder (default: skillPackage of the project)")
    .option("--build <file>", "the build record `npm run build` writes", "dist/skill/build.json")
    .enablePositionalOptions();
  commonOptions(command, { dryRun: true, timeoutDefault: "15m" });
  command.action(async (flags: ReleaseFlags) => {
    const output = context.output({ json: flags.json === true });
    if (flags.versionMessage === undefined || flags.versionMessage.trim() === "") {
      throw new UsageError("--version-message TEXT is required: say what this release is (e.g. the tag)");
    }
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
    const result = await lib.operations().release(deps, {
      bundleSha256,
      tag: ref.tag,
      commit: ref.commit,
      message: flags.versionMessage,
      publicationMethod: flags.autoPublish === true ? "AUTO_PUBLISHING" : "MANUAL_PUBLISHING",
      dryRun,
    });
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

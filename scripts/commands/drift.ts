/**
 * `skillship drift`: whether a stage of the skill still holds the repository's skill package, or someone edited it
 * in the developer console. The stage is exported through the Skill Management API and compared as `diff` compares
 * (endpoints, and where icons are hosted, aside); exit 1 when it differs, so a scheduled job fails its check.
 */
import type { Command } from "commander";
import type { DiffFormat } from "../lib/package/diff-format";
import type { DriftResult } from "../lib/package/drift";
import type { SkillStage } from "../lib/ports";
import type { CommandContext } from "./context";
import { comparisonOptions } from "./support/compare";
import { exportOptions, exportWait, type ExportFlags } from "./support/export";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

interface DriftFlags extends ProfileFlags, ExportFlags {
  stage: SkillStage;
  format: DiffFormat;
  outputs?: string;
  skillId?: string;
  package?: string;
  json?: boolean;
}

/** Registers `drift`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("drift")
    .description(
      "export a stage of the skill and compare it with the repository's skill package: exit 1 when someone " +
        "changed it outside the pipeline (endpoints and hosted icons aside)",
    );
  comparisonOptions(command, "the stage to check", "a job summary");
  profileOption(exportOptions(command)).action((flags: DriftFlags) => driftCommand(flags, context));
}

async function driftCommand(flags: DriftFlags, context: CommandContext): Promise<void> {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded when the command runs (start budget) */
  const { formatDiff } = require("../lib/package/diff-format") as typeof import("../lib/package/diff-format");
  const { checkDrift } = require("../lib/package/drift") as typeof import("../lib/package/drift");
  const { readSkillPackage } =
    require("../lib/package/skill-package") as typeof import("../lib/package/skill-package");
  const { createSkillsPort } = require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi");
  const { resolveSkillTarget } = require("../lib/stack/outputs") as typeof import("../lib/stack/outputs");
  const { displayPath } = require("../lib/project") as typeof import("../lib/project");
  const { OperationError } = require("../lib/core/errors") as typeof import("../lib/core/errors");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const format: DiffFormat = flags.json === true ? "json" : flags.format;
  // The markdown is written for a file or a job summary: no progress lines among it.
  const output = context.output({ json: format === "json" });
  const exported = exportWait(
    flags,
    format === "markdown" ? undefined : (label: string) => output.progress(label),
  );
  const project = loadProject(flags, context);
  const { skillId } = resolveSkillTarget(withProjectSkillId(flags, project));
  const repo = await readSkillPackage(flags.package ?? displayPath(project.paths.skillPackage));
  const result = await checkDrift(
    createSkillsPort({ env: context.env, profile: profileOf(flags, context) }),
    repo,
    {
      skillId,
      stage: flags.stage,
      ...exported,
    },
  );
  if (result.kind !== "compared") {
    const message = nothingToCompare(result);
    output.result({ ...result, drifted: false, message });
    if (format !== "json") output.line(message);
    output.summary(`### Drift of the ${flags.stage} stage\n\n${message}`);
    return;
  }
  const { diff, exportId } = result;
  output.result({ skillId, exportId, drifted: !diff.identical, ...diff });
  // As `diff` does: the difference itself is the output, with no chatter around it.
  if (format !== "json") output.line(formatDiff(diff, format).trimEnd());
  output.summary(`### Drift of the ${flags.stage} stage of ${skillId}\n\n${formatDiff(diff, "markdown")}`);
  if (!diff.identical) {
    throw new OperationError(
      `The ${flags.stage} stage of ${skillId} differs from the repository's skill package: someone changed ` +
        "it outside the pipeline, or the repository has changes it does not have yet. Bring the change into " +
        `the repository (skillship import --stage ${flags.stage} --force writes the stage's package into it) or ` +
        "deploy the repository's package again",
      { resource: `${skillId} (${flags.stage} stage)` },
    );
  }
}

function nothingToCompare(result: Exclude<DriftResult, { kind: "compared" }>): string {
  return result.kind === "absent"
    ? `The ${result.stage} stage of ${result.skillId} does not exist yet (the skill was never published): ` +
        "nothing to compare."
    : `The ${result.stage} stage of ${result.skillId} is locked by certification ${result.certificationId}: it ` +
        "holds the candidate and cannot be edited until the certification ends; compared again after it.";
}

/**
 * `skillship validate`: Alexa's own certification validations on a stage (by default the development stage, as a
 * release would submit it), for the package's locales. A failed REQUIRED validation is exit 1, listing each one;
 * RECOMMENDED failures are warnings; a run that outlasts `--timeout` is exit 3 and `--validation-id` resumes it.
 */
import { Command, Option } from "commander";
import { parseDuration } from "../lib/core/duration";
import { UsageError } from "../lib/core/errors";
import type { Output } from "../lib/core/output";
import type { ValidationReport } from "../lib/package/validate";
import type { SkillStage, ValidationResult } from "../lib/ports";
import type { CommandContext } from "./context";
import {
  loadProject,
  profileOf,
  profileOption,
  withProjectSkillId,
  type ProfileFlags,
} from "./support/project";

/* eslint-disable @typescript-eslint/no-require-imports -- modules loaded when the command runs (start budget) */
const lib = {
  smapi: () => require("../lib/adapters/smapi") as typeof import("../lib/adapters/smapi"),
  pkg: () => require("../lib/package/skill-package") as typeof import("../lib/package/skill-package"),
  validate: () => require("../lib/package/validate") as typeof import("../lib/package/validate"),
  outputs: () => require("../lib/stack/outputs") as typeof import("../lib/stack/outputs"),
  project: () => require("../lib/project") as typeof import("../lib/project"),
};
/* eslint-enable @typescript-eslint/no-require-imports */

interface ValidateFlags extends ProfileFlags {
  stage: SkillStage;
  outputs?: string;
  skillId?: string;
  package?: string;
  locales?: string;
  validationId?: string;
  timeout: string;
  pollInterval: string;
  json?: boolean;
}

/** Registers `validate`. */
export function register(program: Command, context: CommandContext): void {
  const command = program
    .command("validate")
    .description(
      "run Alexa's certification validations on a stage: exit 1 on a REQUIRED failure, RECOMMENDED ones as warnings",
    )
    .addOption(
      new Option("--stage <stage>", "the stage to validate")
        .choices(["development", "live"])
        .default("development"),
    )
    .option("--outputs <file>", "stack outputs written by `pulumi stack output --json > FILE`")
    .option("--skill-id <id>", "the skill id (overrides the outputs' skillId)")
    .option(
      "--package <dir>",
      "the skill package folder: its manifest's locales are validated (default: skillPackage of the project)",
    )
    .option("--locales <list>", "validate these locales instead, comma-separated (e.g. en-US,de-DE)")
    .option(
      "--validation-id <id>",
      "keep waiting for a run an earlier command started (its exit-3 message names it; Alexa keeps it an hour)",
    )
    .option("--timeout <duration>", "how long to wait for the run (exit 3 when it runs out)", "15m")
    .addOption(new Option("--poll-interval <duration>", "time between two reads").default("5s").hideHelp())
    .option("--json", "print one JSON document instead of text");
  profileOption(command).action(async (flags: ValidateFlags) => {
    const { describeValidation, publishedLocales, runValidations, ValidationFailedError } = lib.validate();
    const output = context.output({ json: flags.json === true });
    const project = loadProject(flags, context);
    const target = lib.outputs().resolveSkillTarget(withProjectSkillId(flags, project));
    const packageDir = flags.package ?? lib.project().displayPath(project.paths.skillPackage);
    const locales =
      flags.locales === undefined
        ? publishedLocales((await lib.pkg().readSkillPackage(packageDir)).manifest)
        : parseLocales(flags.locales);
    if (locales.length === 0) {
      throw new UsageError(
        `${packageDir}/skill.json publishes no locale (manifest.publishingInformation.locales): nothing to validate`,
      );
    }
    const wait = {
      timeoutMs: parseDuration(flags.timeout, "--timeout"),
      pollIntervalMs: parseDuration(flags.pollInterval, "--poll-interval"),
      progress: (label: string) => output.progress(label),
    };
    const { validations } = lib.smapi().createSmapiPorts({
      env: context.env,
      profile: profileOf(flags, context),
    });
    output.heading(`Alexa's validations of ${target.skillId} (${flags.stage} stage: ${locales.join(", ")})`);
    try {
      const report = await runValidations(validations, {
        skillId: target.skillId,
        stage: flags.stage,
        locales,
        ...(flags.validationId === undefined ? {} : { validationId: flags.validationId }),
        ...wait,
      });
      show(output, report, describeValidation);
      output.result(report);
    } catch (error) {
      if (error instanceof ValidationFailedError) {
        show(output, error.report, describeValidation);
        output.record({ validation: error.report });
      }
      throw error;
    }
  });
}

function parseLocales(list: string): string[] {
  const locales = list
    .split(",")
    .map((locale) => locale.trim())
    .filter((locale) => locale !== "");
  const wrong = locales.filter((locale) => !/^[a-z]{2}-[A-Z]{2}$/.test(locale));
  if (wrong.length > 0) {
    throw new UsageError(`--locales: ${wrong.join(", ")} is not a locale like en-US`);
  }
  return [...new Set(locales)].sort();
}

/** The report for people: a line, the warnings, and the GitHub job summary. */
function show(
  output: Output,
  report: ValidationReport,
  describeValidation: (result: ValidationResult) => string,
): void {
  output.line(
    `${report.passed} validation(s) passed, ${report.failures.length} REQUIRED and ${report.warnings.length} ` +
      `RECOMMENDED failed (validation ${report.validationId}).`,
  );
  for (const warning of report.warnings) {
    output.warn(`RECOMMENDED: ${describeValidation(warning).trim().slice(2)}`);
  }
  const rows = (title: string, list: ValidationResult[]) =>
    list.length === 0
      ? []
      : [
          "",
          `**${title}**`,
          "",
          "| locale | validation | what to do |",
          "| --- | --- | --- |",
          ...list.map(
            (v) => `| ${v.locale ?? ""} | ${v.title} | ${(v.description ?? "").replace(/\|/g, "\\|")} |`,
          ),
        ];
  output.summary(
    [
      `### Alexa's validations (${report.stage} stage)`,
      "",
      report.failures.length === 0
        ? `No REQUIRED validation failed in ${report.locales.join(", ")}: nothing here would stop certification.`
        : `${report.failures.length} REQUIRED validation(s) failed: certification would fail.`,
      ...rows("REQUIRED, failed", report.failures),
      ...rows("RECOMMENDED, failed", report.warnings),
    ].join("\n"),
  );
}

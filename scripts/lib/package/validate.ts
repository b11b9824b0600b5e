/**
 * The certification pre-flight: Alexa's own validations run on a stage, for the package's locales, and waited
 * for through the one poll loop. A failed REQUIRED validation fails certification, so it is an error (exit 1)
 * listing each one (locale, title, description); a failed RECOMMENDED one is a warning. A run that does not end
 * before the timeout is exit 3, resumable by its id (Alexa keeps a run's results for an hour).
 */
import { OperationError } from "../core/errors";
import { waitUntil, type WaitOptions } from "../core/wait";
import type { SkillStage, SkillValidationPort, ValidationResult, ValidationRun } from "../ports";
import { manifestBody } from "./endpoint";
import { isRecord } from "./skill-package";

/** What a finished run found. */
export interface ValidationReport {
  skillId: string;
  stage: SkillStage;
  validationId: string;
  locales: string[];
  /** How many validations passed. */
  passed: number;
  /** Failed REQUIRED validations: certification would fail on them. */
  failures: ValidationResult[];
  /** Failed RECOMMENDED validations. */
  warnings: ValidationResult[];
}

/** A run whose REQUIRED validations failed: nothing was submitted. */
export class ValidationFailedError extends OperationError {
  constructor(readonly report: ValidationReport) {
    super(
      `Alexa's validations of skill ${report.skillId} (${report.stage} stage) found ${report.failures.length} ` +
        `REQUIRED problem${report.failures.length === 1 ? "" : "s"} that would fail certification ` +
        `(validation ${report.validationId}):\n${report.failures.map(describeValidation).join("\n")}\n` +
        "Fix them in the skill package (or the developer console for what the package does not hold), deploy, " +
        "then run it again.",
      { resource: `skill ${report.skillId} (${report.stage} stage)` },
    );
  }
}

/** One validation for people: `- [en-US] Title: description`. */
export function describeValidation(validation: ValidationResult): string {
  return (
    `  - ${validation.locale === undefined ? "" : `[${validation.locale}] `}${validation.title}` +
    `${validation.description === undefined ? "" : `: ${validation.description}`}`
  );
}

/** The locales a manifest publishes, sorted: what the validations run for. */
export function publishedLocales(manifest: Record<string, unknown>): string[] {
  const publishing = manifestBody(manifest).publishingInformation;
  const locales = isRecord(publishing) && isRecord(publishing.locales) ? publishing.locales : {};
  return Object.keys(locales).sort();
}

/** Input of {@link runValidations}. */
export interface ValidationInput extends WaitOptions {
  skillId: string;
  stage: SkillStage;
  locales: readonly string[];
  /** Resume waiting for this run instead of starting one. */
  validationId?: string;
  /** The command that resumes, for the timeout message (default `skillship validate`). */
  resumeWith?: (validationId: string) => string;
}

/**
 * Runs the validations (or follows `validationId`) until they end. Returns the report when no REQUIRED
 * validation failed; throws {@link ValidationFailedError} when one did, an {@link OperationError} when the run
 * itself failed, a `StillWaitingError` (exit 3) naming how to resume when the timeout runs out (also while a run
 * started earlier is still going: one run per stage at a time).
 */
export async function runValidations(
  validations: SkillValidationPort,
  input: ValidationInput,
): Promise<ValidationReport> {
  const { skillId, stage } = input;
  const locales = [...input.locales].sort();
  const resume =
    input.resumeWith ??
    ((id: string) => `run \`skillship validate --stage ${stage} --validation-id ${id}\` to keep waiting`);
  let runId = input.validationId;
  if (runId === undefined) {
    // One run per stage at a time: while an earlier one is still going (409), wait for it to end.
    const started = await waitUntil<{ id?: string }>(
      `Starting Alexa's validations of the ${stage} stage`,
      async () => {
        try {
          return { id: await validations.submitValidation(skillId, stage, locales) };
        } catch (error) {
          if ((error as { statusCode?: number } | null)?.statusCode === 409) return {};
          throw error;
        }
      },
      (state) =>
        state.id === undefined
          ? { done: false, text: "waiting for a validation run started earlier to end" }
          : { done: true, text: `validation ${state.id}` },
      input,
      `another validation run of skill ${skillId} (${stage} stage), started earlier, is still going: run the ` +
        "command again once it has ended, or follow it with --validation-id ID",
    );
    runId = started.id as string;
  }
  const id = runId;
  const run = await waitUntil<ValidationRun>(
    `Validating the ${stage} stage (${locales.join(", ")}; validation ${id})`,
    () => validations.getValidation(skillId, stage, id),
    (state) => ({
      done: state.status !== "IN_PROGRESS",
      text: state.status === "IN_PROGRESS" ? "in progress" : `${state.validations.length} validations ran`,
    }),
    input,
    resume(id),
  );
  const failed = run.validations.filter((v) => v.status === "FAILED");
  const report: ValidationReport = {
    skillId,
    stage,
    validationId: id,
    locales,
    passed: run.validations.length - failed.length,
    failures: failed.filter((v) => v.importance === "REQUIRED"),
    warnings: failed.filter((v) => v.importance === "RECOMMENDED"),
  };
  if (run.status === "FAILED" && failed.length === 0) {
    throw new OperationError(
      `Alexa could not run the validations of skill ${skillId} (${stage} stage, validation ${id}): ` +
        `${run.error === undefined ? "no reason given" : `${run.error.code === undefined ? "" : `${run.error.code}: `}${run.error.message}`}. ` +
        "Run it again; if it persists, validate from the developer console.",
      { resource: `skill ${skillId} (${stage} stage)` },
    );
  }
  if (report.failures.length > 0) {
    throw new ValidationFailedError(report);
  }
  return report;
}

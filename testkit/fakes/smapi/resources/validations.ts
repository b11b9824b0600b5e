/**
 * The certification validations: a run checks the locales asked for (each one the stage's manifest publishes)
 * and reports, after `validationPolls` reads, a few validations that pass in every locale plus the failures the
 * test scripted (`validationFailures`, REQUIRED or RECOMMENDED). One run per stage at a time (409 otherwise; a run
 * goes on meanwhile, as if by the clock).
 */
import {
  badRequest,
  errorReply,
  isObject,
  readableStage,
  type FakeContext,
  type SkillRoutes,
} from "../context";
import type { FakeValidationRun } from "../state";

/** What every run finds in order, in every locale. */
const PASSING = [
  { title: "Skill icons", category: "manifest.publishingInformation", importance: "REQUIRED" },
  { title: "Privacy and compliance", category: "manifest.privacyAndCompliance", importance: "REQUIRED" },
  { title: "Example phrases", category: "manifest.publishingInformation", importance: "RECOMMENDED" },
] as const;

/** One read's worth of progress. */
function advance(run: FakeValidationRun): void {
  if (run.status !== "IN_PROGRESS") return;
  run.pollsLeft -= 1;
  if (run.pollsLeft <= 0) {
    run.status = run.validations.some((v) => v.status === "FAILED") ? "FAILED" : "SUCCESSFUL";
  }
}

/** Handlers for starting a validation run and reading it. */
export function validationRoutes({
  knobs,
  nextId,
}: FakeContext): SkillRoutes<"submitValidation" | "getValidation"> {
  return {
    submitValidation: (request, skill) => {
      const stageName = request.params.stage;
      const stage = readableStage(skill, stageName);
      if (stage?.manifest === undefined) {
        return errorReply(404, `Skill ${skill.skillId} has no ${stageName} stage.`);
      }
      const runs = (skill.validationRuns ??= {});
      // A run goes on whether or not anyone reads it: time passes for the one under way.
      const running = Object.values(runs).filter(
        (run) => run.stage === stageName && run.status === "IN_PROGRESS",
      );
      running.forEach(advance);
      if (running.some((run) => run.status === "IN_PROGRESS")) {
        return errorReply(
          409,
          "This request conflicts with another validation currently being processed.",
          "CONFLICT",
        );
      }
      const locales = isObject(request.body) ? request.body.locales : undefined;
      const manifest = stage.manifest.value.manifest as
        { publishingInformation?: { locales?: object } } | undefined;
      const published = Object.keys(manifest?.publishingInformation?.locales ?? {});
      if (!Array.isArray(locales) || locales.length === 0 || locales.some((l) => typeof l !== "string")) {
        return badRequest("locales must be a non-empty list of locales.");
      }
      const unknown = (locales as string[]).filter((locale) => !published.includes(locale));
      if (unknown.length > 0) {
        return badRequest(`The skill does not publish ${unknown.join(", ")} in the ${stageName} stage.`);
      }
      const id = nextId("validation");
      const run: FakeValidationRun = {
        id,
        stage: stageName,
        locales: locales as string[],
        status: "IN_PROGRESS",
        pollsLeft: Math.max(1, knobs.validationPolls),
        validations: [],
      };
      for (const locale of run.locales) {
        for (const passing of PASSING) {
          run.validations.push({
            ...passing,
            description: `${passing.title} meet the requirements.`,
            locale,
            status: "SUCCESSFUL",
          });
        }
        for (const finding of knobs.validationFailures.filter(
          (f) => f.locale === undefined || f.locale === locale,
        )) {
          run.validations.push({
            title: finding.title,
            description: finding.description,
            category: finding.category ?? "manifest",
            importance: finding.importance,
            locale,
            status: "FAILED",
          });
        }
      }
      runs[id] = run;
      return {
        status: 202,
        body: { id, status: "IN_PROGRESS" },
        headers: { location: `/v1/skills/${skill.skillId}/stages/${stageName}/validations/${id}` },
      };
    },
    getValidation: (request, skill) => {
      const run = skill.validationRuns?.[request.params.validationId];
      if (run === undefined || run.stage !== request.params.stage) {
        return errorReply(404, `No validation ${request.params.validationId} for skill ${skill.skillId}.`);
      }
      advance(run);
      return {
        status: 200,
        body: {
          id: run.id,
          status: run.status,
          ...(run.status === "IN_PROGRESS" ? {} : { result: { validations: run.validations } }),
        },
      };
    },
  };
}

/**
 * The skill package export: a request for a stage's package answers 202 with the export's URL in `Location`;
 * the export completes after a number of status reads and then names a download URL on the fake's storage,
 * which serves the package as a zip in the ASK CLI layout (skill.json, interactionModels/custom/<locale>.json).
 */
import { zipSync, type Zippable } from "fflate";
import { errorReply, readableStage, type FakeContext, type SkillRoutes, type VendorRoutes } from "../context";
import type { FakeSkill, FakeStage } from "../state";
import type { FakeStorage } from "../storage";

/** An export the fake is working on. */
interface FakeExport {
  skill: FakeSkill;
  stage: string;
  pollsLeft: number;
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  location?: string;
}

/** The package of a stage as the export zips it. */
export function stagePackageZip(stage: FakeStage): Uint8Array {
  const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);
  const entries: Zippable = {};
  if (stage.manifest !== undefined) entries["skill.json"] = encode(stage.manifest.value);
  for (const [locale, model] of Object.entries(stage.models)) {
    entries[`interactionModels/custom/${locale}.json`] = encode(model.value);
  }
  return zipSync(entries);
}

/** Handlers for requesting an export (a skill route) and reading its status (a route that names no skill). */
export function exportRoutes(
  { knobs, nextId }: FakeContext,
  storage: FakeStorage,
): { skillRoutes: SkillRoutes<"createExport">; accountRoutes: Pick<VendorRoutes, "getExport"> } {
  const exports = new Map<string, FakeExport>();
  const packageOf = (skill: FakeSkill, stage: FakeStage) =>
    knobs.exportZip?.(skill, stage) ?? stagePackageZip(stage);
  return {
    skillRoutes: {
      createExport: (request, skill) => {
        const stage = request.params.stage;
        if (readableStage(skill, stage) === undefined) {
          return errorReply(404, `Skill ${skill.skillId} has no ${stage} stage.`);
        }
        const exportId = nextId("amzn1.ask-package.export");
        exports.set(exportId, {
          skill,
          stage,
          pollsLeft: Math.max(1, knobs.exportPolls),
          status: "IN_PROGRESS",
        });
        return { status: 202, headers: { location: `/v1/skills/exports/${exportId}` } };
      },
    },
    accountRoutes: {
      getExport: (request) => {
        const exportId = request.params.exportId;
        const job = exports.get(exportId);
        if (job === undefined) return errorReply(404, `Export ${exportId} not found.`);
        if (job.status === "IN_PROGRESS") {
          job.pollsLeft -= 1;
          if (job.pollsLeft <= 0) {
            const stage = readableStage(job.skill, job.stage);
            if (knobs.exportOutcome === "FAILED" || stage === undefined) {
              job.status = "FAILED";
            } else {
              job.status = "SUCCEEDED";
              job.location = storage.put(packageOf(job.skill, stage), "skill-package.zip");
            }
          }
        }
        return {
          status: 200,
          body: {
            status: job.status,
            ...(job.location === undefined
              ? {}
              : { skill: { eTag: "fake-etag", location: job.location, expiresAt: "1800000000000" } }),
          },
        };
      },
    },
  };
}

/**
 * The skill manifest and the skill's status: a manifest write starts an update job, and each status read
 * moves that job and the model builds on by one poll, as the CLI's polling loop sees them.
 */
import {
  badRequest,
  errorReply,
  isObject,
  isRefusal,
  readableStage,
  stageForWrite,
  type FakeContext,
  type SkillRoutes,
} from "../context";
import { documentOf, newJob, pollJob } from "../state";

/** Handlers for reading and updating the manifest, and for the status that reports updates and builds. */
export function manifestRoutes({
  knobs,
}: FakeContext): SkillRoutes<"getManifest" | "updateManifest" | "getSkillStatus"> {
  return {
    getManifest: (request, skill) => {
      const document = readableStage(skill, request.params.stageV2)?.manifest;
      if (document === undefined) {
        return errorReply(404, `Skill ${skill.skillId} has no ${request.params.stageV2} stage.`);
      }
      return { status: 200, body: document.value, headers: { etag: document.etag } };
    },
    updateManifest: (request, skill) => {
      const stage = stageForWrite(request, skill, (development) => development.manifest);
      if (isRefusal(stage)) return stage;
      const body = request.body;
      if (!isObject(body) || !isObject(body.manifest)) {
        return badRequest("The request body must be a manifest envelope { manifest: { … } }.", [
          {
            code: "MISSING_REQUIRED_PROPERTY",
            message: "Object instance at path $ is missing property manifest",
          },
        ]);
      }
      const endpoint = (body.manifest as { apis?: { custom?: { endpoint?: Record<string, unknown> } } }).apis
        ?.custom?.endpoint;
      if (
        endpoint !== undefined &&
        typeof endpoint.uri === "string" &&
        endpoint.uri.startsWith("https://") &&
        !["Wildcard", "SelfSigned", "Trusted"].includes(String(endpoint.sslCertificateType))
      ) {
        return badRequest("An HTTPS endpoint needs sslCertificateType Wildcard, SelfSigned or Trusted.");
      }
      stage.manifest = documentOf(body);
      const failure = knobs.failingManifest;
      skill.manifestUpdate = newJob(
        knobs.buildPolls,
        failure === undefined ? "SUCCEEDED" : "FAILED",
        failure,
      );
      return {
        status: 202,
        headers: {
          location: `/v1/skills/${skill.skillId}/status?resource=manifest`,
        },
      };
    },
    getSkillStatus: (request, skill) => {
      const resource = request.query.get("resource");
      const body: Record<string, unknown> = {};
      if (resource === null || resource === "manifest") {
        if (skill.manifestUpdate !== undefined) {
          pollJob(skill.manifestUpdate);
          body.manifest = {
            lastUpdateRequest: { status: skill.manifestUpdate.status, errors: skill.manifestUpdate.errors },
            eTag: skill.stages.development.manifest?.etag,
          };
        }
      }
      if (resource === null || resource === "interactionModel") {
        const models: Record<string, unknown> = {};
        for (const [locale, job] of Object.entries(skill.modelBuilds)) {
          pollJob(job);
          models[locale] = {
            lastUpdateRequest: { status: job.status, errors: job.status === "FAILED" ? job.errors : [] },
            eTag: skill.stages.development.models[locale]?.etag,
          };
        }
        body.interactionModel = models;
      }
      return { status: 200, body };
    },
  };
}

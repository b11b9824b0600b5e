/**
 * Publication: the latest certified version that has never been live goes live after a number of reads of
 * `~latest`, or, when scheduled, once its date has passed.
 */
import { badRequest, errorReply, isObject, type FakeContext, type SkillRoutes } from "../context";
import { pollCertifications, pollPublication } from "../state";

/** Handlers for publishing a certified version and reading the latest publication. */
export function publicationRoutes({ knobs, now }: FakeContext): SkillRoutes<"publish" | "getPublication"> {
  return {
    publish: (request, skill) => {
      pollCertifications(skill, now());
      const certified = [...skill.versions]
        .reverse()
        .find((version) => version.status === "CERTIFIED" && !version.wasLive);
      if (certified === undefined) {
        return badRequest("The skill has no certified version waiting to be published.");
      }
      if (
        skill.publication !== undefined &&
        ["IN_PROGRESS", "SCHEDULED"].includes(skill.publication.status)
      ) {
        return badRequest("A publication of this skill is already in progress.");
      }
      const at = isObject(request.body) ? request.body.publishesAtDate : undefined;
      const scheduled = typeof at === "string" && Date.parse(at) > now();
      skill.publication = {
        status: scheduled ? "SCHEDULED" : "IN_PROGRESS",
        publishesAtDate: typeof at === "string" ? at : undefined,
        pollsLeft: Math.max(1, knobs.publicationPolls),
        version: certified.version,
      };
      return {
        status: 202,
        body: { status: skill.publication.status, publishesAtDate: skill.publication.publishesAtDate },
      };
    },
    getPublication: (_request, skill) => {
      pollPublication(skill, now());
      if (skill.publication === undefined) {
        return errorReply(404, `Skill ${skill.skillId} has never been published.`);
      }
      return {
        status: 200,
        body: { status: skill.publication.status, publishesAtDate: skill.publication.publishesAtDate },
      };
    },
  };
}

/**
 * Skill versions and rollback: every submission is a version, and a version that has been live can be made
 * live again by a rollback that completes after a number of reads.
 */
import { badRequest, errorReply, isObject, type FakeContext, type SkillRoutes } from "../context";
import { pollRollback } from "../state";

/** Handlers for listing the skill's versions and rolling back to one. */
export function versionRoutes({
  knobs,
  nextId,
  now,
}: FakeContext): SkillRoutes<"listSkillVersions" | "rollbackSkill" | "getRollback"> {
  return {
    listSkillVersions: (_request, skill) => ({
      status: 200,
      body: {
        _links: { self: { href: `/v1/skills/${skill.skillId}/versions` } },
        isTruncated: false,
        skillVersions: [...skill.versions].reverse().map((version) => ({
          version: version.version,
          message: version.message,
          creationTime: version.creationTime,
          submissions: [{ status: version.status, submissionTime: version.creationTime }],
        })),
      },
    }),
    rollbackSkill: (request, skill) => {
      if (Object.values(skill.rollbacks).some((rollback) => rollback.status === "IN_PROGRESS")) {
        return errorReply(409, "A rollback of this skill is already in progress.", "CONFLICT");
      }
      const targetVersion = isObject(request.body) ? request.body.targetVersion : undefined;
      const target = skill.versions.find((version) => version.version === targetVersion);
      if (typeof targetVersion !== "string" || target === undefined) {
        return badRequest(`Skill ${skill.skillId} has no version ${String(targetVersion)}.`);
      }
      if (!target.wasLive) {
        return badRequest(`Version ${targetVersion} of skill ${skill.skillId} has never been live.`);
      }
      if (skill.liveVersion === targetVersion) {
        return badRequest(`Version ${targetVersion} of skill ${skill.skillId} is already live.`);
      }
      const id = nextId("rollback");
      skill.rollbacks[id] = {
        id,
        targetVersion,
        submissionTime: new Date(now()).toISOString(),
        status: "IN_PROGRESS",
        pollsLeft: Math.max(1, knobs.rollbackPolls),
        errors: [],
      };
      return {
        status: 201,
        body: { rollbackRequestId: id },
        headers: { location: `/v1/skills/${skill.skillId}/rollbacks/${id}` },
      };
    },
    getRollback: (request, skill) => {
      const rollback = skill.rollbacks[request.params.rollbackRequestId];
      if (rollback === undefined) {
        return errorReply(404, `No rollback ${request.params.rollbackRequestId} for skill ${skill.skillId}.`);
      }
      pollRollback(skill, rollback);
      return {
        status: 200,
        body: {
          id: rollback.id,
          targetVersion: rollback.targetVersion,
          submissionTime: rollback.submissionTime,
          status: rollback.status,
          errors: rollback.errors,
        },
      };
    },
  };
}

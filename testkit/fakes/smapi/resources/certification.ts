/**
 * Certification: a submission snapshots the development stage as a new skill version and is reviewed over a
 * number of reads, passing or failing as the test scripted; a withdrawal cancels it. While one is in
 * progress the development stage is locked (see `writableStage`).
 */
import { badRequest, errorReply, isObject, type FakeContext, type SkillRoutes } from "../context";
import { cloneStage, inCertification, pollCertifications, type FakeCertification } from "../state";

const WITHDRAWAL_REASONS = [
  "TEST_SKILL",
  "MORE_FEATURES",
  "DISCOVERED_ISSUE",
  "NOT_RECEIVED_CERTIFICATION_FEEDBACK",
  "NOT_INTEND_TO_PUBLISH",
  "OTHER",
];

/** What the list and the single read both say of a certification. */
function summary(certification: FakeCertification) {
  return {
    id: certification.id,
    status: certification.status,
    skillSubmissionTimestamp: certification.submittedAt,
    reviewTrackingInfo: {
      actualCompletionTimestamp: certification.completedAt,
      lastUpdated: certification.completedAt ?? certification.submittedAt,
    },
  };
}

/** Handlers for submitting, withdrawing and reading certifications. */
export function certificationRoutes({
  knobs,
  nextId,
  now: clock,
}: FakeContext): SkillRoutes<
  "submitForCertification" | "withdrawFromCertification" | "listCertifications" | "getCertification"
> {
  return {
    submitForCertification: (request, skill) => {
      if (inCertification(skill)) {
        return badRequest("The skill is already in certification.");
      }
      const development = skill.stages.development;
      if (development.manifest === undefined) {
        return badRequest("The skill has no manifest in the development stage.");
      }
      const pending = [
        ...(skill.manifestUpdate === undefined ? [] : [["manifest", skill.manifestUpdate] as const]),
        ...Object.entries(skill.modelBuilds),
      ].filter(([, job]) => job.status !== "SUCCEEDED");
      if (pending.length > 0) {
        return badRequest(
          `The skill cannot be submitted while updates are not complete: ${pending
            .map(([name, job]) => `${name} ${job.status}`)
            .join(", ")}.`,
        );
      }
      const body = isObject(request.body) ? request.body : {};
      const publicationMethod =
        body.publicationMethod === "AUTO_PUBLISHING" ? "AUTO_PUBLISHING" : "MANUAL_PUBLISHING";
      const versionMessage = typeof body.versionMessage === "string" ? body.versionMessage : undefined;
      if (versionMessage !== undefined && (versionMessage.length < 1 || versionMessage.length > 300)) {
        return badRequest(
          `versionMessage must be 1 to 300 characters long; it has ${versionMessage.length}.`,
        );
      }
      const version = String(skill.versions.length + 1);
      const now = new Date(clock()).toISOString();
      skill.versions.push({
        version,
        message: versionMessage,
        creationTime: now,
        status: "IN_REVIEW",
        wasLive: false,
        snapshot: cloneStage(development),
      });
      const outcome = knobs.certificationOutcomes.shift() ?? "SUCCEEDED";
      const id = nextId("cert");
      skill.certifications.push({
        id,
        status: "IN_PROGRESS",
        submittedAt: now,
        publicationMethod,
        versionMessage,
        pollsLeft: Math.max(1, knobs.certificationPolls),
        outcome,
        review: outcome === "FAILED" ? structuredClone(knobs.certificationReview) : [],
        version,
      });
      return { status: 202, headers: { location: `/v1/skills/${skill.skillId}/certifications/${id}` } };
    },
    withdrawFromCertification: (request, skill) => {
      const reason = isObject(request.body) ? request.body.reason : undefined;
      if (typeof reason !== "string" || !WITHDRAWAL_REASONS.includes(reason)) {
        return badRequest(`The withdrawal reason must be one of ${WITHDRAWAL_REASONS.join(", ")}.`);
      }
      const current = skill.certifications.find((certification) => certification.status === "IN_PROGRESS");
      if (current === undefined) {
        return badRequest("The skill is not in certification.");
      }
      current.status = "CANCELLED";
      current.completedAt = new Date(clock()).toISOString();
      const version = skill.versions.find((candidate) => candidate.version === current.version);
      if (version !== undefined) {
        version.status = "WITHDRAWN_FROM_CERTIFICATION";
      }
      return { status: 204 };
    },
    listCertifications: (_request, skill) => {
      pollCertifications(skill, clock());
      const items = [...skill.certifications].reverse().map(summary);
      return {
        status: 200,
        body: {
          _links: { self: { href: `/v1/skills/${skill.skillId}/certifications` } },
          isTruncated: false,
          totalCount: items.length,
          items,
        },
      };
    },
    getCertification: (request, skill) => {
      pollCertifications(skill, clock());
      const certification = skill.certifications.find(
        (candidate) => candidate.id === request.params.certificationId,
      );
      if (certification === undefined) {
        return errorReply(
          404,
          `No certification ${request.params.certificationId} for skill ${skill.skillId}.`,
        );
      }
      const { reviewTrackingInfo, ...rest } = summary(certification);
      return {
        status: 200,
        body: {
          ...rest,
          reviewTrackingInfo: { ...reviewTrackingInfo, estimationUpdates: [] },
          result: {
            distributionInfo: {
              publishedCountries: certification.status === "SUCCEEDED" ? ["US", "GB", "DE", "FR", "ES"] : [],
              publicationFailures: certification.review,
            },
          },
        },
      };
    },
  };
}

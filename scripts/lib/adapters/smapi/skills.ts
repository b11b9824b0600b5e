// Over 350 lines on purpose: one adapter for the whole SkillsPort, each method a thin, documented mapping.
/**
 * {@link SkillsPort} over `ask-smapi-sdk`: manifests, interaction models, account linking, certification,
 * publication, skill versions and rollback, and the package export (exports.ts).
 *
 * - Reads and idempotent writes (the manifest, model and account-linking PUTs) retry 429 and 5xx within a bound;
 *   submission, withdrawal, publishing and rollback are never retried: callers read state again instead.
 * - Documents travel as the API (and the skill package) holds them: the manifest as `{ manifest }`, a model as
 *   `{ interactionModel }`, account linking as its flat payload (wrapped in `accountLinkingRequest` on the way out).
 */
import type { v1 } from "ask-smapi-model";
import {
  withdrawalReasons,
  type PackageExport,
  type BuildError,
  type BuildStatus,
  type Certification,
  type CertificationStatus,
  type Publication,
  type PublicationMethod,
  type SkillStage,
  type SkillStatus,
  type SkillsPort,
  type SkillVersion,
  type UpdateState,
  type Versioned,
} from "../../ports";
import { header, stageName, type SmapiCalls } from "./calls";
import { SmapiError } from "./errors";
import { downloadExport, readExport, requestExport } from "./exports";

type Json = Record<string, unknown>;

/** Locale the publication calls need in `Accept-Language` (it only selects the language of messages). */
const MESSAGE_LOCALE = "en-US";

/** The Skill Management API adapter of {@link SkillsPort}. */
export class SmapiSkills implements SkillsPort {
  constructor(private readonly calls: SmapiCalls) {}

  async getManifest(skillId: string, stage: SkillStage): Promise<Versioned<Json> | undefined> {
    return this.calls.readVersioned(`reading the manifest of skill ${skillId} (${stageName(stage)})`, () =>
      this.calls.client.callGetSkillManifestV1(skillId, stage),
    );
  }

  async updateManifest(
    skillId: string,
    stage: SkillStage,
    manifest: Json,
    ifMatch?: string,
  ): Promise<{ etag?: string }> {
    const what = `the manifest of skill ${skillId} (${stageName(stage)})`;
    const response = await this.calls.idempotentWrite(
      `updating ${what}`,
      { resource: what, stage },
      () =>
        this.calls.client.callUpdateSkillManifestV1(
          skillId,
          stage,
          manifest as v1.skill.Manifest.SkillManifestEnvelope,
          ifMatch,
        ),
      async () => (await this.getManifest(skillId, stage))?.value,
      manifest,
    );
    return { etag: header(response, "etag") };
  }

  async getInteractionModel(
    skillId: string,
    stage: SkillStage,
    locale: string,
  ): Promise<Versioned<Json> | undefined> {
    return this.calls.readVersioned(
      `reading the ${locale} interaction model of skill ${skillId} (${stageName(stage)})`,
      () => this.calls.client.callGetInteractionModelV1(skillId, stage, locale),
    );
  }

  async setInteractionModel(
    skillId: string,
    stage: SkillStage,
    locale: string,
    model: Json,
    ifMatch?: string,
  ): Promise<{ etag?: string }> {
    const what = `the ${locale} interaction model of skill ${skillId} (${stageName(stage)})`;
    const response = await this.calls.idempotentWrite(
      `updating ${what}`,
      { resource: what, stage },
      () =>
        this.calls.client.callSetInteractionModelV1(
          skillId,
          stage,
          locale,
          model as unknown as v1.skill.interactionModel.InteractionModelData,
          ifMatch,
        ),
      async () => (await this.getInteractionModel(skillId, stage, locale))?.value,
      model,
    );
    return { etag: header(response, "etag") };
  }

  async getSkillStatus(skillId: string): Promise<SkillStatus> {
    const status = await this.calls.read(`reading the build status of skill ${skillId}`, () =>
      this.calls.client.getSkillStatusV1(skillId),
    );
    const interactionModel: Record<string, UpdateState> = {};
    for (const [locale, model] of Object.entries(status.interactionModel ?? {})) {
      const state = updateState(model.lastUpdateRequest);
      if (state !== undefined) {
        interactionModel[locale] = state;
      }
    }
    return { manifest: updateState(status.manifest?.lastUpdateRequest), interactionModel };
  }

  async getAccountLinking(skillId: string, stage: SkillStage): Promise<Versioned<Json> | undefined> {
    const read = await this.calls.readVersioned(
      `reading the account linking of skill ${skillId} (${stageName(stage)})`,
      () => this.calls.client.callGetAccountLinkingInfoV1(skillId, stage),
    );
    if (read === undefined) {
      return undefined;
    }
    // The service has answered both flat and wrapped in `accountLinkingResponse`; callers get the flat form.
    const wrapped = read.value.accountLinkingResponse;
    return typeof wrapped === "object" && wrapped !== null
      ? { value: wrapped as Json, etag: read.etag }
      : read;
  }

  async updateAccountLinking(
    skillId: string,
    stage: SkillStage,
    accountLinking: Json,
    ifMatch?: string,
  ): Promise<void> {
    const body = (
      "accountLinkingRequest" in accountLinking ? accountLinking : { accountLinkingRequest: accountLinking }
    ) as v1.skill.accountLinking.AccountLinkingRequest;
    const what = `the account linking of skill ${skillId} (${stageName(stage)})`;
    await this.calls.idempotentWrite(
      `updating ${what}`,
      { resource: what, stage },
      () => this.calls.client.callUpdateAccountLinkingInfoV1(skillId, stage, body, ifMatch),
      // The service never returns the client secret, so a lost answer cannot be confirmed by reading back.
      async () => undefined,
      body.accountLinkingRequest as Json,
    );
  }

  async submitForCertification(
    skillId: string,
    publicationMethod: PublicationMethod,
    versionMessage?: string,
  ): Promise<string | undefined> {
    const request: v1.skill.SubmitSkillForCertificationRequest =
      versionMessage === undefined ? { publicationMethod } : { publicationMethod, versionMessage };
    const response = await this.calls.once(`submitting skill ${skillId} for certification`, () =>
      this.calls.client.callSubmitSkillForCertificationV1(skillId, request),
    );
    // `Location` names the certification resource: `/v1/skills/{skillId}/certifications/{certificationId}`.
    const location = header(response, "location");
    const id = location === undefined ? undefined : /\/certifications\/([^/?#]+)/.exec(location)?.[1];
    return id === undefined ? undefined : decodeURIComponent(id);
  }

  async withdrawFromCertification(skillId: string, reason: string, message?: string): Promise<void> {
    // The API takes a fixed reason; anything else is sent as OTHER with the text as the message.
    const known = (withdrawalReasons as readonly string[]).includes(reason);
    const request: v1.skill.WithdrawRequest = known
      ? { reason: reason as v1.skill.Reason, message }
      : { reason: "OTHER", message: message === undefined ? reason : `${reason}: ${message}` };
    await this.calls.once(`withdrawing skill ${skillId} from certification`, () =>
      this.calls.client.withdrawSkillFromCertificationV1(skillId, request),
    );
  }

  async listCertifications(skillId: string): Promise<Certification[]> {
    const certifications: Certification[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.calls.read(`listing the certifications of skill ${skillId}`, () =>
        this.calls.client.getCertificationsListV1(skillId, nextToken),
      );
      for (const item of page.items ?? []) {
        certifications.push({
          id: item.id ?? "",
          status: (item.status ?? "IN_PROGRESS") as CertificationStatus,
          submittedAt: item.skillSubmissionTimestamp,
        });
      }
      nextToken = page.isTruncated === true ? page.nextToken : undefined;
    } while (nextToken !== undefined);
    return certifications;
  }

  async getCertification(skillId: string, certificationId: string): Promise<Certification> {
    const response = await this.calls.read(
      `reading certification ${certificationId} of skill ${skillId}`,
      () => this.calls.client.getCertificationReviewV1(skillId, certificationId, MESSAGE_LOCALE),
    );
    const status = (response.status ?? "IN_PROGRESS") as CertificationStatus;
    const failures = response.result?.distributionInfo?.publicationFailures ?? [];
    const published = response.result?.distributionInfo?.publishedCountries ?? [];
    return {
      id: response.id ?? certificationId,
      status,
      submittedAt: response.skillSubmissionTimestamp,
      review:
        status === "IN_PROGRESS"
          ? undefined
          : {
              summary:
                status === "SUCCEEDED"
                  ? `Certified${published.length > 0 ? ` for ${published.join(", ")}` : ""}`
                  : status === "FAILED"
                    ? `Certification failed with ${failures.length} finding(s)`
                    : "Withdrawn from certification",
              findings: failures.map((failure) => ({
                title: failure.reason ?? "(no reason given)",
                detail:
                  failure.countries === undefined || failure.countries.length === 0
                    ? undefined
                    : `countries: ${failure.countries.join(", ")}`,
              })),
            },
    };
  }

  async publish(skillId: string, publishesAtDate?: string): Promise<Publication> {
    const response = await this.calls.once(`publishing skill ${skillId}`, () =>
      this.calls.client.publishSkillV1(
        skillId,
        MESSAGE_LOCALE,
        publishesAtDate === undefined ? undefined : { publishesAtDate },
      ),
    );
    return publication(response);
  }

  async getPublication(skillId: string): Promise<Publication | undefined> {
    const response = await this.calls.readOrMissing(
      `reading the latest publication of skill ${skillId}`,
      () => this.calls.client.getSkillPublicationsV1(skillId, MESSAGE_LOCALE),
    );
    return response === undefined ? undefined : publication(response);
  }

  async listSkillVersions(skillId: string): Promise<SkillVersion[]> {
    const versions: SkillVersion[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.calls.read(`listing the versions of skill ${skillId}`, () =>
        this.calls.client.listVersionsForSkillV1(skillId, nextToken),
      );
      for (const version of page.skillVersions ?? []) {
        const status = newestSubmission(version.submissions)?.status;
        versions.push({
          version: version.version ?? "",
          message: version.message,
          creationTime: version.creationTime,
          ...(status === undefined ? {} : { status }),
        });
      }
      nextToken = page.isTruncated === true ? page.nextToken : undefined;
    } while (nextToken !== undefined);
    return versions;
  }

  async rollbackSkill(skillId: string, targetVersion: string): Promise<string> {
    const response = await this.calls.once(`rolling skill ${skillId} back to version ${targetVersion}`, () =>
      this.calls.client.rollbackSkillV1(skillId, { targetVersion }),
    );
    if (response.rollbackRequestId === undefined) {
      throw new SmapiError(
        `The Skill Management API accepted the rollback of skill ${skillId} but returned no rollback request id`,
        "rolling back",
        {},
      );
    }
    return response.rollbackRequestId;
  }

  clockOffsetMs(): number | undefined {
    return this.calls.clock.offsetMs();
  }

  async getRollback(
    skillId: string,
    rollbackRequestId: string,
  ): Promise<{ status: BuildStatus; errors: BuildError[] }> {
    const response = await this.calls.read(`reading rollback ${rollbackRequestId} of skill ${skillId}`, () =>
      this.calls.client.getRollbackForSkillV1(skillId, rollbackRequestId),
    );
    const errors = buildErrors(response.errors);
    if (response.status === "INELIGIBLE") {
      return {
        status: "FAILED",
        errors:
          errors.length > 0
            ? errors
            : [{ code: "INELIGIBLE", message: "The target version is not eligible" }],
      };
    }
    return { status: (response.status ?? "IN_PROGRESS") as BuildStatus, errors };
  }

  exportPackage(skillId: string, stage: SkillStage): Promise<string> {
    return requestExport(this.calls, skillId, stage);
  }

  getExport(exportId: string): Promise<PackageExport> {
    return readExport(this.calls, exportId);
  }

  downloadPackage(location: string): Promise<Uint8Array> {
    return downloadExport(this.calls, location);
  }
}

function buildErrors(errors: v1.skill.StandardizedError[] | undefined): BuildError[] {
  return (errors ?? []).map((error) => ({ code: error.code, message: error.message }));
}

function updateState(
  request: { status?: string; errors?: v1.skill.StandardizedError[] } | undefined,
): UpdateState | undefined {
  if (request?.status === undefined) {
    return undefined;
  }
  return { status: request.status as BuildStatus, errors: buildErrors(request.errors) };
}

/** A version's newest submission: the latest `submissionTime`, else the last listed. */
function newestSubmission(
  submissions: v1.skill.VersionSubmission[] | undefined,
): v1.skill.VersionSubmission | undefined {
  let newest: v1.skill.VersionSubmission | undefined;
  for (const submission of submissions ?? []) {
    const time = Date.parse(submission.submissionTime ?? "");
    const newestTime = Date.parse(newest?.submissionTime ?? "");
    if (newest === undefined || Number.isNaN(newestTime) || !(time < newestTime)) {
      newest = submission;
    }
  }
  return newest;
}

function publication(response: v1.skill.publication.SkillPublicationResponse): Publication {
  const status = response.status === "CANCELLED" ? "FAILED" : (response.status ?? "IN_PROGRESS");
  return { status, publishesAtDate: response.publishesAtDate };
}

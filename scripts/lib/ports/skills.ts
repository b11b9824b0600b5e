/**
 * The Skill Management API as the platform uses it: stages, manifests, interaction models, account linking,
 * certification, publication, skill versions and rollback. `adapters/smapi` implements it over `ask-smapi-sdk`.
 */

/** A skill stage as the Skill Management API names it. */
export type SkillStage = "development" | "live";

/** The status of an asynchronous Skill Management API job (a manifest update, a model build, an import). */
export type BuildStatus = "IN_PROGRESS" | "SUCCEEDED" | "FAILED";

/** One error a build, update or import reported. */
export interface BuildError {
  code?: string;
  message: string;
  /** Where, for an import: the package file and the JSON path inside it. */
  file?: string;
  path?: string;
}

/** The state of one asynchronous update (manifest or one locale's interaction model). */
export interface UpdateState {
  status: BuildStatus;
  errors: BuildError[];
}

/** What `getSkillStatus` reports for the development stage. */
export interface SkillStatus {
  manifest?: UpdateState;
  /** Per locale. */
  interactionModel: Record<string, UpdateState>;
}

/** A document with the ETag that guards its next write (`If-Match`). */
export interface Versioned<T> {
  value: T;
  etag?: string;
}

/** Certification status as the Skill Management API reports it. */
export type CertificationStatus = "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "CANCELLED";

/** One certification submission. */
export interface Certification {
  id: string;
  status: CertificationStatus;
  /** ISO-8601 */
  submittedAt?: string;
  /** Present when the review is available (failed or succeeded). */
  review?: CertificationReview;
}

/** The reviewer's findings, as much as the Skill Management API exposes. */
export interface CertificationReview {
  summary?: string;
  /** Each finding: what failed and where. */
  findings: { title: string; detail?: string; locales?: string[] }[];
}

/** The reasons the Skill Management API accepts for a withdrawal. */
export const withdrawalReasons = [
  "TEST_SKILL",
  "MORE_FEATURES",
  "DISCOVERED_ISSUE",
  "NOT_RECEIVED_CERTIFICATION_FEEDBACK",
  "NOT_INTEND_TO_PUBLISH",
  "OTHER",
] as const;

/** How a certified skill goes live. */
export type PublicationMethod = "MANUAL_PUBLISHING" | "AUTO_PUBLISHING";

/** A publication request's state. */
export interface Publication {
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "SCHEDULED";
  publishesAtDate?: string;
}

/** The lifecycle status of a skill version's submission, as `listVersionsForSkillV1` reports it. */
export type SkillVersionStatus =
  | "LIVE"
  | "CERTIFIED"
  | "IN_REVIEW"
  | "FAILED_CERTIFICATION"
  | "HIDDEN"
  | "REMOVED"
  | "WITHDRAWN_FROM_CERTIFICATION";

/** A version of the skill: one per submission (for skill rollback). */
export interface SkillVersion {
  version: string;
  /** The `versionMessage` it was submitted with. */
  message?: string;
  creationTime?: string;
  /** Its newest submission's status, when the listing reports one. */
  status?: SkillVersionStatus;
}

/** An export of a stage's skill package (`createExportRequestForSkillV1`, then its status). */
export interface PackageExport {
  status: BuildStatus;
  /** Where the package (a zip) can be downloaded from, once the export SUCCEEDED. */
  location?: string;
  /** When the location stops working (ISO-8601), when the service says. */
  expiresAt?: string;
}

/** The Skill Management API calls the platform uses. A 404 on a read returns undefined. */
export interface SkillsPort {
  getManifest(skillId: string, stage: SkillStage): Promise<Versioned<Record<string, unknown>> | undefined>;
  /** Starts the asynchronous update; poll {@link getSkillStatus}. Refused (412) when `ifMatch` is stale. */
  updateManifest(
    skillId: string,
    stage: SkillStage,
    manifest: Record<string, unknown>,
    ifMatch?: string,
  ): Promise<{ etag?: string }>;
  getInteractionModel(
    skillId: string,
    stage: SkillStage,
    locale: string,
  ): Promise<Versioned<Record<string, unknown>> | undefined>;
  /** Starts the locale's model build; poll {@link getSkillStatus}. Refused (412) when `ifMatch` is stale. */
  setInteractionModel(
    skillId: string,
    stage: SkillStage,
    locale: string,
    model: Record<string, unknown>,
    ifMatch?: string,
  ): Promise<{ etag?: string }>;
  getSkillStatus(skillId: string): Promise<SkillStatus>;
  getAccountLinking(
    skillId: string,
    stage: SkillStage,
  ): Promise<Versioned<Record<string, unknown>> | undefined>;
  updateAccountLinking(
    skillId: string,
    stage: SkillStage,
    accountLinking: Record<string, unknown>,
    ifMatch?: string,
  ): Promise<void>;
  /**
   * Submits the development stage for certification; `versionMessage` (at most 300 characters) becomes the new
   * skill version's message. Resolves to the new certification's id when the service names it.
   */
  submitForCertification(
    skillId: string,
    publicationMethod: PublicationMethod,
    versionMessage?: string,
  ): Promise<string | undefined>;
  withdrawFromCertification(skillId: string, reason: string, message?: string): Promise<void>;
  /** Newest first. */
  listCertifications(skillId: string): Promise<Certification[]>;
  getCertification(skillId: string, certificationId: string): Promise<Certification>;
  publish(skillId: string, publishesAtDate?: string): Promise<Publication>;
  getPublication(skillId: string): Promise<Publication | undefined>;
  /** Newest first. */
  listSkillVersions(skillId: string): Promise<SkillVersion[]>;
  /** Starts a rollback of the live skill to an earlier version; returns the rollback request's id. */
  rollbackSkill(skillId: string, targetVersion: string): Promise<string>;
  getRollback(
    skillId: string,
    rollbackRequestId: string,
  ): Promise<{ status: BuildStatus; errors: BuildError[] }>;
  /**
   * How far the service's clock is ahead of ours (negative: behind), in ms, measured from the `Date` header of
   * its answers; undefined before the first answer. Its timestamps are compared with ours through this.
   */
  clockOffsetMs?(): number | undefined;
  /** Starts an export of the stage's skill package; returns the export's id. */
  exportPackage(skillId: string, stage: SkillStage): Promise<string>;
  /** Where an export stands; poll until it is not IN_PROGRESS. */
  getExport(exportId: string): Promise<PackageExport>;
  /** Downloads an exported package from its `location` (a short-lived URL that needs no credentials). */
  downloadPackage(location: string): Promise<Uint8Array>;
}

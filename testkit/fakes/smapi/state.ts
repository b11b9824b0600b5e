/**
 * The state of the fake Skill Management API: skills with their stages, the asynchronous jobs (manifest
 * updates, model builds, certifications, publications, rollbacks, simulations) and how one status poll moves
 * each of them on. Plain data: tests read and change it directly through `fake.state`.
 */
import { randomBytes } from "node:crypto";

/** A stored document and the ETag that guards its next write. */
export interface FakeDocument {
  value: Record<string, unknown>;
  etag: string;
}

/** One stage of a skill: the manifest envelope `{ manifest }`, each locale's model, account linking. */
export interface FakeStage {
  manifest?: FakeDocument;
  /** Locale → the interaction model document `{ interactionModel: { languageModel, … } }`. */
  models: Record<string, FakeDocument>;
  /** The account-linking payload as written, client secret included (never returned by reads). */
  accountLinking?: FakeDocument;
}

/** An error as the Skill Management API reports it in a build or a rollback. */
export interface FakeError {
  code?: string;
  message: string;
}

/** An asynchronous job that completes after a number of status polls. */
export interface FakeJob {
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  /** Polls still needed; the poll that brings this to 0 reports the outcome. */
  pollsLeft: number;
  outcome: "SUCCEEDED" | "FAILED";
  errors: FakeError[];
}

/** A finding of a failed certification, as `result.distributionInfo.publicationFailures` carries it. */
export interface FakeReviewFinding {
  reason: string;
  countries?: string[];
}

/** A certification submission. */
export interface FakeCertification {
  id: string;
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "CANCELLED";
  submittedAt: string;
  completedAt?: string;
  publicationMethod: "MANUAL_PUBLISHING" | "AUTO_PUBLISHING";
  versionMessage?: string;
  pollsLeft: number;
  outcome: "SUCCEEDED" | "FAILED";
  review: FakeReviewFinding[];
  /** The skill version this submission created. */
  version: string;
}

/** The status of a skill version's submission, as the versions list reports it. */
export type FakeVersionStatus =
  "LIVE" | "CERTIFIED" | "IN_REVIEW" | "FAILED_CERTIFICATION" | "WITHDRAWN_FROM_CERTIFICATION";

/** A version of the skill: one per submission, with the stage content it was submitted with. */
export interface FakeSkillVersion {
  version: string;
  message?: string;
  creationTime: string;
  status: FakeVersionStatus;
  /** True once this version has been live (only those can be rolled back to). */
  wasLive: boolean;
  snapshot: FakeStage;
}

/** The latest publication request. */
export interface FakePublication {
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED" | "SCHEDULED";
  publishesAtDate?: string;
  pollsLeft: number;
  version: string;
}

/** A rollback request. */
export interface FakeRollback {
  id: string;
  targetVersion: string;
  submissionTime: string;
  status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  pollsLeft: number;
  errors: FakeError[];
}

/** A simulation: its answer is computed by the test's `simulate` function. */
export interface FakeSimulation {
  id: string;
  stage: string;
  status: "IN_PROGRESS" | "SUCCESSFUL" | "FAILED";
  pollsLeft: number;
  /** Set once the `simulate` function has answered (or failed). */
  result?: Record<string, unknown>;
  failed?: boolean;
}

/** A skill and everything the fake knows about it. */
export interface FakeSkill {
  skillId: string;
  stages: { development: FakeStage; certified?: FakeStage; live?: FakeStage };
  manifestUpdate?: FakeJob;
  /** Locale → the last model build of the development stage. */
  modelBuilds: Record<string, FakeJob>;
  /** Oldest first (the API lists them newest first). */
  certifications: FakeCertification[];
  publication?: FakePublication;
  /** Oldest first. */
  versions: FakeSkillVersion[];
  liveVersion?: string;
  rollbacks: Record<string, FakeRollback>;
  simulations: Record<string, FakeSimulation>;
  /** Per stage: whether the simulated user is still in a session with the skill. */
  sessionOpen: Record<string, boolean>;
  /** Validation runs, by id (see `resources/validations.ts`). */
  validationRuns?: Record<string, FakeValidationRun>;
  /** The beta test, once created (see `resources/beta-test.ts`). */
  betaTest?: FakeBetaTest;
}

/** A run of the certification validations. */
export interface FakeValidationRun {
  id: string;
  stage: string;
  locales: string[];
  status: "IN_PROGRESS" | "SUCCESSFUL" | "FAILED";
  pollsLeft: number;
  validations: {
    title: string;
    description: string;
    category: string;
    locale: string;
    importance: "REQUIRED" | "RECOMMENDED";
    status: "SUCCESSFUL" | "FAILED";
  }[];
}

/** A tester of the beta test. */
export interface FakeBetaTester {
  email: string;
  invitationStatus: "ACCEPTED" | "NOT_ACCEPTED";
  isReminderAllowed: boolean;
  /** Reminders sent to this tester. */
  reminders: number;
}

/** A skill's beta test. */
export interface FakeBetaTest {
  status: "IN_DRAFT" | "STARTING" | "RUNNING" | "STOPPING" | "ENDED";
  expiryDate?: string;
  feedbackEmail?: string;
  /** By lower-cased address. */
  testers: Map<string, FakeBetaTester>;
}

/** A fresh ETag. */
export function newEtag(): string {
  return randomBytes(16).toString("hex");
}

/** A document holding a copy of `value` (the caller's object may change later), with a fresh ETag. */
export function documentOf(value: Record<string, unknown>): FakeDocument {
  return { value: structuredClone(value), etag: newEtag() };
}

/** A deep copy of a stage (snapshots must not change when the stage does). */
export function cloneStage(stage: FakeStage): FakeStage {
  return structuredClone(stage);
}

/** A new job that reports `outcome` on its `polls`-th status poll (at least the first). */
export function newJob(polls: number, outcome: "SUCCEEDED" | "FAILED", errors: FakeError[] = []): FakeJob {
  return { status: "IN_PROGRESS", pollsLeft: Math.max(1, polls), outcome, errors };
}

/** Moves a job on by one poll. */
export function pollJob(job: FakeJob): void {
  if (job.status !== "IN_PROGRESS") {
    return;
  }
  job.pollsLeft -= 1;
  if (job.pollsLeft <= 0) {
    job.status = job.outcome;
  }
}

/** A submission still in review (for tests that need the development stage locked): it never completes by itself. */
export function pendingCertification(id: string, version = "2"): FakeCertification {
  return {
    id,
    status: "IN_PROGRESS",
    submittedAt: new Date().toISOString(),
    publicationMethod: "MANUAL_PUBLISHING",
    pollsLeft: Number.MAX_SAFE_INTEGER,
    outcome: "SUCCEEDED",
    review: [],
    version,
  };
}

/** True while a certification is in progress: the development stage is then locked. */
export function inCertification(skill: FakeSkill): boolean {
  return skill.certifications.some((certification) => certification.status === "IN_PROGRESS");
}

/** Makes a version the live one: the live stage becomes its snapshot. */
export function goLive(skill: FakeSkill, version: string): void {
  const target = skill.versions.find((candidate) => candidate.version === version);
  if (target === undefined) {
    throw new Error(`fake SMAPI: no skill version ${version}`);
  }
  for (const other of skill.versions) {
    if (other.status === "LIVE") {
      other.status = "CERTIFIED";
    }
  }
  target.status = "LIVE";
  target.wasLive = true;
  skill.stages.live = cloneStage(target.snapshot);
  skill.liveVersion = version;
}

/** Moves every in-progress certification of the skill on by one poll; completes those that are due. */
export function pollCertifications(skill: FakeSkill, now: number): void {
  for (const certification of skill.certifications) {
    if (certification.status !== "IN_PROGRESS") {
      continue;
    }
    certification.pollsLeft -= 1;
    if (certification.pollsLeft > 0) {
      continue;
    }
    certification.status = certification.outcome;
    certification.completedAt = new Date(now).toISOString();
    const version = skill.versions.find((candidate) => candidate.version === certification.version);
    if (version === undefined) {
      continue;
    }
    if (certification.outcome === "FAILED") {
      version.status = "FAILED_CERTIFICATION";
      continue;
    }
    version.status = "CERTIFIED";
    skill.stages.certified = cloneStage(version.snapshot);
    if (certification.publicationMethod === "AUTO_PUBLISHING") {
      goLive(skill, version.version);
      skill.publication = { status: "SUCCEEDED", pollsLeft: 0, version: version.version };
    }
  }
}

/** Moves the latest publication on by one poll (a scheduled one goes live once its date is not after `now`). */
export function pollPublication(skill: FakeSkill, now: number): void {
  const publication = skill.publication;
  if (publication === undefined) {
    return;
  }
  if (publication.status === "SCHEDULED") {
    if (publication.publishesAtDate !== undefined && Date.parse(publication.publishesAtDate) <= now) {
      publication.status = "SUCCEEDED";
      goLive(skill, publication.version);
    }
    return;
  }
  if (publication.status !== "IN_PROGRESS") {
    return;
  }
  publication.pollsLeft -= 1;
  if (publication.pollsLeft <= 0) {
    publication.status = "SUCCEEDED";
    goLive(skill, publication.version);
  }
}

/** Moves a rollback on by one poll; a successful one makes its target version live again. */
export function pollRollback(skill: FakeSkill, rollback: FakeRollback): void {
  if (rollback.status !== "IN_PROGRESS") {
    return;
  }
  rollback.pollsLeft -= 1;
  if (rollback.pollsLeft <= 0) {
    rollback.status = "SUCCEEDED";
    goLive(skill, rollback.targetVersion);
  }
}

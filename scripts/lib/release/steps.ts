/**
 * The steps a plan is made of: plain data, printed by `--dry-run` and carried out in order by `apply`. A step
 * carries everything it needs, including the guard (RevisionId) of what it changes, as read in the snapshot.
 */
import type { PublicationMethod } from "../ports";
import { describeCanaryStep, type CanaryStep } from "./canary/steps";
import type { Colour } from "./snapshot";
import { describeVersionRef, type VersionRef } from "./version-ref";

export { describeVersionRef, type VersionRef } from "./version-ref";

/** Publish `$LATEST` as a version, guarded by the bundle's sha256 and `$LATEST`'s revision. */
export interface PublishVersionStep {
  kind: "publish-version";
  codeSha256: string;
  revisionId: string;
  description: string;
}

/** The same function in another AWS region (a stack with regional endpoints), following the home function. */
export interface ReplicaTarget {
  awsRegion: string;
  functionName: string;
  /** The Alexa regions it serves and its AWS region, for people: "EU (eu-west-1)". */
  label: string;
}

/** A replica's own version: one it has, or the one a `publish-replica-versions` step publishes of that code. */
export type ReplicaVersionRef =
  { kind: "existing"; version: string } | { kind: "published"; codeSha256: string };

/** A replica's part of an alias move: its own version numbers and revision guard. */
export interface ReplicaMove extends ReplicaTarget {
  from: string;
  /** The description the alias had, put back with the version when the move is undone. */
  fromDescription: string;
  to: ReplicaVersionRef;
  revisionId: string;
  description: string;
}

/** Publish `$LATEST` in replicas that have no version of the code yet, each guarded by its code and revision. */
export interface PublishReplicaVersionsStep {
  kind: "publish-replica-versions";
  versions: (ReplicaTarget & { codeSha256: string; revisionId: string; description: string })[];
}

/**
 * Put replicas' aliases back on the home alias's code (an interrupted run left them elsewhere). Not undone on a
 * failure: it only ever brings regions together.
 */
export interface AlignReplicasStep {
  kind: "align-replicas";
  colour: Colour;
  /** The home alias's version, for people. */
  homeVersion: string;
  replicas: ReplicaMove[];
}

/** Point an alias at a version, guarded by the alias's revision; the description records the change. */
export interface MoveAliasStep {
  kind: "move-alias";
  colour: Colour;
  from: string;
  to: VersionRef;
  revisionId: string;
  description: string;
  /** Why, for people: "live alias", "idle colour", … */
  role: string;
  /**
   * The same move in each replica whose alias is not on that code yet; moved before the home alias, and put back
   * if any move of the step fails, so that every region serves the same code.
   */
  replicas?: ReplicaMove[];
}

/**
 * Import the skill package (its manifest naming this endpoint) into the development stage and wait for the
 * builds. A release uploads with the dev stack's endpoint: beta testers stay on the dev code while the models
 * build.
 */
export interface DeployModelStep {
  kind: "deploy-model";
  endpoint: string;
  /** What the endpoint is, for people. */
  label: string;
  /** True for a package without interaction models (a smart-home skill's): the import has nothing to build. */
  withoutModels?: true;
}

/** Point the development stage's endpoint elsewhere (the manifest's endpoint only), and wait for the update. */
export interface SetEndpointStep {
  kind: "set-development-endpoint";
  endpoint: string;
  /** What the endpoint is, for people. */
  label: string;
  /** True when it puts the stage back on the dev stack, rather than pointing it at a candidate. */
  back: boolean;
  /** Only when the stage still names this endpoint: a restore puts back what the plan changed, nothing else. */
  onlyFrom?: string;
}

/**
 * Run Alexa's certification validations on the development stage as it will be submitted; a failed REQUIRED
 * validation stops the plan before the submission (and the plan's restore puts the stage back).
 */
export interface ValidateStep {
  kind: "validate";
  /** The locales the package publishes. */
  locales: string[];
}

/** Submit the development stage for certification. Never retried blindly. */
export interface SubmitStep {
  kind: "submit";
  publicationMethod: PublicationMethod;
  /** The new skill version's message (the release's `--version-message`, within the API's 300 characters). */
  versionMessage?: string;
  /** Submissions made at or after this instant belong to this candidate (ISO-8601). */
  candidateSince: string;
}

/** Withdraw the pending submission. */
export interface WithdrawStep {
  kind: "withdraw";
  certificationId: string;
  reason: string;
  message?: string;
}

/** Publish the certified skill (now or at a date) and wait until it is live. Never retried blindly. */
export interface PublishSkillStep {
  kind: "publish-skill";
  /** Skip the publish call: a publication is already under way; only wait. */
  alreadyRequested: boolean;
  publishesAt?: string;
  /** The colour that becomes live. */
  colour?: Colour;
  /** That colour's endpoint: once the live stage names it, the publication has happened. */
  endpoint?: string;
}

/** Roll the live skill back to an earlier version and wait until that version is live. */
export interface RollbackSkillStep {
  kind: "rollback-skill";
  targetVersion: string;
  /** The colour the target version's endpoint names. */
  colour: Colour;
  /** A rollback request already accepted (recorded on the alias): only wait for it. */
  requestId?: string;
}

/** A replica's version, for people. */
export function describeReplicaRef(ref: ReplicaVersionRef): string {
  return ref.kind === "existing" ? `version ${ref.version}` : "the version published there";
}

/** One step of a plan. */
export type Step =
  | PublishVersionStep
  | PublishReplicaVersionsStep
  | AlignReplicasStep
  | MoveAliasStep
  | DeployModelStep
  | SetEndpointStep
  | ValidateStep
  | SubmitStep
  | WithdrawStep
  | PublishSkillStep
  | RollbackSkillStep
  | CanaryStep;

/**
 * What puts things back when a step from `fromStep` on fails: the development stage back on the dev stack once it
 * was pointed at a candidate, the live alias's traffic back on the old version once a canary shifted some. A wait that times out (exit 3) is not a failure: running the command again resumes.
 */
export interface PlanRestore {
  /** The index of the first step whose failure calls for the restore. */
  fromStep: number;
  steps: Step[];
}

/** A computed plan: what it does, why, and its steps (empty for nothing to do). */
export interface Plan {
  /** The command the plan is for. */
  operation: "release" | "release watch" | "publish" | "rollback" | "withdraw";
  /** A short name of the path taken, e.g. "code-only", "candidate", "noop". */
  path: string;
  /** One sentence for people: what the plan does, or why there is nothing to do. */
  summary: string;
  steps: Step[];
  /** What puts things back if the plan fails part-way. */
  restore?: PlanRestore;
}

/** One line per step, for the step list `--dry-run` and the progress print. */
export function describeStep(step: Step, functionName: string): string {
  switch (step.kind) {
    case "publish-version":
      return `Publish ${functionName}:$LATEST as a new version (guarded by code ${step.codeSha256}) described "${step.description}"`;
    case "publish-replica-versions":
      return `Publish $LATEST as a new version in ${step.versions.map((v) => `${v.label} (guarded by code ${v.codeSha256})`).join(", ")}`;
    case "align-replicas":
      return `Put the ${step.colour} alias of ${step.replicas.map((part) => `${part.label} (version ${part.from} → ${describeReplicaRef(part.to)})`).join(", ")} back on the code of the home region's version ${step.homeVersion}`;
    case "move-alias":
      return (
        `Move the ${step.role} ${functionName}:${step.colour} from version ${step.from || "(none)"} to ${describeVersionRef(step.to)} (guarded by revision ${step.revisionId})` +
        (step.replicas === undefined || step.replicas.length === 0
          ? ""
          : `, after the same move in ${step.replicas.map((part) => `${part.label} (version ${part.from || "(none)"} → ${describeReplicaRef(part.to)})`).join(", ")}; all put back if one fails`)
      );
    case "deploy-model":
      return (
        `Upload the skill package (on ${step.label}, ${step.endpoint}) to the development stage unless it already holds it, ` +
        (step.withoutModels === true
          ? "wait for the import (no interaction model to build)"
          : "wait for the import and the builds")
      );
    case "set-development-endpoint":
      return step.back
        ? `Put the development stage back on ${step.label} (${step.endpoint})`
        : `Point the development stage at ${step.label} (${step.endpoint}) for certification`;
    case "validate":
      return `Run Alexa's certification validations on the development stage (${step.locales.join(", ")}); stop before submitting on any REQUIRED failure`;
    case "submit":
      return `Submit the skill for certification (${step.publicationMethod})${step.versionMessage === undefined ? "" : ` with version message "${step.versionMessage}"`}`;
    case "withdraw":
      return `Withdraw certification ${step.certificationId} (reason ${step.reason})`;
    case "publish-skill":
      return step.alreadyRequested
        ? `Wait until the publication under way is live`
        : `Publish the certified skill${step.publishesAt === undefined ? "" : ` at ${step.publishesAt}`} and wait until it is live`;
    case "rollback-skill":
      return step.requestId === undefined
        ? `Roll the live skill back to version ${step.targetVersion} (its endpoint is the ${step.colour} alias) and wait until it is live`
        : `Wait for rollback ${step.requestId} of the live skill to version ${step.targetVersion} (the ${step.colour} alias)`;
    case "canary-shift":
    case "canary-bake":
    case "canary-promote":
    case "canary-end":
      return describeCanaryStep(step, functionName);
  }
}

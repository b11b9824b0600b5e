/**
 * The applier: carries out a plan's steps in order through the ports. Every write is guarded (RevisionId, ETag)
 * or checked against state read again: submission, withdrawal, publishing and rollback are never retried
 * blindly; after a failure the state is read first, and a call that in fact went through is not made again.
 */
import { endpointOf, manifestEndpoint, parseEndpoint, withEndpoint } from "../package/endpoint";
import { OperationError } from "../core/errors";
import type { FunctionsPort, SkillsPort } from "../ports";
import { defaultRetryPolicy, isTransient, withRetries, type RetryPolicy } from "../core/retry";
import { submittedSince } from "./plan-release";
import { formatAliasRecord, parseAliasRecord } from "./records";
import type { Colour } from "./snapshot";
import {
  describeStep,
  type MoveAliasStep,
  type Plan,
  type PublishSkillStep,
  type RollbackSkillStep,
  type SetEndpointStep,
  type Step,
  type SubmitStep,
  type WithdrawStep,
} from "./steps";
import { waitUntil, type WaitOptions } from "../core/wait";
import { waitForManifestUpdate } from "../package/stage-waits";

/** What the applier works through. */
export interface ApplyContext {
  skills: SkillsPort;
  functions: FunctionsPort;
  skillId: string;
  functionName: string;
  /** Uploads the repository's package to the development stage with this endpoint and waits for the builds. */
  deployModel(endpoint: string): Promise<void>;
  wait: WaitOptions;
  /**
   * Called right before a submission: throws when the development stage no longer holds the candidate, so that
   * nothing else is ever submitted for certification in its name.
   */
  beforeSubmit?(): Promise<void>;
  /** Bound of the re-read-then-retry loops around submission, withdrawal, publishing and rollback. */
  retry?: RetryPolicy;
  /** Told before and after each step, for people. */
  onStep?(event: { index: number; step: Step; text: string; phase: "start" | "done"; detail?: string }): void;
  /** ISO-8601 now. */
  now?: () => string;
}

/** What applying did. */
export interface ApplyResult {
  /** The version published or reused by the plan, when it had one. */
  version?: string;
  /** The certification submitted, when the plan submitted. */
  certificationId?: string;
  /** Each step with what came of it. */
  steps: { step: Step; text: string; detail?: string }[];
}

/** Applies the plan. Throws the typed error of the first step that fails; earlier steps stay done. */
export async function applyPlan(plan: Plan, context: ApplyContext): Promise<ApplyResult> {
  const result: ApplyResult = { steps: [] };
  for (const [index, step] of plan.steps.entries()) {
    const text = describeStep(step, context.functionName);
    context.onStep?.({ index, step, text, phase: "start" });
    const detail = await applyStep(step, context, result);
    context.onStep?.({ index, step, text, phase: "done", ...(detail === undefined ? {} : { detail }) });
    result.steps.push({ step, text, ...(detail === undefined ? {} : { detail }) });
  }
  return result;
}

async function applyStep(
  step: Step,
  context: ApplyContext,
  result: ApplyResult,
): Promise<string | undefined> {
  switch (step.kind) {
    case "publish-version": {
      const published = await context.functions.publishVersion(context.functionName, {
        codeSha256: step.codeSha256,
        description: step.description,
        revisionId: step.revisionId,
      });
      result.version = published.version;
      return published.description === step.description
        ? `published version ${published.version}`
        : `Lambda kept version ${published.version}: the code has not changed since it was published`;
    }
    case "move-alias":
      return moveAlias(step, context, result);
    case "deploy-model":
      await context.deployModel(step.endpoint);
      return "built";
    case "set-development-endpoint":
      return setDevelopmentEndpoint(step, context);
    case "submit":
      return submit(step, context, result);
    case "withdraw":
      return withdraw(step, context);
    case "publish-skill":
      return publishSkill(step, context);
    case "rollback-skill":
      return rollbackSkill(step, context);
  }
}

async function moveAlias(step: MoveAliasStep, context: ApplyContext, result: ApplyResult): Promise<string> {
  const version = step.to.kind === "existing" ? step.to.version : result.version;
  if (version === undefined) {
    throw new OperationError(`Internal error: the plan moves ${step.colour} to a version no step published`);
  }
  result.version ??= version;
  const moved = await context.functions.updateAlias(context.functionName, step.colour, {
    functionVersion: version,
    description: step.description,
    revisionId: step.revisionId,
  });
  return `${step.colour} → version ${moved.functionVersion}`;
}

/** Changes only the development stage's endpoint, guarded by the manifest's ETag, and waits for the update. */
async function setDevelopmentEndpoint(step: SetEndpointStep, context: ApplyContext): Promise<string> {
  const { skills, skillId } = context;
  const current = await skills.getManifest(skillId, "development");
  if (current === undefined) {
    throw new OperationError(`Skill ${skillId} has no development manifest to put the endpoint back on`);
  }
  if (endpointOf(current.value) === step.endpoint) {
    return "already there";
  }
  const manifest = withEndpoint(
    current.value,
    manifestEndpoint(parseEndpoint(step.endpoint, "developmentEndpoint")),
  );
  await skills.updateManifest(skillId, "development", manifest, current.etag);
  await waitForManifestUpdate(skills, skillId, context.wait, {
    label: "Updating the development stage's endpoint",
    failure: `The development stage refused the endpoint ${step.endpoint}`,
  });
  return "updated";
}

/**
 * Runs a call that must not be repeated blindly: after any failure, `done()` reads the state again, and only
 * when the call has not taken effect (and the failure was transient) is it tried again, within the bound.
 */
async function checkedOnce<T>(
  call: () => Promise<T>,
  done: () => Promise<T | undefined>,
  policy: RetryPolicy,
): Promise<T> {
  let failure: unknown;
  let first = true;
  return withRetries(
    async () => {
      if (!first) {
        const already = await done();
        if (already !== undefined) return already;
      }
      first = false;
      try {
        return await call();
      } catch (error) {
        failure = error;
        const already = await done().catch(() => undefined);
        if (already !== undefined) return already;
        throw error;
      }
    },
    policy,
    (error) => error === failure && isTransient(error),
  );
}

async function submit(step: SubmitStep, context: ApplyContext, result: ApplyResult): Promise<string> {
  const { skills, skillId } = context;
  await context.beforeSubmit?.();
  const submitted = async (): Promise<string | undefined> => {
    const newest = (await skills.listCertifications(skillId))[0];
    return newest !== undefined &&
      newest.status !== "FAILED" &&
      newest.status !== "CANCELLED" &&
      submittedSince(newest.submittedAt, step.candidateSince)
      ? newest.id
      : undefined;
  };
  const id = await checkedOnce(
    async () => {
      await skills.submitForCertification(skillId, step.publicationMethod, step.versionMessage);
      return (await submitted()) ?? "";
    },
    submitted,
    context.retry ?? defaultRetryPolicy,
  );
  if (id !== "") result.certificationId = id;
  return id === "" ? "submitted" : `submitted: certification ${id}`;
}

async function withdraw(step: WithdrawStep, context: ApplyContext): Promise<string> {
  const { skills, skillId } = context;
  await checkedOnce(
    () => skills.withdrawFromCertification(skillId, step.reason, step.message).then(() => true),
    async () => {
      const certification = (await skills.listCertifications(skillId)).find(
        (c) => c.id === step.certificationId,
      );
      return certification !== undefined && certification.status !== "IN_PROGRESS" ? true : undefined;
    },
    context.retry ?? defaultRetryPolicy,
  );
  return "withdrawn";
}

async function publishSkill(step: PublishSkillStep, context: ApplyContext): Promise<string> {
  const { skills, skillId } = context;
  if (!step.alreadyRequested) {
    await checkedOnce(
      () => skills.publish(skillId, step.publishesAt).then(() => true),
      async () => {
        const publication = await skills.getPublication(skillId);
        if (publication?.status === "IN_PROGRESS" || publication?.status === "SCHEDULED") return true;
        // An earlier publication may read SUCCEEDED too: only the live stage naming the candidate says it is ours.
        const live = step.endpoint === undefined ? undefined : await skills.getManifest(skillId, "live");
        return live !== undefined && endpointOf(live.value) === step.endpoint ? true : undefined;
      },
      context.retry ?? defaultRetryPolicy,
    );
  }
  await waitUntil(
    "Publishing the skill",
    () => skills.getPublication(skillId),
    (publication) => {
      if (publication?.status === "FAILED") {
        throw new OperationError(
          `The publication of skill ${skillId} failed: run \`skillship status\` and retry`,
        );
      }
      const text =
        publication?.status === "SCHEDULED"
          ? `scheduled for ${publication.publishesAtDate ?? "later"}`
          : (publication?.status ?? "IN_PROGRESS");
      return { done: publication?.status === "SUCCEEDED", text };
    },
    context.wait,
    "run `skillship publish` again to keep waiting (it will not publish twice)",
  );
  return `live${step.colour === undefined ? "" : ` on the ${step.colour} alias`}`;
}

async function rollbackSkill(step: RollbackSkillStep, context: ApplyContext): Promise<string> {
  const { skills, skillId } = context;
  let requestId = step.requestId;
  if (requestId === undefined) {
    try {
      requestId = await skills.rollbackSkill(skillId, step.targetVersion);
    } catch (error) {
      throw new OperationError(
        `The Skill Management API did not take the rollback of skill ${skillId} to version ${step.targetVersion}: ` +
          `${error instanceof Error ? error.message : String(error)}. Run \`skillship status\`, then rollback again.`,
        { cause: error },
      );
    }
    // Best effort: the rollback is under way whether or not its id could be recorded, so wait for it anyway.
    await recordRollbackRequest(context, step.colour, requestId).catch(() => undefined);
  }
  const id = requestId;
  await waitUntil(
    `Rolling the skill back to version ${step.targetVersion}`,
    () => skills.getRollback(skillId, id),
    (rollback) => {
      if (rollback.status === "FAILED") {
        throw new OperationError(
          `The rollback of skill ${skillId} to version ${step.targetVersion} failed: ` +
            (rollback.errors
              .map((e) => `${e.code === undefined ? "" : `${e.code}: `}${e.message}`)
              .join("; ") || "no reason given"),
        );
      }
      return { done: rollback.status === "SUCCEEDED", text: rollback.status };
    },
    context.wait,
    "run `skillship rollback` again to keep waiting (it will not roll back twice)",
  );
  return `version ${step.targetVersion} is live on the ${step.colour} alias`;
}

// The request id goes on the colour's record, so a re-run waits for this rollback instead of starting another.
async function recordRollbackRequest(
  context: ApplyContext,
  colour: Colour,
  requestId: string,
): Promise<void> {
  const alias = await context.functions.getAlias(context.functionName, colour);
  const record = alias === undefined ? undefined : parseAliasRecord(alias.description);
  if (alias === undefined || record === undefined) {
    return;
  }
  await context.functions.updateAlias(context.functionName, colour, {
    functionVersion: alias.functionVersion,
    description: formatAliasRecord({ ...record, request: requestId }),
    revisionId: alias.revisionId,
  });
}

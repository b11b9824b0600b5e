/**
 * The steps whose calls must never be repeated blindly: submission, withdrawal, publishing and the skill
 * rollback. After any failure the state is read again first, and a call that in fact went through is not made
 * again; the waits that follow go through the one poll loop.
 */
import { endpointOf } from "../package/endpoint";
import { OperationError } from "../core/errors";
import { defaultRetryPolicy, isTransient, withRetries, type RetryPolicy } from "../core/retry";
import { waitUntil } from "../core/wait";
import type { ApplyContext, ApplyResult } from "./apply";
import { submittedSince } from "./plan-release";
import { formatAliasRecord, parseAliasRecord } from "./records";
import type { Colour } from "./snapshot";
import type { PublishSkillStep, RollbackSkillStep, SubmitStep, WithdrawStep } from "./steps";

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

export async function submit(step: SubmitStep, context: ApplyContext, result: ApplyResult): Promise<string> {
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
      const named = await skills.submitForCertification(skillId, step.publicationMethod, step.versionMessage);
      return named ?? (await submitted()) ?? "";
    },
    submitted,
    context.retry ?? defaultRetryPolicy,
  );
  if (id !== "") result.certificationId = id;
  return id === "" ? "submitted" : `submitted: certification ${id}`;
}

export async function withdraw(step: WithdrawStep, context: ApplyContext): Promise<string> {
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

export async function publishSkill(step: PublishSkillStep, context: ApplyContext): Promise<string> {
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

export async function rollbackSkill(step: RollbackSkillStep, context: ApplyContext): Promise<string> {
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

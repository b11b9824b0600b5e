/**
 * Applying a canary's steps: shifting traffic, baking (`bake.ts`), moving all traffic, ending it. The canary's
 * state lives in Lambda (the live alias's weights and the record in its description), so a run that is killed
 * leaves a canary the next run resumes; within a run, `result.canary` holds what the run last saw: the alias's
 * revision (the guard of its next change, and the proof, read at every poll, that nobody else changed it), the
 * steps taken and the last read of the signals.
 */
import { OperationError } from "../../core/errors";
import type { ApplyContext, ApplyResult } from "../apply";
import { formatAliasRecord } from "../records";
import type { VersionRef } from "../version-ref";
import { bake } from "./bake";
import { serviceNow, told } from "./run";
import {
  formatPercent,
  type CanaryEndStep,
  type CanaryPromoteStep,
  type CanaryShiftStep,
  type CanaryStep,
} from "./steps";

/** Applies one canary step; returns what came of it, for people. */
export async function applyCanaryStep(
  step: CanaryStep,
  context: ApplyContext,
  result: ApplyResult,
): Promise<string> {
  switch (step.kind) {
    case "canary-shift":
      return shift(step, context, result);
    case "canary-bake":
      return bake(step, context, result);
    case "canary-promote":
      return promote(step, context, result);
    case "canary-end":
      return end(step, context, result);
  }
}

function versionOf(ref: VersionRef, result: ApplyResult): string {
  const version = ref.kind === "existing" ? ref.version : result.version;
  if (version === undefined) {
    throw new OperationError("Internal error: the canary names a version no step published");
  }
  return version;
}

/** The guard of the alias's next change: what this run last saw, else what the snapshot read. */
function guardOf(step: CanaryStep, result: ApplyResult): string {
  const revision = result.canary?.revisionId ?? step.asRead?.revisionId;
  if (revision === undefined) {
    throw new OperationError("Internal error: a canary step has no revision to guard the alias with");
  }
  return revision;
}

async function shift(step: CanaryShiftStep, context: ApplyContext, result: ApplyResult): Promise<string> {
  const to = versionOf(step.to, result);
  const at = serviceNow(context);
  const before = result.canary;
  const startedAt = before?.startedAt ?? step.asRead?.startedAt ?? at;
  const moved = await context.functions.updateAlias(context.functionName, step.colour, {
    functionVersion: step.from,
    description: formatAliasRecord({
      change: "canary",
      replaced: step.from,
      at,
      started: startedAt,
      ...step.record,
    }),
    revisionId: guardOf(step, result),
    additionalVersionWeights: { [to]: step.percent / 100 },
  });
  result.version ??= to;
  const timeline = (before?.timeline ?? []).map((entry) => ({ ...entry, endedAt: entry.endedAt ?? at }));
  result.canary = {
    colour: step.colour,
    from: step.from,
    to,
    percent: step.percent,
    step: step.step,
    of: step.of,
    startedAt,
    stepStartedAt: at,
    revisionId: moved.revisionId,
    outcome: "baking",
    ...(before?.last === undefined ? {} : { last: before.last }),
    timeline: [...timeline, { percent: step.percent, startedAt: at }],
  };
  told(context, result.canary);
  return `version ${to} gets ${formatPercent(step.percent)} of the ${step.colour} alias's traffic, version ${step.from} the rest`;
}

async function promote(step: CanaryPromoteStep, context: ApplyContext, result: ApplyResult): Promise<string> {
  const to = versionOf(step.to, result);
  const at = serviceNow(context);
  const moved = await context.functions.updateAlias(context.functionName, step.colour, {
    functionVersion: to,
    description: formatAliasRecord({ change: "code", replaced: step.from, at, ...step.record }),
    revisionId: guardOf(step, result),
  });
  result.version ??= to;
  const run = result.canary;
  if (run !== undefined) {
    run.revisionId = moved.revisionId;
    run.outcome = "promoted";
    run.timeline = run.timeline.map((entry) => ({ ...entry, endedAt: entry.endedAt ?? at }));
    told(context, run);
  }
  return `version ${to} serves all traffic of the ${step.colour} alias; version ${step.from} is recorded for rollback`;
}

async function end(step: CanaryEndStep, context: ApplyContext, result: ApplyResult): Promise<string> {
  const to = step.to.kind === "existing" ? step.to.version : result.version;
  const alias = await context.functions.getAlias(context.functionName, step.colour);
  if (to === undefined || alias?.additionalVersionWeights?.[to] === undefined) {
    return `nothing to end: version ${alias?.functionVersion ?? step.from} serves all traffic of the ${step.colour} alias`;
  }
  const run = result.canary;
  if (run !== undefined && alias.revisionId !== run.revisionId) {
    // Someone else changed the alias meanwhile: theirs stands.
    return `left as it is: the alias changed since this run last saw it (now revision ${alias.revisionId}); nothing was overwritten`;
  }
  const at = serviceNow(context);
  const moved = await context.functions.updateAlias(context.functionName, step.colour, {
    functionVersion: step.from,
    description: formatAliasRecord({ change: "rollback", replaced: to, at, ...step.record }),
    revisionId: guardOf(step, result),
  });
  if (run !== undefined) {
    run.revisionId = moved.revisionId;
    if (run.outcome !== "breached") run.outcome = "ended";
    run.timeline = run.timeline.map((entry) => ({ ...entry, endedAt: entry.endedAt ?? at }));
    told(context, run);
  }
  return `version ${step.from} serves all traffic of the ${step.colour} alias again`;
}

/**
 * Applying a canary's steps. The canary's state lives in Lambda (the live alias's weights and the record in its
 * description), so a run that is killed leaves a canary the next run resumes; within a run, `result.canary`
 * holds what the run last saw: the alias's revision (the guard of its next change, and the proof, read at every
 * poll, that nobody else changed it), the steps taken and the last read of the signals.
 *
 * A bake polls every `pollSeconds`: the alias (a change by anyone else stops the canary, unchanged, with a
 * {@link ConcurrentChangeError}), then the signals of both versions since the canary began; a breach fails the
 * step with a {@link CanaryBreachError} and the plan's restore ends the canary at once. The bake is over once its
 * time has passed, plus CloudWatch's delay, with the new version healthy on enough traffic; short of traffic it
 * keeps watching until `--timeout` (exit 3: the next run resumes).
 */
import { OperationError, StillWaitingError } from "../../core/errors";
import { formatElapsed, type Progress } from "../../core/output";
import { sleep } from "../../core/wait";
import { ConcurrentChangeError, type FunctionAlias, type VersionSignals } from "../../ports";
import type { ApplyContext, ApplyResult } from "../apply";
import { formatAliasRecord, parseAliasRecord } from "../records";
import type { Colour } from "../../stack/outputs";
import type { VersionRef } from "../version-ref";
import {
  describeBreach,
  describeVerdict,
  judgeCanary,
  type CanaryVerdict,
  type SignalReading,
} from "./judge";
import {
  formatPercent,
  type CanaryBakeStep,
  type CanaryEndStep,
  type CanaryPromoteStep,
  type CanaryShiftStep,
  type CanaryStep,
} from "./steps";

/**
 * How long CloudWatch takes to show a minute of metrics extracted from log lines: a bake is judged over once
 * this long after its time has passed, so that its last minutes are seen.
 */
export const METRICS_DELAY_MS = 2 * 60_000;

/** What a run knows of the canary it drives. Times are the service's (ISO-8601). */
export interface CanaryRun {
  colour: Colour;
  /** The version keeping the rest of the traffic, and the new one. */
  from: string;
  to: string;
  percent: number;
  step: number;
  of: number;
  startedAt: string;
  stepStartedAt: string;
  /** When the current step's bake is over, once it is baking. */
  bakeEndsAt?: string;
  /** The alias's revision as this run last read or left it. */
  revisionId: string;
  outcome: "baking" | "promoted" | "breached" | "ended" | "stopped" | "waiting";
  /** The last read of the signals: its window, both versions' signals and the verdict. */
  last?: {
    at: string;
    window: { start: string; end: string };
    signals: { from: VersionSignals; to: VersionSignals };
    verdict: CanaryVerdict;
  };
  /** The steps this run took or resumed: their share, when each began and ended. */
  timeline: { percent: number; startedAt: string; endedAt?: string }[];
}

/** A canary stopped on a breach of its thresholds. Exit 1. */
export class CanaryBreachError extends OperationError {
  readonly breaches: SignalReading[];

  constructor(functionName: string, run: CanaryRun, breaches: SignalReading[]) {
    const versions = { from: run.from, to: run.to };
    const into = formatElapsed(Date.parse(run.last?.at ?? run.stepStartedAt) - Date.parse(run.startedAt));
    super(
      `Canary breach: ${describeBreach(breaches[0], versions)}. ` +
        `Version ${run.to} had ${formatPercent(run.percent)} of the ${run.colour} alias's traffic ` +
        `(step ${run.step} of ${run.of}, ${into} into the canary); all of it goes back to version ${run.from}.` +
        breaches
          .slice(1)
          .map((reading) => `\n- also ${describeBreach(reading, versions)}`)
          .join(""),
      { resource: `alias ${functionName}:${run.colour}` },
    );
    this.breaches = breaches;
  }
}

const silent: Progress = { update() {}, succeed() {}, fail() {} };

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

function serviceNow(context: ApplyContext): string {
  return context.now?.() ?? new Date().toISOString();
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

function told(context: ApplyContext, run: CanaryRun): void {
  context.onCanary?.(run);
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

/** The run a bake works in: this run's, or the canary in progress the snapshot read. */
function runOf(step: CanaryBakeStep, result: ApplyResult): CanaryRun {
  if (result.canary !== undefined) return result.canary;
  const read = step.asRead;
  if (read?.startedAt === undefined || read.stepStartedAt === undefined || step.to.kind !== "existing") {
    throw new OperationError("Internal error: a canary's bake has no step before it and resumes nothing");
  }
  result.canary = {
    colour: step.colour,
    from: step.from,
    to: step.to.version,
    percent: step.percent,
    step: step.step,
    of: step.of,
    startedAt: read.startedAt,
    stepStartedAt: read.stepStartedAt,
    revisionId: read.revisionId,
    outcome: "baking",
    timeline: [{ percent: step.percent, startedAt: read.stepStartedAt }],
  };
  return result.canary;
}

async function bake(step: CanaryBakeStep, context: ApplyContext, result: ApplyResult): Promise<string> {
  const metrics = context.metrics;
  if (metrics === undefined) {
    throw new OperationError("Internal error: a canary's bake needs the metrics port to read the signals");
  }
  const run = runOf(step, result);
  const versions = { from: run.from, to: run.to };
  const clock = () => Date.parse(serviceNow(context));
  const pause = context.wait.sleep ?? sleep;
  const pollMs = step.judgement.pollSeconds * 1000;
  const bakeEnds = Date.parse(run.stepStartedAt) + step.bakeMinutes * 60_000;
  const judgedFrom = bakeEnds + METRICS_DELAY_MS;
  const timeoutMs = context.wait.timeoutMs ?? 15 * 60_000;
  const deadline = clock() + timeoutMs;
  run.bakeEndsAt = new Date(bakeEnds).toISOString();
  run.outcome = "baking";
  const shown =
    context.wait.progress?.(
      `Canary of version ${run.to} at ${formatPercent(run.percent)} (step ${run.step} of ${run.of})`,
    ) ?? silent;
  for (;;) {
    let verdict: CanaryVerdict;
    try {
      await checkAlias(context, run);
      verdict = await readSignals(context, metrics, run, step);
    } catch (error) {
      shown.fail(error instanceof Error ? error.message.split("\n")[0] : "failed");
      throw error;
    }
    told(context, run);
    if (verdict.outcome === "breach") {
      run.outcome = "breached";
      told(context, run);
      const breaches = verdict.readings.filter((reading) => reading.breached);
      shown.fail(`breach: ${describeBreach(breaches[0], versions)}`);
      throw new CanaryBreachError(context.functionName, run, breaches);
    }
    const now = clock();
    const status = describeVerdict(verdict, versions);
    if (now >= judgedFrom && verdict.outcome === "healthy") {
      shown.succeed(`healthy: ${status}`);
      return `healthy after ${formatElapsed(now - Date.parse(run.stepStartedAt))} at ${formatPercent(run.percent)}: ${status}`;
    }
    const wait = now < judgedFrom ? Math.min(pollMs, judgedFrom - now) : pollMs;
    const left =
      now < bakeEnds
        ? `${formatElapsed(bakeEnds - now)} left`
        : now < judgedFrom
          ? `waiting ${formatElapsed(judgedFrom - now)} for CloudWatch's last minutes`
          : "waiting for traffic";
    if (now + wait > deadline) {
      run.outcome = "waiting";
      told(context, run);
      shown.fail(`still baking: ${left}`);
      throw new StillWaitingError(stillBaking(run, verdict, left, timeoutMs), {
        resource: `alias ${context.functionName}:${run.colour}`,
      });
    }
    shown.update(`${left}; ${status}`);
    await pause(wait);
  }
}

function stillBaking(run: CanaryRun, verdict: CanaryVerdict, left: string, timeoutMs: number): string {
  const traffic =
    verdict.outcome === "too-little-traffic"
      ? `: too little traffic to judge (version ${run.to} served ${verdict.traffic.served} of the ` +
        `${verdict.traffic.needed} requests needed)`
      : ` (${left})`;
  return (
    `Canary of version ${run.to} at ${formatPercent(run.percent)} of the ${run.colour} alias: still baking after ` +
    `${formatElapsed(timeoutMs)}${traffic}. It stays as it is: run \`skillship release\` again with the same build ` +
    `to keep baking, \`skillship release --all-at-once\` to move all traffic without judging, or ` +
    `\`skillship rollback\` to end it.`
  );
}

/** Refuses to go on when the alias is no longer as this run left it. */
async function checkAlias(context: ApplyContext, run: CanaryRun): Promise<void> {
  const alias = await context.functions.getAlias(context.functionName, run.colour);
  if (alias?.revisionId === run.revisionId) return;
  run.outcome = "stopped";
  told(context, run);
  throw changedMidBake(context.functionName, run, alias);
}

function changedMidBake(functionName: string, run: CanaryRun, alias: FunctionAlias | undefined): Error {
  const record = alias === undefined ? undefined : parseAliasRecord(alias.description);
  const weights = Object.entries(alias?.additionalVersionWeights ?? {})
    .map(([version, weight]) => `, ${formatPercent(weight * 100)} to version ${version}`)
    .join("");
  const now =
    alias === undefined
      ? "it no longer exists"
      : record?.change === "rollback"
        ? `it was rolled back at ${record.at} and sends all traffic to version ${alias.functionVersion}`
        : `it now points at version ${alias.functionVersion}${weights} (revision ${alias.revisionId}, ` +
          `"${alias.description}")`;
  return new ConcurrentChangeError(
    `Alias ${functionName}:${run.colour} changed during the canary of version ${run.to} ` +
      `(revision ${run.revisionId} expected): ${now}. The canary stopped and changed nothing back; ` +
      `check who changed it with \`skillship status\`, then release again or roll back.`,
    `alias ${functionName}:${run.colour}`,
  );
}

async function readSignals(
  context: ApplyContext,
  metrics: NonNullable<ApplyContext["metrics"]>,
  run: CanaryRun,
  step: CanaryBakeStep,
): Promise<CanaryVerdict> {
  const start = new Date(run.startedAt);
  const at = serviceNow(context);
  // A window must end after it starts; the first read may come the same instant the traffic moved.
  const end = new Date(Math.max(Date.parse(at), start.getTime() + 1000));
  const [from, to] = await metrics.versionSignals({
    functionName: context.functionName,
    alias: run.colour,
    versions: [run.from, run.to],
    start,
    end,
    latencyStatistic: "p99",
  });
  const verdict = judgeCanary(from, to, step.judgement);
  run.last = {
    at,
    window: { start: start.toISOString(), end: end.toISOString() },
    signals: { from, to },
    verdict,
  };
  return verdict;
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

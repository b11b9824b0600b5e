/**
 * A canary's bake. It polls every `pollSeconds`: the alias (a change by anyone else stops the canary, unchanged,
 * with a {@link ConcurrentChangeError}), then the signals of both versions since the canary began; a breach fails
 * the step with a {@link CanaryBreachError} and the plan's restore ends the canary at once. The bake is over once
 * its time has passed, plus CloudWatch's delay, with the new version healthy on enough traffic; short of traffic
 * it keeps watching until `--timeout` (exit 3: the next run resumes).
 */
import { OperationError, StillWaitingError } from "../../core/errors";
import { formatElapsed, type Progress } from "../../core/output";
import { sleep } from "../../core/wait";
import { ConcurrentChangeError, type FunctionAlias } from "../../ports";
import type { ApplyContext, ApplyResult } from "../apply";
import { parseAliasRecord } from "../records";
import { describeBreach, describeVerdict, judgeCanary, type CanaryVerdict } from "./judge";
import { CanaryBreachError, METRICS_DELAY_MS, serviceNow, told, type CanaryRun } from "./run";
import { formatPercent, type CanaryBakeStep } from "./steps";

const silent: Progress = { update() {}, succeed() {}, fail() {} };

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

/** Bakes one step; returns the verdict that ended it, for people. Throws on a breach, a change or a timeout. */
export async function bake(
  step: CanaryBakeStep,
  context: ApplyContext,
  result: ApplyResult,
): Promise<string> {
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

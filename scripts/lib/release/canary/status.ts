/**
 * A canary in progress as `skillship status` shows it, read from where its state lives: the alias's weights and
 * the record in its description (which step, since when), the stack's canary settings (how long each step
 * bakes) and the signals so far, judged as the release would judge them. Status only reads: it never acts on a
 * verdict.
 */
import type { CanarySettings } from "../../../../contracts/canary";
import type { MetricsPort, VersionSignals } from "../../ports";
import type { AliasState } from "../snapshot";
import type { Colour } from "../../stack/outputs";
import { METRICS_DELAY_MS } from "./run";
import { judgeCanary, type CanaryVerdict } from "./judge";
import { splitOf } from "./plan";

/** A canary in progress. Times are ISO-8601. */
export interface CanaryStatus {
  colour: Colour;
  /** The version keeping the rest of the traffic, and the canary's version with its share in percent. */
  from: string;
  to: string;
  percent: number;
  /** False when the weights were not set by a Skillship canary (no canary record): nothing more is known. */
  recorded: boolean;
  startedAt?: string;
  stepStartedAt?: string;
  /** Which of the stack's steps the share is, when it is one of them. */
  step?: number;
  of?: number;
  bakeEndsAt?: string;
  /** Until all traffic moves, if every step stays healthy: this step's bake, CloudWatch's delay, the later steps. */
  timeLeftMs?: number;
  /** Both versions' signals since the canary began, and what a release would conclude from them. */
  signals?: { from: VersionSignals; to: VersionSignals };
  verdict?: CanaryVerdict;
}

/**
 * The canary on `alias`, if it splits its traffic. Signals are read when `metrics` is given; a failure to read
 * them is returned beside the rest, so the status still shows the weights.
 */
export async function readCanaryStatus(
  alias: AliasState,
  colour: Colour,
  context: { functionName: string; settings: CanarySettings; metrics?: MetricsPort; now: Date },
): Promise<{ canary?: CanaryStatus; unavailable?: string }> {
  const split = splitOf(alias);
  if (split === undefined) return {};
  const record = alias.record;
  const base = { colour, from: alias.functionVersion, to: split.to, percent: split.percent };
  if (record?.change !== "canary") {
    return { canary: { ...base, recorded: false } };
  }
  const startedAt = record.started ?? record.at;
  const canary: CanaryStatus = { ...base, recorded: true, startedAt, stepStartedAt: record.at };
  const { settings, now } = context;
  const index = settings.steps.findIndex((step) => Math.abs(step.percent - split.percent) < 1e-6);
  if (index !== -1) {
    const bakeEnds = Date.parse(record.at) + settings.steps[index].bakeMinutes * 60_000;
    const later = settings.steps
      .slice(index + 1)
      .reduce((sum, step) => sum + step.bakeMinutes * 60_000 + METRICS_DELAY_MS, 0);
    canary.step = index + 1;
    canary.of = settings.steps.length;
    canary.bakeEndsAt = new Date(bakeEnds).toISOString();
    canary.timeLeftMs = Math.max(0, bakeEnds + METRICS_DELAY_MS - now.getTime()) + later;
  }
  if (context.metrics === undefined) return { canary };
  try {
    const [from, to] = await context.metrics.versionSignals({
      functionName: context.functionName,
      alias: colour,
      versions: [canary.from, canary.to],
      start: new Date(startedAt),
      end: new Date(Math.max(now.getTime(), Date.parse(startedAt) + 1000)),
      latencyStatistic: "p99",
    });
    const { steps: _steps, ...judgement } = settings;
    canary.signals = { from, to };
    canary.verdict = judgeCanary(from, to, judgement);
    return { canary };
  } catch (error) {
    return { canary, unavailable: `the canary's signals: ${(error as Error).message}` };
  }
}

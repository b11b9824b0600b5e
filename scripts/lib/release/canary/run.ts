/**
 * What a run knows of the canary it drives, and what every canary step shares: the delay CloudWatch shows
 * metrics with, the breach error, the service's clock and the reporting of the run's state.
 */
import { OperationError } from "../../core/errors";
import { formatElapsed } from "../../core/output";
import type { VersionSignals } from "../../ports";
import type { ApplyContext } from "../apply";
import type { Colour } from "../../stack/outputs";
import { describeBreach, type CanaryVerdict, type SignalReading } from "./judge";
import { formatPercent } from "./steps";

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

/** Now on the service's clock (ISO-8601), as records are written. */
export function serviceNow(context: ApplyContext): string {
  return context.now?.() ?? new Date().toISOString();
}

/** Tells the caller the run's state. */
export function told(context: ApplyContext, run: CanaryRun): void {
  context.onCanary?.(run);
}

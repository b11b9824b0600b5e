/**
 * The steps of a canary, plain data like every other step: traffic shifted to the new version by the live
 * alias's weighted routing, a bake watched through the health signals, the move of all traffic, and the end of
 * a canary (after a breach or any failure, or asked for by `skillship rollback`). Every change of the alias is
 * guarded by its RevisionId: the plan's first change by the snapshot's, each later one by the revision the
 * change before it left. Times are stamped when a step is applied, in the service's clock.
 */
import type { CanarySettings } from "../../../../contracts/canary";
import type { AliasRecord } from "../records";
import type { Colour } from "../../stack/outputs";
import { describeVersionRef, type VersionRef } from "../version-ref";

/** What a bake judges by: the canary's settings but its steps. */
export type CanaryJudgement = Omit<CanarySettings, "steps">;

/** What every change of a canary records in the alias's description besides its kind and times. */
export type CanaryRecordFields = Pick<AliasRecord, "model" | "since" | "tag">;

/**
 * The alias as the snapshot read it, carried by the plan's first canary step: the guard of the run's first
 * change and, for a canary in progress, when it and its current step began (its record).
 */
export interface AliasAsRead {
  revisionId: string;
  startedAt?: string;
  stepStartedAt?: string;
}

/** What every canary step names: the live alias, the version keeping the rest of the traffic, the new one. */
interface CanaryStepBase {
  colour: Colour;
  /** The version the alias points at (its primary): it keeps the traffic the new version does not get. */
  from: string;
  to: VersionRef;
  /** Only on the plan's first step that touches the alias. */
  asRead?: AliasAsRead;
}

/** Send `percent` of the alias's traffic to the new version, the rest staying on `from`. */
export interface CanaryShiftStep extends CanaryStepBase {
  kind: "canary-shift";
  percent: number;
  /** Its place among the canary's steps (1-based) and how many there are before all traffic moves. */
  step: number;
  of: number;
  record: CanaryRecordFields;
}

/** Watch the new version against `from` for `bakeMinutes` after its step began; a breach fails the step. */
export interface CanaryBakeStep extends CanaryStepBase {
  kind: "canary-bake";
  percent: number;
  step: number;
  of: number;
  bakeMinutes: number;
  judgement: CanaryJudgement;
}

/** Move all traffic to the new version, recording `from` as the version it replaced (as any code release). */
export interface CanaryPromoteStep extends CanaryStepBase {
  kind: "canary-promote";
  record: CanaryRecordFields;
}

/**
 * End the canary: all traffic back on `from` (weights cleared in the same call), recorded as a rollback from the
 * new version. Nothing is changed when the alias gives the new version no traffic.
 */
export interface CanaryEndStep extends CanaryStepBase {
  kind: "canary-end";
  /** `tag`: the release of `from`, which serves again. */
  record: CanaryRecordFields;
}

/** A step of a canary. */
export type CanaryStep = CanaryShiftStep | CanaryBakeStep | CanaryPromoteStep | CanaryEndStep;

/** A share of the traffic for people: `10%`, `12.5%`. */
export function formatPercent(percent: number): string {
  return `${Number(percent.toFixed(2))}%`;
}

/** Whole minutes for people: `10m`, `1h 30m`. */
export function formatMinutes(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours === 0 ? `${rest}m` : rest === 0 ? `${hours}h` : `${hours}h ${rest}m`;
}

function guard(step: CanaryStepBase): string {
  return step.asRead === undefined
    ? "guarded by the revision the step before left"
    : `guarded by revision ${step.asRead.revisionId}`;
}

/** One line per canary step, for `--dry-run` and the progress print. */
export function describeCanaryStep(step: CanaryStep, functionName: string): string {
  const alias = `${functionName}:${step.colour}`;
  const to = describeVersionRef(step.to);
  switch (step.kind) {
    case "canary-shift":
      return (
        `Canary step ${step.step} of ${step.of}: send ${formatPercent(step.percent)} of the live alias ${alias}'s ` +
        `traffic to ${to}, version ${step.from} keeping ${formatPercent(100 - step.percent)} (${guard(step)})`
      );
    case "canary-bake": {
      const j = step.judgement;
      const resumed = step.asRead?.stepStartedAt;
      return (
        `${resumed === undefined ? "Bake" : `Keep baking (step began ${resumed})`} ${formatMinutes(step.bakeMinutes)} ` +
        `at ${formatPercent(step.percent)}: every ${j.pollSeconds}s compare ${to} with version ${step.from} ` +
        `(each error rate at most ${j.maxErrorRate}% and at most ${j.maxErrorRateIncrease} points over version ` +
        `${step.from}'s; p99 latency at most ${j.maxLatencyMs} ms; healthy from ${j.minRequests} requests); ` +
        `on a breach all traffic goes back to version ${step.from} at once`
      );
    }
    case "canary-promote":
      return (
        `Move all traffic of the live alias ${alias} to ${to}, recording version ${step.from} for rollback ` +
        `(${guard(step)})`
      );
    case "canary-end":
      return `End the canary: all traffic of ${alias} back on version ${step.from}, none to ${to} (${guard(step)})`;
  }
}

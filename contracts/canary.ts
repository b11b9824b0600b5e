/**
 * The canary's settings: the contract between the stack configuration, which validates its `canary*` keys into
 * them (`infra/config.ts`) and exports them as the prod stack's `canary` output (`infra/stack.ts`), and the CLI,
 * which reads that output (`scripts/lib/stack/outputs.ts`, joined by `test/infra/contracts.test.ts`) and runs a
 * canary with them. The step syntax (`10%:10m,50%:30m`) is parsed here once, for the config key `canarySteps`
 * and the flag `--canary-steps` alike. It imports nothing.
 */

/** One step of a canary: the share of the live alias's traffic the new version gets, for how long. */
export interface CanaryStep {
  /** Percent of the traffic, more than 0 and less than 100 (Lambda weighs one extra version below 1). */
  percent: number;
  /** How long the step bakes before the next one, in whole minutes (CloudWatch counts by the minute). */
  bakeMinutes: number;
}

/** How a code-only release reaches users, and what stops it. Rates in percent of the version's requests. */
export interface CanarySettings {
  /** The steps before all traffic moves; empty: all at once. */
  steps: CanaryStep[];
  /** Requests the new version must have served before its rates and latency are judged healthy. */
  minRequests: number;
  /** Ceiling of each error rate of the new version, in percent, whatever the old version does. */
  maxErrorRate: number;
  /** How far each error rate of the new version may exceed the old version's, in percentage points. */
  maxErrorRateIncrease: number;
  /** Ceiling of the new version's p99 latency (the skill's handler latency and Lambda's duration), in ms. */
  maxLatencyMs: number;
  /** Seconds between two reads of the signals: a breach is acted on within one. */
  pollSeconds: number;
}

/** What a stack without `canary*` keys gets, and what the CLI uses when the outputs have no `canary`. */
export const DEFAULT_CANARY: Readonly<CanarySettings> = Object.freeze({
  steps: [{ percent: 10, bakeMinutes: 10 }],
  minRequests: 100,
  maxErrorRate: 5,
  maxErrorRateIncrease: 2,
  maxLatencyMs: 3000,
  pollSeconds: 30,
});

/** The bounds the settings are validated against (config keys and flags). */
export const CANARY_LIMITS: {
  readonly maxSteps: number;
  readonly maxBakeMinutes: number;
  readonly maxMinRequests: number;
  readonly maxLatencyMs: number;
  readonly pollSeconds: { readonly min: number; readonly max: number };
} = {
  maxSteps: 10,
  maxBakeMinutes: 24 * 60,
  maxMinRequests: 1_000_000,
  maxLatencyMs: 900_000,
  pollSeconds: { min: 10, max: 600 },
} as const;

/** The word that means "no canary": `canarySteps: none`, `--canary-steps none`. */
export const NO_CANARY = "none";

const stepPattern = /^(\d+(?:\.\d+)?)%:(\d+)(m|h)$/;

/**
 * Parses `10%:10m,50%:30m` (or `none`): each step a percent of the traffic and a bake in whole minutes (`m`) or
 * hours (`h`), the percent growing from step to step; after the last step all traffic moves. Returns every
 * problem found, each naming the step, rather than stopping at the first.
 */
export function parseCanarySteps(text: string): { steps: CanaryStep[]; problems: string[] } {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === NO_CANARY) return { steps: [], problems: [] };
  const parts = trimmed === "" ? [] : trimmed.split(",").map((part) => part.trim());
  if (parts.length === 0) {
    return { steps: [], problems: [`expected steps such as "10%:10m,50%:30m", or "${NO_CANARY}"`] };
  }
  const problems: string[] = [];
  if (parts.length > CANARY_LIMITS.maxSteps) {
    problems.push(`at most ${CANARY_LIMITS.maxSteps} steps (got ${parts.length})`);
  }
  const steps: CanaryStep[] = [];
  parts.forEach((part, index) => {
    const name = `step ${index + 1} "${part}"`;
    const match = stepPattern.exec(part);
    if (match === null) {
      problems.push(`${name}: expected PERCENT%:MINUTESm or PERCENT%:HOURSh, e.g. 10%:10m`);
      return;
    }
    const percent = Number(match[1]);
    const bakeMinutes = Number(match[2]) * (match[3] === "h" ? 60 : 1);
    if (!(percent > 0 && percent < 100)) {
      problems.push(
        `${name}: the share must be more than 0% and less than 100% (100% is the step after the last)`,
      );
    }
    if (bakeMinutes < 1 || bakeMinutes > CANARY_LIMITS.maxBakeMinutes) {
      problems.push(`${name}: the bake must be from 1m to ${CANARY_LIMITS.maxBakeMinutes / 60}h`);
    }
    const before = steps.at(-1);
    if (before !== undefined && percent <= before.percent) {
      problems.push(`${name}: the share must grow from one step to the next (after ${before.percent}%)`);
    }
    steps.push({ percent, bakeMinutes });
  });
  return { steps, problems };
}

/** The steps as `parseCanarySteps` reads them, or `none`. */
export function formatCanarySteps(steps: readonly CanaryStep[]): string {
  return steps.length === 0 ? NO_CANARY : steps.map((s) => `${s.percent}%:${s.bakeMinutes}m`).join(",");
}

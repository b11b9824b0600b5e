/**
 * The canary's planners (pure). A code-only release shifts the live alias's traffic step by step and bakes each
 * step; a canary in progress (weights on the live alias, a `canary` record in its description) is resumed from
 * its current weight and the time its step began, finished at once with `--all-at-once`, or ended by a
 * rollback. Anything else on a weighted live alias is refused rather than guessed at.
 */
import type { CanaryStep as CanaryStepSetting } from "../../../../contracts/canary";
import { OperationError } from "../../core/errors";
import { formatElapsed } from "../../core/output";
import type { ReleaseIntent } from "../plan-release";
import { candidacyOf, type AliasState, type Colour, type ReleaseSnapshot } from "../snapshot";
import type { Plan, Step } from "../steps";
import type { VersionRef } from "../version-ref";
import {
  formatMinutes,
  formatPercent,
  type AliasAsRead,
  type CanaryEndStep,
  type CanaryJudgement,
  type CanaryRecordFields,
} from "./steps";

/** How a code-only release reaches users: the canary's steps (none: all at once) and what judges them. */
export interface Rollout {
  steps: readonly CanaryStepSetting[];
  judgement: CanaryJudgement;
}

/** The weighted routing of an alias: the other version and its share, in percent. */
export interface AliasSplit {
  to: string;
  percent: number;
}

/** The version an alias sends a share of its traffic to, if any. */
export function splitOf(alias: AliasState): AliasSplit | undefined {
  const [entry] = Object.entries(alias.additionalVersionWeights ?? {});
  return entry === undefined ? undefined : { to: entry[0], percent: Number((entry[1] * 100).toFixed(4)) };
}

/** The live alias as the release planner found it. */
export interface LiveAlias {
  colour: Colour;
  alias: AliasState;
}

/** The publish step (if any) and the version it gives. */
export interface NewVersion {
  steps: Step[];
  ref: VersionRef;
}

function recordFields(alias: AliasState, model: string, tag: string | undefined): CanaryRecordFields {
  const since = candidacyOf(alias);
  return { model, ...(since === undefined ? {} : { since }), ...(tag === undefined ? {} : { tag }) };
}

function endStep(live: LiveAlias, to: VersionRef, model: string, asRead?: AliasAsRead): CanaryEndStep {
  const { colour, alias } = live;
  return {
    kind: "canary-end",
    colour,
    from: alias.functionVersion,
    to,
    ...(asRead === undefined ? {} : { asRead }),
    record: recordFields(alias, model, alias.target?.record?.tag),
  };
}

/** The bake and shift steps from the `index`-th setting on, then the move of all traffic. */
function stepsFrom(
  live: LiveAlias,
  ref: VersionRef,
  intent: ReleaseIntent,
  index: number,
  first: { asRead: AliasAsRead; baking: boolean },
): Step[] {
  const { colour, alias } = live;
  const { steps: settings, judgement } = intent.rollout;
  const from = alias.functionVersion;
  const record = recordFields(alias, intent.modelHash, intent.tag);
  const of = settings.length;
  const steps: Step[] = [];
  let asRead: AliasAsRead | undefined = first.asRead;
  const once = () => {
    const taken = asRead;
    asRead = undefined;
    return taken === undefined ? {} : { asRead: taken };
  };
  settings.slice(index).forEach((setting, offset) => {
    const place = { colour, from, to: ref, percent: setting.percent, step: index + offset + 1, of };
    if (!(offset === 0 && first.baking)) {
      steps.push({ kind: "canary-shift", ...place, record, ...once() });
    }
    steps.push({ kind: "canary-bake", ...place, bakeMinutes: setting.bakeMinutes, judgement, ...once() });
  });
  steps.push({ kind: "canary-promote", colour, from, to: ref, record, ...once() });
  return steps;
}

function describeSteps(settings: readonly CanaryStepSetting[]): string {
  return settings
    .map((s) => `${formatPercent(s.percent)} for ${formatMinutes(s.bakeMinutes)}`)
    .join(", then ");
}

/** A code-only release with a canary: publish (if needed), each step shifted and baked, then all traffic. */
export function planCanary(live: LiveAlias, version: NewVersion, intent: ReleaseIntent): Plan {
  const { colour, alias } = live;
  const from = alias.functionVersion;
  const j = intent.rollout.judgement;
  return {
    operation: "release",
    path: "canary",
    summary:
      `Code-only release with a canary: the live stage already has this skill package, so no certification. The ` +
      `live ${colour} alias sends the new code ${describeSteps(intent.rollout.steps)}, then all traffic, while ` +
      `its health is compared with version ${from}'s every ${j.pollSeconds}s; on a breach all traffic goes back ` +
      `to version ${from} at once. Version ${from} is recorded for rollback.`,
    steps: [
      ...version.steps,
      ...stepsFrom(live, version.ref, intent, 0, { asRead: { revisionId: alias.revisionId }, baking: false }),
    ],
    restore: { fromStep: version.steps.length, steps: [endStep(live, version.ref, intent.modelHash)] },
  };
}

/**
 * Refuses a split of the live alias that no canary of Skillship's set (its description records none), naming
 * both ways out; nothing is changed.
 */
export function refuseForeignSplit(snapshot: ReleaseSnapshot, live: LiveAlias, split: AliasSplit): never {
  const { colour, alias } = live;
  const from = alias.functionVersion;
  throw new OperationError(
    `The live ${colour} alias sends ${formatPercent(split.percent)} of its traffic to version ${split.to}, but ` +
      `its description records no canary (another writer set the weights): Skillship will not guess whose ` +
      `split it is. Put all traffic on version ${from} with \`skillship rollback --to ${from} --force\`, or on ` +
      `version ${split.to} with \`skillship rollback --to ${split.to} --force\` (forced: the description no ` +
      `longer says which model the alias serves), then release again. Nothing was changed.`,
    { resource: `alias ${snapshot.functionName}:${colour}` },
  );
}

/**
 * A release while the live alias splits its traffic: resumes the canary of this same code from its current
 * weight (or finishes it at once when the rollout has no steps), and refuses anything else, changing nothing.
 */
export function planCanaryInProgress(
  snapshot: ReleaseSnapshot,
  intent: ReleaseIntent,
  live: LiveAlias,
  split: AliasSplit,
): Plan {
  const { colour, alias } = live;
  const record = alias.record;
  const share = `${formatPercent(split.percent)} of its traffic`;
  const from = alias.functionVersion;
  if (record?.change !== "canary") return refuseForeignSplit(snapshot, live, split);
  const target = snapshot.versions.find((version) => version.version === split.to);
  if (target?.codeSha256 !== intent.bundleSha256 || target.record?.model !== intent.modelHash) {
    throw new OperationError(
      `A canary of version ${split.to}${target?.record === undefined ? "" : ` (${target.record.tag})`} is in ` +
        `progress on the live ${colour} alias (${share} since ${record.started ?? record.at}), and this release's ` +
        `code is not version ${split.to}'s: finish that canary first (\`skillship release\` with its build ` +
        `resumes it) or end it with \`skillship rollback\`, then release again. Nothing was changed.`,
      { resource: `alias ${snapshot.functionName}:${colour}` },
    );
  }
  const ref: VersionRef = { kind: "existing", version: split.to };
  const asRead = {
    revisionId: alias.revisionId,
    startedAt: record.started ?? record.at,
    stepStartedAt: record.at,
  };
  const restore = { fromStep: 0, steps: [endStep(live, ref, intent.modelHash)] };
  const settings = intent.rollout.steps;
  if (settings.length === 0) {
    return {
      operation: "release",
      path: "canary-finish",
      summary:
        `A canary of version ${split.to} is in progress on the live ${colour} alias (${share}): move all ` +
        `traffic to it now, without judging it further. Version ${from} is recorded for rollback.`,
      steps: [
        {
          kind: "canary-promote",
          colour,
          from,
          to: ref,
          asRead,
          record: recordFields(alias, intent.modelHash, intent.tag),
        },
      ],
    };
  }
  // The step the weight belongs to; a weight between two steps goes up to the next one, above all steps the
  // last step's bake judges it.
  const found = settings.findIndex((setting) => setting.percent >= split.percent - 1e-6);
  const index = found === -1 ? settings.length - 1 : found;
  const baking = found === -1 || Math.abs(settings[index].percent - split.percent) < 1e-6;
  const steps = stepsFrom(live, ref, intent, index, { asRead, baking });
  if (baking && found === -1) {
    const bake = steps[0];
    if (bake.kind === "canary-bake") bake.percent = split.percent;
  }
  const left = Date.parse(record.at) + settings[index].bakeMinutes * 60_000 - Date.parse(intent.now);
  return {
    operation: "release",
    path: "canary-resume",
    summary:
      `A canary of version ${split.to} is in progress on the live ${colour} alias (${share}, its step began ` +
      `${record.at}): ${baking ? `keep baking (${left > 0 ? `${formatElapsed(left)} left` : "its time is up"})` : `go on to ${formatPercent(settings[index].percent)}`}` +
      `, then ${index + 1 < settings.length ? "the next steps and " : ""}all traffic, judged against version ` +
      `${from}; on a breach all traffic goes back to version ${from} at once.`,
    steps,
    restore,
  };
}

/** `skillship rollback` during a canary: all traffic back on the old version, in one call. */
export function planEndCanary(live: LiveAlias, split: AliasSplit): Plan {
  const { colour, alias } = live;
  return {
    operation: "rollback",
    path: "canary",
    summary:
      `A canary of version ${split.to} is in progress on the live ${colour} alias ` +
      `(${formatPercent(split.percent)} of its traffic): end it, all traffic back on version ` +
      `${alias.functionVersion} (one call).`,
    steps: [
      endStep(live, { kind: "existing", version: split.to }, alias.record?.model ?? "", {
        revisionId: alias.revisionId,
      }),
    ],
  };
}

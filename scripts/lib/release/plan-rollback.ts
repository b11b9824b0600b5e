/**
 * The rollback planner (pure). After a code-only release the live alias goes back to the version it replaced
 * (one call); during a code-only release's canary, all its traffic goes back to the old version (one call);
 * after a certified go-live the skill goes back to its previous live version, whose colour still
 * serves the old code. Code built for another interaction model than the one it would serve is refused unless
 * forced.
 */
import { OperationError, UsageError } from "../core/errors";
import type { SkillVersionStatus } from "../ports";
import { planEndCanary, splitOf } from "./canary/plan";
import { formatAliasRecord, notBefore } from "./records";
import {
  candidacyOf,
  holdsUnreleasedCandidate,
  otherColour,
  recordedPackageName,
  type AliasState,
  type Colour,
  type ReleaseSnapshot,
} from "./snapshot";
import type { Plan } from "./steps";

/** Options of {@link planRollback}. */
export interface RollbackIntent {
  /** `--to`: the Lambda version the live alias goes back to. */
  to?: string;
  /** `--force`: allow code built for another interaction model (a smart-home skill's: another package). */
  force: boolean;
  /** The current time (ISO-8601), recorded in the alias description. */
  now: string;
}

/** Plans `skillship rollback`. Throws an {@link OperationError} when the rollback must not go ahead. */
export function planRollback(snapshot: ReleaseSnapshot, intent: RollbackIntent): Plan {
  const liveColour = snapshot.live.colour;
  if (liveColour === undefined) {
    throw new OperationError(
      snapshot.live.exists
        ? `The live stage's endpoint (${snapshot.live.endpoint ?? "none"}) names neither the blue nor the green alias: nothing Skillship released is live, so there is nothing to roll back.`
        : `The skill has no live stage: nothing to roll back.`,
    );
  }
  const liveAlias = snapshot.aliases[liveColour];
  if (intent.to !== undefined) {
    return planAliasRollback(snapshot, liveColour, liveAlias, intent.to, intent, true);
  }
  const record = liveAlias.record;
  switch (record?.change) {
    case undefined:
      throw new OperationError(
        `The live ${liveColour} alias has no release record in its description (the only record of the version ` +
          `it replaced; another writer may have replaced it), so the version to go back to is unknown: say which ` +
          `with \`skillship rollback --to VERSION\` (published versions: ${publishedVersions(snapshot)}).`,
        { resource: `alias ${snapshot.functionName}:${liveColour}` },
      );
    case "code":
      if (record.replaced === "") {
        throw new OperationError(
          `The live ${liveColour} alias records no replaced version: use --to VERSION.`,
        );
      }
      // The replaced version served this same live stage: a code-only release never changes the model.
      return planAliasRollback(snapshot, liveColour, liveAlias, record.replaced, intent, false);
    case "canary": {
      const split = splitOf(liveAlias);
      if (split !== undefined) return planEndCanary({ colour: liveColour, alias: liveAlias }, split);
      return {
        operation: "rollback",
        path: "noop",
        summary:
          `Nothing to do: the live ${liveColour} alias records a canary but sends no traffic elsewhere: version ` +
          `${liveAlias.functionVersion} serves all of it; use --to VERSION to go elsewhere.`,
        steps: [],
      };
    }
    case "rollback":
      return {
        operation: "rollback",
        path: "noop",
        summary:
          `Nothing to do: the live ${liveColour} alias was already rolled back to version ` +
          `${liveAlias.functionVersion} (from version ${record.replaced}, at ${record.at}); use --to VERSION to go elsewhere.`,
        steps: [],
      };
    case "restore":
      return {
        operation: "rollback",
        path: "noop",
        summary: `Nothing to do: the skill was already rolled back to its previous live version, on the ${liveColour} alias (at ${record.at}).`,
        steps: [],
      };
    case "candidate":
      return planSkillRollback(snapshot, liveColour, intent);
  }
}

function planAliasRollback(
  snapshot: ReleaseSnapshot,
  colour: Colour,
  alias: AliasState,
  to: string,
  intent: RollbackIntent,
  checkModel: boolean,
): Plan {
  const target = snapshot.versions.find((version) => version.version === to);
  if (target === undefined) {
    throw new UsageError(
      `${snapshot.functionName} has no version ${to} (published: ${snapshot.versions.map((v) => v.version).join(", ") || "none"})`,
    );
  }
  // A split alias is moved even onto its own version: the move clears the weights.
  if (alias.functionVersion === to && splitOf(alias) === undefined) {
    return {
      operation: "rollback",
      path: "noop",
      summary: `Nothing to do: the live ${colour} alias already serves version ${to}.`,
      steps: [],
    };
  }
  // The live alias's record names the model its release went out with, hashed as the repository's package is.
  const liveModel = alias.record?.model || snapshot.live.modelHash || "";
  if (checkModel && target.record?.model !== liveModel && !intent.force) {
    const built = recordedPackageName(snapshot);
    const short = built === "interaction model" ? "model" : "package";
    throw new OperationError(
      target.record === undefined
        ? `Version ${to} has no release record, so the ${built} it was built for is unknown; ` +
            `the live stage has ${short} ${liveModel}. Refused: pass --force to roll back anyway.`
        : `Version ${to} (${target.record.tag}) was built for ${built} ${target.record.model}, but the ` +
            `live stage has ${short} ${liveModel}. Refused: pass --force to put it under this ${short} anyway.`,
    );
  }
  const since = candidacyOf(alias);
  return {
    operation: "rollback",
    path: "code",
    summary: `Move the live ${colour} alias back from version ${alias.functionVersion} to version ${to} (one call).`,
    steps: [
      {
        kind: "move-alias",
        colour,
        from: alias.functionVersion,
        to: { kind: "existing", version: to },
        revisionId: alias.revisionId,
        role: "live alias",
        description: formatAliasRecord({
          change: "rollback",
          replaced: alias.functionVersion,
          model: liveModel,
          at: intent.now,
          ...(since === undefined ? {} : { since }),
          ...(target.record === undefined ? {} : { tag: target.record.tag }),
        }),
      },
    ],
  };
}

function planSkillRollback(snapshot: ReleaseSnapshot, liveColour: Colour, intent: RollbackIntent): Plan {
  const previous = otherColour(liveColour);
  const previousAlias = snapshot.aliases[previous];
  if (holdsUnreleasedCandidate(snapshot, previous) && !intent.force) {
    throw new OperationError(
      `The ${previous} alias, which served the previous live version, now serves version ` +
        `${previousAlias.functionVersion} (${previousAlias.record?.tag ?? "a newer candidate"}), built for another ` +
        `${recordedPackageName(snapshot)} than the previous live version's. Refused: withdraw or finish that certification and ` +
        `point ${previous} back at version ${previousAlias.record?.replaced ?? "?"} (rollback --to is for the live alias), ` +
        `or pass --force to roll back anyway.`,
    );
  }
  const target = previousLiveVersion(snapshot, liveColour, previous);
  const record = previousAlias.record;
  if (record === undefined && !intent.force) {
    throw new OperationError(
      `The ${previous} alias's description holds no release record, and it is the only record that ${previous} ` +
        `still serves the code of the skill's previous live version (${target}): another writer (the console, ` +
        `\`aws lambda update-alias\`, a stack update) has replaced it, so rolling the skill back could put it on ` +
        `code it was not certified with. Check with \`skillship status\`. To move the live ${liveColour} alias back ` +
        `to an earlier Lambda version instead, run \`skillship rollback --to VERSION\` (published versions: ` +
        `${publishedVersions(snapshot)}); or pass --force to roll the skill back to version ${target} on the ` +
        `${previous} alias (version ${previousAlias.functionVersion}) anyway.`,
      { resource: `alias ${snapshot.functionName}:${previous}` },
    );
  }
  const restoring = record?.change === "restore" ? record : undefined;
  const since = candidacyOf(previousAlias);
  const steps: Plan["steps"] = [];
  if (restoring === undefined) {
    steps.push({
      kind: "move-alias",
      colour: previous,
      from: previousAlias.functionVersion,
      to: { kind: "existing", version: previousAlias.functionVersion },
      revisionId: previousAlias.revisionId,
      role: "previous live colour's alias (recording the rollback)",
      description: formatAliasRecord({
        change: "restore",
        replaced: previousAlias.functionVersion,
        model: record?.model ?? "",
        at: intent.now,
        ...(since === undefined ? {} : { since }),
        ...(record?.tag === undefined ? {} : { tag: record.tag }),
      }),
    });
  }
  steps.push({
    kind: "rollback-skill",
    targetVersion: target,
    colour: previous,
    ...(restoring?.request === undefined ? {} : { requestId: restoring.request }),
  });
  return {
    operation: "rollback",
    path: "skill",
    summary:
      `The live ${liveColour} alias went live through certification: roll the skill back to its previous live ` +
      `version ${target}, whose endpoint is the ${previous} alias (still serving version ${previousAlias.functionVersion}).`,
    steps,
  };
}

/** The function's published versions, for people choosing one for `--to`. */
function publishedVersions(snapshot: ReleaseSnapshot): string {
  return snapshot.versions.map((version) => version.version).join(", ") || "none";
}

/** Submission statuses of skill versions that never went live, so a skill rollback cannot go back to them. */
const NEVER_LIVE: ReadonlySet<SkillVersionStatus> = new Set<SkillVersionStatus>([
  "FAILED_CERTIFICATION",
  "WITHDRAWN_FROM_CERTIFICATION",
  "IN_REVIEW",
]);

/**
 * The skill version that was live before the current one: versions whose submission failed, was withdrawn or
 * is still in review are skipped (when the listing reports a status); of the rest, the newest submitted while
 * the previous colour was the candidate (from its candidacy until the live colour's).
 */
function previousLiveVersion(snapshot: ReleaseSnapshot, liveColour: Colour, previous: Colour): string {
  const versions = snapshot.skillVersions ?? [];
  const liveSince = candidacyOf(snapshot.aliases[liveColour]);
  const previousSince = holdsUnreleasedCandidate(snapshot, previous)
    ? undefined
    : candidacyOf(snapshot.aliases[previous]);
  const inWindow = versions.filter((version) => {
    const created = version.creationTime ?? "";
    if (Number.isNaN(Date.parse(created))) return false;
    // The version the service says is live is the one being left, whatever the clocks say.
    if (version.status === "LIVE") return false;
    if (liveSince !== undefined && Date.parse(created) >= Date.parse(liveSince)) return false;
    // The previous colour's own submission came moments after its record was written (same command).
    if (previousSince !== undefined && !notBefore(created, previousSince)) return false;
    return true;
  });
  const skipped = inWindow.filter(
    (version) => version.status !== undefined && NEVER_LIVE.has(version.status),
  );
  const candidates = inWindow.filter((version) => !skipped.includes(version));
  candidates.sort((a, b) => Date.parse(b.creationTime ?? "") - Date.parse(a.creationTime ?? ""));
  const target = candidates[0];
  if (target === undefined && snapshot.aliases[previous].record === undefined) {
    throw new OperationError(
      `The skill has no earlier live version to go back to: the ${liveColour} alias holds its first release ` +
        `(the ${previous} alias was never released). Fix forward, or withdraw the skill in the developer console.`,
    );
  }
  if (target === undefined) {
    const never = skipped.map((version) => `${version.version} (${version.status ?? ""})`).join(", ");
    throw new OperationError(
      `Cannot tell which skill version was live before the current one on the ${liveColour} alias: no skill ` +
        `version ${never === "" ? "was submitted" : `that went live was submitted (only ${never})`} while the ` +
        `${previous} alias was the candidate. Roll back in the developer console.`,
    );
  }
  return target.version;
}

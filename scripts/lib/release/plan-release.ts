/**
 * The release planner (pure): from the snapshot and what is being released, the steps of DESIGN.md's release.
 * It decides between nothing to do, a code-only release (a canary on the live alias, `canary/plan.ts`, or all at
 * once) and a certification candidate (idle colour, development stage, build, validate, submit), and it picks up
 * where an interrupted run stopped.
 */
import { OperationError } from "../core/errors";
import type { PublicationMethod } from "../ports";
import { planCanary, planCanaryInProgress, refuseForeignSplit, splitOf, type Rollout } from "./canary/plan";
import { formatPercent } from "./canary/steps";
import { formatAliasRecord, formatVersionMessage, formatVersionRecord, notBefore } from "./records";
import {
  candidacyOf,
  holdsUnreleasedCandidate,
  otherColour,
  type Colour,
  type ReleaseSnapshot,
  type VersionState,
} from "./snapshot";
import type { Plan, Step, VersionRef } from "./steps";

/** What is being released. */
export interface ReleaseIntent {
  /** `codeSha256` of `dist/skill/build.json`: the local bundle's sha256, base64. */
  bundleSha256: string;
  /** The short interaction-model hash of the repository's skill package. */
  modelHash: string;
  tag: string;
  commit: string;
  /** `--version-message`. */
  message: string;
  publicationMethod: PublicationMethod;
  /** The current time (ISO-8601), recorded in alias descriptions. */
  now: string;
  /** How a code-only change reaches users: the canary's steps and thresholds; no steps: all at once. */
  rollout: Rollout;
  /** The locales the package publishes: Alexa's validations run for them before a submission. */
  locales: string[];
  /**
   * False for a package without interaction models (a smart-home skill's): its upload builds nothing, and the
   * release waits for the import alone. Default true.
   */
  interactionModels?: boolean;
}

/** Plans `skillship release`. Throws an {@link OperationError} when the release must not go ahead. */
export function planRelease(snapshot: ReleaseSnapshot, intent: ReleaseIntent): Plan {
  const liveColour = snapshot.live.colour;
  const liveAlias = liveColour === undefined ? undefined : snapshot.aliases[liveColour];
  const split = liveAlias === undefined ? undefined : splitOf(liveAlias);

  if (
    split === undefined &&
    liveAlias?.target?.codeSha256 === intent.bundleSha256 &&
    snapshot.live.hasPackage
  ) {
    return {
      operation: "release",
      path: "noop",
      summary:
        `Nothing to do: the live ${liveColour} alias already serves this code (version ${liveAlias.functionVersion}) ` +
        `and the live stage already has this skill package.`,
      steps: [],
    };
  }

  if (liveColour !== undefined && liveAlias !== undefined && snapshot.live.hasPackage) {
    const live = { colour: liveColour, alias: liveAlias };
    if (split !== undefined) {
      return planCanaryInProgress(snapshot, intent, live, split);
    }
    const { steps, ref } = versionSteps(snapshot, intent);
    if (intent.rollout.steps.length > 0) {
      return planCanary(live, { steps, ref }, intent);
    }
    const since = candidacyOf(liveAlias);
    steps.push({
      kind: "move-alias",
      colour: liveColour,
      from: liveAlias.functionVersion,
      to: ref,
      revisionId: liveAlias.revisionId,
      role: "live alias",
      description: formatAliasRecord({
        change: "code",
        replaced: liveAlias.functionVersion,
        model: intent.modelHash,
        at: intent.now,
        ...(since === undefined ? {} : { since }),
        tag: intent.tag,
      }),
    });
    return {
      operation: "release",
      path: "code-only",
      summary:
        `Code-only release: the live stage already has this skill package, so the live ${liveColour} alias moves ` +
        `to the new code at once (no certification); it records version ${liveAlias.functionVersion} for rollback.`,
      steps,
    };
  }

  if (liveColour !== undefined && liveAlias !== undefined && split !== undefined) {
    if (liveAlias.record?.change !== "canary") {
      refuseForeignSplit(snapshot, { colour: liveColour, alias: liveAlias }, split);
    }
    throw new OperationError(
      `A canary is in progress on the live ${liveColour} alias (${formatPercent(split.percent)} of its traffic to ` +
        `version ${split.to}) and this release changes the skill package, which goes to certification: finish ` +
        `the canary (\`skillship release\` with its build) or end it (\`skillship rollback\`) first. Nothing was changed.`,
      { resource: `alias ${snapshot.functionName}:${liveColour}` },
    );
  }
  return planCandidate(snapshot, intent, liveColour);
}

function planCandidate(
  snapshot: ReleaseSnapshot,
  intent: ReleaseIntent,
  liveColour: Colour | undefined,
): Plan {
  const idle = idleColour(snapshot, liveColour);
  const idleAlias = snapshot.aliases[idle];
  const candidateReady =
    idleAlias.target?.codeSha256 === intent.bundleSha256 &&
    idleAlias.record?.change === "candidate" &&
    idleAlias.record.model === intent.modelHash;
  const certification = snapshot.certification;
  const why =
    liveColour === undefined
      ? "the skill has no live stage yet"
      : "the skill package differs from the live stage";

  if (certification?.status === "IN_PROGRESS") {
    if (candidateReady && snapshot.development.hasPackage && snapshot.development.colour === idle) {
      return {
        operation: "release",
        path: "submitted",
        summary:
          `Nothing to do: this release is already in certification (${certification.id}) on the ${idle} alias; ` +
          `follow it with \`skillship release watch\`.`,
        steps: [],
      };
    }
    throw new OperationError(
      `Certification ${certification.id} is in progress for another candidate ` +
        `(the ${idle} alias serves version ${idleAlias.functionVersion}): wait for it with \`skillship release watch\` ` +
        `or withdraw it with \`skillship withdraw --reason …\`, then release again. Nothing was changed.`,
    );
  }

  const since = candidateReady ? idleAlias.record?.at : undefined;
  if (
    certification?.status === "SUCCEEDED" &&
    candidateReady &&
    snapshot.development.hasPackage &&
    // Until it is published, the development stage still names the certified candidate.
    snapshot.development.colour === idle &&
    submittedSince(certification.submittedAt, since)
  ) {
    return {
      operation: "release",
      path: "certified",
      summary:
        `Nothing to do: this release passed certification (${certification.id}) on the ${idle} alias; ` +
        `put it live with \`skillship publish\`.`,
      steps: [],
    };
  }

  const steps: Step[] = [];
  let candidateSince = intent.now;
  if (candidateReady && idleAlias.record !== undefined) {
    candidateSince = idleAlias.record.at;
  } else {
    const { steps: published, ref } = versionSteps(snapshot, intent);
    const reattempt = holdsUnreleasedCandidate(snapshot, idle);
    steps.push(...published, {
      kind: "move-alias",
      colour: idle,
      from: idleAlias.functionVersion,
      to: ref,
      revisionId: idleAlias.revisionId,
      role: "idle colour's alias",
      description: formatAliasRecord({
        change: "candidate",
        // Over a candidate that never went live, keep the version this colour last served live.
        replaced: reattempt ? (idleAlias.record?.replaced ?? "") : idleAlias.functionVersion,
        model: intent.modelHash,
        at: intent.now,
        since: reattempt ? (candidacyOf(idleAlias) ?? intent.now) : intent.now,
        tag: intent.tag,
      }),
    });
  }
  // The package goes up with the dev stack's endpoint, so beta testers stay on the dev code while the models
  // build (or, without models, the import runs); only then does the candidate's endpoint follow, right before the
  // submission.
  const packageReady = snapshot.development.hasPackage && snapshot.developmentBuilt;
  if (!packageReady) {
    steps.push({
      kind: "deploy-model",
      endpoint: snapshot.developmentEndpoint,
      label: "the dev stack's endpoint",
      ...(intent.interactionModels === false ? { withoutModels: true as const } : {}),
    });
  }
  const candidateEndpoint = snapshot.aliasEndpoints[idle];
  const exposedFrom = steps.length;
  if (!packageReady || snapshot.development.colour !== idle) {
    steps.push({
      kind: "set-development-endpoint",
      endpoint: candidateEndpoint,
      label: `the ${idle} alias`,
      back: false,
    });
  }
  // Alexa validates the development stage as it will be submitted: once it names the candidate.
  steps.push({ kind: "validate", locales: [...intent.locales].sort() });
  const versionMessage = formatVersionMessage(intent.message);
  steps.push({
    kind: "submit",
    publicationMethod: intent.publicationMethod,
    ...(versionMessage === undefined ? {} : { versionMessage }),
    candidateSince,
  });
  return {
    operation: "release",
    path: "candidate",
    summary:
      `Certification release: ${why}, so the idle ${idle} alias gets the new code, the development stage gets the ` +
      `new skill package (${intent.interactionModels === false ? "imported, with no interaction model to build," : "built"} ` +
      `while it still serves the dev stack), then points at the ${idle} alias, passes ` +
      `Alexa's certification validations and is submitted for certification ` +
      `(${intent.publicationMethod === "AUTO_PUBLISHING" ? "published automatically once certified" : "published with `skillship publish` once certified"}).`,
    steps,
    // Should anything fail once beta testers are on the candidate, they go back to the dev stack.
    restore: {
      fromStep: exposedFrom,
      steps: [
        {
          kind: "set-development-endpoint",
          endpoint: snapshot.developmentEndpoint,
          label: "the dev stack's endpoint",
          back: true,
          onlyFrom: candidateEndpoint,
        },
      ],
    },
  };
}

/** The colour a candidate goes to: the one not live; without a live stage, the one the development stage names. */
function idleColour(snapshot: ReleaseSnapshot, liveColour: Colour | undefined): Colour {
  if (liveColour !== undefined) {
    return otherColour(liveColour);
  }
  return snapshot.development.colour ?? "blue";
}

/**
 * The version to release: one that already has this code and model (an interrupted run, or Lambda's own reuse),
 * else a new one published from `$LATEST`, which must hold the local bundle.
 */
function versionSteps(snapshot: ReleaseSnapshot, intent: ReleaseIntent): { steps: Step[]; ref: VersionRef } {
  const existing = findVersion(snapshot.versions, intent);
  if (existing !== undefined) {
    return { steps: [], ref: { kind: "existing", version: existing.version } };
  }
  if (snapshot.latest.codeSha256 !== intent.bundleSha256) {
    throw new OperationError(
      `${snapshot.functionName}:$LATEST holds code ${snapshot.latest.codeSha256}, but the local bundle ` +
        `(dist/skill/build.json) is ${intent.bundleSha256}: deploy the stack first (\`pulumi up\`, after ` +
        `\`npm run build\`) so that $LATEST holds this build, then release again. Nothing was changed.`,
    );
  }
  return {
    steps: [
      {
        kind: "publish-version",
        codeSha256: intent.bundleSha256,
        revisionId: snapshot.latest.revisionId,
        description: formatVersionRecord({
          tag: intent.tag,
          commit: intent.commit,
          bundle: intent.bundleSha256,
          model: intent.modelHash,
          message: intent.message,
        }),
      },
    ],
    ref: { kind: "published" },
  };
}

function findVersion(versions: readonly VersionState[], intent: ReleaseIntent): VersionState | undefined {
  const matching = versions.filter(
    (version) => version.codeSha256 === intent.bundleSha256 && version.record?.model === intent.modelHash,
  );
  return matching[matching.length - 1];
}

/** True when a submission made at `submittedAt` belongs to a candidate set up at `since`. */
export function submittedSince(submittedAt: string | undefined, since: string | undefined): boolean {
  if (since === undefined) {
    return false;
  }
  if (submittedAt === undefined) {
    return true;
  }
  return notBefore(submittedAt, since);
}

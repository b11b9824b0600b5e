/**
 * The planners of what follows a submission (pure): `publish` puts a certified skill live and then puts the
 * development stage back on the dev stack; `withdraw` ends a pending certification and does the same. Both pick
 * up where an interrupted run stopped, from the certification, the publication and the stages' endpoints.
 */
import { OperationError, UsageError } from "../core/errors";
import { withdrawalReasons } from "../ports";
import { colours, holdsUnreleasedCandidate, type Colour, type ReleaseSnapshot } from "./snapshot";
import type { Plan, Step } from "./steps";

/** Options of {@link planPublish}. */
export interface PublishIntent {
  /** `--at`: publish at this ISO-8601 instant instead of now. */
  publishesAt?: string;
}

/** The step that puts the development stage back on the dev stack, when it is not there. */
export function restoreDevelopmentSteps(snapshot: ReleaseSnapshot): Step[] {
  return snapshot.development.onDevelopmentEndpoint
    ? []
    : [
        {
          kind: "set-development-endpoint",
          endpoint: snapshot.developmentEndpoint,
          label: "the dev stack's endpoint",
          back: true,
        },
      ];
}

/** The colour holding a candidate that has not gone live yet (the newest, should both), if any. */
export function unreleasedCandidate(snapshot: ReleaseSnapshot): Colour | undefined {
  const candidates = colours.filter((colour) => holdsUnreleasedCandidate(snapshot, colour));
  candidates.sort(
    (a, b) =>
      Date.parse(snapshot.aliases[b].record?.at ?? "") - Date.parse(snapshot.aliases[a].record?.at ?? ""),
  );
  return candidates[0];
}

/** Plans `skillship publish`. Throws an {@link OperationError} when there is nothing certified to publish. */
export function planPublish(snapshot: ReleaseSnapshot, intent: PublishIntent = {}): Plan {
  if (intent.publishesAt !== undefined && Number.isNaN(Date.parse(intent.publishesAt))) {
    throw new UsageError(
      `--at "${intent.publishesAt}" is not an ISO-8601 date and time, e.g. 2026-05-01T08:00:00Z`,
    );
  }
  const certification = snapshot.certification;
  const candidate = unreleasedCandidate(snapshot);
  const publication = snapshot.publication;
  const underWay = publication?.status === "IN_PROGRESS" || publication?.status === "SCHEDULED";

  if (underWay) {
    return {
      operation: "publish",
      path: "publishing",
      summary: `A publication is already under way (${publication?.status}${publication?.publishesAtDate === undefined ? "" : ` for ${publication.publishesAtDate}`}): wait until it is live, then put the development stage back.`,
      steps: [
        {
          kind: "publish-skill",
          alreadyRequested: true,
          ...(candidate === undefined ? {} : { colour: candidate }),
        },
        ...restoreDevelopmentSteps(snapshot),
      ],
    };
  }
  if (certification?.status !== "SUCCEEDED") {
    const state =
      certification === undefined
        ? "nothing has been submitted"
        : certification.status === "IN_PROGRESS"
          ? `certification ${certification.id} is still in progress (follow it with \`skillship release watch\`)`
          : `the newest certification, ${certification.id}, ended ${certification.status}`;
    throw new OperationError(`Nothing certified to publish: ${state}.`);
  }
  if (candidate === undefined) {
    const restore = restoreDevelopmentSteps(snapshot);
    return {
      operation: "publish",
      path: restore.length === 0 ? "noop" : "restore",
      summary:
        restore.length === 0
          ? `Nothing to do: certification ${certification.id} is published and the development stage is on the dev stack.`
          : `Certification ${certification.id} is live on the ${snapshot.live.colour ?? "live"} alias; the development stage goes back to the dev stack.`,
      steps: restore,
    };
  }
  return {
    operation: "publish",
    path: "publish",
    summary:
      `Publish certification ${certification.id}${intent.publishesAt === undefined ? "" : ` at ${intent.publishesAt}`}: ` +
      `the live stage moves to the ${candidate} alias; once live, the development stage goes back to the dev stack.`,
    steps: [
      {
        kind: "publish-skill",
        alreadyRequested: false,
        colour: candidate,
        endpoint: snapshot.aliasEndpoints[candidate],
        ...(intent.publishesAt === undefined ? {} : { publishesAt: intent.publishesAt }),
      },
      ...restoreDevelopmentSteps(snapshot),
    ],
  };
}

/** Options of {@link planWithdraw}. */
export interface WithdrawIntent {
  reason: string;
  message?: string;
}

/** Plans `skillship withdraw`. Throws a {@link UsageError} for a reason the API does not know. */
export function planWithdraw(snapshot: ReleaseSnapshot, intent: WithdrawIntent): Plan {
  const reason = intent.reason
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, "_");
  if (!(withdrawalReasons as readonly string[]).includes(reason)) {
    throw new UsageError(`--reason "${intent.reason}" must be one of ${withdrawalReasons.join(", ")}`);
  }
  if (reason === "OTHER" && (intent.message === undefined || intent.message.trim() === "")) {
    throw new UsageError(`--reason OTHER needs --message saying why`);
  }
  const certification = snapshot.certification;
  const candidateOnDevelopment =
    snapshot.development.colour !== undefined && snapshot.development.colour !== snapshot.live.colour;

  if (certification?.status === "IN_PROGRESS") {
    return {
      operation: "withdraw",
      path: "withdraw",
      summary: `Withdraw certification ${certification.id}, then put the development stage back on the dev stack.`,
      steps: [
        {
          kind: "withdraw",
          certificationId: certification.id,
          reason,
          ...(intent.message === undefined ? {} : { message: intent.message }),
        },
        ...restoreDevelopmentSteps(snapshot),
      ],
    };
  }
  if (certification?.status === "CANCELLED" && candidateOnDevelopment) {
    return {
      operation: "withdraw",
      path: "restore",
      summary: `Certification ${certification.id} is already withdrawn; the development stage goes back to the dev stack.`,
      steps: restoreDevelopmentSteps(snapshot),
    };
  }
  return {
    operation: "withdraw",
    path: "noop",
    summary:
      certification === undefined
        ? "Nothing to do: no certification has been submitted."
        : `Nothing to do: no certification is pending (the newest, ${certification.id}, is ${certification.status}).`,
    steps: [],
  };
}

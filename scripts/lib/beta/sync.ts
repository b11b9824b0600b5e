/**
 * Keeps the skill's beta test in step with the project's tester list on every deploy to the development stage:
 * the beta test exists and runs, testers not yet in it are invited (at most 500 a call), testers who have not
 * accepted are reminded, and an expiry less than a week away is a warning. Testers in the beta test but not in
 * the list are left as they are (and counted): taking someone's access away is for people to do.
 */
import { OperationError } from "../core/errors";
import { BETA_TESTERS_PER_CALL, type BetaTest, type BetaTestPort } from "../ports";
import { maskEmail, type BetaTestersConfig } from "./testers";

/** An expiry closer than this is a warning. */
export const EXPIRY_WARNING_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What a sync did; every address masked. */
export interface BetaSyncResult {
  skillId: string;
  status: BetaTest["status"];
  /** True when this run created the beta test, or started it. */
  created: boolean;
  started: boolean;
  invited: string[];
  reminded: string[];
  /** Testers of the list who have accepted. */
  accepted: number;
  /** Testers in the beta test who are not in the list (left as they are). */
  notListed: number;
  expiryDate?: string;
  /** Whole days until the expiry. */
  expiresInDays?: number;
  warnings: string[];
}

/** Sends `emails` in calls of at most {@link BETA_TESTERS_PER_CALL}, one after the other. */
async function inBatches(emails: readonly string[], send: (batch: string[]) => Promise<void>): Promise<void> {
  for (let start = 0; start < emails.length; start += BETA_TESTERS_PER_CALL) {
    await send(emails.slice(start, start + BETA_TESTERS_PER_CALL));
  }
}

/** Syncs the beta test of `skillId` with the configured testers. */
export async function syncBetaTest(
  betaTest: BetaTestPort,
  input: { skillId: string; config: BetaTestersConfig; now?: () => number },
): Promise<BetaSyncResult> {
  const { skillId, config } = input;
  const now = input.now ?? Date.now;
  const warnings: string[] = [];
  let test = await betaTest.getBetaTest(skillId);
  const created = test === undefined;
  if (test === undefined) {
    await betaTest.createBetaTest(skillId, config.feedbackEmail);
    test = (await betaTest.getBetaTest(skillId)) ?? { status: "IN_DRAFT" };
  }
  const existing = created ? [] : await betaTest.listTesters(skillId);
  const byAddress = new Map(existing.map((tester) => [tester.email.toLowerCase(), tester]));
  const listed = new Set(config.testers.map((email) => email.toLowerCase()));
  const newcomers = config.testers.filter((email) => !byAddress.has(email.toLowerCase()));
  // The service says how many more a beta test takes: a list that does not fit is refused before anyone is added.
  if (test.invitesRemaining !== undefined && newcomers.length > test.invitesRemaining) {
    throw new OperationError(
      `${config.file} lists ${newcomers.length} testers who are not in the beta test of skill ${skillId} yet, but ` +
        `it has room for ${test.invitesRemaining} more: remove testers who no longer test (developer console, ` +
        "Beta test) or shorten the list. Nobody was invited.",
      { resource: config.file },
    );
  }
  await inBatches(newcomers, (batch) => betaTest.addTesters(skillId, batch));

  let started = false;
  if (test.status === "IN_DRAFT" || test.status === "ENDED") {
    // Starting e-mails every tester of the test their invitation.
    await betaTest.startBetaTest(skillId);
    started = true;
    test = (await betaTest.getBetaTest(skillId)) ?? test;
  } else if (test.status === "STOPPING") {
    throw new OperationError(
      `The beta test of skill ${skillId} is stopping: it cannot take testers or reminders now. Run the command ` +
        "again once it has ended, and it starts a new one.",
      { resource: `the beta test of skill ${skillId}` },
    );
  }

  // Everyone of the list already in the test who has not accepted yet gets a reminder, unless the test was
  // just started (its invitations went out a moment ago) or the service says not now.
  const toRemind = started
    ? []
    : config.testers.filter((email) => {
        const tester = byAddress.get(email.toLowerCase());
        return tester?.invitationStatus === "NOT_ACCEPTED" && tester.isReminderAllowed !== false;
      });
  await inBatches(toRemind, (batch) => betaTest.sendReminder(skillId, batch));

  let expiresInDays: number | undefined;
  if (test.expiryDate !== undefined) {
    const left = Date.parse(test.expiryDate) - now();
    expiresInDays = Math.floor(left / DAY_MS);
    if (left < EXPIRY_WARNING_DAYS * DAY_MS) {
      warnings.push(
        `The beta test of skill ${skillId} ends on ${test.expiryDate} (${left <= 0 ? "already" : `in ${Math.max(0, expiresInDays)} day(s)`}): ` +
          "testers lose access then. Plan the release, or end this beta test in the developer console and let the " +
          "next deploy start a new one.",
      );
    }
  }
  return {
    skillId,
    status: test.status,
    created,
    started,
    invited: newcomers.map(maskEmail),
    reminded: toRemind.map(maskEmail),
    accepted: config.testers.filter(
      (email) => byAddress.get(email.toLowerCase())?.invitationStatus === "ACCEPTED",
    ).length,
    notListed: existing.filter((tester) => !listed.has(tester.email.toLowerCase())).length,
    ...(test.expiryDate === undefined ? {} : { expiryDate: test.expiryDate, expiresInDays }),
    warnings,
  };
}

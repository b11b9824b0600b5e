/**
 * A skill's beta test: the development stage offered to invited testers by e-mail, for a limited time.
 * `adapters/smapi` implements it. Tester addresses are personal data: callers never print them in full.
 */

/** Where a beta test stands, as the Skill Management API names it. */
export type BetaTestStatus = "IN_DRAFT" | "STARTING" | "RUNNING" | "STOPPING" | "ENDED";

/** A skill's beta test. */
export interface BetaTest {
  status: BetaTestStatus;
  /** ISO-8601: testers lose access then. */
  expiryDate?: string;
  feedbackEmail?: string;
  /** How many more testers may be invited. */
  invitesRemaining?: number;
}

/** A tester of the beta test. */
export interface BetaTester {
  email: string;
  /** ACCEPTED once the tester took the invitation. */
  invitationStatus?: "ACCEPTED" | "NOT_ACCEPTED";
  /** False when the service would not send this tester a reminder now. */
  isReminderAllowed?: boolean;
}

/** The beta test calls. Calls that take testers take at most {@link BETA_TESTERS_PER_CALL}. */
export interface BetaTestPort {
  /** Undefined when the skill has no beta test. */
  getBetaTest(skillId: string): Promise<BetaTest | undefined>;
  createBetaTest(skillId: string, feedbackEmail?: string): Promise<void>;
  /** Starts it: testers get their invitation e-mails. */
  startBetaTest(skillId: string): Promise<void>;
  listTesters(skillId: string): Promise<BetaTester[]>;
  /** Invites testers (a running test e-mails them at once). */
  addTesters(skillId: string, emails: readonly string[]): Promise<void>;
  /** Sends a reminder to testers who have not accepted yet. */
  sendReminder(skillId: string, emails: readonly string[]): Promise<void>;
}

/** The most testers one call of the Skill Management API takes. */
export const BETA_TESTERS_PER_CALL = 500;

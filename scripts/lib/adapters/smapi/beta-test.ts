/**
 * {@link BetaTestPort} over `ask-smapi-sdk`. Creating and starting a beta test and sending reminders are never
 * repeated blindly (callers read the state again instead; a reminder sent twice is an e-mail too many); adding
 * testers is safe to repeat and retried while transient. Messages name the skill, never a tester.
 */
import type { v1 } from "ask-smapi-model";
import type { BetaTest, BetaTester, BetaTestPort } from "../../ports";
import type { SmapiCalls } from "./calls";

/** The Skill Management API adapter of {@link BetaTestPort}. */
export class SmapiBetaTest implements BetaTestPort {
  constructor(private readonly calls: SmapiCalls) {}

  async getBetaTest(skillId: string): Promise<BetaTest | undefined> {
    const test = await this.calls.readOrMissing(`reading the beta test of skill ${skillId}`, () =>
      this.calls.client.getBetaTestV1(skillId),
    );
    if (test === undefined) return undefined;
    return {
      status: test.status ?? "IN_DRAFT",
      ...(test.expiryDate === undefined ? {} : { expiryDate: test.expiryDate }),
      ...(test.feedbackEmail === undefined ? {} : { feedbackEmail: test.feedbackEmail }),
      ...(test.invitesRemaining === undefined ? {} : { invitesRemaining: test.invitesRemaining }),
    };
  }

  async createBetaTest(skillId: string, feedbackEmail?: string): Promise<void> {
    await this.calls.once(`creating the beta test of skill ${skillId}`, () =>
      this.calls.client.createBetaTestV1(skillId, feedbackEmail === undefined ? {} : { feedbackEmail }),
    );
  }

  async startBetaTest(skillId: string): Promise<void> {
    await this.calls.once(`starting the beta test of skill ${skillId}`, () =>
      this.calls.client.startBetaTestV1(skillId),
    );
  }

  async listTesters(skillId: string): Promise<BetaTester[]> {
    const testers: BetaTester[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.calls.read(`listing the beta testers of skill ${skillId}`, () =>
        this.calls.client.getListOfTestersV1(skillId, nextToken, 500),
      );
      testers.push(...(page.testers ?? []).filter((t) => t.emailId !== undefined).map(testerOf));
      nextToken = page.isTruncated === true ? page.nextToken : undefined;
    } while (nextToken !== undefined);
    return testers;
  }

  async addTesters(skillId: string, emails: readonly string[]): Promise<void> {
    await this.calls.repeatable(`inviting ${emails.length} beta tester(s) to skill ${skillId}`, () =>
      this.calls.client.addTestersToBetaTestV1(skillId, testersList(emails)),
    );
  }

  async sendReminder(skillId: string, emails: readonly string[]): Promise<void> {
    await this.calls.once(`reminding ${emails.length} beta tester(s) of skill ${skillId}`, () =>
      this.calls.client.sendReminderToTestersV1(skillId, testersList(emails)),
    );
  }
}

function testersList(emails: readonly string[]): v1.skill.betaTest.testers.TestersList {
  return { testers: emails.map((emailId) => ({ emailId })) };
}

function testerOf(tester: v1.skill.betaTest.testers.TesterWithDetails): BetaTester {
  return {
    email: tester.emailId ?? "",
    ...(tester.invitationStatus === undefined ? {} : { invitationStatus: tester.invitationStatus }),
    ...(tester.isReminderAllowed === undefined ? {} : { isReminderAllowed: tester.isReminderAllowed }),
  };
}

/**
 * The beta test: created in draft, started (testers are e-mailed; it runs for 90 days of the service's clock),
 * testers added (at most 500 a call, `betaTestCapacity` in all; an address already in the test is kept as it
 * is) and listed a page at a
 * time, reminders sent (at most 500 a call, to testers of the test only). Tests accept invitations and move the
 * expiry through `fake.skill().betaTest`.
 */
import { badRequest, errorReply, isObject, type FakeContext, type SkillRoutes } from "../context";
import type { FakeReply } from "../../lwa";
import type { FakeBetaTest } from "../state";

const MAX_TESTERS_PER_CALL = 500;
const BETA_TEST_DAYS = 90;

/** The addresses of a testers request, or the reply refusing it. */
function testersOf(body: unknown): string[] | FakeReply {
  const testers = isObject(body) ? body.testers : undefined;
  if (!Array.isArray(testers) || testers.length === 0) {
    return badRequest("testers must be a non-empty list of { emailId }.");
  }
  if (testers.length > MAX_TESTERS_PER_CALL) {
    return badRequest(`At most ${MAX_TESTERS_PER_CALL} testers per request; got ${testers.length}.`);
  }
  const emails = testers.map((tester) => (isObject(tester) ? tester.emailId : undefined));
  if (emails.some((email) => typeof email !== "string" || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))) {
    return badRequest("Every tester needs a valid emailId.");
  }
  return emails as string[];
}

/** Handlers for the beta test and its testers. */
export function betaTestRoutes({
  knobs,
  now,
}: FakeContext): SkillRoutes<
  "getBetaTest" | "createBetaTest" | "startBetaTest" | "listTesters" | "addTesters" | "sendReminder"
> {
  const noTest = (skillId: string) => errorReply(404, `Skill ${skillId} has no beta test.`);
  const view = (test: FakeBetaTest) => ({
    status: test.status,
    ...(test.expiryDate === undefined ? {} : { expiryDate: test.expiryDate }),
    ...(test.feedbackEmail === undefined ? {} : { feedbackEmail: test.feedbackEmail }),
    invitesRemaining: Math.max(0, knobs.betaTestCapacity - test.testers.size),
  });
  return {
    getBetaTest: (_request, skill) =>
      skill.betaTest === undefined ? noTest(skill.skillId) : { status: 200, body: view(skill.betaTest) },
    createBetaTest: (request, skill) => {
      if (skill.betaTest !== undefined) {
        return errorReply(409, "The skill already has a beta test.", "CONFLICT");
      }
      const feedbackEmail = isObject(request.body) ? request.body.feedbackEmail : undefined;
      skill.betaTest = {
        status: "IN_DRAFT",
        ...(typeof feedbackEmail === "string" ? { feedbackEmail } : {}),
        testers: new Map(),
      };
      return { status: 201, headers: { location: `/v1/skills/${skill.skillId}/betaTest` } };
    },
    startBetaTest: (_request, skill) => {
      const test = skill.betaTest;
      if (test === undefined) return noTest(skill.skillId);
      if (test.status !== "IN_DRAFT" && test.status !== "ENDED") {
        return errorReply(409, `The beta test is ${test.status} and cannot be started.`, "CONFLICT");
      }
      test.status = "RUNNING";
      test.expiryDate = new Date(now() + BETA_TEST_DAYS * 24 * 3600 * 1000).toISOString();
      return { status: 202, headers: { location: `/v1/skills/${skill.skillId}/betaTest` } };
    },
    listTesters: (request, skill) => {
      const test = skill.betaTest;
      if (test === undefined) return noTest(skill.skillId);
      const max = Number(request.query.get("maxResults") ?? MAX_TESTERS_PER_CALL);
      if (!(max >= 1 && max <= MAX_TESTERS_PER_CALL)) {
        return badRequest(`maxResults must be 1 to ${MAX_TESTERS_PER_CALL}.`);
      }
      const start = Number(request.query.get("nextToken") ?? "0");
      const all = [...test.testers.values()];
      const page = all.slice(start, start + max);
      const truncated = start + max < all.length;
      return {
        status: 200,
        body: {
          testers: page.map((tester) => ({
            emailId: tester.email,
            invitationStatus: tester.invitationStatus,
            isReminderAllowed: tester.isReminderAllowed,
          })),
          isTruncated: truncated,
          ...(truncated ? { nextToken: String(start + max) } : {}),
        },
      };
    },
    addTesters: (request, skill) => {
      const test = skill.betaTest;
      if (test === undefined) return noTest(skill.skillId);
      const emails = testersOf(request.body);
      if (!Array.isArray(emails)) return emails;
      const added = emails.filter((email) => !test.testers.has(email.toLowerCase())).length;
      if (test.testers.size + added > knobs.betaTestCapacity) {
        return badRequest(`The beta test takes at most ${knobs.betaTestCapacity} testers.`);
      }
      for (const email of emails) {
        const key = email.toLowerCase();
        if (!test.testers.has(key)) {
          test.testers.set(key, {
            email,
            invitationStatus: "NOT_ACCEPTED",
            isReminderAllowed: true,
            reminders: 0,
          });
        }
      }
      return { status: 204 };
    },
    sendReminder: (request, skill) => {
      const test = skill.betaTest;
      if (test === undefined) return noTest(skill.skillId);
      const emails = testersOf(request.body);
      if (!Array.isArray(emails)) return emails;
      const strangers = emails.filter((email) => !test.testers.has(email.toLowerCase()));
      if (strangers.length > 0) {
        return badRequest(`${strangers.length} of the addresses are not testers of this beta test.`);
      }
      for (const email of emails) {
        const tester = test.testers.get(email.toLowerCase());
        if (tester !== undefined) tester.reminders += 1;
      }
      return { status: 204 };
    },
  };
}

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { plainEnv, runCli, tempDir } from "./cli-harness";

const testers = ["ana.lopez@example.com", "ben@example.org", "chloe@example.net"];

function testersFile(content: unknown): string {
  const file = join(tempDir(), "beta-testers.json");
  writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

/** Every address of `list` appears nowhere in `text`. */
function expectNoAddress(text: string, list: readonly string[]): void {
  for (const email of list) expect(text).not.toContain(email);
}

describe("skillship beta-test", () => {
  let fake: FakeSmapi;
  const args = (file: string, ...more: string[]) => [
    "beta-test",
    "--testers",
    file,
    "--skill-id",
    FAKE_SKILL_ID,
    ...more,
  ];

  beforeEach(async () => {
    fake = await startFakeSmapi();
  });

  afterEach(async () => {
    await fake.close();
  });

  it("creates and starts the beta test, invites every tester once, then reminds those who have not accepted", async () => {
    const file = testersFile({ testers, feedbackEmail: "team@example.com" });
    const summary = join(tempDir(), "summary.md");
    const env = { ...fake.env, ...plainEnv, GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary };

    const first = await runCli(args(file), env);

    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Created the beta test; started it (invitations sent); status RUNNING");
    expect(first.stdout).toContain(
      "Invited 3 new tester(s): a***@example.com, b***@example.org, c***@example.net.",
    );
    expect(first.stdout).toContain("No reminder to send.");
    const test = fake.skill().betaTest;
    expect(test?.status).toBe("RUNNING");
    expect(test?.feedbackEmail).toBe("team@example.com");
    expect([...(test?.testers.values() ?? [])].map((t) => t.email)).toEqual(testers);
    expect(fake.callsTo("addTesters")).toHaveLength(1);
    expect(fake.callsTo("sendReminder")).toHaveLength(0);

    // Ana accepts; the next deploy invites nobody and reminds Ben and Chloe.
    const ana = test?.testers.get("ana.lopez@example.com");
    if (ana !== undefined) ana.invitationStatus = "ACCEPTED";
    const second = await runCli(args(file), env);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("No new tester to invite.");
    expect(second.stdout).toContain(
      "Reminded 2 tester(s) who have not accepted yet: b***@example.org, c***@example.net.",
    );
    expect(second.stdout).toContain("1 tester(s) have accepted.");
    expect(fake.callsTo("addTesters")).toHaveLength(1);
    expect(fake.callsTo("sendReminder")).toHaveLength(1);
    expect([...(test?.testers.values() ?? [])].map((t) => t.reminders)).toEqual([0, 1, 1]);

    // A third deploy reminds them again, and a newcomer is invited once.
    writeFileSync(file, JSON.stringify({ testers: [...testers, "dan@example.com"] }));
    const third = await runCli(args(file), env);
    expect(third.stdout).toContain("Invited 1 new tester(s): d***@example.com.");
    expect(third.stdout).toContain("Reminded 2 tester(s)");
    expect(fake.skill().betaTest?.testers.get("dan@example.com")?.reminders).toBe(0);

    // No address in full in anything printed or written.
    const all =
      [first, second, third].map((r) => r.stdout + r.stderr).join("") + readFileSync(summary, "utf8");
    expectNoAddress(all, [...testers, "dan@example.com", "team@example.com"]);
  });

  it("invites more than 500 testers in calls of at most 500, when the beta test has room for them", async () => {
    const many = Array.from({ length: 1201 }, (_, i) => `tester${i}@example.com`);
    const file = testersFile({ testers: many });
    // Alexa's documented room (500 testers): the list does not fit, nobody is invited, and it says so.
    const over = await runCli(args(file), { ...fake.env, ...plainEnv });
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("lists 1201 testers who are not in the beta test of skill");
    expect(over.stderr).toContain("it has room for 500 more");
    expect(fake.callsTo("addTesters")).toHaveLength(0);

    // Room enough: three calls, none over 500.
    fake.knobs.betaTestCapacity = 2000;
    const result = await runCli(args(file), { ...fake.env, ...plainEnv });
    expect(result.code).toBe(0);
    const batches = fake
      .callsTo("addTesters")
      .map((call) => (call.body as { testers: unknown[] }).testers.length);
    expect(batches).toEqual([500, 500, 201]);
    expect(fake.skill().betaTest?.testers.size).toBe(1201);

    // The next deploy reminds all 1201 (none accepted) in calls of at most 500 too.
    await runCli(args(file), { ...fake.env, ...plainEnv });
    const reminders = fake
      .callsTo("sendReminder")
      .map((call) => (call.body as { testers: unknown[] }).testers.length);
    expect(reminders).toEqual([500, 500, 201]);
  });

  it("warns when the beta test ends within a week", async () => {
    const file = testersFile({ testers });
    await runCli(args(file), { ...fake.env, ...plainEnv });
    const test = fake.skill().betaTest;
    if (test !== undefined)
      test.expiryDate = new Date(Date.now() + 3 * 24 * 3600 * 1000 + 60_000).toISOString();
    const result = await runCli(args(file), { ...fake.env, ...plainEnv });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: The beta test of skill .* ends on .* \(in 3 day\(s\)\): testers lose access then/,
    );
  });

  it("names a missing or wrong testers file (addresses masked) and calls nothing", async () => {
    const missing = await runCli(args(join(tempDir(), "beta-testers.json")), { ...fake.env, ...plainEnv });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/beta-testers\.json is missing: beta testing is opt-in/);

    const wrong = await runCli(
      args(testersFile({ testers: ["ana.lopez@example.com", "not-an-address", "ANA.LOPEZ@example.com"] })),
      { ...fake.env, ...plainEnv },
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("$.testers[1] (***) is not an e-mail address");
    expect(wrong.stderr).toContain("$.testers[2] repeats $.testers[0] (A***@example.com)");
    expectNoAddress(wrong.stderr, ["ana.lopez@example.com", "ANA.LOPEZ@example.com", "not-an-address"]);
    expect(fake.calls).toHaveLength(0);
  });

  it("with --if-listed and no testers file, says beta testing is off, exits 0 and calls nothing", async () => {
    const absent = join(tempDir(), "beta-testers.json");
    const off = await runCli(args(absent, "--if-listed", "--json"), { ...fake.env, ...plainEnv });
    expect(off.code).toBe(0);
    expect(JSON.parse(off.stdout)).toMatchObject({ outcome: "off", file: absent });
    expect(fake.calls).toHaveLength(0);

    // A file that is there is read as without the flag: a broken one is still an error.
    const broken = await runCli(args(testersFile("{"), "--if-listed"), { ...fake.env, ...plainEnv });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain("is not valid JSON");
    expect(fake.calls).toHaveLength(0);
  });
});

/**
 * The Skill Management API adapter's transport against the fake: the `Retry-After` of the service and of Login
 * with Amazon (seconds or an HTTP date, within the retry budget), and one access token per client (a single
 * flight, renewed once when refused).
 */
import { CredentialsRefusedError, createSkillsPort } from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../../testkit/fakes/smapi";
import { recordingRetry } from "../../../../testkit/retry";

// The waits between attempts (the fake asks for 1 s on a 429) are recorded, not slept.
const { policy: fast, waits } = recordingRetry();

/** What a promise settled with: its value, or what it threw. */
const settled = (promise: Promise<unknown>): Promise<unknown> => promise.catch((error: unknown) => error);

describe("the Skill Management API adapter's transport", () => {
  let fake: FakeSmapi;
  afterEach(async () => {
    await fake?.close();
  });

  it("waits at least the Retry-After the Skill Management API asks for, in seconds or as an HTTP date", async () => {
    // The service's clock is a minute behind: an HTTP date is counted from its own Date header, not ours.
    fake = await startFakeSmapi({ clockSkewMs: -60_000 });
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    waits.length = 0;

    fake.throttle(2, { retryAfter: "3" });
    await skills.getSkillStatus(FAKE_SKILL_ID);
    fake.throttle(1, { retryAfter: (now) => new Date(now + 5000).toUTCString() });
    await skills.getManifest(FAKE_SKILL_ID, "development");

    expect(fake.callsTo("getSkillStatus").map((call) => call.status)).toEqual([429, 429, 200]);
    expect(waits).toHaveLength(3);
    expect(waits[0]).toBeGreaterThanOrEqual(3000);
    expect(waits[1]).toBeGreaterThanOrEqual(3000);
    expect(waits[2]).toBeGreaterThanOrEqual(4000);
    expect(waits[2]).toBeLessThanOrEqual(6000);
  });

  it("stops when the wait asked for is beyond the retry budget, and says how long the service asked", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({
      env: readEnvironment(fake.env),
      retryPolicy: { ...fast, budgetMs: 10_000 },
    });
    waits.length = 0;

    fake.throttle(1, { retryAfter: "60" });
    const error = await settled(skills.getSkillStatus(FAKE_SKILL_ID));

    expect((error as Error).message).toMatch(/kept failing \(429: Rate exceeded\).*asked to wait 60s/);
    expect(fake.callsTo("getSkillStatus")).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it("asks Login with Amazon for one token per client, however many calls start at once", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    await Promise.all([
      skills.getSkillStatus(FAKE_SKILL_ID),
      skills.listCertifications(FAKE_SKILL_ID),
      skills.getPublication(FAKE_SKILL_ID),
      skills.getManifest(FAKE_SKILL_ID, "development"),
    ]);
    await skills.getManifest(FAKE_SKILL_ID, "live");

    expect(fake.calls.filter((call) => call.service === "lwa")).toHaveLength(1);
    expect(fake.calls.filter((call) => call.service === "smapi")).toHaveLength(5);
  });

  it("asks for a new token once when the service refuses the one in hand (401), and replays the calls", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    await skills.getSkillStatus(FAKE_SKILL_ID);
    fake.expireAccessTokens();

    await Promise.all([
      skills.getSkillStatus(FAKE_SKILL_ID),
      skills.listCertifications(FAKE_SKILL_ID),
      skills.getManifest(FAKE_SKILL_ID, "development"),
    ]);

    expect(fake.calls.filter((call) => call.service === "lwa")).toHaveLength(2);
    const statuses = fake.calls.filter((call) => call.service === "smapi").map((call) => call.status);
    expect(statuses.filter((status) => status === 401)).toHaveLength(3);
    expect(statuses.filter((status) => status === 200)).toHaveLength(4);
  });

  it("refreshes only once: a new token refused too is reported as refused credentials", async () => {
    fake = await startFakeSmapi({ accessTokenTtlSeconds: 0 });
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    const error = await settled(skills.getSkillStatus(FAKE_SKILL_ID));

    expect(error).toBeInstanceOf(CredentialsRefusedError);
    expect(fake.calls.map((call) => `${call.service} ${call.status}`)).toEqual([
      "lwa 200",
      "smapi 401",
      "lwa 200",
      "smapi 401",
    ]);
  });

  it("waits at least the Retry-After Login with Amazon asks for, then signs in", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    waits.length = 0;

    fake.throttle(2, { service: "lwa", retryAfter: "2" });
    await skills.getSkillStatus(FAKE_SKILL_ID);

    expect(fake.calls.filter((call) => call.service === "lwa").map((call) => call.status)).toEqual([
      429, 429, 200,
    ]);
    expect(waits).toHaveLength(2);
    for (const wait of waits) expect(wait).toBeGreaterThanOrEqual(2000);

    fake.expireAccessTokens();
    fake.throttle(10, { service: "lwa", retryAfter: "1" });
    const error = await settled(skills.getSkillStatus(FAKE_SKILL_ID));
    expect((error as Error).message).toMatch(
      /Login with Amazon kept failing \(429 rate_limited\) when asked for an access token.*try again later/,
    );
  });
});

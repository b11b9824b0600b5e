import { ConfigError } from "../../../../scripts/lib/core/errors";
import {
  createSkillsPort,
  CredentialsRefusedError,
  SmapiError,
} from "../../../../scripts/lib/adapters/smapi";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../../testkit/fakes/smapi";
import { recordingRetry } from "../../../../testkit/retry";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { ConcurrentChangeError, StageLockedError } from "../../../../scripts/lib/ports";

// The waits between attempts (the fake asks for 1 s on a 429) are recorded, not slept.
const { policy: fast } = recordingRetry();

const model = (invocationName: string) => ({
  interactionModel: { languageModel: { invocationName, intents: [], types: [] } },
});

/** Every string an error could show a person: message, and the messages of its causes. */
function everythingShown(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  while (current instanceof Error) {
    parts.push(current.message, String(current.stack));
    current = current.cause;
  }
  return parts.join("\n");
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

describe("createSkillsPort against the fake Skill Management API", () => {
  let fake: FakeSmapi;

  afterEach(async () => {
    await fake.close();
  });

  it("reads a document with its ETag and returns undefined on 404", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    const manifest = await skills.getManifest(FAKE_SKILL_ID, "development");
    expect(manifest?.etag).toBe(fake.skill().stages.development.manifest?.etag);
    expect(manifest?.value).toEqual(fake.skill().stages.development.manifest?.value);

    expect(await skills.getManifest(FAKE_SKILL_ID, "live")).toBeUndefined();
    expect(await skills.getInteractionModel(FAKE_SKILL_ID, "development", "fr-FR")).toBeUndefined();
    expect(await skills.getAccountLinking(FAKE_SKILL_ID, "development")).toBeUndefined();
    expect(await skills.getPublication(FAKE_SKILL_ID)).toBeUndefined();
  });

  it("guards writes with the ETag: a stale one is a ConcurrentChangeError naming the resource, nothing overwritten", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const read = await skills.getManifest(FAKE_SKILL_ID, "development");
    // Someone else writes in between.
    await skills.updateManifest(
      FAKE_SKILL_ID,
      "development",
      { manifest: { changedBy: "someone else" } },
      read?.etag,
    );

    const error = await caught(
      skills.updateManifest(FAKE_SKILL_ID, "development", { manifest: { changedBy: "us" } }, read?.etag),
    );

    expect(error).toBeInstanceOf(ConcurrentChangeError);
    expect((error as ConcurrentChangeError).statusCode).toBe(412);
    expect((error as Error).message).toMatch(
      /^The manifest of skill amzn1\.ask\.skill\.[-0-9a-f]+ \(development stage\) changed since it was read/,
    );
    expect((error as Error).message).toMatch(/nothing was overwritten/);
    expect(fake.skill().stages.development.manifest?.value).toEqual({
      manifest: { changedBy: "someone else" },
    });
    expect(fake.callsTo("updateManifest")).toHaveLength(2);
  });

  it("confirms a PUT whose answer was lost by reading it back instead of reporting a concurrent change", async () => {
    fake = await startFakeSmapi({
      skills: [{ skillId: FAKE_SKILL_ID, development: { models: { "en-US": model("old box") } } }],
    });
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const read = await skills.getInteractionModel(FAKE_SKILL_ID, "development", "en-US");
    expect(read?.etag).toBeDefined();
    fake.failAt({ call: "setInteractionModel", when: "after", status: 503 });

    await skills.setInteractionModel(FAKE_SKILL_ID, "development", "en-US", model("joke box"), read?.etag);

    expect(fake.callsTo("setInteractionModel").map((call) => call.status)).toEqual([503, 412]);
    expect(fake.skill().stages.development.models["en-US"].value).toEqual(model("joke box"));
  });

  it("rides out a storm of 429s on reads within the retry bound, and reports one that outlasts it", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    fake.throttle(3);
    const status = await skills.getSkillStatus(FAKE_SKILL_ID);
    expect(status.manifest?.status).toBe("SUCCEEDED");
    expect(fake.callsTo("getSkillStatus").map((call) => call.status)).toEqual([429, 429, 429, 200]);

    fake.throttle(10);
    const error = await caught(skills.listCertifications(FAKE_SKILL_ID));
    expect(error).toBeInstanceOf(SmapiError);
    expect((error as Error).message).toMatch(
      /kept failing \(429: Rate exceeded\) while listing the certifications/,
    );
    expect(fake.callsTo("listCertifications")).toHaveLength(fast.attempts);
  });

  it("never retries submission or publishing", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    fake.throttle(1);
    await expect(skills.submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING")).rejects.toMatchObject({
      statusCode: 429,
    });
    expect(fake.callsTo("submitForCertification")).toHaveLength(1);
    expect(fake.skill().certifications).toHaveLength(0);

    fake.failAt({ call: "publish", status: 503 });
    await expect(skills.publish(FAKE_SKILL_ID)).rejects.toBeInstanceOf(SmapiError);
    expect(fake.callsTo("publish")).toHaveLength(1);
  });

  it("retries a read whose connection dropped, but not a submission (its state is read again instead)", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    fake.failAt({ call: "getManifest", drop: true });
    expect(await skills.getManifest(FAKE_SKILL_ID, "development")).toBeDefined();
    expect(fake.callsTo("getManifest")).toHaveLength(2);

    fake.failAt({ call: "submitForCertification", when: "after", drop: true });
    const error = await caught(skills.submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING"));
    expect((error as Error).message).toMatch(
      /^Could not reach the Skill Management API at http:\/\/127\.0\.0\.1:\d+ while submitting/,
    );
    expect(fake.callsTo("submitForCertification")).toHaveLength(1);
    expect((await skills.listCertifications(FAKE_SKILL_ID))[0].status).toBe("IN_PROGRESS");
  });

  it("reports the locked development stage as a StageLockedError during certification", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    await skills.submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING");

    const error = await caught(
      skills.setInteractionModel(FAKE_SKILL_ID, "development", "en-US", model("joke box")),
    );

    expect(error).toBeInstanceOf(StageLockedError);
    expect((error as StageLockedError).statusCode).toBe(409);
    expect((error as Error).message).toMatch(/locked while the skill is in certification/);
  });

  it("follows a certification, a publication, versions and a rollback through the port", async () => {
    fake = await startFakeSmapi({
      certificationPolls: 2,
      certificationOutcomes: ["FAILED", "SUCCEEDED"],
      certificationReview: [{ reason: "The skill does not respond to 'help'.", countries: ["US"] }],
      publicationPolls: 1,
      rollbackPolls: 1,
      skills: [{ skillId: FAKE_SKILL_ID, live: { models: { "en-US": model("old box") } } }],
    });
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    await skills.submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING");
    expect((await skills.listCertifications(FAKE_SKILL_ID))[0].status).toBe("IN_PROGRESS");
    const [failed] = await skills.listCertifications(FAKE_SKILL_ID);
    expect(failed.status).toBe("FAILED");
    expect((await skills.getCertification(FAKE_SKILL_ID, failed.id)).review?.findings).toEqual([
      { title: "The skill does not respond to 'help'.", detail: "countries: US" },
    ]);

    await skills.submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING", "v2.0.0: help answers");
    await skills.listCertifications(FAKE_SKILL_ID);
    const [certified] = await skills.listCertifications(FAKE_SKILL_ID);
    expect(certified.status).toBe("SUCCEEDED");
    expect(await skills.publish(FAKE_SKILL_ID)).toEqual({ status: "IN_PROGRESS" });
    expect(await skills.getPublication(FAKE_SKILL_ID)).toEqual({ status: "SUCCEEDED" });
    expect(fake.callsTo("submitForCertification").map((call) => call.body)).toEqual([
      { publicationMethod: "MANUAL_PUBLISHING" },
      { publicationMethod: "MANUAL_PUBLISHING", versionMessage: "v2.0.0: help answers" },
    ]);
    // Newest first, each with its message and its submission's status (what skill rollback chooses by).
    expect(await skills.listSkillVersions(FAKE_SKILL_ID)).toEqual([
      expect.objectContaining({ version: "3", message: "v2.0.0: help answers", status: "LIVE" }),
      { version: "2", creationTime: expect.any(String), status: "FAILED_CERTIFICATION" },
      expect.objectContaining({ version: "1", message: "seeded live version", status: "CERTIFIED" }),
    ]);

    const rollbackId = await skills.rollbackSkill(FAKE_SKILL_ID, "1");
    expect(await skills.getRollback(FAKE_SKILL_ID, rollbackId)).toEqual({ status: "SUCCEEDED", errors: [] });
    expect(fake.skill().liveVersion).toBe("1");
  });

  it("withdraws with a free-text reason as OTHER", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    await skills.submitForCertification(FAKE_SKILL_ID, "MANUAL_PUBLISHING");

    await skills.withdrawFromCertification(FAKE_SKILL_ID, "found a bug in the German model");

    expect(fake.callsTo("withdrawFromCertification")[0].body).toEqual({
      reason: "OTHER",
      message: "found a bug in the German model",
    });
    expect(fake.skill().certifications[0].status).toBe("CANCELLED");
  });

  it("sends account linking wrapped as the API expects and reads it back without the secret", async () => {
    fake = await startFakeSmapi();
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });
    const linking = {
      type: "AUTH_CODE",
      authorizationUrl: "https://auth.example.com/authorize",
      accessTokenUrl: "https://auth.example.com/token",
      clientId: "jokebox",
      clientSecret: "linking-secret",
      scopes: ["profile"],
    };

    await skills.updateAccountLinking(FAKE_SKILL_ID, "development", linking);
    const read = await skills.getAccountLinking(FAKE_SKILL_ID, "development");

    expect(read?.value).toMatchObject({ clientId: "jokebox", authorizationUrl: linking.authorizationUrl });
    expect(read?.value).not.toHaveProperty("clientSecret");
    expect(read?.etag).toBe(fake.skill().stages.development.accountLinking?.etag);
  });

  it("names every missing credential variable before any call", async () => {
    fake = await startFakeSmapi();
    const env = { ...fake.env, ASK_LWA_CLIENT_SECRET: "", ASK_REFRESH_TOKEN: undefined };

    const error = await caught(Promise.resolve().then(() => createSkillsPort({ env: readEnvironment(env) })));

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /^Environment variables ASK_LWA_CLIENT_SECRET, ASK_REFRESH_TOKEN are required/,
    );
    expect(fake.calls).toHaveLength(0);
  });

  it.each([
    [
      "a refused refresh token",
      { ASK_REFRESH_TOKEN: "Atzr|stolen+and=revoked" },
      /invalid_grant.*ASK_REFRESH_TOKEN/,
    ],
    [
      "a refused client secret",
      { ASK_LWA_CLIENT_SECRET: "wrong+secret&x=1" },
      /invalid_client.*ASK_LWA_CLIENT_SECRET/,
    ],
  ])("reports %s naming the variables, never a value", async (_name, override, expected) => {
    fake = await startFakeSmapi();
    const env: Record<string, string> = { ...fake.env, ...override };
    const skills = createSkillsPort({ env: readEnvironment(env), retryPolicy: fast });

    const error = await caught(skills.getManifest(FAKE_SKILL_ID, "development"));

    expect(error).toBeInstanceOf(CredentialsRefusedError);
    expect((error as CredentialsRefusedError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(expected);
    const shown = everythingShown(error);
    for (const secret of [env.ASK_LWA_CLIENT_SECRET, env.ASK_REFRESH_TOKEN, fake.credentials.clientSecret]) {
      expect(shown).not.toContain(secret);
      expect(shown).not.toContain(encodeURIComponent(secret));
    }
    expect(fake.calls.filter((call) => call.service === "smapi")).toHaveLength(0);
  });

  it("signs in with credentials that need form encoding (the SDK does not encode them)", async () => {
    fake = await startFakeSmapi();
    expect(fake.credentials.clientSecret).toMatch(/[+&=]/);
    const skills = createSkillsPort({ env: readEnvironment(fake.env), retryPolicy: fast });

    await expect(skills.getSkillStatus(FAKE_SKILL_ID)).resolves.toBeDefined();
  });
});

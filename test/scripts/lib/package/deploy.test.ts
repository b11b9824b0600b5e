import { ConfigError, StillWaitingError } from "../../../../scripts/lib/core/errors";
import { ConcurrentChangeError } from "../../../../scripts/lib/ports";
import {
  deployModel,
  ModelBuildError,
  type DeployablePackage,
  type DeployModelInput,
} from "../../../../scripts/lib/package/deploy";
import type { SkillsPort } from "../../../../scripts/lib/ports";
import {
  FAKE_SKILL_ID,
  startFakeSmapi,
  type FakeSmapi,
  type FakeSmapiOptions,
} from "../../../../testkit/fakes/smapi";
import { createSkillsPort } from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";

const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev";

function model(invocationName: string, samples = ["tell me a joke"]): Record<string, unknown> {
  return {
    interactionModel: {
      languageModel: {
        invocationName,
        intents: [
          { name: "PlayClipIntent", samples },
          { name: "AMAZON.StopIntent", samples: [] },
        ],
        types: [],
      },
    },
  };
}

function skillPackage(): DeployablePackage {
  return {
    root: "skill-package",
    manifest: {
      manifest: {
        manifestVersion: "1.0",
        publishingInformation: {
          locales: {
            "en-US": { name: "Joke Box" },
            "de-DE": { name: "Witze Kiste" },
            "fr-FR": { name: "Blagues" },
          },
        },
        apis: { custom: { endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:placeholder" } } },
      },
    },
    models: { "en-US": model("joke box"), "de-DE": model("witze kiste"), "fr-FR": model("boîte à blagues") },
  };
}

describe("deployModel against the fake Skill Management API", () => {
  let fake: FakeSmapi;
  let skills: SkillsPort;

  async function start(options: FakeSmapiOptions = {}): Promise<void> {
    fake = await startFakeSmapi({ buildPolls: 3, ...options });
    skills = createSkillsPort({
      env: readEnvironment(fake.env),
      retryPolicy: { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
  }

  function input(overrides: Partial<DeployModelInput> = {}): DeployModelInput {
    return {
      skillId: FAKE_SKILL_ID,
      pkg: skillPackage(),
      endpoint: { uri: ARN },
      pollIntervalMs: 5,
      timeoutMs: 10_000,
      readSecret: () => undefined,
      ...overrides,
    };
  }

  afterEach(async () => {
    await fake?.close();
  });

  it("uploads the manifest with the endpoint and every model, then waits for all builds together", async () => {
    await start();
    // The fake answers no upload before all three are in flight: sent together, they pass however slow the
    // machine; sent one after another, the first is never answered and the fake reports it.
    fake.holdUntilConcurrent("setInteractionModel", 3);
    const result = await deployModel({ skills }, input());

    expect(result).toEqual({
      outcome: "deployed",
      skillId: FAKE_SKILL_ID,
      stage: "development",
      endpoint: { uri: ARN },
      manifest: "updated",
      locales: { "de-DE": "updated", "en-US": "updated", "fr-FR": "updated" },
    });
    const development = fake.skill().stages.development;
    expect(development.manifest?.value).toMatchObject({
      manifest: { apis: { custom: { endpoint: { uri: ARN } } } },
    });
    expect(Object.keys(development.models).sort()).toEqual(["de-DE", "en-US", "fr-FR"]);
    expect(Object.values(fake.skill().modelBuilds).map((job) => job.status)).toEqual([
      "SUCCEEDED",
      "SUCCEEDED",
      "SUCCEEDED",
    ]);
    // In parallel: every upload goes out before any build is waited for (no status read between the first
    // and the last upload, the three uploads in flight together), then the three builds of three polls each
    // are done in three status reads.
    const isStatusRead = (call: { route?: string }) => call.route === "GET /v1/skills/{skillId}/status";
    const uploads = fake.callsTo("setInteractionModel").map((call) => fake.calls.indexOf(call));
    const [first, last] = [Math.min(...uploads), Math.max(...uploads)];
    expect(fake.calls.slice(first, last + 1).filter(isStatusRead)).toHaveLength(0);
    expect(fake.calls.slice(last + 1).filter(isStatusRead)).toHaveLength(3);
    expect(fake.maxConcurrentCalls).toBeGreaterThanOrEqual(3);
  });

  it("converges when run again: nothing is uploaded twice", async () => {
    await start();
    await deployModel({ skills }, input());
    const uploads = fake.callsTo("setInteractionModel").length + fake.callsTo("updateManifest").length;

    const again = await deployModel({ skills }, input());

    expect(again).toMatchObject({
      outcome: "deployed",
      manifest: "unchanged",
      locales: { "de-DE": "unchanged", "en-US": "unchanged", "fr-FR": "unchanged" },
    });
    expect(fake.callsTo("setInteractionModel").length + fake.callsTo("updateManifest").length).toBe(uploads);
  });

  it("guards each write with the ETag it read", async () => {
    await start();
    await deployModel({ skills }, input());
    const pkg = skillPackage();
    pkg.models["de-DE"] = model("witze kiste", ["erzähl einen witz"]);
    await deployModel({ skills }, input({ pkg }));
    const update = fake.callsTo("setInteractionModel").at(-1);
    expect(update?.path).toContain("/locales/de-DE");
    expect(update?.headers["if-match"]).toMatch(/^[0-9a-f]{32}$/);
  });

  it("fails fast with the failed locale's build errors, without waiting for the other builds", async () => {
    await start({
      failingLocales: { "de-DE": [{ code: "INVALID_SLOT_TYPE", message: "Slot type FOO is not defined" }] },
    });
    const slow = (label: string) => {
      // The builds have started: make en-US and fr-FR take far longer than de-DE's failure.
      if (label.startsWith("Building")) {
        for (const locale of ["en-US", "fr-FR"]) fake.skill().modelBuilds[locale].pollsLeft = 10_000;
      }
      return { update() {}, succeed() {}, fail() {} };
    };

    const attempt = deployModel({ skills }, input({ progress: slow }));

    await expect(attempt).rejects.toThrow(ModelBuildError);
    await expect(attempt).rejects.toThrow(/de-DE:\n\s+- INVALID_SLOT_TYPE: Slot type FOO is not defined/);
    const error = (await attempt.catch((e: unknown) => e)) as ModelBuildError;
    expect(Object.keys(error.failures)).toEqual(["de-DE"]);
    expect(fake.skill().modelBuilds["en-US"].status).toBe("IN_PROGRESS");
  });

  it("stops when the manifest update fails, before any model is uploaded", async () => {
    await start();
    const failManifest = (label: string) => {
      if (label.startsWith("Updating the manifest")) {
        const job = fake.skill().manifestUpdate;
        if (job !== undefined) {
          job.outcome = "FAILED";
          job.errors = [{ code: "INVALID_MANIFEST", message: "Missing privacy policy URL" }];
        }
      }
      return { update() {}, succeed() {}, fail() {} };
    };
    const attempt = deployModel({ skills }, input({ progress: failManifest }));
    await expect(attempt).rejects.toThrow(
      "The manifest update failed:\n  manifest:\n    - INVALID_MANIFEST: Missing privacy policy URL",
    );
    expect(fake.callsTo("setInteractionModel")).toHaveLength(0);
  });

  it("reports every locale that failed by the time one failure is seen", async () => {
    await start({
      failingLocales: {
        "de-DE": [{ message: "Sample 'x' is invalid" }],
        "fr-FR": [{ code: "CONFLICT", message: "Utterance conflicts with AMAZON.StopIntent" }],
      },
    });
    const error = (await deployModel({ skills }, input()).catch((e: unknown) => e)) as ModelBuildError;
    expect(error).toBeInstanceOf(ModelBuildError);
    expect(error.exitCode).toBe(1);
    expect(error.failures).toEqual({
      "de-DE": [{ message: "Sample 'x' is invalid" }],
      "fr-FR": [{ code: "CONFLICT", message: "Utterance conflicts with AMAZON.StopIntent" }],
    });
  });

  it("returns 'locked' and changes nothing while the skill is in certification", async () => {
    await start({ certificationPolls: 1000 });
    fake.skill().certifications.push({
      id: "cert-1",
      status: "IN_PROGRESS",
      submittedAt: new Date().toISOString(),
      publicationMethod: "MANUAL_PUBLISHING",
      pollsLeft: 1000,
      outcome: "SUCCEEDED",
      review: [],
      version: "2",
    });
    const before = structuredClone(fake.skill().stages.development);

    const result = await deployModel({ skills }, input());

    expect(result).toMatchObject({ outcome: "locked", certificationId: "cert-1" });
    expect(result.outcome === "locked" && result.message).toMatch(
      /in certification \(certification cert-1\)/,
    );
    expect(fake.skill().stages.development).toEqual(before);
    expect(fake.callsTo("updateManifest")).toHaveLength(0);
  });

  it("reports the lock the same way when a submission starts while it deploys (the write answers 409)", async () => {
    await start({ certificationPolls: 1000 });
    const submitMidway = (label: string) => {
      if (label.startsWith("Updating the manifest")) {
        fake.skill().certifications.push({
          id: "cert-2",
          status: "IN_PROGRESS",
          submittedAt: new Date().toISOString(),
          publicationMethod: "MANUAL_PUBLISHING",
          pollsLeft: 1000,
          outcome: "SUCCEEDED",
          review: [],
          version: "2",
        });
      }
      return { update() {}, succeed() {}, fail() {} };
    };
    const result = await deployModel({ skills }, input({ progress: submitMidway }));
    expect(result).toMatchObject({ outcome: "locked", certificationId: "cert-2" });
    expect(fake.callsTo("setInteractionModel").every((call) => call.status === 409)).toBe(true);
  });

  it("refuses a concurrent change of a model (stale ETag) without overwriting it", async () => {
    await start();
    await deployModel({ skills }, input());
    const pkg = skillPackage();
    pkg.models["en-US"] = model("joke box", ["a new sample"]);
    // Someone else writes en-US between our read and our write.
    fake.failAt({ call: "setInteractionModel", status: 412 });
    const attempt = deployModel({ skills }, input({ pkg }));
    await expect(attempt).rejects.toThrow(ConcurrentChangeError);
    await expect(attempt).rejects.toThrow(
      /The en-US interaction model of skill .* \(development stage\) changed since it was read .*nothing was overwritten/,
    );
  });

  it("gives up with 'still waiting' (exit 3) when the timeout runs out", async () => {
    await start({ buildPolls: 10_000 });
    const attempt = deployModel({ skills }, input({ timeoutMs: 60 }));
    await expect(attempt).rejects.toThrow(StillWaitingError);
    await expect(attempt).rejects.toThrow(/run the command again to resume waiting/);
  });

  describe("account linking", () => {
    const linking = (overrides: Record<string, unknown> = {}) => ({
      clientSecretEnv: "JOKEBOX_LINKING_SECRET",
      accountLinkingRequest: {
        type: "AUTH_CODE",
        authorizationUrl: "https://auth.example.com/authorize",
        accessTokenUrl: "https://auth.example.com/token",
        clientId: "jokebox",
        scopes: ["profile"],
        ...overrides,
      },
    });

    it("deploys it with the client secret from the variable the file names", async () => {
      await start();
      const pkg = { ...skillPackage(), accountLinking: linking() };
      const readSecret = (name?: string) => (name === "JOKEBOX_LINKING_SECRET" ? "s3cr3t-value" : undefined);

      const result = await deployModel({ skills }, input({ pkg, readSecret }));

      expect(result).toMatchObject({ outcome: "deployed", accountLinking: "updated" });
      expect(fake.skill().stages.development.accountLinking?.value).toMatchObject({
        clientId: "jokebox",
        clientSecret: "s3cr3t-value",
      });
      expect(JSON.stringify(result)).not.toContain("s3cr3t-value");
    });

    it("refuses URLs that are not HTTPS on port 443, naming the field, before any remote call", async () => {
      await start();
      const pkg = {
        ...skillPackage(),
        accountLinking: linking({
          authorizationUrl: "http://auth.example.com/authorize",
          accessTokenUrl: "https://auth.example.com:8443/token",
        }),
      };
      const attempt = deployModel({ skills }, input({ pkg, readSecret: () => "x" }));
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(
        'skill-package/accountLinking.json: accountLinkingRequest.authorizationUrl must be an HTTPS URL on port 443, got "http://auth.example.com/authorize"; accountLinkingRequest.accessTokenUrl must be an HTTPS URL on port 443, got "https://auth.example.com:8443/token"',
      );
      expect(fake.calls).toHaveLength(0);
    });

    it("names the missing secret variable and never takes a secret from the file", async () => {
      await start();
      const missing = deployModel(
        { skills },
        input({ pkg: { ...skillPackage(), accountLinking: linking() }, readSecret: () => undefined }),
      );
      await expect(missing).rejects.toThrow("Environment variable JOKEBOX_LINKING_SECRET is required");
      const inFile = deployModel(
        { skills },
        input({
          pkg: { ...skillPackage(), accountLinking: linking({ clientSecret: "committed" }) },
          readSecret: () => "x",
        }),
      );
      await expect(inFile).rejects.toThrow(/clientSecret must not be in the repository/);
      await expect(inFile).rejects.not.toThrow(/committed/);
      expect(fake.calls).toHaveLength(0);
    });
  });
});

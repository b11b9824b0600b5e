// Over 350 lines on purpose: every way a package deploy ends (imported, skipped, refused, failed, locked, resumed).
/**
 * The package deploy against the fake Skill Management API: the whole package as one import (icons included),
 * recognised and skipped when the stage already holds it, its failures reported per resource with file and
 * JSON path, and every refusal leaving the stage as it was.
 */
import { unzipSync } from "fflate";
import { ConfigError, StillWaitingError } from "../../../../scripts/lib/core/errors";
import { ConcurrentChangeError, type SkillPackagePort, type SkillsPort } from "../../../../scripts/lib/ports";
import {
  deployModel,
  ModelBuildError,
  type DeployablePackage,
  type DeployModelInput,
  type DeployPorts,
} from "../../../../scripts/lib/package/deploy";
import {
  FAKE_SKILL_ID,
  pendingCertification,
  startFakeSmapi,
  type FakeSmapi,
  type FakeSmapiOptions,
} from "../../../../testkit/fakes/smapi";
import { createSmapiPorts, SmapiError } from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { solidPng } from "../../../../testkit/png";

const ARN = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev";
const SMALL = "assets/images/small.png";
const LARGE = "assets/images/large.png";

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

const icons = { smallIconUri: `file://${SMALL}`, largeIconUri: `file://${LARGE}` };

function skillPackage(): DeployablePackage {
  return {
    root: "skill-package",
    manifest: {
      manifest: {
        manifestVersion: "1.0",
        publishingInformation: {
          locales: {
            "en-US": { name: "Joke Box", ...icons },
            "de-DE": { name: "Witze Kiste", ...icons },
            "fr-FR": { name: "Blagues", ...icons },
          },
        },
        apis: { custom: { endpoint: { uri: "arn:aws:lambda:us-east-1:123456789012:function:placeholder" } } },
      },
    },
    models: { "en-US": model("joke box"), "de-DE": model("witze kiste"), "fr-FR": model("boîte à blagues") },
    files: { [SMALL]: solidPng(108, 108, [200, 30, 30]), [LARGE]: solidPng(512, 512, [30, 30, 200]) },
  };
}

type StageLocales = Record<string, Record<string, string>>;

function stageLocales(fake: FakeSmapi): StageLocales {
  return (
    fake.skill().stages.development.manifest?.value as {
      manifest: { publishingInformation: { locales: StageLocales } };
    }
  ).manifest.publishingInformation.locales;
}

async function hostedBytes(url: string): Promise<Uint8Array> {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

describe("deployModel against the fake Skill Management API", () => {
  let fake: FakeSmapi;
  let ports: DeployPorts;
  let skills: SkillsPort;

  async function start(options: FakeSmapiOptions = {}): Promise<void> {
    fake = await startFakeSmapi({ buildPolls: 3, ...options });
    ports = createSmapiPorts({
      env: readEnvironment(fake.env),
      retryPolicy: { attempts: 2, initialDelayMs: 1, maxDelayMs: 2 },
    });
    skills = ports.skills;
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

  /** The packages port with something happening just before the zip is put (between the read and the import). */
  function beforeUpload(action: () => void): DeployPorts {
    const packages: SkillPackagePort = Object.create(ports.packages) as SkillPackagePort;
    packages.upload = async (target, zip) => {
      action();
      return ports.packages.upload(target, zip);
    };
    return { skills, packages };
  }

  afterEach(async () => {
    await fake?.close();
  });

  it("a fresh skill: the piecewise manifest update is refused for file:// icons, the package import takes them", async () => {
    await start();
    expect(stageLocales(fake)["en-US"].smallIconUri).toBeUndefined();
    const piecewise = skills.updateManifest(FAKE_SKILL_ID, "development", skillPackage().manifest);
    await expect(piecewise).rejects.toThrow(/INVALID_URL_FORMAT|is not a valid URL/);

    const result = await deployModel(ports, input());

    expect(result).toMatchObject({
      outcome: "deployed",
      manifest: "updated",
      icons: "updated",
      locales: { "de-DE": "updated", "en-US": "updated", "fr-FR": "updated" },
      package: { import: "imported", files: 6 },
    });
    const hosted = stageLocales(fake);
    for (const locale of ["en-US", "de-DE", "fr-FR"]) {
      expect(hosted[locale].smallIconUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hosted\//);
      expect(await hostedBytes(hosted[locale].smallIconUri)).toEqual(skillPackage().files?.[SMALL]);
      expect(await hostedBytes(hosted[locale].largeIconUri)).toEqual(skillPackage().files?.[LARGE]);
    }
    expect(fake.skill().stages.development.manifest?.value).toMatchObject({
      manifest: { apis: { custom: { endpoint: { uri: ARN } } } },
    });
    expect(Object.keys(fake.skill().stages.development.models).sort()).toEqual(["de-DE", "en-US", "fr-FR"]);
    // One upload URL, one PUT, one import guarded by the manifest's ETag as read.
    expect(fake.callsTo("createUploadUrl")).toHaveLength(1);
    expect(fake.uploads.puts.map((put) => put.status)).toEqual([200]);
    expect(fake.callsTo("importPackage")[0].headers["if-match"]).toMatch(/^[0-9a-f]{32}$/);
    expect(fake.callsTo("updateManifest").filter((call) => call.status < 300)).toHaveLength(0);
  });

  it("waits for every locale's build together: one import status read covers them all", async () => {
    await start({ buildPolls: 3, importPolls: 1 });
    await deployModel(ports, input());
    // Three reads for three-poll builds (the read that applies the package is their first), whatever the
    // locale count.
    expect(fake.callsTo("getImportStatus")).toHaveLength(3);
    expect(Object.values(fake.skill().modelBuilds).map((job) => job.status)).toEqual([
      "SUCCEEDED",
      "SUCCEEDED",
      "SUCCEEDED",
    ]);
  });

  it("recognises a package the stage already holds (icons by their hosted bytes) and does not import it twice", async () => {
    await start();
    const first = await deployModel(ports, input());
    const again = await deployModel(ports, input());

    expect(again).toMatchObject({
      outcome: "deployed",
      manifest: "unchanged",
      icons: "unchanged",
      locales: { "de-DE": "unchanged", "en-US": "unchanged", "fr-FR": "unchanged" },
      package: { import: "skipped" },
    });
    expect(again.outcome === "deployed" && first.outcome === "deployed" && again.package.sha256).toBe(
      first.outcome === "deployed" && first.package.sha256,
    );
    expect(fake.callsTo("importPackage")).toHaveLength(1);
    expect(fake.uploads.hostedReads.length).toBeGreaterThan(0);

    const forced = await deployModel(ports, input({ force: true }));
    expect(forced).toMatchObject({ package: { import: "imported" } });
    expect(fake.callsTo("importPackage")).toHaveLength(2);
  });

  it("deploys a changed icon: its bytes differ from the hosted one, so the package is imported again", async () => {
    await start();
    await deployModel(ports, input());
    const before = stageLocales(fake)["en-US"].smallIconUri;
    const pkg = skillPackage();
    const newIcon = solidPng(108, 108, [10, 200, 10]);
    pkg.files = { ...pkg.files, [SMALL]: newIcon };

    const result = await deployModel(ports, input({ pkg }));

    expect(result).toMatchObject({
      manifest: "unchanged",
      icons: "updated",
      locales: { "en-US": "unchanged" },
      package: { import: "imported" },
    });
    const after = stageLocales(fake)["en-US"].smallIconUri;
    expect(after).not.toBe(before);
    expect(await hostedBytes(after)).toEqual(newIcon);
    expect(fake.callsTo("importPackage")).toHaveLength(2);
  });

  it("makes the same zip for the same package, without account linking or its secret in it", async () => {
    await start();
    const pkg = {
      ...skillPackage(),
      accountLinking: {
        accountLinkingRequest: {
          type: "AUTH_CODE",
          authorizationUrl: "https://auth.example.com/authorize",
          accessTokenUrl: "https://auth.example.com/token",
          clientId: "jokebox",
        },
      },
    };
    const one = await deployModel(ports, input({ pkg, readSecret: () => "s3cr3t-value", force: true }));
    const two = await deployModel(ports, input({ pkg, readSecret: () => "s3cr3t-value", force: true }));
    const other = await deployModel(
      ports,
      input({ pkg, readSecret: () => "s3cr3t-value", endpoint: { uri: `${ARN}:blue` }, force: true }),
    );

    const sha = (r: typeof one) => (r.outcome === "deployed" ? r.package.sha256 : "");
    expect(sha(one)).toBe(sha(two));
    expect(sha(other)).not.toBe(sha(one));
    const [first] = [...fake.state.imports.values()];
    const stored = fake.uploads.read(first.location);
    const zip = "bytes" in stored ? stored.bytes : new Uint8Array();
    expect(Object.keys(unzipSync(zip)).sort()).toEqual([
      LARGE,
      SMALL,
      "interactionModels/custom/de-DE.json",
      "interactionModels/custom/en-US.json",
      "interactionModels/custom/fr-FR.json",
      "skill.json",
    ]);
    expect(Buffer.from(zip).includes("s3cr3t-value")).toBe(false);
    expect(fake.skill().stages.development.accountLinking?.value).toMatchObject({
      clientSecret: "s3cr3t-value",
    });
  });

  it("fails fast with the failed locale's build errors, saying what took effect", async () => {
    await start({
      failingLocales: { "de-DE": [{ code: "INVALID_SLOT_TYPE", message: "Slot type FOO is not defined" }] },
    });
    // Once the import has applied and the builds have started, en-US and fr-FR take far longer than de-DE's
    // failure: the wait ends at that failure without them.
    const slow = () => ({
      update() {
        for (const locale of ["en-US", "fr-FR"]) {
          const job = fake.skill().modelBuilds[locale];
          if (job?.status === "IN_PROGRESS") job.pollsLeft = 10_000;
        }
      },
      succeed() {},
      fail() {},
    });
    const attempt = deployModel(ports, input({ progress: slow, pollIntervalMs: 1 }));

    const error = (await attempt.catch((e: unknown) => e)) as ModelBuildError;
    expect(error).toBeInstanceOf(ModelBuildError);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(
      /The interaction model build failed for de-DE:\n\s+de-DE \(interactionModels\/custom\/de-DE\.json\):\n\s+- INVALID_SLOT_TYPE: Slot type FOO is not defined/,
    );
    expect(error.message).toContain(
      "The development stage is half-imported: skill.json took effect before the failure " +
        "(interactionModels/custom/en-US.json, interactionModels/custom/fr-FR.json still being imported)",
    );
    expect(Object.keys(error.failures)).toEqual(["de-DE"]);
    expect(fake.skill().modelBuilds["en-US"].status).toBe("IN_PROGRESS");
  });

  it("an import that ends FAILED: each resource's errors with file and JSON path, and nothing took effect", async () => {
    await start({
      failingImport: [
        {
          resource: "InteractionModel.fr-FR",
          errors: [
            {
              code: "INVALID_INTENT_SAMPLE",
              message: "Sample utterance is invalid",
              propertyPath: "$.interactionModel.languageModel.intents[0].samples[0]",
            },
          ],
        },
      ],
    });
    const pkg = skillPackage();
    // An icon of the wrong size that no lint gate stopped: the service checks it too.
    pkg.files = { ...pkg.files, [SMALL]: solidPng(100, 100, [1, 1, 1]) };
    const before = structuredClone(fake.skill().stages.development);

    const error = (await deployModel(ports, input({ pkg })).catch((e: unknown) => e)) as ModelBuildError;

    expect(error).toBeInstanceOf(ModelBuildError);
    expect(error.message).toMatch(/^The import of the skill package \(import [^)]+\) failed:/);
    expect(error.message).toContain("  manifest (skill.json):\n");
    expect(error.message).toContain(
      "    - $.manifest.publishingInformation.locales.en-US.smallIconUri: " +
        "INVALID_IMAGE_ATTRIBUTES: file://assets/images/small.png is 100x100 pixels; allowed: 108x108.",
    );
    expect(error.message).toContain(
      "fr-FR (interactionModels/custom/fr-FR.json):\n    - $.interactionModel.languageModel.intents[0].samples[0]: " +
        "INVALID_INTENT_SAMPLE: Sample utterance is invalid",
    );
    expect(error.message).toContain(
      "Nothing of the package took effect: the development stage is as it was.",
    );
    expect(fake.skill().stages.development).toEqual(before);
  });

  it("an upload URL that answers 403: nothing imported, the URL's signature never shown", async () => {
    await start();
    fake.uploads.refuseUploads(1);
    const error = (await deployModel(ports, input()).catch((e: unknown) => e)) as SmapiError;
    expect(error).toBeInstanceOf(SmapiError);
    expect(error.message).toMatch(
      /^The upload URL at 127\.0\.0\.1:\d+ refused the skill package \(403 AccessDenied: Access Denied\): an upload URL is valid for a short time only \(it was valid until .*\)\. Nothing was imported; run the command again for a new URL\.$/,
    );
    expect(error.message).not.toContain("Signature");
    expect(fake.callsTo("importPackage")).toHaveLength(0);
  });

  it("an expired upload URL is refused the same way; the next run gets a fresh one", async () => {
    await start({ uploadUrlTtlMs: -1 });
    await expect(deployModel(ports, input())).rejects.toThrow(
      /refused the skill package \(403 AccessDenied: Request has expired\)/,
    );
    fake.knobs.uploadUrlTtlMs = 60_000;
    await expect(deployModel(ports, input())).resolves.toMatchObject({ package: { import: "imported" } });
  });

  it("someone changed the skill since it was read: 412, nothing imported, account linking untouched", async () => {
    await start();
    const pkg = {
      ...skillPackage(),
      accountLinking: {
        accountLinkingRequest: {
          type: "IMPLICIT",
          authorizationUrl: "https://auth.example.com/authorize",
          clientId: "jokebox",
        },
      },
    };
    const meddling = beforeUpload(() => {
      const manifest = fake.skill().stages.development.manifest;
      if (manifest !== undefined) manifest.etag = "changed-in-the-console";
    });

    const attempt = deployModel(meddling, input({ pkg }));

    await expect(attempt).rejects.toThrow(ConcurrentChangeError);
    await expect(attempt).rejects.toThrow(
      /^Skill .* \(development stage\) changed since it was read \(its ETag no longer matches\): someone else wrote it meanwhile, and nothing was overwritten/,
    );
    expect(fake.state.imports.size).toBe(0);
    expect(fake.skill().stages.development.accountLinking).toBeUndefined();
  });

  it("returns 'locked' and changes nothing while the skill is in certification", async () => {
    await start({ certificationPolls: 1000 });
    fake.skill().certifications.push(pendingCertification("cert-1"));
    const before = structuredClone(fake.skill().stages.development);

    const result = await deployModel(ports, input());

    expect(result).toMatchObject({ outcome: "locked", certificationId: "cert-1" });
    expect(result.outcome === "locked" && result.message).toMatch(
      /in certification \(certification cert-1\)/,
    );
    expect(fake.skill().stages.development).toEqual(before);
    expect(fake.callsTo("createUploadUrl")).toHaveLength(0);
  });

  it("reports the lock the same way when a submission starts while it deploys (the import answers 409)", async () => {
    await start({ certificationPolls: 1000 });
    const submitting = beforeUpload(() => {
      fake.skill().certifications.push(pendingCertification("cert-2"));
    });
    const result = await deployModel(submitting, input());
    expect(result).toMatchObject({ outcome: "locked", certificationId: "cert-2" });
    expect(fake.callsTo("importPackage").map((call) => call.status)).toEqual([409]);
  });

  it("gives up with 'still waiting' (exit 3); the re-run resumes: it waits, then recognises the import", async () => {
    await start({ buildPolls: 10_000 });
    const attempt = deployModel(ports, input({ timeoutMs: 60 }));
    await expect(attempt).rejects.toThrow(StillWaitingError);
    await expect(attempt).rejects.toThrow(/does not import twice/);

    // Still building: a re-run waits for the import under way (its own bound too), importing nothing.
    const busy = deployModel(ports, input({ timeoutMs: 60 }));
    await expect(busy).rejects.toThrow(StillWaitingError);
    await expect(busy).rejects.toThrow(
      /an import into skill .* \(development stage\), started by an earlier run, is still under way/,
    );

    // Nearly built: the re-run waits for it, then finds the package on the stage and is done.
    for (const job of Object.values(fake.skill().modelBuilds)) job.pollsLeft = 3;
    await expect(deployModel(ports, input())).resolves.toMatchObject({ package: { import: "skipped" } });
    expect(fake.callsTo("importPackage").filter((call) => call.status === 202)).toHaveLength(1);
    expect(fake.callsTo("importPackage").filter((call) => call.status === 409).length).toBeGreaterThan(0);
  });

  it("refuses a file:// icon that is not a file of the package, naming the JSON path, before any remote call", async () => {
    await start();
    const pkg = skillPackage();
    pkg.files = { [LARGE]: pkg.files?.[LARGE] ?? new Uint8Array() };
    const attempt = deployModel(ports, input({ pkg }));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(
      'skill-package/skill.json: $.manifest.publishingInformation.locales["en-US"].smallIconUri: file://assets/images/small.png is not a file of the package (skill-package/assets/images/small.png)',
    );
    expect(fake.calls).toHaveLength(0);
  });

  describe("account linking (written on its own: the Skill Package API does not carry it)", () => {
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

    it("deploys it with the client secret from the variable the file names, after the import", async () => {
      await start();
      const pkg = { ...skillPackage(), accountLinking: linking() };
      const readSecret = (name?: string) => (name === "JOKEBOX_LINKING_SECRET" ? "s3cr3t-value" : undefined);

      const result = await deployModel(ports, input({ pkg, readSecret }));

      expect(result).toMatchObject({ outcome: "deployed", accountLinking: "updated" });
      expect(fake.skill().stages.development.accountLinking?.value).toMatchObject({
        clientId: "jokebox",
        clientSecret: "s3cr3t-value",
      });
      expect(JSON.stringify(result)).not.toContain("s3cr3t-value");
      const order = fake.calls.map((call) => call.route);
      expect(order.lastIndexOf("GET /v1/skills/imports/{importId}")).toBeLessThan(
        order.indexOf("PUT /v1/skills/{skillId}/stages/{stageV2}/accountLinkingClient"),
      );
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
      const attempt = deployModel(ports, input({ pkg, readSecret: () => "x" }));
      await expect(attempt).rejects.toThrow(ConfigError);
      await expect(attempt).rejects.toThrow(
        'skill-package/accountLinking.json: accountLinkingRequest.authorizationUrl must be an HTTPS URL on port 443, got "http://auth.example.com/authorize"; accountLinkingRequest.accessTokenUrl must be an HTTPS URL on port 443, got "https://auth.example.com:8443/token"',
      );
      expect(fake.calls).toHaveLength(0);
    });

    it("names the missing secret variable and never takes a secret from the file", async () => {
      await start();
      const missing = deployModel(
        ports,
        input({ pkg: { ...skillPackage(), accountLinking: linking() }, readSecret: () => undefined }),
      );
      await expect(missing).rejects.toThrow(
        "Environment variable JOKEBOX_LINKING_SECRET (or ASK_ACCOUNT_LINKING_CLIENT_SECRET) is required",
      );
      const inFile = deployModel(
        ports,
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

// Over 350 lines on purpose: the fake's behaviours a client meets, each against the real ask-smapi-sdk client.
import { CustomSmapiClientBuilder } from "ask-smapi-sdk";
import type { v1 } from "ask-smapi-model";
import { strFromU8, unzipSync } from "fflate";
import { FAKE_SKILL_ID, SMAPI_ROUTES, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { matchSpecRoute } from "../../../testkit/fakes/smapi/spec";
import { createSmapiPorts } from "../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../scripts/lib/core/env";
import { buildPackageArchive } from "../../../scripts/lib/package/archive";

/** A raw ask-smapi-sdk client on the fake (the credentials pre-encoded: the SDK does not form-encode them). */
function sdkClient(fake: FakeSmapi, refreshToken = fake.credentials.refreshToken) {
  return new CustomSmapiClientBuilder()
    .withApiEndpoint(fake.smapiUrl)
    .withAuthEndpoint(fake.lwaUrl)
    .withRefreshTokenConfig({
      clientId: encodeURIComponent(fake.credentials.clientId),
      clientSecret: encodeURIComponent(fake.credentials.clientSecret),
      refreshToken: encodeURIComponent(refreshToken),
    })
    .client();
}

const model = (invocationName: string) => ({
  interactionModel: { languageModel: { invocationName, intents: [], types: [] } },
});

async function statusOf(fake: FakeSmapi, polls: number) {
  const client = sdkClient(fake);
  let last;
  for (let i = 0; i < polls; i++) last = await client.getSkillStatusV1(FAKE_SKILL_ID);
  return last;
}

describe("fake Skill Management API", () => {
  let fake: FakeSmapi;

  afterEach(async () => {
    await fake.close();
  });

  it("serves the manifest with an ETag that changes on write and refuses a stale If-Match", async () => {
    fake = await startFakeSmapi();
    const client = sdkClient(fake);

    const read = await client.callGetSkillManifestV1(FAKE_SKILL_ID, "development");
    const etag = read.headers.find((header) => header.key === "etag")?.value;
    expect(etag).toMatch(/^[0-9a-f]{32}$/);

    const write = await client.callUpdateSkillManifestV1(FAKE_SKILL_ID, "development", read.body, etag);
    expect(write.statusCode).toBe(202);
    const reread = await client.callGetSkillManifestV1(FAKE_SKILL_ID, "development");
    expect(reread.headers.find((header) => header.key === "etag")?.value).not.toBe(etag);

    await expect(
      client.updateSkillManifestV1(FAKE_SKILL_ID, "development", read.body, etag),
    ).rejects.toMatchObject({
      statusCode: 412,
    });
  });

  it("builds a model in the configured number of polls and fails the scripted locale with its errors", async () => {
    fake = await startFakeSmapi({
      buildPolls: 3,
      failingLocales: { "de-DE": [{ code: "INVALID_SAMPLE", message: "Sample utterance is invalid" }] },
    });
    const client = sdkClient(fake);
    await client.setInteractionModelV1(FAKE_SKILL_ID, "development", "en-US", model("joke box"));
    await client.setInteractionModelV1(FAKE_SKILL_ID, "development", "de-DE", model("witze kiste"));

    const second = await statusOf(fake, 2);
    expect(second?.interactionModel?.["en-US"].lastUpdateRequest?.status).toBe("IN_PROGRESS");
    const third = await statusOf(fake, 1);
    expect(third?.interactionModel?.["en-US"].lastUpdateRequest?.status).toBe("SUCCEEDED");
    expect(third?.interactionModel?.["de-DE"].lastUpdateRequest).toMatchObject({
      status: "FAILED",
      errors: [{ code: "INVALID_SAMPLE", message: "Sample utterance is invalid" }],
    });
  });

  it("a smart-home skill: its status has no interactionModel; its manifest needs a protocol version and Lambda ARNs", async () => {
    const smartHome = (uri: string): v1.skill.Manifest.SkillManifestEnvelope => ({
      manifest: {
        manifestVersion: "1.0",
        publishingInformation: { locales: { "en-US": { name: "Home Hub" } } },
        apis: {
          smartHome: {
            protocolVersion: "3",
            endpoint: { uri },
            regions: { NA: { endpoint: { uri } } },
          },
        },
      },
    });
    const arn = "arn:aws:lambda:us-east-1:123456789012:function:home-hub";
    fake = await startFakeSmapi({
      buildPolls: 1,
      skills: [{ skillId: FAKE_SKILL_ID, development: { manifest: { ...smartHome(arn) } } }],
    });
    const client = sdkClient(fake);
    const status = await client.getSkillStatusV1(FAKE_SKILL_ID);
    expect(status).toHaveProperty("manifest");
    expect(status).not.toHaveProperty("interactionModel");
    await expect(
      client.updateSkillManifestV1(FAKE_SKILL_ID, "development", smartHome("https://hub.example.com/alexa")),
    ).rejects.toMatchObject({
      statusCode: 400,
      response: {
        violations: [
          expect.objectContaining({ code: "STRING_PATTERN_MISMATCH" }),
          expect.objectContaining({ message: expect.stringContaining("regions.NA.endpoint.uri") }),
        ],
      },
    });
    const unversioned = smartHome(arn);
    delete (unversioned.manifest?.apis?.smartHome as { protocolVersion?: string }).protocolVersion;
    await expect(
      client.updateSkillManifestV1(FAKE_SKILL_ID, "development", unversioned),
    ).rejects.toMatchObject({
      statusCode: 400,
      response: { violations: [expect.objectContaining({ code: "MISSING_REQUIRED_PROPERTY" })] },
    });
    await client.updateSkillManifestV1(FAKE_SKILL_ID, "development", smartHome(`${arn}:live`));
    expect(fake.skill().stages.development.manifest?.value).toEqual(smartHome(`${arn}:live`));
  });

  it("fails the import of a smart-home package whose endpoint is not a Lambda ARN, naming the property", async () => {
    fake = await startFakeSmapi({ importPolls: 1 });
    const { packages } = createSmapiPorts({ env: readEnvironment(fake.env) });
    const manifest = {
      manifest: {
        manifestVersion: "1.0",
        publishingInformation: { locales: { "en-US": { name: "Home Hub" } } },
        apis: { smartHome: { protocolVersion: "3", endpoint: { uri: "https://hub.example.com/alexa" } } },
      },
    };
    const { zip } = buildPackageArchive({ manifest, models: {} });
    const target = await packages.createUploadUrl();
    await packages.upload(target, zip);
    const importId = await packages.importPackage(FAKE_SKILL_ID, target.url);
    const state = await packages.getImport(importId);
    expect(state.status).toBe("FAILED");
    expect(state.resources[0].errors).toEqual([
      expect.objectContaining({
        code: "STRING_PATTERN_MISMATCH",
        path: "$.manifest.apis.smartHome.endpoint.uri",
      }),
    ]);
    expect(fake.skill().stages.development.manifest?.value).not.toEqual(manifest);
  });

  it("fails a manifest update with the scripted errors", async () => {
    fake = await startFakeSmapi({
      buildPolls: 1,
      failingManifest: [{ code: "INVALID_ENDPOINT", message: "The endpoint ARN is not valid" }],
    });
    const client = sdkClient(fake);
    await client.updateSkillManifestV1(FAKE_SKILL_ID, "development", {
      manifest: { publishingInformation: { locales: { "en-US": { name: "Broken" } } } },
    });

    const status = await client.getSkillStatusV1(FAKE_SKILL_ID, "manifest");

    expect(status.manifest?.lastUpdateRequest).toMatchObject({
      status: "FAILED",
      errors: [{ code: "INVALID_ENDPOINT", message: "The endpoint ARN is not valid" }],
    });
    expect(status.interactionModel).toBeUndefined();
  });

  it("locks the development stage while a certification is in progress, then publishes", async () => {
    fake = await startFakeSmapi({ certificationPolls: 2, publicationPolls: 1 });
    const client = sdkClient(fake);
    await client.submitSkillForCertificationV1(FAKE_SKILL_ID, { publicationMethod: "MANUAL_PUBLISHING" });

    await expect(
      client.setInteractionModelV1(FAKE_SKILL_ID, "development", "en-US", model("joke box")),
    ).rejects.toMatchObject({ statusCode: 409 });
    await expect(
      client.submitSkillForCertificationV1(FAKE_SKILL_ID, { publicationMethod: "MANUAL_PUBLISHING" }),
    ).rejects.toMatchObject({ statusCode: 400 });

    expect((await client.getCertificationsListV1(FAKE_SKILL_ID)).items?.[0].status).toBe("IN_PROGRESS");
    expect((await client.getCertificationsListV1(FAKE_SKILL_ID)).items?.[0].status).toBe("SUCCEEDED");
    expect(fake.skill().stages.live).toBeUndefined();

    await client.publishSkillV1(FAKE_SKILL_ID, "en-US");
    expect((await client.getSkillPublicationsV1(FAKE_SKILL_ID, "en-US")).status).toBe("SUCCEEDED");
    expect(fake.skill().liveVersion).toBe("1");
    expect(fake.skill().stages.live?.manifest).toEqual(fake.skill().stages.development.manifest);
  });

  it("fails a scripted certification with a review and rolls the live skill back to an earlier version", async () => {
    fake = await startFakeSmapi({
      certificationPolls: 1,
      certificationOutcomes: ["SUCCEEDED", "FAILED"],
      rollbackPolls: 1,
      skills: [{ skillId: FAKE_SKILL_ID, live: { models: { "en-US": model("old box") } } }],
    });
    const client = sdkClient(fake);
    await client.submitSkillForCertificationV1(FAKE_SKILL_ID, { publicationMethod: "AUTO_PUBLISHING" });
    await client.getCertificationsListV1(FAKE_SKILL_ID);
    expect(fake.skill().liveVersion).toBe("2");

    await client.submitSkillForCertificationV1(FAKE_SKILL_ID, { publicationMethod: "AUTO_PUBLISHING" });
    const failed = (await client.getCertificationsListV1(FAKE_SKILL_ID)).items?.[0];
    expect(failed?.status).toBe("FAILED");
    const review = await client.getCertificationReviewV1(FAKE_SKILL_ID, failed?.id ?? "");
    expect(review.result?.distributionInfo?.publicationFailures?.[0].reason).toMatch(/launch request/);

    const { rollbackRequestId } = await client.rollbackSkillV1(FAKE_SKILL_ID, { targetVersion: "1" });
    expect((await client.getRollbackForSkillV1(FAKE_SKILL_ID, rollbackRequestId ?? "")).status).toBe(
      "SUCCEEDED",
    );
    expect(fake.skill().stages.live?.models["en-US"].value).toEqual(model("old box"));
  });

  it("records a submission's version message on its certification and skill version, within 300 characters", async () => {
    fake = await startFakeSmapi({ certificationPolls: 1, certificationOutcomes: ["FAILED"] });
    const client = sdkClient(fake);
    await expect(
      client.submitSkillForCertificationV1(FAKE_SKILL_ID, {
        publicationMethod: "MANUAL_PUBLISHING",
        versionMessage: "x".repeat(301),
      }),
    ).rejects.toMatchObject({ statusCode: 400 });
    expect(fake.skill().versions).toHaveLength(0);

    await client.submitSkillForCertificationV1(FAKE_SKILL_ID, {
      publicationMethod: "MANUAL_PUBLISHING",
      versionMessage: "v1.2.0: German clips",
    });
    expect(fake.skill().certifications[0].versionMessage).toBe("v1.2.0: German clips");
    await client.getCertificationsListV1(FAKE_SKILL_ID);
    const listed = await client.listVersionsForSkillV1(FAKE_SKILL_ID);
    expect(listed.skillVersions).toEqual([
      expect.objectContaining({
        version: "1",
        message: "v1.2.0: German clips",
        submissions: [expect.objectContaining({ status: "FAILED_CERTIFICATION" })],
      }),
    ]);
  });

  it("answers 429 for a storm of N calls, injects failures at a named call and logs every call", async () => {
    fake = await startFakeSmapi({ latencyMs: 20 });
    const client = sdkClient(fake);
    fake.throttle(2);
    await expect(client.getSkillStatusV1(FAKE_SKILL_ID)).rejects.toMatchObject({ statusCode: 429 });
    await expect(client.getSkillStatusV1(FAKE_SKILL_ID)).rejects.toMatchObject({ statusCode: 429 });
    await client.getSkillStatusV1(FAKE_SKILL_ID);

    const injected = fake.failAt({ call: "updateManifest", when: "after", status: 503 });
    await expect(
      client.updateSkillManifestV1(FAKE_SKILL_ID, "development", {
        manifest: { publishingInformation: { locales: { "en-US": { name: "Changed" } } } },
      }),
    ).rejects.toMatchObject({ statusCode: 503 });
    expect(injected.fired).toBe(1);
    expect(fake.skill().stages.development.manifest?.value).toMatchObject({
      manifest: { publishingInformation: { locales: { "en-US": { name: "Changed" } } } },
    });

    const statusCalls = fake.callsTo("getSkillStatus");
    expect(statusCalls.map((call) => call.status)).toEqual([429, 429, 200]);
    expect(statusCalls[2].endedAt - statusCalls[2].startedAt).toBeGreaterThanOrEqual(19);
    expect(fake.calls.filter((call) => call.service === "lwa")).toHaveLength(1);
  });

  it("refuses a wrong refresh token as LWA does (400 invalid_grant)", async () => {
    fake = await startFakeSmapi();
    const client = sdkClient(fake, "Atzr|wrong");
    await expect(client.getSkillStatusV1(FAKE_SKILL_ID)).rejects.toMatchObject({
      statusCode: 400,
      response: { error: "invalid_grant" },
    });
  });

  it("exchanges an authorization code once, for the redirect URI it was issued to", async () => {
    fake = await startFakeSmapi();
    const code = fake.issueAuthorizationCode("http://127.0.0.1:9090/cb");
    const exchange = (redirectUri: string) =>
      fetch(`${fake.lwaUrl}/auth/o2/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: redirectUri,
          client_id: fake.credentials.clientId,
          client_secret: fake.credentials.clientSecret,
        }),
      });

    const wrongRedirect = await exchange("http://127.0.0.1:9999/cb");
    const first = await exchange("http://127.0.0.1:9090/cb");
    const replayed = await exchange("http://127.0.0.1:9090/cb");

    expect([wrongRedirect.status, first.status, replayed.status]).toEqual([400, 200, 400]);
    expect(await replayed.json()).toMatchObject({ error: "invalid_grant" });
    expect(
      fake.state.lwa.refreshTokens.has(((await first.json()) as { refresh_token: string }).refresh_token),
    ).toBe(true);
  });

  it("refuses a second simulation while one is in progress (409), as the API does", async () => {
    let answer: (() => void) | undefined;
    fake = await startFakeSmapi({
      simulate: () =>
        new Promise((resolve) => {
          answer = () => resolve({});
        }),
    });
    const client = sdkClient(fake);
    const request = { input: { content: "open joke box" }, device: { locale: "en-US" } };

    const started = await client.simulateSkillV2(FAKE_SKILL_ID, "development", request);
    await expect(client.simulateSkillV2(FAKE_SKILL_ID, "development", request)).rejects.toMatchObject({
      statusCode: 409,
    });
    answer?.();
    await new Promise((resolve) => setImmediate(resolve));
    const done = await client.getSkillSimulationV2(FAKE_SKILL_ID, "development", started.id ?? "");
    expect(done.status).toBe("SUCCESSFUL");
  });

  it("exports a stage's package: 202 with its Location, polls, then a zip on the storage's signed URL", async () => {
    fake = await startFakeSmapi({ exportPolls: 2 });
    const client = sdkClient(fake);
    const created = await client.callCreateExportRequestForSkillV1(FAKE_SKILL_ID, "development");
    expect(created.statusCode).toBe(202);
    const location = created.headers.find((header) => header.key === "location")?.value ?? "";
    expect(location).toMatch(/^\/v1\/skills\/exports\/.+/);
    const exportId = location.split("/").pop()!;
    expect((await client.getStatusOfExportRequestV1(exportId)).status).toBe("IN_PROGRESS");
    const done = await client.getStatusOfExportRequestV1(exportId);
    expect(done.status).toBe("SUCCEEDED");
    expect(done.skill?.location).toMatch(new RegExp(`^${fake.storage.url}/exports/.+\\?.*X-Amz-Signature=`));

    const zip = new Uint8Array(await (await fetch(done.skill!.location!)).arrayBuffer());
    const files = unzipSync(zip);
    expect(Object.keys(files)).toEqual(["skill.json"]);
    expect(JSON.parse(strFromU8(files["skill.json"]))).toEqual(
      fake.skill().stages.development.manifest!.value,
    );

    await expect(client.callCreateExportRequestForSkillV1(FAKE_SKILL_ID, "live")).rejects.toMatchObject({
      statusCode: 404,
    });
    expect((await fetch(`${fake.storage.url}/exports/nothing.zip`)).status).toBe(403);
    await expect(fake.close()).rejects.toThrow(/storage: GET \/exports\/nothing\.zip names nothing/);
    fake = await startFakeSmapi();
  });

  it("reports a request outside the OpenAPI document as a violation when closed", async () => {
    fake = await startFakeSmapi();
    const response = await fetch(`${fake.smapiUrl}/v1/skills/${FAKE_SKILL_ID}/not-an-api`);
    expect(response.status).toBe(404);
    await expect(fake.close()).rejects.toThrow(/GET \/v1\/skills\/.*\/not-an-api is not a path and method/);
    fake.violations.length = 0;
  });
});

describe("the fake's routes", () => {
  it("models only operations of the OpenAPI document", () => {
    for (const route of Object.values(SMAPI_ROUTES)) {
      const [method, template] = route.split(" ");
      const concrete = template.replace(/\{[^}]+\}/g, "x");
      expect(matchSpecRoute(method, concrete)?.key).toBe(route);
    }
  });
});

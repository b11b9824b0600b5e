/**
 * The package, validation and beta-test adapters against the fake Skill Management API: what each call is
 * retried on and what it never repeats, the import status mapped to package files, and messages that show
 * neither the upload URL's signature nor a tester's address.
 */
import { createSmapiPorts, SmapiError } from "../../../../scripts/lib/adapters/smapi";
import { readEnvironment } from "../../../../scripts/lib/core/env";
import { FAKE_SKILL_ID, startFakeSmapi, type FakeSmapi } from "../../../../testkit/fakes/smapi";
import { recordingRetry } from "../../../../testkit/retry";
import { deterministicZip } from "../../../../scripts/lib/core/zip";

const { policy: fast } = recordingRetry();

describe("the package, validation and beta-test adapters", () => {
  let fake: FakeSmapi;
  afterEach(async () => {
    await fake.close();
  });

  it("retries a PUT the upload target answers 503, and never a 403", async () => {
    fake = await startFakeSmapi();
    const { packages } = createSmapiPorts({ env: readEnvironment(fake.env), retryPolicy: fast });
    const zip = deterministicZip({ "skill.json": new TextEncoder().encode("{}") });

    fake.uploads.refuseUploads(2, 503);
    await packages.upload(await packages.createUploadUrl(), zip);
    expect(fake.uploads.puts.map((put) => put.status)).toEqual([503, 503, 200]);

    fake.uploads.refuseUploads(1, 403);
    const target = await packages.createUploadUrl();
    const refused = await packages.upload(target, zip).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SmapiError);
    expect((refused as SmapiError).statusCode).toBe(403);
    expect((refused as Error).message).not.toContain(new URL(target.url).search);
    expect(fake.uploads.puts.map((put) => put.status)).toEqual([503, 503, 200, 403]);
  });

  it("never repeats an import whose answer was lost, and maps the import status to the package's files", async () => {
    fake = await startFakeSmapi({
      failingImport: [
        {
          resource: "InteractionModel.de-DE",
          errors: [{ message: "bad", propertyPath: "$.interactionModel" }],
        },
      ],
    });
    const { packages } = createSmapiPorts({ env: readEnvironment(fake.env), retryPolicy: fast });
    const target = await packages.createUploadUrl();
    const model = { interactionModel: { languageModel: { invocationName: "witze kiste", intents: [] } } };
    const text = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    await packages.upload(
      target,
      deterministicZip({
        "skill.json": text({ manifest: { publishingInformation: { locales: {} } } }),
        "interactionModels/custom/de-DE.json": text(model),
      }),
    );

    fake.failAt({ call: "importPackage", status: 503, when: "after" });
    await expect(packages.importPackage(FAKE_SKILL_ID, target.url)).rejects.toThrow(SmapiError);
    expect(fake.callsTo("importPackage")).toHaveLength(1);

    const [id] = [...fake.state.imports.keys()];
    const state = await packages.getImport(id);
    expect(state.status).toBe("FAILED");
    expect(state.resources).toEqual([
      { name: "Manifest", file: "skill.json", status: "SKIPPED", errors: [], warnings: [] },
      {
        name: "InteractionModel.de-DE",
        file: "interactionModels/custom/de-DE.json",
        locale: "de-DE",
        status: "FAILED",
        errors: [{ code: "INVALID", message: "bad", path: "$.interactionModel" }],
        warnings: [],
      },
    ]);
  });

  it("reads a hosted file, and answers undefined for one it cannot read", async () => {
    fake = await startFakeSmapi();
    const { packages } = createSmapiPorts({ env: readEnvironment(fake.env), retryPolicy: fast });
    const url = fake.uploads.host(FAKE_SKILL_ID, "en-US_smallIconUri.png", new Uint8Array([1, 2, 3]));
    expect(await packages.readHostedFile(url)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await packages.readHostedFile(`${fake.uploads.url}/hosted/none.png`)).toBeUndefined();
    expect(await packages.readHostedFile("http://127.0.0.1:1/unreachable.png")).toBeUndefined();
  });

  it("never repeats a validation run or a reminder; a 409 keeps its status for the caller", async () => {
    fake = await startFakeSmapi({ validationPolls: 5 });
    const { validations, betaTest } = createSmapiPorts({ env: readEnvironment(fake.env), retryPolicy: fast });

    fake.failAt({ call: "submitValidation", status: 503 });
    await expect(validations.submitValidation(FAKE_SKILL_ID, "development", ["en-US"])).rejects.toThrow(
      SmapiError,
    );
    expect(fake.callsTo("submitValidation")).toHaveLength(1);

    await validations.submitValidation(FAKE_SKILL_ID, "development", ["en-US"]);
    const busy = await validations
      .submitValidation(FAKE_SKILL_ID, "development", ["en-US"])
      .catch((e: unknown) => e);
    expect((busy as SmapiError).statusCode).toBe(409);

    await betaTest.createBetaTest(FAKE_SKILL_ID);
    await betaTest.addTesters(FAKE_SKILL_ID, ["ana@example.com"]);
    fake.failAt({ call: "sendReminder", status: 503 });
    await expect(betaTest.sendReminder(FAKE_SKILL_ID, ["ana@example.com"])).rejects.toThrow(SmapiError);
    expect(fake.callsTo("sendReminder")).toHaveLength(1);
    // Adding testers is safe to repeat: retried.
    fake.failAt({ call: "addTesters", status: 503 });
    await betaTest.addTesters(FAKE_SKILL_ID, ["ben@example.com"]);
    expect(fake.callsTo("addTesters").map((call) => call.status)).toEqual([204, 503, 204]);
    expect((await betaTest.listTesters(FAKE_SKILL_ID)).map((t) => t.email)).toEqual([
      "ana@example.com",
      "ben@example.com",
    ]);
  });
});

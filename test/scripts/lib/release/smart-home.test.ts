/**
 * The release engine on a skill package without interaction models: the smart-home sample's
 * (`examples/home-hub/skill-package`: `apis.smartHome`, account linking, seven locales, no models), released
 * through certification, published, changed in code only, rolled back and withdrawn against the fake Skill
 * Management API and the Lambda model. Certification-aware exactly as a custom skill, minus models and builds.
 */
import { ConfigError } from "../../../../scripts/lib/core/errors";
import { ModelBuildError } from "../../../../scripts/lib/package/deploy";
import { CanaryBreachError } from "../../../../scripts/lib/release/canary/run";
import { publish, release, rollback, watch, withdraw } from "../../../../scripts/lib/release/operations";
import {
  HOME_HUB_PACKAGE,
  HOME_HUB_SECRET,
  modelHashOf,
  releaseAndPublish,
  prodOutputs,
  startReleaseWorld,
  type ReleaseWorld,
} from "../../../../testkit/release-world";

const { blue, green } = prodOutputs.aliasEndpoints!;
const dev = prodOutputs.developmentEndpoint;
const LOCALES = ["de-DE", "en-AU", "en-GB", "en-US", "fr-CA", "fr-FR", "ja-JP"];

/** The routes of the interaction-model API: a release of a smart-home skill calls none of them. */
const MODEL_ROUTES = ["getInteractionModel", "setInteractionModel"] as const;

function modelCalls(w: ReleaseWorld): number {
  return MODEL_ROUTES.reduce((sum, route) => sum + w.fake.callsTo(route).length, 0);
}

/** A world whose development stage holds an older package (its manifest differs), on the dev endpoint. */
async function smartHomeWorld(options: Parameters<typeof startReleaseWorld>[0] = {}): Promise<ReleaseWorld> {
  const w = await startReleaseWorld({ packageRoot: HOME_HUB_PACKAGE, ...options });
  w.changeManifest();
  return w;
}

describe("releases without interaction models (the smart-home sample)", () => {
  let w: ReleaseWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("first release: the package goes up with no build to wait for, account linking with its secret, validated, submitted", async () => {
    w = await smartHomeWorld();
    const result = await release(w.deps(), w.releaseInput({ message: "Home Hub 1.0" }));

    expect(result.plan.path).toBe("candidate");
    expect(result.plan.summary).toContain("imported, with no interaction model to build");
    expect(result.plan.steps.find((step) => step.kind === "deploy-model")).toMatchObject({
      withoutModels: true,
    });
    const state = w.world();
    expect(state.versions[1]).toMatchObject({
      codeSha256: w.bundle,
      tag: "v1.0.0",
      model: modelHashOf(w.pkg),
    });
    expect(state.aliases.blue).toMatchObject({ version: "2", change: "candidate", replaced: "1" });
    expect(state.developmentEndpoint).toBe(blue);
    expect(state.developmentHasPackage).toBe(true);
    expect(state.certifications).toEqual([
      { status: "IN_PROGRESS", publicationMethod: "MANUAL_PUBLISHING", versionMessage: "Home Hub 1.0" },
    ]);
    // The manifest went up with apis.smartHome on the candidate, in every region; no model read, set or built.
    const development = w.fake.skill().stages.development;
    expect(development.manifest?.value).toMatchObject({
      manifest: {
        apis: {
          smartHome: {
            protocolVersion: "3",
            endpoint: { uri: blue },
            regions: { NA: { endpoint: { uri: blue } }, EU: { endpoint: { uri: blue } } },
          },
        },
      },
    });
    expect(development.models).toEqual({});
    expect(modelCalls(w)).toBe(0);
    const imported = [...w.fake.state.imports.values()].at(-1);
    expect(imported?.resources.map((resource) => resource.name)).toEqual(["Manifest"]);
    // Account linking (not part of the package import) carries the secret from the environment variable.
    expect(development.accountLinking?.value).toMatchObject({
      type: "AUTH_CODE",
      clientId: "alexa-home-hub",
      clientSecret: HOME_HUB_SECRET,
    });
    // Alexa's validations ran for every locale the manifest publishes, on the stage as submitted.
    expect(w.fake.callsTo("submitValidation")[0].body).toEqual({ locales: LOCALES });
  });

  it("a refused import stops before the candidate is exposed, with the manifest's errors; the re-run submits once", async () => {
    w = await smartHomeWorld({
      failingImport: [
        {
          resource: "Manifest",
          errors: [
            {
              code: "INVALID_DATA_TYPE",
              message: "supportedControls must be an object",
              propertyPath: "$.manifest.apis.smartHome.supportedControls",
            },
          ],
        },
      ],
    });
    const failed = release(w.deps(), w.releaseInput());
    await expect(failed).rejects.toBeInstanceOf(ModelBuildError);
    await expect(failed).rejects.toThrow(
      /^The import of the skill package \(import [^)]+\) failed:\n {2}manifest \(skill\.json\):\n {4}- \$\.manifest\.apis\.smartHome\.supportedControls: INVALID_DATA_TYPE: supportedControls must be an object/,
    );
    let state = w.world();
    expect(state).toMatchObject({ submissions: 0, developmentEndpoint: dev, developmentHasPackage: false });

    w.fake.knobs.failingImport = undefined;
    await release(w.deps(), w.releaseInput());
    state = w.world();
    expect(state).toMatchObject({ submissions: 1, developmentEndpoint: blue, developmentHasPackage: true });
    expect(state.versions).toHaveLength(2);
  });

  it("certified, published: live on blue, development back on dev; releasing again changes nothing", async () => {
    w = await smartHomeWorld();
    await release(w.deps(), w.releaseInput());
    expect(await watch(w.deps())).toMatchObject({
      outcome: "certified",
      readyToPublish: true,
      colour: "blue",
    });
    expect((await publish(w.deps(), { dryRun: false })).plan.path).toBe("publish");
    expect(w.world()).toMatchObject({ liveEndpoint: blue, developmentEndpoint: dev, liveVersion: "1" });

    const again = await release(w.deps(), w.releaseInput());
    expect(again.plan.path).toBe("noop");
    expect(w.world().submissions).toBe(1);
    expect(modelCalls(w)).toBe(0);
  });

  it("a code-only release moves the live alias with no certification; rollback moves it back", async () => {
    w = await smartHomeWorld();
    await releaseAndPublish(w);
    w.newCode();
    const result = await release(w.deps(), w.releaseInput({ allAtOnce: true }));
    expect(result.plan.path).toBe("code-only");
    let state = w.world();
    expect(state.aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
    expect(state.submissions).toBe(1);
    expect(state.liveEndpoint).toBe(blue);

    const back = await rollback(w.deps(), { force: false, dryRun: false });
    expect(back.plan.path).toBe("code");
    state = w.world();
    expect(state.aliases.blue).toMatchObject({ version: "2" });
    expect(state.liveEndpoint).toBe(blue);
    expect(modelCalls(w)).toBe(0);
  });

  it("a code-only release's canary is judged on Lambda's signals when the skill reports none of its own", async () => {
    w = await smartHomeWorld();
    await releaseAndPublish(w);
    w.newCode();
    w.metrics.healthy("2", { requests: 0, invocations: 108 }).healthy("3", { requests: 0, invocations: 12 });
    const result = await release(w.canaryDeps(), w.releaseInput());
    expect(result.plan.path).toBe("canary");
    expect(w.aliasMoves.map((move) => [move.version, move.weights])).toEqual([
      ["2", { "3": 0.1 }],
      ["3", {}],
    ]);
    expect(w.world().aliases.blue).toMatchObject({ version: "3", change: "code", replaced: "2" });
  });

  it("a canary whose Lambda errors breach goes back to the old version at once", async () => {
    w = await smartHomeWorld();
    await releaseAndPublish(w);
    w.newCode();
    w.metrics
      .healthy("2", { requests: 0, invocations: 108 })
      .breach("3", { requests: 0, invocations: 12, errors: 6 });
    await expect(release(w.canaryDeps(), w.releaseInput())).rejects.toBeInstanceOf(CanaryBreachError);
    expect(w.aliasMoves.at(-1)).toMatchObject({ version: "2", weights: {} });
    expect(w.world().liveEndpoint).toBe(blue);
  });

  it("a manifest change goes through certification on green; rollback returns the skill to blue", async () => {
    w = await smartHomeWorld();
    await releaseAndPublish(w);
    w.changeManifest();
    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.path).toBe("candidate");
    expect(w.world()).toMatchObject({ developmentEndpoint: green, submissions: 2 });
    expect(w.world().aliases.green).toMatchObject({
      version: "2",
      change: "candidate",
      model: modelHashOf(w.pkg),
    });
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    expect(w.world()).toMatchObject({ liveEndpoint: green, developmentEndpoint: dev, liveVersion: "2" });

    const back = await rollback(w.deps(), { force: false, dryRun: false });
    expect(back.plan.path).toBe("skill");
    expect(w.world()).toMatchObject({ liveEndpoint: blue, liveVersion: "1" });
  });

  it("an account linking change alone goes through certification, and reaches the live stage once published", async () => {
    w = await smartHomeWorld();
    await releaseAndPublish(w);
    const linking = structuredClone(w.pkg.accountLinking!) as { accountLinkingRequest: { scopes: string[] } };
    linking.accountLinkingRequest.scopes.push("scenes:control");
    w.pkg = { ...w.pkg, accountLinking: linking };

    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.path).toBe("candidate");
    expect(w.world()).toMatchObject({ developmentEndpoint: green, submissions: 2 });
    const scopes = (stage: "development" | "live") =>
      (w.fake.skill().stages[stage]?.accountLinking?.value as { scopes?: string[] } | undefined)?.scopes;
    expect(scopes("development")).toEqual(["devices:read", "devices:control", "scenes:control"]);
    expect(scopes("live")).toEqual(["devices:read", "devices:control"]);

    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    expect(scopes("live")).toEqual(["devices:read", "devices:control", "scenes:control"]);
    expect((await release(w.deps(), w.releaseInput())).plan.path).toBe("noop");
  });

  it("refuses to roll the live alias back to code built for another package unless forced", async () => {
    w = await smartHomeWorld();
    await releaseAndPublish(w);
    w.newCode();
    w.changeManifest();
    await release(w.deps(), w.releaseInput());
    await watch(w.deps());
    await publish(w.deps(), { dryRun: false });
    expect(w.world()).toMatchObject({ liveEndpoint: green });
    expect(w.world().aliases.green).toMatchObject({ version: "3", model: modelHashOf(w.pkg) });

    const refused = rollback(w.deps(), { to: "2", force: false, dryRun: false });
    await expect(refused).rejects.toThrow(
      new RegExp(
        `^Version 2 \\(v1\\.0\\.0\\) was built for skill package [0-9a-f]{12}, but the live stage has package ${modelHashOf(w.pkg)}`,
      ),
    );
    expect(w.world().aliases.green.version).toBe("3");
    expect((await rollback(w.deps(), { to: "2", force: true, dryRun: false })).plan.path).toBe("code");
    expect(w.world().aliases.green.version).toBe("2");
  });

  it("certification failing: the review is returned and the development stage goes back to dev", async () => {
    w = await smartHomeWorld({ certificationOutcomes: ["FAILED"] });
    await release(w.deps(), w.releaseInput());
    const watched = await watch(w.deps());
    expect(watched).toMatchObject({ outcome: "failed", readyToPublish: false, restoredDevelopment: true });
    expect(w.world()).toMatchObject({ developmentEndpoint: dev, liveEndpoint: undefined });
  });

  it("withdraw during a pending certification puts the development stage back; a re-run does nothing", async () => {
    w = await smartHomeWorld({ certificationPolls: 50 });
    await release(w.deps(), w.releaseInput());
    expect((await withdraw(w.deps(), { reason: "DISCOVERED_ISSUE", dryRun: false })).plan.path).toBe(
      "withdraw",
    );
    expect(w.world().certifications[0].status).toBe("CANCELLED");
    expect(w.world().developmentEndpoint).toBe(dev);
    expect((await withdraw(w.deps(), { reason: "DISCOVERED_ISSUE", dryRun: false })).plan.path).toBe("noop");
  });

  it("a missing account linking secret stops the release before its first change", async () => {
    w = await smartHomeWorld();
    const failed = release(w.deps({ readSecret: () => undefined }), w.releaseInput());
    await expect(failed).rejects.toBeInstanceOf(ConfigError);
    await expect(failed).rejects.toThrow(
      /HOME_HUB_LINKING_CLIENT_SECRET \(or ASK_ACCOUNT_LINKING_CLIENT_SECRET\) is required/,
    );
    const state = w.world();
    expect(state.versions).toHaveLength(1);
    expect(state.aliases.blue.version).toBe("1");
    expect(state.developmentEndpoint).toBe(dev);
    expect(w.lambda.calls.filter((call) => /^(Publish|Update)/.test(call.command))).toEqual([]);
    expect(w.fake.calls.filter((call) => call.method !== "GET" && call.service === "smapi")).toEqual([]);
  });

  it("the stage check before submission still catches another writer of the development stage", async () => {
    w = await smartHomeWorld();
    const deps = w.deps();
    const skills = deps.skills;
    let written = false;
    // Another job rewrites the manifest after the release's validations (e.g. the developer console).
    const wrapped: typeof skills = Object.create(skills);
    wrapped.getManifest = async (...args) => {
      if (!written && w.fake.callsTo("submitValidation").length > 0) {
        written = true;
        const stage = w.fake.skill().stages.development;
        const value = structuredClone(stage.manifest!.value) as { manifest: { apis: object } };
        value.manifest.apis = { smartHome: { protocolVersion: "3", endpoint: { uri: dev } } };
        stage.manifest = { ...stage.manifest!, value };
      }
      return skills.getManifest(...args);
    };
    await expect(release({ ...deps, skills: wrapped }, w.releaseInput())).rejects.toThrow(
      /changed while the release waited/,
    );
    expect(w.world().submissions).toBe(0);
  });
});

/**
 * Releases across Alexa's three regions against the fake Skill Management API and one Lambda model per AWS
 * region (real adapters): every region publishes its own version (numbers differ), every region's alias moves,
 * every regional endpoint is written, a rollback moves them all back, and a failure in one region leaves no
 * region on other code than the rest; a re-run converges.
 */
import { ConfigError, UsageError } from "../../../../scripts/lib/core/errors";
import { publish, release, rollback, watch } from "../../../../scripts/lib/release/operations";
import { readStatus } from "../../../../scripts/lib/release/status";
import { FAKE_SKILL_ID } from "../../../../testkit/fakes/smapi";
import {
  aliasCodes,
  regionalOutputs,
  stageEndpoints,
  startRegionalWorld,
  type RegionalWorld,
} from "../../../../testkit/regional-world";

const regions = regionalOutputs.alexaRegions!;

/** First release certified and published: blue live everywhere. */
async function liveOnBlue(w: RegionalWorld): Promise<void> {
  await release(w.deps(), w.releaseInput());
  expect((await watch(w.deps())).readyToPublish).toBe(true);
  await publish(w.deps(), { dryRun: false });
}

describe("releases across three regions", () => {
  let w: RegionalWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("a certification release publishes in every region (own numbers), moves every idle alias and points every regional endpoint", async () => {
    w = await startRegionalWorld();
    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.path).toBe("candidate");
    expect(result.plan.steps.map((step) => step.kind).slice(0, 3)).toEqual([
      "publish-version",
      "publish-replica-versions",
      "move-alias",
    ]);
    expect(w.alias("blue")).toEqual({
      "eu-west-1": { version: "2", code: w.base.bundle, replaced: "1" },
      "us-east-1": { version: "2", code: w.base.bundle, replaced: "1" },
      "us-west-2": { version: "3", code: w.base.bundle, replaced: "1" },
    });
    expect(result.result?.replicaVersions).toEqual({ "us-east-1": "2", "us-west-2": "3" });
    expect(stageEndpoints(w, "development")).toEqual({
      default: regionalOutputs.aliasEndpoints!.blue,
      NA: regions.NA!.aliasEndpoints!.blue,
      EU: regions.EU!.aliasEndpoints!.blue,
      FE: regions.FE!.aliasEndpoints!.blue,
    });
    expect(w.base.world().certifications).toHaveLength(1);

    expect((await watch(w.deps())).readyToPublish).toBe(true);
    await publish(w.deps(), { dryRun: false });
    expect(stageEndpoints(w, "live")).toEqual({
      default: regionalOutputs.aliasEndpoints!.blue,
      NA: regions.NA!.aliasEndpoints!.blue,
      EU: regions.EU!.aliasEndpoints!.blue,
      FE: regions.FE!.aliasEndpoints!.blue,
    });
    // Back on the dev stack: each region on the dev stack's function of that region.
    expect(stageEndpoints(w, "development")).toEqual({
      default: regionalOutputs.developmentEndpoint,
      NA: regions.NA!.developmentEndpoint,
      EU: regions.EU!.developmentEndpoint,
      FE: regions.FE!.developmentEndpoint,
    });
    expect((await release(w.deps(), w.releaseInput())).plan.path).toBe("noop");
  });

  it("a code-only release moves every region's live alias; a rollback moves them all back", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    const before = w.alias("blue");
    const code = w.newCode();
    const result = await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(result.plan.path).toBe("code-only");
    expect(w.alias("blue")).toEqual({
      "eu-west-1": { version: "3", code, replaced: "2" },
      "us-east-1": { version: "3", code, replaced: "2" },
      "us-west-2": { version: "4", code, replaced: "3" },
    });

    const back = await rollback(w.deps(), { force: false, dryRun: false });
    expect(back.plan.path).toBe("code");
    expect(Object.fromEntries(Object.entries(w.alias("blue")).map(([r, a]) => [r, a.version]))).toEqual(
      Object.fromEntries(Object.entries(before).map(([r, a]) => [r, a.version])),
    );
    expect(aliasCodes(w, "blue")).toEqual([before["eu-west-1"].code]);
  });

  it("a region throttled past the retries: the regions already moved go back, then a re-run moves them all", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    const old = aliasCodes(w, "blue");
    w.newCode();
    w.regions["us-west-2"].fail({ command: "UpdateAlias", times: 20 });
    await expect(release(w.deps(), w.releaseInput({ tag: "v1.1.0" }))).rejects.toThrow(
      /Moving the live alias blue in FE \(us-west-2\) failed: .*The blue alias was put back in NA \(us-east-1\) \(version 2\)\. No region serves other code than before\./,
    );
    expect(aliasCodes(w, "blue")).toEqual(old);

    w.regions["us-west-2"].heal();
    const again = await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(again.plan.path).toBe("code-only");
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
  });

  it("a concurrent change (412) in the home region: the replicas go back; the re-run converges", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    const old = aliasCodes(w, "blue");
    w.newCode();
    const home = w.regions["eu-west-1"];
    await expect(
      release(
        w.deps({
          onPlan: () =>
            home.touchAlias("blue", home.aliases.blue.functionVersion, home.aliases.blue.description),
        }),
        w.releaseInput({ tag: "v1.1.0" }),
      ),
    ).rejects.toThrow(
      /Moving the live alias blue in the home region failed: .*put back in FE \(us-west-2\).*NA \(us-east-1\)/,
    );
    expect(aliasCodes(w, "blue")).toEqual(old);
    await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
  });

  it("a timeout after the home alias moved counts as done: nothing is put back", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    w.newCode();
    w.regions["eu-west-1"].fail({ command: "UpdateAlias", when: "after", error: "interrupt", times: 1 });
    const result = await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(result.plan.path).toBe("code-only");
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
  });

  it("a region that could not be put back is put in line by the next run before anything else", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    const old = aliasCodes(w, "blue")[0];
    w.newCode();
    // FE refuses every move; NA moves, then refuses to go back.
    w.regions["us-west-2"].fail({ command: "UpdateAlias", times: 20 });
    w.regions["us-east-1"].fail({ command: "UpdateAlias", nth: 2, times: 20 });
    await expect(release(w.deps(), w.releaseInput({ tag: "v1.1.0" }))).rejects.toThrow(
      /could not be put back in NA \(us-east-1\).*run the command again/,
    );
    expect(w.alias("blue")["us-east-1"].code).toBe(w.base.bundle);
    expect(w.alias("blue")["eu-west-1"].code).toBe(old);

    // The re-run moves what is left: FE, then the home alias; NA is already there.
    w.regions["us-west-2"].heal();
    w.regions["us-east-1"].heal();
    const dry = await release(w.deps(), w.releaseInput({ tag: "v1.1.0", dryRun: true }));
    const move = dry.plan.steps.find((step) => step.kind === "move-alias");
    expect(move?.kind === "move-alias" && move.replicas?.map((part) => part.awsRegion)).toEqual([
      "us-west-2",
    ]);
    await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
  });

  it("an alias a plan does not move, left on other code in one region, is put back in line first", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    // Someone pointed FE's green at the old experiment; green is not what a code-only release moves.
    w.regions["us-west-2"].touchAlias("green", "2");
    w.newCode();
    const result = await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(result.plan.steps[0]).toMatchObject({ kind: "publish-version" });
    expect(result.plan.steps.find((step) => step.kind === "align-replicas")).toMatchObject({
      colour: "green",
      homeVersion: "1",
      replicas: [{ awsRegion: "us-west-2", from: "2", to: { kind: "existing", version: "1" } }],
    });
    expect(aliasCodes(w, "green")).toEqual(["pulumi-initial="]);
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
    // Nothing left to do anywhere.
    expect((await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }))).plan.path).toBe("noop");
  });

  it("status shows each region's aliases, with its own numbers, and a region whose code differs", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    w.regions["us-east-1"].touchAlias("green", "2");
    const deps = w.deps();
    const report = await readStatus(
      { skills: deps.skills, functions: deps.functions, replicas: deps.replicas ?? [] },
      { skillId: FAKE_SKILL_ID, outputs: regionalOutputs },
    );
    expect(report.regions).toEqual([
      {
        alexaRegions: ["EU"],
        awsRegion: "eu-west-1",
        home: true,
        aliases: {
          blue: { version: "2", codeSha256: w.base.bundle },
          green: { version: "1", codeSha256: "pulumi-initial=" },
        },
        inLine: true,
      },
      {
        alexaRegions: ["NA"],
        awsRegion: "us-east-1",
        home: false,
        aliases: {
          blue: { version: "2", codeSha256: w.base.bundle },
          green: { version: "2", codeSha256: w.base.bundle },
        },
        inLine: false,
      },
      {
        alexaRegions: ["FE"],
        awsRegion: "us-west-2",
        home: false,
        aliases: {
          blue: { version: "3", codeSha256: w.base.bundle },
          green: { version: "1", codeSha256: "pulumi-initial=" },
        },
        inLine: true,
      },
    ]);
  });

  it("a release with nothing to do still puts a region back in line", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    w.regions["us-east-1"].touchAlias("blue", "1");
    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.path).toBe("align-regions");
    expect(result.plan.summary).toMatch(
      /^Nothing to do: .* But not every region serves the same code: the NA \(us-east-1\) blue alias goes back in line/,
    );
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
    expect((await release(w.deps(), w.releaseInput())).plan.path).toBe("noop");
  });

  it("refuses a package whose regions are not the stack's, with the fix, before any call", async () => {
    w = await startRegionalWorld();
    const custom = (
      w.base.pkg.manifest.manifest as { apis: { custom: { regions: Record<string, unknown> } } }
    ).apis.custom;
    custom.regions = { NA: {}, EU: {} };
    const calls = w.regions["eu-west-1"].calls.length;
    await expect(release(w.deps(), w.releaseInput())).rejects.toThrow(ConfigError);
    await expect(release(w.deps(), w.releaseInput())).rejects.toThrow(
      /manifest\.apis\.custom\.regions lists NA, EU, but the stack "prod" serves NA, EU, FE with regional endpoints: add "FE": \{\} under manifest\.apis\.custom\.regions/,
    );
    expect(w.regions["eu-west-1"].calls.length).toBe(calls);
  });

  it("a canary left on the home alias from before the stack served several regions: release refuses, rollback ends it", async () => {
    w = await startRegionalWorld();
    await liveOnBlue(w);
    const old = aliasCodes(w, "blue");
    w.newCode();
    // A single-region release, its bake cut short: the home alias keeps a share on the new version.
    const single = w.base.canaryDeps({
      wait: { pollIntervalMs: 1, timeoutMs: 1, now: w.base.clock.now, sleep: w.base.clock.sleep },
    });
    await expect(
      release(single, w.releaseInput({ tag: "v1.1.0", canarySteps: [{ percent: 10, bakeMinutes: 10 }] })),
    ).rejects.toThrow();
    expect(w.regions["eu-west-1"].aliases.blue.weights).not.toEqual({});

    await expect(release(w.deps(), w.releaseInput({ tag: "v1.1.0" }))).rejects.toThrow(
      /a canary is in progress on the home region's live alias: end it with `skillship rollback`/,
    );
    await rollback(w.deps(), { force: false, dryRun: false });
    expect(w.regions["eu-west-1"].aliases.blue.weights).toEqual({});
    expect(aliasCodes(w, "blue")).toEqual(old);
  });

  it("a region added after the last release: the idle alias it cannot serve is left, the release goes ahead", async () => {
    w = await startRegionalWorld();
    // FE came later: its first version is today's build, not the code the home region's aliases started on.
    const fe = w.regions["us-west-2"];
    fe.versions.splice(0, fe.versions.length, { version: "1", codeSha256: w.base.bundle, description: "" });
    const result = await release(w.deps(), w.releaseInput());
    expect(result.plan.path).toBe("candidate");
    expect(result.plan.summary).toContain(
      "The home region's green (version 1, code pulumi-initial=) is older than some region",
    );
    expect(result.plan.steps.some((step) => step.kind === "align-replicas")).toBe(false);
    expect(aliasCodes(w, "blue")).toEqual([w.base.bundle]);
    expect(w.alias("blue")["us-west-2"]).toMatchObject({ version: "1" });
  });

  it("refuses --canary-steps: every region's live alias moves at once", async () => {
    w = await startRegionalWorld();
    await expect(
      release(w.deps(), w.releaseInput({ canarySteps: [{ percent: 10, bakeMinutes: 5 }] })),
    ).rejects.toThrow(UsageError);
  });
});

/**
 * The smart-home sample (`examples/home-hub`: no interaction models, account linking) released across Alexa's three
 * regions, as issue 15 asks: certification with every region's function and regional endpoint, publication, a
 * code-only release that one region fails mid-way (the others are put back; the re-run converges), and a rollback
 * that moves every region back. Against the fake Skill Management API and one Lambda model per AWS region.
 */
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
import { HOME_HUB_PACKAGE, HOME_HUB_SECRET } from "../../../../testkit/release-world";

const regions = regionalOutputs.alexaRegions!;

/** The routes of the interaction-model API: a smart-home release calls none of them. */
function modelCalls(w: RegionalWorld): number {
  return ["getInteractionModel", "setInteractionModel"].reduce(
    (sum, route) => sum + w.base.fake.callsTo(route).length,
    0,
  );
}

describe("the smart-home sample across three regions", () => {
  let w: RegionalWorld;
  afterEach(async () => {
    await w?.close();
  });

  it("goes through certification in every region with no model, is published, then a failed region converges and a rollback moves all", async () => {
    w = await startRegionalWorld({ packageRoot: HOME_HUB_PACKAGE });

    // Certification: every region publishes its own version of the code, the candidate's endpoints are regional.
    const first = await release(w.deps(), w.releaseInput({ message: "Home Hub 1.0" }));
    expect(first.plan.path).toBe("candidate");
    expect(first.plan.steps.find((step) => step.kind === "deploy-model")).toMatchObject({
      withoutModels: true,
    });
    expect(w.alias("blue")).toEqual({
      "eu-west-1": { version: "2", code: w.base.bundle, replaced: "1" },
      "us-east-1": { version: "2", code: w.base.bundle, replaced: "1" },
      "us-west-2": { version: "3", code: w.base.bundle, replaced: "1" },
    });
    expect(stageEndpoints(w, "development")).toEqual({
      default: regionalOutputs.aliasEndpoints!.blue,
      NA: regions.NA!.aliasEndpoints!.blue,
      EU: regions.EU!.aliasEndpoints!.blue,
      FE: regions.FE!.aliasEndpoints!.blue,
    });
    const linking = w.base.fake.skill(FAKE_SKILL_ID).stages.development?.accountLinking?.value as
      { clientSecret?: string } | undefined;
    expect(linking?.clientSecret).toBe(HOME_HUB_SECRET);
    expect(modelCalls(w)).toBe(0);

    expect((await watch(w.deps())).readyToPublish).toBe(true);
    await publish(w.deps(), { dryRun: false });
    expect(stageEndpoints(w, "live")).toEqual({
      default: regionalOutputs.aliasEndpoints!.blue,
      NA: regions.NA!.aliasEndpoints!.blue,
      EU: regions.EU!.aliasEndpoints!.blue,
      FE: regions.FE!.aliasEndpoints!.blue,
    });
    const certified = aliasCodes(w, "blue");
    expect(certified).toEqual([w.base.bundle]);

    // A code-only release that FE refuses past the retries: the regions already moved go back.
    const code = w.newCode();
    w.regions["us-west-2"].fail({ command: "UpdateAlias", times: 20 });
    await expect(release(w.deps(), w.releaseInput({ tag: "v1.1.0" }))).rejects.toThrow(
      /Moving the live alias blue in FE \(us-west-2\) failed: .*put back in NA \(us-east-1\).*No region serves other code than before\./,
    );
    expect(aliasCodes(w, "blue")).toEqual(certified);

    // The re-run converges: every region serves the new code, each under its own number.
    w.regions["us-west-2"].heal();
    const again = await release(w.deps(), w.releaseInput({ tag: "v1.1.0" }));
    expect(again.plan.path).toBe("code-only");
    expect(aliasCodes(w, "blue")).toEqual([code]);
    const deps = w.deps();
    const status = await readStatus(
      { skills: deps.skills, functions: deps.functions, replicas: deps.replicas ?? [] },
      { skillId: FAKE_SKILL_ID, outputs: regionalOutputs },
    );
    expect(status.api).toBe("smartHome");
    expect(status.regions?.map((region) => [region.awsRegion, region.inLine])).toEqual([
      ["eu-west-1", true],
      ["us-east-1", true],
      ["us-west-2", true],
    ]);

    // Rollback: every region goes back to the certified code, all or none.
    const back = await rollback(w.deps(), { force: false, dryRun: false });
    expect(back.plan.path).toBe("code");
    expect(aliasCodes(w, "blue")).toEqual(certified);
    expect(modelCalls(w)).toBe(0);
  });
});

/**
 * The release commands on a stack with regional endpoints, through the CLI: one Lambda client per AWS region
 * (each region's calls answered by that region's model), the regions' own version numbers in `--json`, `status`
 * showing each region, and a package whose regions are not the stack's refused with the fix.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createLambdaModel, mockRegions, type LambdaModel } from "../../../testkit/fakes/lambda";
import type { FakeSmapi } from "../../../testkit/fakes/smapi";
import { regionalOutputs } from "../../../testkit/regional-world";
import { releaseCommand, runCli, startReleaseCli, writeOutputs, type ReleaseCli } from "./cli-harness";

const BUNDLE = "regional-bundle=";

describe("skillship release and status with regional endpoints", () => {
  let cli: ReleaseCli;
  let fake: FakeSmapi;
  let models: Record<string, LambdaModel>;
  let restore: () => void;

  /** Lists `regions` under the package's `apis.custom`. */
  const listRegions = (regions: string[]): void => {
    const file = join(cli.pkg, "skill.json");
    const document = JSON.parse(readFileSync(file, "utf8")) as {
      manifest: { apis: { custom: Record<string, unknown> } };
    };
    document.manifest.apis.custom.regions = Object.fromEntries(regions.map((region) => [region, {}]));
    writeFileSync(file, JSON.stringify(document, null, 2));
  };

  beforeEach(async () => {
    cli = await startReleaseCli(BUNDLE);
    fake = cli.fake;
    // The harness's model answers every client; here each region's model answers its own region's clients.
    cli.lambda.restore();
    const na = createLambdaModel({ functionName: cli.lambda.functionName, region: "us-east-1" });
    const fe = createLambdaModel({ functionName: cli.lambda.functionName, region: "us-west-2" });
    fe.deploy("an-old-experiment=");
    fe.versions.push({ version: "2", codeSha256: "an-old-experiment=", description: "by hand" });
    for (const model of [na, fe]) model.deploy(BUNDLE);
    models = { "eu-west-1": cli.lambda, "us-east-1": na, "us-west-2": fe };
    restore = mockRegions(Object.values(models)).restore;
    cli.outputs = writeOutputs(regionalOutputs as unknown as Record<string, unknown>);
  });

  afterEach(async () => {
    restore();
    for (const model of Object.values(models)) model.restore();
    await fake.close();
  });

  it("publishes and moves the idle alias in every region, each with its own number, and status shows them", async () => {
    listRegions(["NA", "EU", "FE"]);
    const released = await runCli(
      [...releaseCommand(cli, "v1.0.0"), "--json", "--poll-interval", "1ms", "--timeout", "20s"],
      cli.env,
    );
    expect(released.code).toBe(0);
    const document = JSON.parse(released.stdout) as {
      path: string;
      version: string;
      replicaVersions: object;
    };
    expect(document).toMatchObject({ path: "candidate", version: "2" });
    expect(document.replicaVersions).toEqual({ "us-east-1": "2", "us-west-2": "3" });
    expect(
      Object.fromEntries(Object.entries(models).map(([r, m]) => [r, m.aliases.blue.functionVersion])),
    ).toEqual({
      "eu-west-1": "2",
      "us-east-1": "2",
      "us-west-2": "3",
    });
    // Each region's client went to its own region.
    expect(models["us-west-2"].count("PublishVersion")).toBe(1);

    const status = await runCli(["status", "--outputs", cli.outputs], cli.env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/EU eu-west-1 \(home\)[\s│]+2[\s│]+1[\s│]+same as home/);
    expect(status.stdout).toMatch(/NA us-east-1[\s│]+2[\s│]+1[\s│]+same as home/);
    expect(status.stdout).toMatch(/FE us-west-2[\s│]+3[\s│]+1[\s│]+same as home/);
  });

  it("refuses a package whose regions are not the stack's, with the fix, before any Lambda call", async () => {
    listRegions(["NA", "EU"]);
    const refused = await runCli(releaseCommand(cli, "v1.0.0"), cli.env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'manifest.apis.custom.regions lists NA, EU, but the stack "prod" serves NA, EU, FE with regional endpoints: ' +
        'add "FE": {} under manifest.apis.custom.regions',
    );
    expect(Object.values(models).map((model) => model.calls.length)).toEqual([0, 0, 0]);
  });
});

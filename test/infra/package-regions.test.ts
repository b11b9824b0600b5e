/**
 * A smart-home stack without `skillship:alexaRegions` serves the Alexa regions of the locales its skill package
 * publishes (Alexa sends each user's directives to the endpoint of their locale's region); a custom skill keeps
 * one endpoint unless the key asks for more. The key, when set, wins.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseStackConfig, type RawStackConfig } from "../../infra/config";
import { StackConfigError } from "../../infra/errors";
import { assertManifestRegions } from "../../scripts/lib/package/regions";
import { stackOutputsSchema } from "../../scripts/lib/stack/outputs";
import {
  type ProgramRun,
  PROGRAM_RUN_GUARD_MS,
  fakeBundle,
  runProgram,
  skillId,
  smartHomeProject,
} from "./support/program";

const repoRoot = path.resolve(__dirname, "..", "..");
const homeHub = path.join(repoRoot, "examples", "home-hub");

function parse(raw: Partial<RawStackConfig> & Pick<RawStackConfig, "values">) {
  return parseStackConfig({ stackName: "dev", ...raw, values: { skillId, ...raw.values } });
}

function problems(raw: Partial<RawStackConfig> & Pick<RawStackConfig, "values">): readonly string[] {
  try {
    parse(raw);
  } catch (error) {
    if (error instanceof StackConfigError) return error.problems;
    throw error;
  }
  throw new Error("the configuration was accepted");
}

describe("the home-hub sample's dev stack, with no alexaRegions", () => {
  let run: ProgramRun;
  beforeAll(async () => {
    run = await runProgram({
      stack: "dev",
      cwd: homeHub,
      config: { "aws:region": "us-east-1", skillId, skillKind: "smartHome", bundleDir: fakeBundle() },
    });
  }, PROGRAM_RUN_GUARD_MS);

  it("deploys the function in the AWS region of every Alexa region its locales need", () => {
    expect(run.error).toBeUndefined();
    const functions = run.ofType("aws:lambda/function:Function");
    expect(functions.map((fn) => fn.awsRegion).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    const outputs = stackOutputsSchema.parse(run.outputs);
    expect(Object.keys(outputs.alexaRegions ?? {})).toEqual(["NA", "EU", "FE"]);
  });

  it("serves exactly the regions the sample's manifest lists, so a release accepts it", () => {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(homeHub, "skill-package", "skill.json"), "utf8"),
    ).manifest;
    const outputs = stackOutputsSchema.parse(run.outputs);
    expect(Object.keys(outputs.alexaRegions ?? {})).toEqual(Object.keys(manifest.apis.smartHome.regions));
    expect(() => assertManifestRegions(manifest, outputs, path.join(homeHub, "skill-package"))).not.toThrow();
  });
});

describe("the regions a stack serves without alexaRegions", () => {
  it("are those of the package's locales for a smartHome skill, in Amazon's order", () => {
    const config = parse({
      values: { skillKind: "smartHome" },
      awsRegion: "eu-west-1",
      root: smartHomeProject(["ja-JP", "de-DE", "en-GB"]),
    });
    expect(config.alexaRegions).toEqual([
      { alexaRegion: "EU", awsRegion: "eu-west-1" },
      { alexaRegion: "FE", awsRegion: "us-west-2" },
    ]);
  });

  it("are none when every locale is in one region, which the stack's own function serves (the lint agrees)", () => {
    const root = smartHomeProject(["en-US", "fr-CA", "es-MX"]);
    const config = parse({ values: { skillKind: "smartHome" }, awsRegion: "us-east-1", root });
    expect(config.alexaRegions).toBeUndefined();
    expect(problems({ values: { skillKind: "smartHome" }, awsRegion: "eu-west-1", root })).toEqual([
      expect.stringContaining(
        "(aws:region = eu-west-1) serves none of NA: set aws:region to one of us-east-1 (NA)",
      ),
    ]);
  });

  it("follow a package the project file points at, found from a subfolder as the CLI finds it", () => {
    const root = smartHomeProject([]);
    fs.writeFileSync(
      path.join(root, "skillship.json"),
      JSON.stringify({ kind: "smartHome", skillPackage: "alexa/package" }),
    );
    fs.mkdirSync(path.join(root, "alexa", "package"), { recursive: true });
    fs.writeFileSync(
      path.join(root, "alexa", "package", "skill.json"),
      JSON.stringify({ manifest: { publishingInformation: { locales: { "en-AU": {}, "en-US": {} } } } }),
    );
    fs.mkdirSync(path.join(root, "infra"));
    const config = parse({
      values: { skillKind: "smartHome" },
      awsRegion: "us-west-2",
      root: path.join(root, "infra"),
    });
    expect(config.alexaRegions).toEqual([
      { alexaRegion: "NA", awsRegion: "us-east-1" },
      { alexaRegion: "FE", awsRegion: "us-west-2" },
    ]);
  });

  it("are the key's when it is set, whatever the package says", () => {
    const config = parse({
      values: { skillKind: "smartHome", alexaRegions: "NA" },
      awsRegion: "us-east-1",
      root: smartHomeProject(["en-GB", "ja-JP"]),
    });
    expect(config.alexaRegions).toEqual([{ alexaRegion: "NA", awsRegion: "us-east-1" }]);
  });

  it("are none for a custom skill, which does not read the package at all", () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "skillship-no-package-"));
    expect(parse({ values: {}, awsRegion: "eu-west-1", root: empty }).alexaRegions).toBeUndefined();
  });
});

describe("a smartHome stack whose package cannot say which regions", () => {
  const fix = 'or set skillship:alexaRegions to the regions to serve (e.g. "NA,EU,FE")';

  it("names the missing skill.json, and both ways out", () => {
    const root = smartHomeProject([]);
    fs.rmSync(path.join(root, "skill-package"), { recursive: true });
    expect(problems({ values: { skillKind: "smartHome" }, awsRegion: "eu-west-1", root })).toEqual([
      "skillship:alexaRegions is unset, so this smartHome stack serves the Alexa regions of its skill package's " +
        `locales, but ${path.join(root, "skill-package", "skill.json")} does not exist: run Pulumi in the ` +
        `project's folder (where skillship.json is), ${fix}`,
    ]);
  });

  it("names a package that publishes no locale", () => {
    const root = smartHomeProject([]);
    expect(problems({ values: { skillKind: "smartHome" }, awsRegion: "eu-west-1", root })).toEqual([
      expect.stringContaining(
        `${path.join(root, "skill-package", "skill.json")} publishes no locale ` +
          "(manifest.publishingInformation.locales is empty)",
      ),
    ]);
  });

  it("names a locale no Alexa region serves", () => {
    const root = smartHomeProject(["en-GB", "xx-XX"]);
    expect(problems({ values: { skillKind: "smartHome" }, awsRegion: "eu-west-1", root })).toEqual([
      expect.stringContaining(
        `no Alexa region serves xx-XX (${path.join(root, "skill-package", "skill.json")}): fix the locale, ${fix}`,
      ),
    ]);
  });

  it("names a project file that is not JSON", () => {
    const root = smartHomeProject(["en-GB"]);
    fs.writeFileSync(path.join(root, "skillship.json"), "{ kind: smartHome");
    expect(problems({ values: { skillKind: "smartHome" }, awsRegion: "eu-west-1", root })).toEqual([
      expect.stringMatching(new RegExp(`but ${path.join(root, "skillship.json")} is not valid JSON \\(`)),
    ]);
  });

  it("says which locales need which region when aws:region serves none of them", () => {
    const root = smartHomeProject(["en-US", "ja-JP"]);
    const file = path.join(root, "skill-package", "skill.json");
    expect(problems({ values: { skillKind: "smartHome" }, awsRegion: "eu-west-1", root })).toEqual([
      `skillship:alexaRegions is unset, so this smartHome stack serves the regions of the locales of ${file} ` +
        "(NA for en-US; FE for ja-JP): a smartHome skill's functions must live in the AWS region paired with " +
        "each Alexa region it serves, and the stack's own region (aws:region = eu-west-1) serves none of NA,FE: " +
        "set aws:region to one of us-east-1 (NA), us-west-2 (FE), or set skillship:alexaRegions to the regions " +
        "to serve",
    ]);
  });
});

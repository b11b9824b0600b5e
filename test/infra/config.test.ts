import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type RawStackConfig, parseStackConfig, projectRoot } from "../../infra/config";
import { StackConfigError } from "../../infra/errors";
import { fakeBundle, runProgram, skillId } from "./support/program";

const prodBasics = { skillId, githubRepository: "acme/jokebox", stateBucket: "acme-pulumi-state" };

function parse(values: RawStackConfig["values"], stackName = "dev", secrets?: RawStackConfig["secrets"]) {
  return parseStackConfig({ values, stackName, secrets });
}

/** The problems a config is rejected with (fails the test when it is accepted). */
function problems(values: RawStackConfig["values"], stackName = "dev", secrets?: RawStackConfig["secrets"]) {
  try {
    parse(values, stackName, secrets);
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as StackConfigError).problems;
  }
  throw new Error("the configuration was accepted");
}

describe("parseStackConfig", () => {
  it("applies the documented defaults to a dev stack", () => {
    const config = parse({ skillId });
    expect(config).toMatchObject({
      project: "skillship",
      stage: "dev",
      prefix: "skillship-dev",
      skillKind: "custom",
      endpointKind: "lambda",
      releaseAliases: false,
      memorySize: 512,
      timeout: 8,
      architecture: "arm64",
      logRetentionDays: 30,
      alarms: {
        errors: 1,
        throttles: 1,
        p99DurationMs: 7000,
        periodSeconds: 60,
        evaluationPeriods: 1,
        actions: [],
      },
      https: { throttleBurst: 100, throttleRate: 50 },
      media: {},
    });
    expect(config.bundleDir).toBe(path.join(projectRoot, "dist", "skill"));
    expect(config.pipeline).toBeUndefined();
  });

  it("gives prod release aliases and the pipeline by default", () => {
    const config = parse(prodBasics, "prod");
    expect(config.releaseAliases).toBe(true);
    expect(config.pipeline).toMatchObject({ owner: "acme", name: "jokebox", subjectFormat: "repo" });
    expect(config.pipeline!.github).toBeUndefined();
  });

  it("reads numbers, booleans and lists from their Pulumi config text", () => {
    const config = parse({
      skillId,
      memorySize: "1024",
      releaseAliases: "true",
      alarmActions: '["arn:aws:sns:eu-west-1:123456789012:oncall"]',
      mediaFolder: "media",
    });
    expect(config.memorySize).toBe(1024);
    expect(config.releaseAliases).toBe(true);
    expect(config.alarms.actions).toEqual(["arn:aws:sns:eu-west-1:123456789012:oncall"]);
    expect(config.media.folder).toBe(path.join(projectRoot, "media"));
  });

  it("fails on a missing skill id, naming the key", () => {
    expect(problems({})).toEqual([
      expect.stringMatching(/^skillship:skillId: is required: "amzn1\.ask\.skill\."/),
    ]);
  });

  it.each([
    ["amzn1.ask.skill.not-a-uuid"],
    ["amzn1.ask.skill.11111111-2222-4333-8444-55555555555"],
    ["amzn1.echo-sdk-ams.app.11111111-2222-4333-8444-555555555555"],
  ])("fails on the malformed skill id %s", (value) => {
    expect(problems({ skillId: value })).toEqual([
      `skillship:skillId: expected "amzn1.ask.skill." followed by a UUID (got ${JSON.stringify(value)})`,
    ]);
  });

  it("fails on an unknown endpoint kind", () => {
    expect(problems({ skillId, endpointKind: "grpc" })).toEqual([
      'skillship:endpointKind: expected "lambda" or "https" (got "grpc")',
    ]);
  });

  it.each([["acme"], ["acme/jokebox/extra"], ["https://github.com/acme/jokebox"], [""]])(
    "fails on the GitHub repository %j, which is not owner/name",
    (value) => {
      expect(problems({ ...prodBasics, githubRepository: value }, "prod")).toEqual([
        expect.stringMatching(/^skillship:githubRepository: expected "owner\/name"/),
      ]);
    },
  );

  it("reports every problem at once", () => {
    const found = problems({
      skillId: "nope",
      endpointKind: "grpc",
      memorySize: "64",
      logRetentionDays: "13",
    });
    expect(found.map((problem) => problem.split(":").slice(0, 2).join(":")).sort()).toEqual([
      "skillship:endpointKind",
      "skillship:logRetentionDays",
      "skillship:memorySize",
      "skillship:skillId",
    ]);
  });

  it("names a key it does not know, so a typo is not silently ignored", () => {
    expect(problems({ skillId, skilId: skillId })).toEqual([
      expect.stringMatching(/^skillship:skilId is not a key this program reads/),
    ]);
  });

  it.each<[string, RawStackConfig["values"], string, RegExp]>([
    [
      "pipeline without repository",
      { skillId, stateBucket: "b-b-b" },
      "prod",
      /^skillship:githubRepository: is required/,
    ],
    [
      "pipeline without state bucket",
      { skillId, githubRepository: "a/b" },
      "prod",
      /^skillship:stateBucket: is required/,
    ],
    [
      "id subjects without ids",
      { ...prodBasics, githubSubjectFormat: "id", githubOwnerId: "1" },
      "prod",
      /^skillship:githubRepositoryId: is required when skillship:githubSubjectFormat is "id"/,
    ],
    [
      "smartHome over https",
      { skillId, skillKind: "smartHome", endpointKind: "https" },
      "dev",
      /^skillship:endpointKind:/,
    ],
    [
      "a stack that is neither dev nor prod",
      { skillId },
      "staging",
      /^skillship:stage: is required when the stack/,
    ],
    [
      "p99 beyond the timeout",
      { skillId, timeout: "3", alarmP99DurationMs: "5000" },
      "dev",
      /^skillship:alarmP99DurationMs:/,
    ],
    [
      "a missing media folder",
      { skillId, mediaFolder: "no-such-folder" },
      "dev",
      /^skillship:mediaFolder: folder .* does not exist/,
    ],
    [
      "a prefix with the media folder",
      { skillId, mediaFolder: "media", mediaPrefix: "x/" },
      "dev",
      /^skillship:mediaPrefix:/,
    ],
    [
      "a development endpoint on dev",
      { skillId, developmentEndpoint: "https://example.com/alexa" },
      "dev",
      /^skillship:developmentEndpoint: only a stack with release aliases/,
    ],
    [
      "a bad development endpoint",
      { ...prodBasics, developmentEndpoint: "lambda-x" },
      "prod",
      /^skillship:developmentEndpoint:/,
    ],
    [
      "an architecture Lambda lacks",
      { skillId, architecture: "riscv" },
      "dev",
      /^skillship:architecture: expected "arm64" or "x86_64"/,
    ],
  ])("fails on %s", (_label, values, stackName, message) => {
    expect(problems(values, stackName)).toEqual([expect.stringMatching(message)]);
  });

  it("requires reviewers when a GitHub token is configured, without printing the token", () => {
    const token = "ghp_secret_token_value";
    const found = problems(prodBasics, "prod", { githubToken: pulumi.secret(token) });
    expect(found).toEqual([
      expect.stringMatching(/^skillship:githubReviewers: the production environment needs/),
    ]);
    expect(found.join("\n")).not.toContain(token);
  });
  it("refuses Login with Amazon secrets it would not write anywhere", () => {
    expect(problems(prodBasics, "prod", { askClientSecret: pulumi.secret("lwa-secret") })).toEqual([
      expect.stringMatching(
        /^skillship:askClientSecret: is written to the repository only with skillship:githubToken/,
      ),
    ]);
  });
});

describe("the canary settings", () => {
  it("gives a prod stack the documented defaults, a dev stack none", () => {
    expect(parse(prodBasics, "prod").canary).toEqual({
      steps: [{ percent: 10, bakeMinutes: 10 }],
      minRequests: 100,
      maxErrorRate: 5,
      maxErrorRateIncrease: 2,
      maxLatencyMs: 3000,
      pollSeconds: 30,
    });
    expect(parse({ skillId }).canary).toBeUndefined();
    // The latency ceiling stays under a shorter timeout.
    expect(parse({ ...prodBasics, timeout: "2" }, "prod").canary?.maxLatencyMs).toBe(2000);
  });

  it("reads every key from its Pulumi config text", () => {
    const config = parse(
      {
        ...prodBasics,
        canarySteps: "5%:15m,50%:1h",
        canaryMinRequests: "40",
        canaryMaxErrorRate: "1.5",
        canaryMaxErrorRateIncrease: "0.5",
        canaryMaxLatencyMs: "1200",
        canaryPollSeconds: "60",
      },
      "prod",
    );
    expect(config.canary).toEqual({
      steps: [
        { percent: 5, bakeMinutes: 15 },
        { percent: 50, bakeMinutes: 60 },
      ],
      minRequests: 40,
      maxErrorRate: 1.5,
      maxErrorRateIncrease: 0.5,
      maxLatencyMs: 1200,
      pollSeconds: 60,
    });
    expect(parse({ ...prodBasics, canarySteps: "none" }, "prod").canary?.steps).toEqual([]);
  });

  it("reports every problem of every canary key at once, each naming its key", () => {
    const found = problems(
      {
        ...prodBasics,
        canarySteps: "50%:10m,20%:0m",
        canaryMinRequests: "-1",
        canaryMaxErrorRate: "150",
        canaryMaxErrorRateIncrease: "two",
        canaryMaxLatencyMs: "0",
        canaryPollSeconds: "5",
      },
      "prod",
    );
    expect(found).toEqual([
      'skillship:canarySteps: step 2 "20%:0m": the bake must be from 1m to 24h (got "50%:10m,20%:0m")',
      'skillship:canarySteps: step 2 "20%:0m": the share must grow from one step to the next (after 50%) (got "50%:10m,20%:0m")',
      'skillship:canaryMinRequests: expected at least 0 (got "-1")',
      'skillship:canaryMaxErrorRate: expected at most 100 (percent) (got "150")',
      'skillship:canaryMaxErrorRateIncrease: expected a number of percent (got "two")',
      'skillship:canaryMaxLatencyMs: expected at least 1 (got "0")',
      'skillship:canaryPollSeconds: expected at least 10 (got "5")',
    ]);
  });

  it("checks the canary against the timeout and its own bakes, every problem at once", () => {
    expect(
      problems(
        {
          ...prodBasics,
          timeout: "3",
          canaryMaxLatencyMs: "5000",
          canarySteps: "10%:1m",
          canaryPollSeconds: "90",
        },
        "prod",
      ),
    ).toEqual([
      "skillship:canaryMaxLatencyMs: 5000 ms is beyond the function timeout (skillship:timeout = 3 s), so no " +
        "request could breach it; choose a value below it",
      "skillship:canaryPollSeconds: 90 s is longer than the shortest bake (1m in skillship:canarySteps): the " +
        "signals would not be read during it",
    ]);
  });

  it("refuses canary keys on a stack without release aliases", () => {
    expect(problems({ skillId, canarySteps: "10%:5m", canaryMinRequests: "10" })).toEqual([
      "skillship:canarySteps: only a stack with release aliases (prod) runs canaries; remove it from this stack",
      "skillship:canaryMinRequests: only a stack with release aliases (prod) runs canaries; remove it from this stack",
    ]);
  });
});

describe("the program on bad input", () => {
  it("stops before any resource with a message naming the key", async () => {
    const run = await runProgram({
      stack: "prod",
      config: { skillId: "amzn1.ask.skill.x", githubRepository: "acme" },
    });
    expect(run.error).toBeInstanceOf(Error);
    expect(run.error!.message).toContain("skillship:skillId");
    expect(run.error!.message).toContain("skillship:githubRepository");
    expect(run.resources).toHaveLength(0);
  });

  it("stops before any resource when the bundle is missing, saying run npm run build", async () => {
    const bundleDir = fakeBundle();
    fs.rmSync(path.join(bundleDir, "skill.zip"));
    const run = await runProgram({ stack: "dev", config: { skillId, bundleDir } });
    expect(run.error!.message).toBe(
      `The skill bundle ${path.join(bundleDir, "skill.zip")} is missing: run npm run build (before pulumi preview/up)`,
    );
    expect(run.resources).toHaveLength(0);
  });

  it("stops when build.json lacks the code sha256", async () => {
    const bundleDir = fakeBundle();
    fs.writeFileSync(path.join(bundleDir, "build.json"), JSON.stringify({ rawBytes: 1 }));
    const run = await runProgram({ stack: "dev", config: { skillId, bundleDir } });
    expect(run.error!.message).toMatch(/build\.json: codeSha256 .*run npm run build again/);
    expect(run.resources).toHaveLength(0);
  });
});

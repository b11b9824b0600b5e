// Over 350 lines on purpose: one test per key and per cross-key rule of the app stacks' configuration.
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { type RawAdminConfig, parseAdminConfig } from "../../infra/admin-config";
import { type RawStackConfig, parseStackConfig, projectRoot, stackKindOf } from "../../infra/config";
import { StackConfigError } from "../../infra/errors";
import { fakeBundle, runProgram, skillId, smartHomeProject } from "./support/program";

const prodBasics = { skillId };

function parse(values: RawStackConfig["values"], stackName = "dev", secretKeys?: string[]) {
  return parseStackConfig({ values, stackName, secretKeys });
}

/** The problems `attempt` is rejected with (fails the test when it is accepted). */
function problemsOf(attempt: () => unknown): readonly string[] {
  try {
    attempt();
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as StackConfigError).problems;
  }
  throw new Error("the configuration was accepted");
}

function problems(values: RawStackConfig["values"], stackName = "dev", secretKeys?: string[]) {
  return problemsOf(() => parse(values, stackName, secretKeys));
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
        api5xx: 1,
        actions: [],
      },
      alertEmails: [],
      https: { throttleBurst: 100, throttleRate: 50 },
      media: {},
    });
    expect(config.bundleDir).toBe(path.join(projectRoot, "dist", "skill"));
    expect(config.reservedConcurrency).toBeUndefined();
  });

  it("gives prod release aliases by default", () => {
    expect(parse(prodBasics, "prod").releaseAliases).toBe(true);
  });

  it("reads numbers, booleans and lists from their Pulumi config text", () => {
    const config = parse({
      skillId,
      memorySize: "1024",
      releaseAliases: "true",
      alarmActions: '["arn:aws:sns:eu-west-1:123456789012:oncall"]',
      alarmEmails: '["oncall@example.com"]',
      reservedConcurrency: "20",
      mediaFolder: "media",
    });
    expect(config.alertEmails).toEqual(["oncall@example.com"]);
    expect(config.reservedConcurrency).toBe(20);
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

  it("fails on smartHome over https, blaming endpointKind alone", () => {
    const attempt = () =>
      parseStackConfig({
        values: { skillId, skillKind: "smartHome", endpointKind: "https" },
        stackName: "dev",
        awsRegion: "eu-west-1",
        root: smartHomeProject(["en-GB"]),
      });
    expect(problemsOf(attempt)).toEqual([
      'skillship:endpointKind: a smartHome skill is served by Lambda only: use "lambda"',
    ]);
  });

  it.each<[string, RawStackConfig["values"], string, RegExp]>([
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
    [
      "an alert address that is not one",
      { skillId, alarmEmails: '["oncall"]' },
      "dev",
      /^skillship:alarmEmails: expected an email address/,
    ],
    [
      "no reserved concurrency at all",
      { skillId, reservedConcurrency: "0" },
      "dev",
      /^skillship:reservedConcurrency: expected at least 1/,
    ],
  ])("fails on %s", (_label, values, stackName, message) => {
    expect(problems(values, stackName)).toEqual([expect.stringMatching(message)]);
  });
});

describe("secrets in an app stack (issue 12, part 1)", () => {
  it("refuses a secure value, naming the key, the stack file and where it belongs, never the value", () => {
    const found = problems(
      { skillId, githubToken: "ghp_decrypted_token_value", askClientSecret: "lwa-secret" },
      "prod",
      ["skillship:githubToken", "skillship:askClientSecret", "aws:secretKey"],
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^skillship:githubToken is a secret \(secure: in Pulumi\.prod\.yaml\), and the app stacks hold none: .*pulumi config rm --stack prod skillship:githubToken.*pulumi config set --secret --stack admin skillship:githubToken/,
      ),
      expect.stringMatching(/^skillship:askClientSecret is a secret .*administrator-only stack/),
      expect.stringMatching(/^aws:secretKey is a secret .*a secret of the GitHub environment that needs it/),
    ]);
    expect(found.join("\n")).not.toContain("ghp_decrypted_token_value");
    expect(found.join("\n")).not.toContain("lwa-secret");
  });

  it("refuses a secret under a key the program does not even read", () => {
    expect(problems({ skillId, apiKey: "x" }, "dev", ["skillship:apiKey"])).toEqual([
      expect.stringMatching(/^skillship:apiKey is a secret \(secure: in Pulumi\.dev\.yaml\)/),
    ]);
  });

  it.each(["githubRepository", "stateBucket", "stateKmsKeyArn", "githubReviewers", "pipeline"])(
    "sends the pipeline key %s to the admin stack",
    (key) => {
      expect(problems({ skillId, [key]: "x" }, "prod")).toEqual([
        `skillship:${key} configures the delivery pipeline, which the administrator-only stack declares: move it from Pulumi.prod.yaml to Pulumi.admin.yaml`,
      ]);
    },
  );

  it("is refused by the program run as Pulumi runs it, before any resource (Pulumi's own secret flag)", async () => {
    const run = await runProgram({
      stack: "prod",
      config: { skillId, bundleDir: fakeBundle() },
      secrets: { githubToken: "ghp_not_a_real_token", "aws:secretKey": "aws-secret" },
    });
    expect(run.error?.message).toMatch(/skillship:githubToken is a secret \(secure: in Pulumi\.prod\.yaml\)/);
    expect(run.error?.message).toMatch(/aws:secretKey is a secret/);
    expect(run.error?.message).not.toContain("ghp_not_a_real_token");
    expect(run.resources).toHaveLength(0);
  });
});

describe("which configuration a stack has", () => {
  it("is the admin one for the stack named admin or with stage admin, the app one otherwise", () => {
    expect(stackKindOf({}, "admin")).toBe("admin");
    expect(stackKindOf({ stage: "admin" }, "pipeline")).toBe("admin");
    expect(stackKindOf({ stage: "prod" }, "admin")).toBe("app");
    expect(stackKindOf({}, "prod")).toBe("app");
  });
});

describe("parseAdminConfig", () => {
  const adminBasics = { githubRepository: "acme/jokebox", stateBucket: "acme-pulumi-state" };
  const parseAdmin = (values: RawAdminConfig["values"], extra: Partial<RawAdminConfig> = {}) =>
    parseAdminConfig({ values, stackName: "admin", ...extra });
  const adminProblems = (values: RawAdminConfig["values"], extra: Partial<RawAdminConfig> = {}) =>
    problemsOf(() => parseAdmin(values, extra));

  it("applies the defaults: repo subjects, the app stacks of this project in the self-managed backend", () => {
    expect(parseAdmin(adminBasics)).toMatchObject({
      stage: "admin",
      stackName: "admin",
      prefix: "skillship-pipeline",
      source: { owner: "acme", name: "jokebox", subjectFormat: "repo" },
      backend: { kind: "s3", bucket: "acme-pulumi-state" },
      stacks: { dev: "organization/skillship/dev", prod: "organization/skillship/prod" },
    });
    expect(parseAdmin(adminBasics).github).toBeUndefined();
  });

  it("names the Pulumi Cloud organization's stacks with Pulumi Cloud", () => {
    expect(parseAdmin({ githubRepository: "acme/jokebox", pulumiOrganization: "acme" })).toMatchObject({
      backend: { kind: "cloud", organization: "acme" },
      stacks: { dev: "acme/skillship/dev", prod: "acme/skillship/prod" },
    });
  });

  it.each<[string, RawAdminConfig["values"], RegExp]>([
    ["no repository", { stateBucket: "b-b-b" }, /^skillship:githubRepository: is required/],
    [
      "no backend",
      { githubRepository: "a/b" },
      /^skillship:stateBucket or skillship:pulumiOrganization: set exactly one/,
    ],
    [
      "both backends",
      { ...adminBasics, pulumiOrganization: "acme" },
      /^skillship:stateBucket or skillship:pulumiOrganization: set exactly one/,
    ],
    [
      "id subjects without ids",
      { ...adminBasics, githubSubjectFormat: "id", githubOwnerId: "1" },
      /^skillship:githubRepositoryId: is required when skillship:githubSubjectFormat is "id"/,
    ],
    [
      "one key for both kinds of stacks",
      {
        ...adminBasics,
        appStateKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1111",
        adminStateKmsKeyArn: "arn:aws:kms:eu-west-1:123456789012:key/1111",
      },
      /^skillship:adminStateKmsKeyArn: the admin stack needs a key of its own/,
    ],
    [
      "a skill key",
      { ...adminBasics, skillId },
      /^skillship:skillId is not a key of the administrator-only stack/,
    ],
    ...["acme", "acme/jokebox/extra", "https://github.com/acme/jokebox", ""].map(
      (repository): [string, RawAdminConfig["values"], RegExp] => [
        `the repository ${JSON.stringify(repository)}, which is not owner/name`,
        { ...adminBasics, githubRepository: repository },
        /^skillship:githubRepository: expected "owner\/name"/,
      ],
    ),
  ])("fails on %s", (_label, values, message) => {
    expect(adminProblems(values)).toEqual([expect.stringMatching(message)]);
  });

  it("requires reviewers when a GitHub token is configured, without printing the token", () => {
    const token = "ghp_secret_token_value";
    const found = adminProblems(adminBasics, { secrets: { githubToken: pulumi.secret(token) } });
    expect(found).toEqual([
      expect.stringMatching(/^skillship:githubReviewers: the production environment needs/),
    ]);
    expect(found.join("\n")).not.toContain(token);
  });

  it("refuses Login with Amazon secrets it would not write anywhere", () => {
    expect(adminProblems(adminBasics, { secrets: { askClientSecret: pulumi.secret("lwa-secret") } })).toEqual(
      [
        expect.stringMatching(
          /^skillship:askClientSecret: is written to the repository only with skillship:githubToken/,
        ),
      ],
    );
  });

  it("refuses a secret key stored in plain text", () => {
    expect(adminProblems({ ...adminBasics, githubToken: "ghp_plain" })).toEqual([
      expect.stringMatching(/^skillship:githubToken is in plain text in Pulumi\.admin\.yaml: .*--secret/),
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
      config: { skillId: "amzn1.ask.skill.x", memorySize: "64" },
    });
    expect(run.error).toBeInstanceOf(Error);
    expect(run.error!.message).toContain("skillship:skillId");
    expect(run.error!.message).toContain("skillship:memorySize");
    expect(run.resources).toHaveLength(0);
  });

  it("stops the admin stack before any resource too", async () => {
    const run = await runProgram({ stack: "admin", config: { githubRepository: "acme" } });
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

import {
  GetAliasCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListVersionsByFunctionCommand,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { formatAliasRecord, formatVersionRecord } from "../../../scripts/lib/release/records";
import { FAKE_SKILL_ID, minimalManifest, startFakeSmapi, type FakeSmapi } from "../../../testkit/fakes/smapi";
import { plainEnv, runCli, writeOutputs } from "./cli-harness";

const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-prod";
const outputs = {
  skillId: FAKE_SKILL_ID,
  stack: "prod",
  endpointKind: "lambda",
  functionName: "jokebox-prod",
  functionArn: FUNCTION,
  developmentEndpoint: "arn:aws:lambda:eu-west-1:123456789012:function:jokebox-dev",
  aliasEndpoints: { blue: `${FUNCTION}:blue`, green: `${FUNCTION}:green` },
};

function manifestWithEndpoint(uri: string): Record<string, unknown> {
  const manifest = minimalManifest() as { manifest: { apis: { custom: { endpoint: { uri: string } } } } };
  manifest.manifest.apis.custom.endpoint.uri = uri;
  return manifest;
}

const lambda = mockClient(LambdaClient);

function lambdaWithReleases(): void {
  lambda.reset();
  lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: "latest-code=", RevisionId: "r1" });
  lambda.on(GetAliasCommand, { Name: "blue" }).resolves({
    Name: "blue",
    FunctionVersion: "3",
    RevisionId: "rb",
    Description: formatAliasRecord({
      change: "code",
      replaced: "2",
      model: "aaaaaaaaaaaa",
      at: "2026-11-01T10:00:00Z",
    }),
  });
  lambda.on(GetAliasCommand, { Name: "green" }).resolves({
    Name: "green",
    FunctionVersion: "4",
    RevisionId: "rg",
    Description: formatAliasRecord({
      change: "candidate",
      replaced: "1",
      model: "bbbbbbbbbbbb",
      at: "2026-11-20T10:00:00Z",
    }),
  });
  lambda.on(ListVersionsByFunctionCommand).resolves({
    Versions: [
      { Version: "$LATEST", CodeSha256: "latest-code=", Description: "" },
      {
        Version: "3",
        CodeSha256: "code-3=",
        Description: formatVersionRecord({
          tag: "v1.0.0",
          commit: "0123456789abcdef",
          bundle: "code-3=",
          model: "aaaaaaaaaaaa",
        }),
      },
      {
        Version: "4",
        CodeSha256: "code-4=",
        Description: formatVersionRecord({
          tag: "v1.1.0",
          commit: "fedcba9876543210",
          bundle: "code-4=",
          model: "bbbbbbbbbbbb",
        }),
      },
    ],
  });
}

describe("skillship status", () => {
  let fake: FakeSmapi;

  beforeEach(async () => {
    lambdaWithReleases();
    fake = await startFakeSmapi({
      certificationPolls: 1000,
      skills: [
        {
          skillId: FAKE_SKILL_ID,
          development: { manifest: manifestWithEndpoint(outputs.aliasEndpoints.green) },
          live: { manifest: manifestWithEndpoint(outputs.aliasEndpoints.blue) },
        },
      ],
    });
    fake.skill().certifications.push({
      id: "cert-9",
      status: "IN_PROGRESS",
      submittedAt: "2026-11-20T10:05:00.000Z",
      publicationMethod: "MANUAL_PUBLISHING",
      pollsLeft: 1000,
      outcome: "SUCCEEDED",
      review: [],
      version: "2",
    });
  });

  afterEach(async () => {
    await fake.close();
  });

  afterAll(() => lambda.restore());

  it("shows each stage's endpoint, the release behind each alias, the live colour and the certification", async () => {
    const result = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });

    expect(result.stderr).not.toContain("skillship:");
    expect(result.stderr).not.toContain("warning:");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Skill ${FAKE_SKILL_ID} (prod stack, lambda endpoint)`);
    expect(result.stdout).toMatch(/│ development │ \S+:green\s+│ green alias\s+│/);
    expect(result.stdout).toMatch(/│ live\s+│ \S+:blue\s+│ blue alias\s+│/);
    expect(result.stdout).toMatch(
      /│ blue\s+│ 3\s+│ v1\.0\.0\s+│ 0123456789ab │ aaaaaaaaaaaa │ live\s+│ 2\s+│/,
    );
    expect(result.stdout).toMatch(
      /│ green\s+│ 4\s+│ v1\.1\.0\s+│ fedcba987654 │ bbbbbbbbbbbb │ candidate │ 1\s+│/,
    );
    expect(result.stdout).toContain("$LATEST of jokebox-prod: code sha256 latest-code=");
    expect(result.stdout).toContain("Certification cert-9: IN_PROGRESS, submitted 2026-11-20T10:05:00.000Z");
  });

  it("says when a certified candidate waits for skillship publish, and shows a scheduled publication", async () => {
    fake.skill().certifications[0].status = "SUCCEEDED";
    const ready = await runCli(["status", "--outputs", writeOutputs(outputs), "--json"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(JSON.parse(ready.stdout)).toMatchObject({
      readyToPublish: true,
      certification: { status: "SUCCEEDED" },
    });
    const text = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });
    expect(text.stdout).toContain(
      "Certified and not live yet: `skillship publish` puts the green colour live.",
    );

    fake.skill().publication = {
      status: "SCHEDULED",
      publishesAtDate: "2099-01-01T09:00:00.000Z",
      pollsLeft: 1,
      version: "2",
    };
    const scheduled = await runCli(["status", "--outputs", writeOutputs(outputs)], {
      ...fake.env,
      ...plainEnv,
    });
    expect(scheduled.stdout).toContain(
      "Latest publication: SCHEDULED (publishes at 2099-01-01T09:00:00.000Z)",
    );
    expect(scheduled.stdout).not.toContain("Certified and not live yet");
  });

  it("prints one JSON document with --json", async () => {
    const result = await runCli(["status", "--outputs", writeOutputs(outputs), "--json"], {
      ...fake.env,
      ...plainEnv,
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({
      skillId: FAKE_SKILL_ID,
      stack: "prod",
      liveColour: "blue",
      stages: { development: { target: "green" }, live: { target: "blue" } },
      aliases: {
        blue: { version: "3", release: { tag: "v1.0.0" }, change: { change: "code", replaced: "2" } },
        green: { version: "4", release: { tag: "v1.1.0" } },
      },
      certification: { id: "cert-9", status: "IN_PROGRESS" },
      readyToPublish: false,
      unavailable: [],
    });
  });

  it("still reports the skill's side when Lambda cannot be read, with a warning", async () => {
    lambda.reset();
    lambda
      .onAnyCommand()
      .rejects(Object.assign(new Error("User is not authorized"), { name: "AccessDeniedException" }));
    const result = await runCli(["status", "--outputs", writeOutputs(outputs)], { ...fake.env, ...plainEnv });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ live\s+│ \S+:blue\s+│ blue alias\s+│/);
    expect(result.stderr).toContain("warning: could not read aliases of jokebox-prod");
  });

  it("works from a skill id alone, without Lambda, and says when the skill is not live", async () => {
    fake.skill().stages.live = undefined;
    const result = await runCli(["status", "--skill-id", FAKE_SKILL_ID], { ...fake.env, ...plainEnv });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/│ live\s+│\s+│ not live yet │/);
    expect(lambda.calls()).toHaveLength(0);
  });
});
